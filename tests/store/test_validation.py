"""Property tests: validation refuses the invalid (writing nothing) and round-trips the valid."""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from store import MILESTONE_STATUSES, RISK_STATUSES, SAVING_BANDS, SAVING_KINDS, STAGES, ValidationError
from store import validate as v

from .conftest import nothing_committed

FIXTURES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PURE = settings(max_examples=300, deadline=None)


def refused(db_path, call, field=None):
    """The call raises ValidationError naming a field, and the file is exactly as it was."""
    with nothing_committed(db_path), pytest.raises(ValidationError) as e:
        call()
    assert e.value.field and e.value.message
    if field:
        assert e.value.field == field
    assert str(e.value).startswith(e.value.field)
    return e.value


def test_refused_fails_a_call_that_wrote_before_it_raised(store, tree, db_path):
    """What refused proves can fail: a change committed before the ValidationError is caught."""
    def writes_then_raises():
        store.add_project(programme_id=tree.programme.id, reference="X1", name="Written", lead="Lee")
        raise ValidationError("name", "refused after writing")

    with pytest.raises(AssertionError, match="written to"):
        refused(db_path, writes_then_raises)


# -- likelihood and impact ------------------------------------------------------------------

bad_ratings = st.one_of(
    st.integers().filter(lambda n: not 1 <= n <= 5),
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda x: not (not math.isnan(x) and x.is_integer() and 1 <= x <= 5)
    ),
    st.sampled_from(["three", "3.5", "", "1e1", "0", "6", "-1", True, False]),
    st.text(max_size=5).filter(lambda t: t.strip() not in {"1", "2", "3", "4", "5", ""}),
)


@FIXTURES
@given(bad=bad_ratings, which=st.sampled_from(["likelihood", "impact"]))
def test_bad_rating_refused(store, tree, db_path, bad, which):
    assume(not (isinstance(bad, str) and not bad.strip()))  # blank means "not rated", tested below
    values = {"likelihood": 3, "impact": 3, which: bad}
    refused(
        db_path,
        lambda: store.add_risk(project_id=tree.project.id, description="d", **values),
        which.capitalize(),
    )


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


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "2025-13-01",
        "30/02/2025",
        "31 Jun 2025",
        "2025-00-10",
        "29/02/2023",
        "32 Jan 2025",
        "30 Foo 2025",
        "tomorrow",
        "2025/06/30x",
        "06/2025",
    ],
)
def test_impossible_or_unreadable_dates_refused(store, tree, db_path, text):
    add = lambda: store.add_milestone(project_id=tree.project.id, name="m", baseline=text)  # noqa: E731
    refused(db_path, add, "Baseline")


@FIXTURES
@given(text=impossible_dates(), field=st.sampled_from(["baseline", "forecast", "actual"]))
def test_impossible_dates_refused(store, tree, db_path, text, field):
    m = store.milestones(project_id=tree.project.id)
    target = m[0] if m else store.add_milestone(project_id=tree.project.id, name="m")
    refused(db_path, lambda: store.edit_milestone(target.id, target.version, **{field: text}))


@pytest.mark.parametrize(
    "text",
    [
        "2025-06-30",
        "30/06/2025",
        "30 Jun 2025",
        "30 June 2025",
        "30th June 2025",
        " 30.06.2025 ",
        dt.date(2025, 6, 30),
    ],
)
def test_accepted_date_forms(store, tree, text):
    assert store.add_milestone(project_id=tree.project.id, name="m", baseline=text).baseline == "2025-06-30"


@FIXTURES
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), form=st.integers(0, 3))
def test_valid_dates_round_trip(store, tree, day, form):
    text = [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day:02d} {MONTHS[day.month - 1].upper()} {day.year}",
    ][form]
    m = store.add_milestone(project_id=tree.project.id, name="m", baseline=text, forecast=text)
    assert store.milestone(m.id).baseline == store.milestone(m.id).forecast == day.isoformat()


def test_status_date_cannot_be_blank(store, tree, db_path):
    f = tree.portfolio
    refused(db_path, lambda: store.set_status_date(f.id, f.version, ""), "Status date")
    refused(db_path, lambda: store.set_status_date(f.id, f.version, "2025-02-29"), "Status date")


# -- names and long text --------------------------------------------------------------------

# Bidi embeddings, overrides and isolates, and the line and paragraph separators: refused anywhere.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEPARATORS = "\u2028\u2029"
FORBIDDEN = BIDI_CONTROLS + SEPARATORS
# Characters that draw nothing: a required name made only of these (and spaces) is blank.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u00ad"
safe_chars = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=FORBIDDEN)
# A name starts with something visible; the rest may be anything storable.
good_names = st.text(safe_chars, max_size=199).map(lambda t: ("N" + t).strip())


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
    refused(
        db_path, lambda: store.edit_programme(tree.programme.id, tree.programme.version, name=blank), "Name"
    )
    refused(db_path, lambda: store.add_risk(project_id=tree.project.id, description=blank), "Description")


@FIXTURES
@given(blank=st.text(st.sampled_from(INVISIBLE + " \u3000\u2800\u3164\ufe0f"), min_size=1, max_size=6))
def test_names_with_no_visible_character_refused(store, tree, db_path, blank):
    assume(any(c in INVISIBLE for c in blank))
    f, g = tree.portfolio, tree.programme
    for call, field in [
        (lambda: store.add_milestone(project_id=tree.project.id, name=blank), "Name"),
        (lambda: store.add_project(programme_id=g.id, name=blank), "Name"),
        (lambda: store.add_programme(portfolio_id=f.id, code=blank, name="n"), "Code"),
        (lambda: store.edit_programme(g.id, g.version, name=blank), "Name"),
        (lambda: store.add_portfolio(name=blank, status_date="2025-06-30"), "Name"),
        (lambda: store.add_risk(project_id=tree.project.id, description=blank), "Description"),
        (
            lambda: store.add_risk(project_id=tree.project.id, description=f"\n{blank}\n{blank}"),
            "Description",
        ),
    ]:
        err = refused(db_path, call, field)
        assert "blank" in err.message


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u200e\u200f", " \u200b "])
def test_zero_width_names_refused_as_blank(store, tree, db_path, name):
    err = refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=name), "Name")
    assert err.message in ("cannot be blank.", "has no visible character; it cannot be blank.")


@FIXTURES
@given(extra=st.integers(1, 300))
def test_names_over_200_characters_refused(store, tree, db_path, extra):
    name = "x" * (200 + extra)
    err = refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=name), "Name")
    assert "200" in err.message
    assert store.add_milestone(project_id=tree.project.id, name="y" * 200).name == "y" * 200


def test_text_over_10000_characters_refused(store, tree, db_path):
    err = refused(
        db_path,
        lambda: store.add_milestone(project_id=tree.project.id, name="m", notes="n" * 10_001),
        "Notes",
    )
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
@given(
    before=st.text(safe_chars, max_size=20),
    bad=st.sampled_from(FORBIDDEN),
    after=st.text(safe_chars, max_size=20),
    field=st.sampled_from(["name", "notes", "due_text"]),
)
def test_bidi_controls_and_separators_refused_anywhere(store, tree, db_path, before, bad, after, field):
    values = {"name": "ok", field: f"{before}{bad}{after}"}
    label = {"name": "Name", "notes": "Notes", "due_text": "Due (as written)"}[field]
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, **values), label)
    m = store.milestones(project_id=tree.project.id)
    if m:
        refused(db_path, lambda: store.edit_milestone(m[0].id, m[0].version, **{field: values[field]}), label)


@pytest.mark.parametrize("bad", list(FORBIDDEN))
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_each_forbidden_character_refused_in_names_and_long_text(store, tree, db_path, bad, where):
    text = {"start": f"{bad}Go live", "middle": f"Go{bad} live", "end": f"Go live{bad}"}[where]
    err = refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=text), "Name")
    if bad in BIDI_CONTROLS:
        assert f"U+{ord(bad):04X}" in err.message
    refused(db_path, lambda: store.add_risk(project_id=tree.project.id, description=text), "Description")
    refused(
        db_path,
        lambda: store.add_saving(project_id=tree.project.id, year="2025/26", amount=1, notes=text),
        "Notes",
    )
    refused(
        db_path, lambda: store.set_project_rag(tree.project.id, tree.project.version, "Red", text), "Reason"
    )


@pytest.mark.parametrize(
    "bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\x0b", "\x0c", "\x1c", "\t"]
)
@pytest.mark.parametrize("where", ["middle", "end"])
def test_control_characters_and_del_refused_even_at_the_end(store, tree, db_path, bad, where):
    text = f"Go{bad}live" if where == "middle" else f"Go live{bad}"
    if bad == "\t" and where == "end":
        # a tab left at the end of a one-line paste is trimmed, as spaces are
        assert store.add_milestone(project_id=tree.project.id, name=text).name == "Go live"
        return
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name=text), "Name")
    refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name="m", notes=text), "Notes")


# Text a user may well type: it is stored exactly as typed (markup-like text included).
TYPED = st.one_of(
    st.text(safe_chars, max_size=40),
    st.sampled_from(
        [
            "[/]",
            "[bold red]x[/]",
            "[link=https://x]y[/link]",
            "\\[not markup]",
            "${x}",
            "%s %d",
            "日本語の名前",
            "中文名称",
            "한국어",
            "ＦＵＬＬＷＩＤＴＨ",  # noqa: RUF001 - fullwidth letters, on purpose
            "e\u0301",
            "Zoë",
            "ق\u0651",
            "👍",
            "🇬🇧",
            "👨\u200d👩\u200d👧",
            "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
            "☺\ufe0f",
            "שלום\u200f!",
            "مرحبا\u061c",
            "a\u200bb",
            "O\u2019Brien",
            "£€$",
        ]
    ),
)


@FIXTURES
@given(parts=st.lists(TYPED, min_size=1, max_size=4))
def test_text_without_forbidden_characters_is_stored_as_typed(store, tree, parts):
    typed = "".join(parts)
    name = f"N{typed}".strip()
    assume(len(name) <= 200)
    notes = "\n".join(parts).strip("\n ")
    m = store.add_milestone(project_id=tree.project.id, name=name, notes=notes, due_text=f"Q{typed}".strip())
    got = store.milestone(m.id)
    assert (got.name, got.notes, got.due_text) == (name, notes, f"Q{typed}".strip())
    longer = f"{notes}\n{name}".strip("\n ")
    again = store.edit_milestone(m.id, got.version, notes=longer)
    assert store.milestone(m.id).notes == again.notes == longer


@FIXTURES
@given(
    lines=st.lists(st.text(safe_chars, max_size=30).map(lambda t: ("L" + t).strip()), min_size=1, max_size=5)
)
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
@given(value=st.text(max_size=40), multiline=st.booleans(), required=st.booleans())
def test_text_cleaner_accepts_only_storable_text(value, multiline, required):
    try:
        out = v.text("Field", value, multiline=multiline, required=required)
    except ValidationError as e:
        assert e.field == "Field" and e.message
        return
    assert not any("\ud800" <= c <= "\udfff" for c in out)
    assert all(c == "\n" or unicodedata.category(c) != "Cc" for c in out)
    assert not any(c in FORBIDDEN for c in out)
    assert multiline or "\n" not in out
    assert not required or any(c not in INVISIBLE and not c.isspace() for c in out)
    out.encode("utf-8")  # storable


@PURE
@given(
    before=st.text(max_size=10),
    bad=st.sampled_from(FORBIDDEN),
    after=st.text(max_size=10),
    multiline=st.booleans(),
)
def test_text_cleaner_refuses_bidi_controls_and_separators(before, bad, after, multiline):
    with pytest.raises(ValidationError):
        v.text("Field", before + bad + after, multiline=multiline)


# -- choices --------------------------------------------------------------------------------


def _squashed(text):
    return re.sub(r"[\s/_-]+", "", text).casefold()


def unknown(allowed):
    """Text that is none of allowed as spreadsheets write them: in any case, spaced or not, or by
    an option's initials (R for Red, AG for Amber/Green)."""
    written = {_squashed(a) for a in allowed}
    written |= {"".join(word[0] for word in re.split(r"[\s/_-]+", a)).casefold() for a in allowed}
    return st.text(max_size=20).filter(lambda t: t.strip() and _squashed(t) not in written)


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
    refused(
        db_path, lambda: store.add_project(programme_id=tree.programme.id, name="p", stage=stage), "Stage"
    )
    refused(db_path, lambda: store.edit_project(j.id, j.version, stage=stage), "Stage")
    rag = data.draw(unknown(("Red", "Amber", "Green")))
    refused(db_path, lambda: store.set_project_rag(j.id, j.version, rag), "RAG")
    risk_status = data.draw(unknown(RISK_STATUSES))
    refused(db_path, lambda: store.add_risk(project_id=j.id, description="d", status=risk_status), "Status")


@FIXTURES
@given(
    status=st.sampled_from(MILESTONE_STATUSES),
    band=st.sampled_from(SAVING_BANDS),
    kind=st.sampled_from(SAVING_KINDS),
    stage=st.sampled_from(STAGES),
    shout=st.booleans(),
)
def test_known_choices_round_trip_in_any_case(store, tree, status, band, kind, stage, shout):
    f = str.upper if shout else str.lower
    m = store.add_milestone(project_id=tree.project.id, name="m", status=f(status))
    s = store.add_saving(project_id=tree.project.id, year="2025/26", amount=1, band=f(band), kind=f(kind))
    j = store.add_project(programme_id=tree.programme.id, name="p", stage=f(stage))
    assert (
        store.milestone(m.id).status,
        store.saving(s.id).band,
        store.saving(s.id).kind,
        store.project(j.id).stage,
    ) == (status, band, kind, stage)


# -- amounts --------------------------------------------------------------------------------

LIMIT = 10_000_000_000
bad_amounts = st.one_of(
    st.integers().filter(lambda n: abs(n) > LIMIT),
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda x: not (not math.isnan(x) and x.is_integer() and abs(x) <= LIMIT)
    ),
    st.decimals(places=2, allow_nan=False, allow_infinity=False)
    .filter(lambda d: d != d.to_integral_value())
    .map(str),
    st.sampled_from(["", "lots", "£", "1.5", "£0.99", "1e3", "10000000001", "-10000000001", None, True]),
)


@FIXTURES
@given(bad=bad_amounts)
def test_bad_amounts_refused(store, tree, db_path, bad):
    refused(
        db_path, lambda: store.add_saving(project_id=tree.project.id, year="2025/26", amount=bad), "Amount"
    )


@FIXTURES
@given(amount=st.integers(-LIMIT, LIMIT), form=st.integers(0, 2))
def test_good_amounts_round_trip(store, tree, amount, form):
    given_amount = [amount, f"{amount:,}", f"£{amount}" if amount >= 0 else str(amount)][form]
    s = store.add_saving(project_id=tree.project.id, year="2025/26", amount=given_amount)
    assert store.saving(s.id).amount == amount


@PURE
@given(amount=st.integers(-LIMIT, LIMIT), pound=st.booleans(), sign_first=st.booleans(), pence=st.booleans())
def test_amounts_with_thousands_commas_accepted(amount, pound, sign_first, pence):
    digits = f"{abs(amount):,}" + (".00" if pence else "")
    sign = "-" if amount < 0 else ""
    text = (f"{sign}£{digits}" if sign_first else f"£{sign}{digits}") if pound else f"{sign}{digits}"
    assert v.amount("Amount", text) == amount


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,234", 1234),
        ("£1,234", 1234),
        ("-£1,234", -1234),
        ("£-1,234", -1234),
        ("1,234,567", 1_234_567),
        (" £ 250,000 ", 250_000),
        ("999", 999),
        ("1,000.00", 1000),
        ("1 234", 1234),
    ],
)
def test_accepted_amount_forms(store, tree, text, value):
    assert store.add_saving(project_id=tree.project.id, year="2025/26", amount=text).amount == value


@PURE
@given(digits=st.text("0123456789", min_size=2, max_size=12), cuts=st.sets(st.integers(1, 11), min_size=1))
def test_commas_anywhere_but_between_thousands_refused(digits, cuts):
    cuts = sorted(c for c in cuts if c < len(digits))
    assume(cuts)
    parts = [digits[i:j] for i, j in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    text = ",".join(parts)
    assume(not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])))  # true thousands
    with pytest.raises(ValidationError) as e:
        v.amount("Amount", text)
    assert "thousands" in e.value.message


@pytest.mark.parametrize(
    "text",
    [
        "1,2,3,4",
        "12,34",
        "1234,567",
        "1,2345",
        ",123",
        "123,",
        "1,,234",
        "£1,23",
        "-1,2,3",
        "1,234,56",
        "--5",
        "-£-5",
        "1 2 3 4",
    ],
)
def test_misplaced_commas_and_signs_refused(store, tree, db_path, text):
    refused(
        db_path, lambda: store.add_saving(project_id=tree.project.id, year="2025/26", amount=text), "Amount"
    )


@pytest.mark.parametrize(
    "value",
    [2**63, 2**70, -(2**70), str(2**70), f"{2**70:,}", "9" * 5000, "-" + "9" * 5000, float(2**70), 1e300],
    ids=lambda x: repr(x)[:20],
)
def test_amounts_beyond_any_integer_are_a_validation_error(store, tree, db_path, value):
    refused(
        db_path, lambda: store.add_saving(project_id=tree.project.id, year="2025/26", amount=value), "Amount"
    )
    s = store.savings(project_id=tree.project.id)
    if s:
        refused(db_path, lambda: store.edit_saving(s[0].id, s[0].version, amount=value), "Amount")


@pytest.mark.parametrize("value", [2**70, -(2**70), "9" * 5000, str(2**64)], ids=lambda x: repr(x)[:20])
def test_ratings_beyond_any_integer_are_a_validation_error(store, tree, db_path, value):
    refused(
        db_path,
        lambda: store.add_risk(project_id=tree.project.id, description="d", likelihood=value, impact=1),
        "Likelihood",
    )


# -- financial years ------------------------------------------------------------------------


@st.composite
def bad_years(draw):
    start = draw(st.integers(1000, 9999))
    end = draw(st.integers(0, 99).filter(lambda e: e != (start + 1) % 100))
    return draw(
        st.sampled_from(
            [
                f"{start}/{end:02d}",
                f"{start}-{end:02d}",
                f"{start}/{start + 1}",
                f"{start}",
                f"{start % 100:02d}/{(start + 1) % 100:02d}",
            ]
        )
    )


@FIXTURES
@given(year=st.one_of(bad_years(), st.text(max_size=10), st.integers()))
def test_bad_financial_years_refused(store, tree, db_path, year):
    assume(
        not (
            isinstance(year, str)
            and __import__("re").fullmatch(r"\s*\d{4}\s*[/-]\s*\d{2}\s*", year)
            and (int(year.strip()[:4]) + 1) % 100 == int(year.strip()[-2:])
        )
    )
    refused(
        db_path, lambda: store.add_saving(project_id=tree.project.id, year=year, amount=1), "Financial year"
    )


@FIXTURES
@given(start=st.integers(1990, 2099), dash=st.booleans())
def test_good_financial_years_round_trip(store, tree, start, dash):
    text = f"{start}{'-' if dash else '/'}{(start + 1) % 100:02d}"
    s = store.add_saving(project_id=tree.project.id, year=text, amount=1)
    assert store.saving(s.id).year == f"{start}/{(start + 1) % 100:02d}"


@pytest.mark.parametrize(
    "day, year",
    [
        ("2025-03-31", "2024/25"),
        ("2025-04-01", "2025/26"),
        ("1999-12-31", "1999/00"),
        ("2000-01-01", "1999/00"),
    ],
)
def test_financial_year_of(day, year):
    from store import financial_year_of

    assert financial_year_of(day) == year


# -- the same rules for a bulk load ---------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"risk": [{"description": "d", "likelihood": 6, "impact": 1}]},
        {"milestone": [{"name": "m", "due": "2025-02-30"}]},  # an older input's due date: the baseline
        {"milestone": [{"name": "m", "baseline": "2025-02-30"}]},
        {"saving": [{"year": "2025/27", "amount": 1}]},
        {"saving": [{"year": "2025/26", "amount": 1.5}]},
        {"milestone": [{"name": " "}]},
        {"milestone": [{"name": "m", "status": "Purple"}]},
    ],
)
def test_bulk_load_refuses_and_writes_nothing(store, tree, db_path, bad):
    tree_ = {
        "name": "Loaded",
        "status_date": "2025-06-30",
        "programme": [{"code": "L", "name": "Loaded", "project": [{"name": "ok"}, {"name": "p", **bad}]}],
    }
    refused(db_path, lambda: store.import_portfolio(tree_))


# -- dates as users type them, and messages that repeat what they typed ----------------------


@pytest.mark.parametrize("text", [
    "2014-03-01", "01/03/2014", "1/3/2014", "1/03/2014", "1 Mar 2014", "1 March 2014", "1 mar 2014",
    "1 MARCH 2014", "01 Mar 2014", "1st March 2014", "1ST march 2014", "1 Mar. 2014", " 1.3.2014 ",
])
def test_each_accepted_style_is_stored_as_iso(text):
    assert v.parse_date("Due date", text) == "2014-03-01"


@pytest.mark.parametrize(("text", "message"), [
    ("tomorrow", "tomorrow is not a date; write it as 30/06/2025 (or 30/6/2025), 30 Jun 2025 "
                 "(or 30 June 2025) or 2025-06-30."),
    ("31/02/2014", "31/02/2014 is not a real date: February 2014 has 28 days."),
    ("29 Feb 2023", "29 Feb 2023 is not a real date: February 2023 has 28 days."),
    ("2014-13-01", "2014-13-01 is not a real date: there is no month 13."),
    ("0/3/2014", "0/3/2014 is not a real date: days of the month start at 1."),
    ("1/3/14", "1/3/14 has a two-digit year; write the year in full, as in 1/3/2014."),
    ("1 Marchly 2014", "Marchly is not a month; write it as Jun or June, as in 30 Jun 2025."),
    ("", "cannot be blank; enter a date as 30/06/2025 (or 30/6/2025), 30 Jun 2025 (or 30 June 2025) "
         "or 2025-06-30."),
])
def test_a_date_refused_says_why_and_how_to_write_one(text, message):
    with pytest.raises(ValidationError) as e:
        v.parse_date("Status date", text, blank_ok=False)
    assert e.value.message == message


@PURE
@given(st.dates())
def test_a_date_as_ragboard_shows_it_reads_back_as_the_same_date(date):
    from store.text import day

    assert v.parse_date("Forecast", day(date.isoformat())) == date.isoformat()


@FIXTURES
@given(date=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_a_status_date_typed_as_shown_is_stored_as_that_date(store, tree, date):
    from store.text import day

    f = store.portfolio(tree.portfolio.id)
    assert store.set_status_date(f.id, f.version, day(date.isoformat())).status_date == date.isoformat()


TYPED = "O'Brien's \\ \"plan\""


@pytest.mark.parametrize(("call", "field"), [
    (lambda s, t: s.add_milestone(project_id=t.project.id, name="m", forecast=TYPED), "Forecast"),
    (lambda s, t: s.add_milestone(project_id=t.project.id, name="m", status=TYPED), "Status"),
    (lambda s, t: s.add_saving(project_id=t.project.id, year=TYPED, amount=1), "Financial year"),
    (lambda s, t: s.add_saving(project_id=t.project.id, year="2025/26", amount=TYPED), "Amount"),
])
def test_a_message_repeats_a_value_as_typed_never_escaped(store, tree, db_path, call, field):
    err = refused(db_path, lambda: call(store, tree), field)
    assert err.message.startswith(f"{TYPED} is not ")
    assert repr(TYPED) not in str(err)


def test_a_long_value_is_repeated_cut_at_a_word(store, tree, db_path):
    typed = "next Tuesday after the programme board has met and agreed the revised plan"
    err = refused(db_path, lambda: store.add_milestone(project_id=tree.project.id, name="m", actual=typed))
    assert err.message.startswith("next Tuesday after the programme board… is not a date")
