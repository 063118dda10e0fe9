"""The demo says what its papers print, marks what it inferred, and leaves out nothing the papers
report: status dates as printed, events reported as done done, savings in the year reported."""
from __future__ import annotations

import re

import pytest

from seed.files import DATA_DIR, load_portfolios, walk
from seed.loader import load_demo
from store import open_store
from store.inferred import parse

PLYMOUTH, CAMBRIDGESHIRE = "Plymouth City Council", "Cambridgeshire County Council"

# Events the papers report as having happened (paper: wording of the milestone).
DONE = [
    ("001", "OBC Complete"),
    ("001", "Phase I of this workstream commenced"),
    ("002", "The Home and Community Support Service contract awarded to Homestart"),
    ("002", "The new contract was awarded to CHS group"),
    ("002", "Phase 1 of the Total Transport pilot"),
    ("002", "A public consultation closed"),
    ("004", "The Haringey 54,000 programme was launched"),
]

# What the papers print that the demo once left out (paper, line): a record cites the line, or a
# comment in the data file names it and says why it is not a record.
OMITTED = [
    ("000", 46), ("001", 1156), ("001", 1770), ("001", 2936), ("001", 4191),
    ("002", 163), ("002", 1093), ("002", 1525),
    ("003", 1015), ("003", 1285), ("003", 1028), ("003", 1036), ("003", 1177), ("003", 203), ("003", 319),
    ("004", 129), ("004", 96), ("004", 161),
]


@pytest.fixture(scope="module")
def portfolios():
    return load_portfolios()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.db")
    load_demo(store)
    yield store
    store.close()


def test_each_status_date_is_printed_or_says_why_not(portfolios):
    for p in portfolios:
        printed, reason = p.get("status_date_text"), (p.get("inferred") or {}).get("status_date")
        assert printed or reason, f"{p['name']}: its status date is neither printed nor explained"


def test_every_risk_status_is_marked_inferred(portfolios):
    """No paper prints a risk's status: each risk says so."""
    for p in portfolios:
        for kind, record in walk(p):
            if kind == "risk":
                assert "status" in (record.get("inferred") or {}), record["description"][:60]


def test_events_the_papers_report_as_done_are_done_and_not_overdue(demo):
    milestones = [m for (name,) in demo.conn.execute("SELECT DISTINCT name FROM milestone")
                  for m in [name]]
    for paper, wording in DONE:
        rows = demo.conn.execute(
            "SELECT m.id, m.status, m.actual, m.source FROM milestone m WHERE m.name LIKE ? || '%'",
            (wording,)).fetchall()
        assert rows, f"{paper}: no milestone {wording!r} ({len(milestones)} milestones)"
        for milestone_id, status, actual, source in rows:
            assert source.startswith(paper)
            assert status == "Complete" and actual, wording
            assert not demo.milestone(milestone_id).overdue, wording


def test_what_the_papers_print_is_in_the_demo(portfolios):
    cited: set[tuple[str, int]] = set()
    for p in portfolios:
        for _kind, record in walk(p):
            source, line = record.get("source", ""), record.get("line")
            if isinstance(line, int):
                for at in range(line, record.get("line_end", line) + 1):
                    cited.add((source[:3], at))
    comments = "\n".join(path.read_text(encoding="utf-8") for path in DATA_DIR.glob("*.toml"))
    for paper, line in OMITTED:
        in_a_comment = re.search(rf"#[^\n]*\b(L|lines? ){line}\b", comments)
        assert (paper, line) in cited or in_a_comment, f"{paper} line {line}: neither a record nor explained"


@pytest.mark.parametrize("organisation", [PLYMOUTH, CAMBRIDGESHIRE])
def test_home_shows_the_savings_each_paper_reports(demo, organisation):
    rows = [r for r in demo.home_rows()
            if demo.portfolio_of(programme_id=r.programme.id).organisation == organisation]
    assert rows and sum(r.savings_gross for r in rows) > 0, organisation


def test_printed_values_are_not_marked_inferred_and_inferred_ones_are_stored(demo):
    marked = demo.conn.execute("SELECT count(*) FROM milestone WHERE inferred <> ''").fetchone()[0]
    assert marked > 0
    for (text,) in demo.conn.execute("SELECT inferred FROM saving WHERE inferred <> ''"):
        assert set(parse(text)) <= {"year", "amount", "band", "kind"}
