"""Property tests: validation refuses the invalid (writing nothing) and round-trips the valid."""
from __future__ import annotations

import datetime as dt
import math
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from store import MILESTONE_STATUSES, SAVING_BANDS, SAVING_KINDS, STAGES, ValidationError
from store import validate as v

from .conftest import dump

FIXTURES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PURE = settings(max_examples=300, deadline=None)


def refused(db_path, call, field=None):
    """The call raises ValidationError naming a field, and the file is exactly as it was."""
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        call()
    assert e.value.field and e.value.message
    if field:
        assert e.value.field == field
    assert str(e.value).startswith(e.value.field)
    assert dump(db_path) == before
    return e.value


# -- likelihood and impact ------------------------------------------------------------------

bad_ratings = st.one_of(
    st.integers().filter(lambda n: not 1 <= n <= 5),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not (not math.isnan(x) and x.is_integer() and 1 <= x <= 5)),
    st.sampled_from(["three", "3.5", "", "1e1", "0", "6", "-1", True, False]),
    st.text(max_size=5).filter(lambda t: t.strip() not in {"1", "2", "3", "4", "5", ""}),
)


@FIXTURES
@given(bad=bad_ratings, which=st.sampled_from(["likelihood", "impact"]))
def test_bad_rating_refused(store, tree, db_path, bad, which):
    assume(not (isinstance(bad, str) and not bad.strip()))  # blank means "not rated", tested below
    values = {"likelihood": 3, "impact": 3, which: bad}
    refused(db_path, lambda: store.add_risk(project_id=tree.project.id, description="d", **values),
            which.capitalize())


@FIXTURES
@given(likelihood=st.integers(1, 5), impact=st.integers(1, 5), as_text=st.booleans())
def test_good_rating_round_trips(store, tree, likelihood, impact, as_text):
    given_l = f" {likelihood} " if as_text else likelihood
    r = store.add_risk(project_id=tree.project.id, description="d", likelihood=given_l, impact=impact)
    again = store.risk(r.id)
    assert (again.likelihood, again.impact, again.score) == (likelihood, impact, likelihood * impact)


def test_blank_ratings_mean_not_rated(store, tree):
    r = store.add_risk(project_id=tree.project.id, description="d", likelihood="", impact=" ")
    assert (r.likelihood, r.impact, r.score) == (None, None, None)


# -- dates ----------------------------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@st.composite
def impossible_dates(draw):
    year = draw(st.integers(1900, 2100))
    month = draw(st.integers(0, 15))
    day = draw(st.integers(0, 35))
    try:
        dt.date(year, month, day)
        assume(False)
    except ValueError:
        pass
    return draw(st.sampled_from([f"{year:04d}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year:04d}"]))


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13-01", "30/02/2025", "31 Jun 2025", "2025-00-10",
                                  "29/02/2023", "32 Jan 2025", "30 Foo 2025", "tomorrow", "2025/06/30x", "06/2025"])
def test_impossible_or_unreadable_dates_refused(store, tree, db_path, text):
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name="m", due=text), "Due date")


@FIXTURES
@given(text=impossible_dates(), field=st.sampled_from(["due", "baseline", "forecast", "actual"]))
def test_impossible_dates_refused(store, tree, db_path, text, field):
    m = store.milestones(project_id=tree.project.id)
    target = m[0] if m else store.add_milestone(project_id=tree.project.id, name="m")
    refused(db_path, lambda: store.edit_milestone(target.id, target.version, **{field: text}))


@pytest.mark.parametrize("text", ["2025-06-30", "30/06/2025", "30 Jun 2025", "30 June 2025", "30th June 2025",
                                  " 30.06.2025 ", dt.date(2025, 6, 30)])
def test_accepted_date_forms(store, tree, text):
    assert store.add_milestone(project_id=tree.project.id, name="m", due=text).due == "2025-06-30"


@FIXTURES
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), form=st.integers(0, 3))
def test_valid_dates_round_trip(store, tree, day, form):
    text = [day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day} {MONTHS[day.month - 1]} {day.year}",
            f"{day.day:02d} {MONTHS[day.month - 1].upper()} {day.year}"][form]
    m = store.add_milestone(project_id=tree.project.id, name="m", due=text, forecast=text)
    assert store.milestone(m.id).due == store.milestone(m.id).forecast == day.isoformat()


def test_status_date_cannot_be_blank(store, tree, db_path):
    f = tree.portfolio
    refused(db_path, lambda: store.set_status_date(f.id, f.version, ""), "Status date")
    refused(db_path, lambda: store.set_status_date(f.id, f.version, "2025-02-29"), "Status date")


# -- names and long text --------------------------------------------------------------------

safe_chars = st.characters(blacklist_categories=("Cc", "Cs"))
good_names = st.text(safe_chars, min_size=1, max_size=200).map(str.strip).filter(bool)


@FIXTURES
@given(name=good_names)
def test_good_names_round_trip(store, tree, name):
    m = store.add_milestone(project_id=tree.project.id, name=name)
    assert store.milestone(m.id).name == name
    hit = store.search_milestones(name)
    assert any(x.id == m.id for x, _ in hit)


@FIXTURES
@given(blank=st.text(st.sampled_from(" \u00a0\u2003\u3000"), max_size=5))
def test_blank_names_refused(store, tree, db_path, blank):
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=blank), "Name")
    refused(db_path, lambda: store.add_project(programme_id=tree.programme.id, name=blank), "Name")
    refused(db_path, lambda: store.edit_programme(tree.programme.id, tree.programme.version, name=blank), "Name")
    refused(db_path, lambda: store.add_risk(project_id=tree.project.id, description=blank), "Description")


@FIXTURES
@given(extra=st.integers(1, 300))
def test_names_over_200_characters_refused(store, tree, db_path, extra):
    name = "x" * (200 + extra)
    err = refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=name), "Name")
    assert "200" in err.message
    assert store.add_milestone(project_id=tree.project.id, name="y" * 200).name == "y" * 200


def test_text_over_10000_characters_refused(store, tree, db_path):
    err = refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name="m", notes="n" * 10_001),
                  "Notes")
    assert "10,000" in err.message
    m = store.add_milestone(project_id=tree.project.id, name="m", notes="n" * 10_000)
    assert len(store.milestone(m.id).notes) == 10_000


control_chars = st.characters(whitelist_categories=("Cc",)).filter(lambda c: c not in "\n\r")


@FIXTURES
@given(before=st.text(safe_chars, max_size=20), bad=control_chars, after=st.text(safe_chars, max_size=20))
def test_control_characters_in_long_text_refused(store, tree, db_path, before, bad, after):
    text = f"a{before}{bad}{after}b"
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name="m", notes=text), "Notes")
    refused(db_path, lambda: store.add_risk(project_id=tree.project.id, description=text), "Description")
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=text), "Name")


@FIXTURES
@given(lines=st.lists(st.text(safe_chars, min_size=1, max_size=30).map(str.strip).filter(bool), min_size=1,
                      max_size=5))
def test_newlines_in_long_text_round_trip(store, tree, lines):
    text = "\n".join(lines)
    m = store.add_milestone(project_id=tree.project.id, name="m", notes=text)
    assert store.milestone(m.id).notes == text
    r = store.add_risk(project_id=tree.project.id, description=text, mitigation=text.replace("\n", "\r\n"))
    assert (store.risk(r.id).description, store.risk(r.id).mitigation) == (text, text)


def test_newline_in_a_name_refused(store, tree, db_path):
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name="two\nlines"), "Name")


@FIXTURES
@given(surrogate=st.integers(0xD800, 0xDFFF).map(chr), where=st.sampled_from(["name", "notes", "due_text"]))
def test_lone_surrogates_refused(store, tree, db_path, surrogate, where):
    values = {"name": "ok", where: f"bad {surrogate} char"}
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, **values))


@PURE
@given(value=st.text(max_size=40), multiline=st.booleans())
def test_text_cleaner_accepts_only_storable_text(value, multiline):
    try:
        out = v.text("Field", value, multiline=multiline)
    except ValidationError:
        return
    assert not any("\ud800" <= c <= "\udfff" for c in out)
    assert all(c == "\n" or unicodedata.category(c) != "Cc" for c in out)
    assert multiline or "\n" not in out
    out.encode("utf-8")  # storable


# -- choices --------------------------------------------------------------------------------

def unknown(allowed):
    lowered = {a.lower() for a in allowed}
    return st.text(max_size=20).filter(lambda t: t.strip() and t.strip().lower() not in lowered)


@FIXTURES
@given(data=st.data())
def test_unknown_choices_refused(store, tree, db_path, data):
    j = tree.project
    status = data.draw(unknown(MILESTONE_STATUSES))
    refused(db_path, lambda: store.add_milestone(project_id=j.id, name="m", status=status), "Status")
    m = store.milestones(project_id=j.id)
    if m:
        refused(db_path, lambda: store.set_milestone_status(m[0].id, m[0].version, status), "Status")
    band = data.draw(unknown(SAVING_BANDS))
    refused(db_path, lambda: store.add_saving(project_id=j.id, year="2025/26", amount=1, band=band), "Band")
    kind = data.draw(unknown(SAVING_KINDS))
    refused(db_path, lambda: store.add_saving(project_id=j.id, year="2025/26", amount=1, kind=kind), "Kind")
    stage = data.draw(unknown(STAGES))
    refused(db_path, lambda: store.add_project(programme_id=tree.programme.id, name="p", stage=stage), "Stage")
    refused(db_path, lambda: store.edit_project(j.id, j.version, stage=stage), "Stage")
    rag = data.draw(unknown(("Red", "Amber", "Green")))
    refused(db_path, lambda: store.set_project_rag(j.id, j.version, rag), "RAG")
    refused(db_path, lambda: store.add_risk(project_id=j.id, description="d", status=rag), "Status")


@FIXTURES
@given(status=st.sampled_from(MILESTONE_STATUSES), band=st.sampled_from(SAVING_BANDS),
       kind=st.sampled_from(SAVING_KINDS), stage=st.sampled_from(STAGES), shout=st.booleans())
def test_known_choices_round_trip_in_any_case(store, tree, status, band, kind, stage, shout):
    f = str.upper if shout else str.lower
    m = store.add_milestone(project_id=tree.project.id, name="m", status=f(status))
    s = store.add_saving(project_id=tree.project.id, year="2025/26", amount=1, band=f(band), kind=f(kind))
    j = store.add_project(programme_id=tree.programme.id, name="p", stage=f(stage))
    assert (store.milestone(m.id).status, store.saving(s.id).band, store.saving(s.id).kind,
            store.project(j.id).stage) == (status, band, kind, stage)


# -- amounts --------------------------------------------------------------------------------

LIMIT = 10_000_000_000
bad_amounts = st.one_of(
    st.integers().filter(lambda n: abs(n) > LIMIT),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not (not math.isnan(x) and x.is_integer()
                                                                         and abs(x) <= LIMIT)),
    st.decimals(places=2, allow_nan=False, allow_infinity=False).filter(lambda d: d != d.to_integral_value())
      .map(str),
    st.sampled_from(["", "lots", "£", "1.5", "£0.99", "1e3", "10000000001", "-10000000001", None, True]),
)


@FIXTURES
@given(bad=bad_amounts)
def test_bad_amounts_refused(store, tree, db_path, bad):
    refused(db_path, lambda: store.add_saving(project_id=tree.project.id, year="2025/26", amount=bad), "Amount")


@FIXTURES
@given(amount=st.integers(-LIMIT, LIMIT), form=st.integers(0, 2))
def test_good_amounts_round_trip(store, tree, amount, form):
    given_amount = [amount, f"{amount:,}", f"£{amount}" if amount >= 0 else str(amount)][form]
    s = store.add_saving(project_id=tree.project.id, year="2025/26", amount=given_amount)
    assert store.saving(s.id).amount == amount


# -- financial years ------------------------------------------------------------------------

@st.composite
def bad_years(draw):
    start = draw(st.integers(1000, 9999))
    end = draw(st.integers(0, 99).filter(lambda e: e != (start + 1) % 100))
    return draw(st.sampled_from([f"{start}/{end:02d}", f"{start}-{end:02d}",
                                 f"{start}/{start + 1}", f"{start}", f"{start % 100:02d}/{(start + 1) % 100:02d}"]))


@FIXTURES
@given(year=st.one_of(bad_years(), st.text(max_size=10), st.integers()))
def test_bad_financial_years_refused(store, tree, db_path, year):
    assume(not (isinstance(year, str) and __import__("re").fullmatch(r"\s*\d{4}\s*[/-]\s*\d{2}\s*", year)
                and (int(year.strip()[:4]) + 1) % 100 == int(year.strip()[-2:])))
    refused(db_path, lambda: store.add_saving(project_id=tree.project.id, year=year, amount=1), "Financial year")


@FIXTURES
@given(start=st.integers(1990, 2099), dash=st.booleans())
def test_good_financial_years_round_trip(store, tree, start, dash):
    text = f"{start}{'-' if dash else '/'}{(start + 1) % 100:02d}"
    s = store.add_saving(project_id=tree.project.id, year=text, amount=1)
    assert store.saving(s.id).year == f"{start}/{(start + 1) % 100:02d}"


@pytest.mark.parametrize("day, year", [("2025-03-31", "2024/25"), ("2025-04-01", "2025/26"),
                                       ("1999-12-31", "1999/00"), ("2000-01-01", "1999/00")])
def test_financial_year_of(day, year):
    from store import financial_year_of
    assert financial_year_of(day) == year


# -- the same rules for a bulk load ---------------------------------------------------------

@pytest.mark.parametrize("bad", [
    {"risk": [{"description": "d", "likelihood": 6, "impact": 1}]},
    {"milestone": [{"name": "m", "due": "2025-02-30"}]},
    {"saving": [{"year": "2025/27", "amount": 1}]},
    {"saving": [{"year": "2025/26", "amount": 1.5}]},
    {"milestone": [{"name": " "}]},
    {"milestone": [{"name": "m", "status": "Purple"}]},
])
def test_bulk_load_refuses_and_writes_nothing(store, tree, db_path, bad):
    tree_ = {"name": "Loaded", "status_date": "2025-06-30",
             "programme": [{"code": "L", "name": "Loaded", "project": [{"name": "ok"}, {"name": "p", **bad}]}]}
    refused(db_path, lambda: store.import_portfolio(tree_))
