"""Dates and long names in words: one date style, and cuts at a word, never mid-word."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.text import day, shorten

PURE = settings(max_examples=300, deadline=None)


@pytest.mark.parametrize(("iso", "shown"), [
    ("2014-03-01", "1 Mar 2014"), ("2025-06-30", "30 Jun 2025"), ("2016-09-09", "9 Sep 2016"),
    ("2020-12-31", "31 Dec 2020"), (None, ""),
])
def test_day_shows_one_style(iso, shown):
    assert day(iso) == shown


def test_day_leaves_what_is_not_a_date_as_it_is():
    assert day("Q4 2014") == "Q4 2014"
    assert day("2014-02-30") == "2014-02-30"


@PURE
@given(st.dates())
def test_day_is_day_month_year_with_no_leading_zero(date):
    d, month, year = day(date.isoformat()).split(" ")
    assert int(d) == date.day and not d.startswith("0")
    assert month == ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                     "Dec")[date.month - 1]
    assert int(year) == date.year


def test_shorten_cuts_at_a_word():
    text = "Supplier 'Ångström Ltd' fails to deliver the new case system on time"
    assert shorten(text, 30) == "Supplier 'Ångström Ltd' fails…"
    assert shorten(text, 200) == text


def test_shorten_folds_spaces_and_newlines():
    assert shorten("  Go\n\nlive \t now ", 50) == "Go live now"
    assert shorten("Go\nlive now please", 12) == "Go live now…"


def test_shorten_cuts_a_word_only_when_it_alone_is_too_long():
    assert shorten("Supercalifragilistic expialidocious", 10) == "Supercali…"
    assert shorten("Fire & Rescue Service", 12) == "Fire…"  # no dangling "&"
    assert shorten("Alpha, beta, gamma", 13) == "Alpha, beta…"


words = st.lists(st.text(alphabet="abcdefgÅß'\"-", min_size=1, max_size=12), min_size=1, max_size=12)


@PURE
@given(words, st.integers(min_value=1, max_value=60), st.sampled_from([" ", "\n", "  ", " \n\t"]))
def test_shorten_never_cuts_mid_word_unless_the_word_is_longer_than_width(parts, width, gap):
    text = gap.join(parts)
    out = shorten(text, width)
    assert len(out) <= width
    folded = " ".join(parts)
    if len(folded) <= width:
        assert out == folded
        return
    assert out.endswith("…")
    kept = out.removesuffix("…")
    assert folded.startswith(kept)
    if len(parts[0]) > width - 1:  # the first word alone does not fit: the one case a word is cut
        return
    whole = kept.split(" ")
    n = len(whole)
    assert whole[:-1] == parts[:n - 1]  # every word kept is whole...
    assert whole[-1] in (parts[n - 1], parts[n - 1].rstrip(" ,;:-–—/&+"))  # ...the last bar a dangling dash


def test_shorten_refuses_no_room():
    with pytest.raises(ValueError):
        shorten("a", 0)


def test_month_names_do_not_follow_the_locale():
    assert day(dt.date(2014, 5, 1).isoformat()) == "1 May 2014"
