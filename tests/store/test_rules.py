"""Each derived value has one definition (store/rules.py), used by every read that shows it, and
it agrees with a recomputation from the rule as the brief states it: overdue, slippage, the expected
date, the financial year, a risk's score and RAG, the home screen's high risks (the portfolio's Red
band), the derived and rolled RAGs, and savings gross, cost and net.
"""
from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import MILESTONE_STATUSES, SAVING_KINDS, financial_year_of, open_store, rules
from store.rag import risk_rag

FIXTURES = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- the rules as the brief states them, worked out here from scratch ------------------------


def overdue(m, status_date: str) -> bool:
    """Not done (not Complete, no actual date) and its latest date (forecast, else baseline) before
    the status date."""
    latest = m["forecast"] or m["baseline"]
    return m["status"] != "Complete" and m["actual"] is None and latest is not None and latest < status_date


def expected(m) -> str | None:
    """The date it happened, else the date now expected."""
    return m["actual"] or m["forecast"] or m["baseline"]


def slippage(m) -> int | None:
    """Forecast (or actual) minus baseline, in days."""
    later = m["actual"] or m["forecast"]
    if later is None or m["baseline"] is None:
        return None
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(m["baseline"])).days


def financial_year(day: dt.date) -> str:
    """April to March, written 2016/17."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


# -- generated portfolios ---------------------------------------------------------------------

_names = itertools.count(1)


def _fresh_name() -> str:
    """A portfolio name no example has used yet: each example adds its own to the same file."""
    return f"P{next(_names)}"


days = st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31))
maybe_day = st.none() | days.map(dt.date.isoformat)
milestones = st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(MILESTONE_STATUSES), "baseline": maybe_day,
    "forecast": maybe_day, "actual": maybe_day, "own": st.booleans()}), max_size=12)
risks = st.lists(st.fixed_dictionaries({
    "likelihood": st.none() | st.integers(1, 5), "impact": st.integers(1, 5),
    "open": st.booleans(), "own": st.booleans()}), max_size=12)
thresholds = st.integers(1, 24).flatmap(lambda g: st.tuples(st.just(g), st.integers(g + 1, 25)))


@FIXTURES
@given(status_day=days, items=milestones)
def test_overdue_and_slippage_agree_with_the_rule_everywhere_they_are_shown(store, status_day, items):
    status_date = status_day.isoformat()
    f = store.add_portfolio(name=_fresh_name(), status_date=status_date)
    g = store.add_programme(portfolio_id=f.id, code="G", name="Programme")
    j = store.add_project(programme_id=g.id, name="Project")
    made = []
    for n, item in enumerate(items):
        owner = {"programme_id": g.id} if item["own"] else {"project_id": j.id}
        values = {k: item[k] for k in ("status", "baseline", "forecast", "actual")}
        m = store.add_milestone(**owner, name=f"m{f.id}-{n}", **values)
        made.append((m, values))
    for m, values in made:
        assert (m.overdue, m.slippage_days, m.expected) == (
            overdue(values, status_date), slippage(values), expected(values)), values
        assert store.milestone(m.id) == m
    listed = store.milestones(project_id=j.id) + store.milestones(programme_id=g.id)
    assert sorted(listed) == sorted(m for m, _ in made)
    found = [m for m, _where in store.search_milestones(f"m{f.id}-", limit=100)]
    assert sorted(found) == sorted(m for m, _ in made)
    home, = (row for row in store.home_rows(limit=10_000) if row.programme.id == g.id)
    assert home.overdue_milestones == sum(overdue(values, status_date) for _, values in made)
    assert home.red_milestones == sum(values["status"] == "Red" for _, values in made)


@FIXTURES
@given(limits=thresholds, items=risks)
def test_high_risks_are_the_open_ones_in_the_portfolios_red_band(store, limits, items):
    green_max, red_min = limits
    f = store.add_portfolio(name=_fresh_name(), status_date="2025-06-30")
    f = store.set_risk_thresholds(f.id, f.version, green_max, red_min)
    g = store.add_programme(portfolio_id=f.id, code="G", name="Programme")
    j = store.add_project(programme_id=g.id, name="Project")
    for n, item in enumerate(items):
        owner = {"programme_id": g.id} if item["own"] else {"project_id": j.id}
        impact = item["impact"] if item["likelihood"] is not None else None
        k = store.add_risk(**owner, description=f"r{n}", likelihood=item["likelihood"], impact=impact)
        if not item["open"]:
            store.close_risk(k.id, k.version)
    shown = store.risks(project_id=j.id) + store.risks(programme_id=g.id)
    for k in shown:
        score = None if k.likelihood is None else k.likelihood * k.impact
        assert (k.score, k.rag) == (score, risk_rag(score, green_max, red_min))
        assert store.risk(k.id) == k
    home, = (row for row in store.home_rows(limit=10_000) if row.programme.id == g.id)
    in_red_band = [k.score is not None and k.score >= red_min for k in shown]
    assert home.high_risks == sum(k.status == "Open" and red
                                  for k, red in zip(shown, in_red_band, strict=True))
    assert home.high_risks == sum(k.status == "Open" and k.rag == "Red" for k in shown)


def test_the_heat_maps_matrix_agrees_with_the_queries():
    """store.rag.risk_rag (a score on its own, as the heat map draws it) and the SQL every read uses."""
    with closing(sqlite3.connect(":memory:")) as conn:
        for green_max in range(1, 25):
            for red_min in range(green_max + 1, 26):
                for score in (None, *range(1, 26)):
                    got = conn.execute(f"SELECT {rules.risk_rag('?1', '?2', '?3')}",
                                       (score, green_max, red_min)).fetchone()[0]
                    assert got == risk_rag(score, green_max, red_min), (score, green_max, red_min)


def test_the_financial_year_is_one_rule_for_every_day():
    day = dt.date(1999, 1, 1)
    while day < dt.date(2002, 1, 1):
        assert financial_year_of(day.isoformat()) == financial_year(day)
        day += dt.timedelta(days=1)


savings = st.lists(st.fixed_dictionaries({
    "start": st.integers(2022, 2027), "kind": st.sampled_from(SAVING_KINDS), "own": st.booleans(),
    "project": st.integers(0, 1)}), max_size=10)


def _year(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def _figures(items, year: str) -> tuple[int, int, int]:
    """Gross (every kind but cost), cost and net (gross - cost) of the items in a year."""
    gross = sum(10 ** n for n, v in items if _year(v["start"]) == year and v["kind"] != "cost")
    cost = sum(10 ** n for n, v in items if _year(v["start"]) == year and v["kind"] == "cost")
    return gross, cost, gross - cost


@FIXTURES
@given(status_day=days, items=savings)
def test_savings_gross_cost_and_net_agree_on_every_screen(store, status_day, items):
    f = store.add_portfolio(name=_fresh_name(), status_date=status_day.isoformat())
    g = store.add_programme(portfolio_id=f.id, code="G", name="Programme")
    projects = [store.add_project(programme_id=g.id, name=f"Project {n}") for n in range(2)]
    for n, item in enumerate(items):
        owner = {"programme_id": g.id} if item["own"] else {"project_id": projects[item["project"]].id}
        store.add_saving(**owner, year=_year(item["start"]), amount=10 ** n, kind=item["kind"])
    numbered = list(enumerate(items))
    year = financial_year(status_day)
    home, = (row for row in store.home_rows(limit=10_000) if row.programme.id == g.id)
    assert home.financial_year == year
    assert (home.savings_gross, home.savings_cost, home.savings_net) == _figures(numbered, year)
    years = sorted({_year(v["start"]) for v in items})
    assert store.savings_by_year(programme_id=g.id) == [(y, *_figures(numbered, y)) for y in years]
    for row, j in zip(store.project_rows(g.id), projects, strict=True):
        mine = [(n, v) for n, v in numbered if not v["own"] and projects[v["project"]].id == j.id]
        assert row.financial_year == year
        assert (row.savings_gross, row.savings_cost, row.savings_net) == _figures(mine, year)
        mine_years = sorted({_year(v["start"]) for _, v in mine})
        assert store.savings_by_year(project_id=j.id) == [(y, *_figures(mine, y)) for y in mine_years]


def _worst(rags) -> str | None:
    ranked = [r for r in ("Red", "Amber", "Green") if r in set(rags)]
    return ranked[0] if ranked else None


hand = st.none() | st.sampled_from(("Red", "Amber", "Green"))
statuses = st.lists(st.sampled_from(MILESTONE_STATUSES), max_size=4)
projects_with_milestones = st.lists(st.tuples(hand, statuses), max_size=3)


@FIXTURES
@given(programme_rag=hand, own=statuses, projects=projects_with_milestones)
def test_derived_rag_ignores_the_hand_rag_and_rolled_rag_prefers_it(store, programme_rag, own, projects):
    f = store.add_portfolio(name=_fresh_name(), status_date="2025-06-30")
    g = store.add_programme(portfolio_id=f.id, code="G", name="Programme")
    for status in own:
        store.add_milestone(programme_id=g.id, name="own", status=status)
    rolled_projects = []
    for n, (rag, statuses) in enumerate(projects):
        j = store.add_project(programme_id=g.id, name=f"Project {n}")
        for status in statuses:
            store.add_milestone(project_id=j.id, name="m", status=status)
        if rag is not None:
            j = store.set_project_rag(j.id, store.project(j.id).version, rag)
        j = store.project(j.id)
        derived = _worst(statuses)  # Complete and Not rated do not count
        assert (j.derived_rag, j.rolled_rag, j.rag_is_derived) == (derived, rag or derived, rag is None)
        rolled_projects.append(rag or derived)
    if programme_rag is not None:
        store.set_programme_rag(g.id, store.programme(g.id).version, programme_rag)
    derived = _worst([*rolled_projects, *own])
    p = store.programme(g.id)
    assert (p.derived_rag, p.rolled_rag, p.rag_is_derived) == (derived, programme_rag or derived,
                                                               programme_rag is None)
    home, = (row for row in store.home_rows(limit=10_000) if row.programme.id == g.id)
    assert home.programme == p
    assert [row.project for row in store.project_rows(g.id)] == [store.project(row.project.id)
                                                                 for row in store.project_rows(g.id)]


def test_every_read_of_overdue_uses_the_one_definition(store, tree):
    seen: list[str] = []
    store.add_milestone(project_id=tree.project.id, name="Go live", baseline="2025-01-31")
    store.conn.set_trace_callback(seen.append)
    try:
        m = store.milestones(project_id=tree.project.id)[0]
        store.milestone(m.id)
        store.search_milestones("Go")
        store.home_rows()
    finally:
        store.conn.set_trace_callback(None)
    overdue_reads = [sql for sql in seen if "overdue" in sql]
    assert len(overdue_reads) == 4
    assert all(rules.PENDING in sql and f"{rules.LATEST} <" in sql for sql in overdue_reads)


# -- rows are read by name ------------------------------------------------------------------

def _rebuild_reordered(path, table: str) -> None:
    """The table as another tool might leave it: its columns in reverse order, and one more."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        indexes = [sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,))]
        columns = [row[1] for row in info]
        declared = {row[1]: " ".join(filter(None, (
            row[2], "PRIMARY KEY" if row[5] else "", "NOT NULL" if row[3] else "",
            f"DEFAULT {row[4]}" if row[4] is not None else ""))) for row in info}
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA legacy_alter_table = ON")  # the views name the table: they see the new one
        conn.execute("BEGIN")
        conn.execute(f"CREATE TABLE {table}_new (added_by_another_tool TEXT, "
                     + ", ".join(f"{c} {declared[c]}" for c in reversed(columns)) + ")")
        listed = ", ".join(columns)
        conn.execute(f"INSERT INTO {table}_new ({listed}) SELECT {listed} FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")


@pytest.mark.parametrize("table", ["milestone", "risk", "saving", "project", "programme", "portfolio"])
def test_records_are_read_by_column_name_not_position(db_path, clock, table):
    with open_store(db_path, who="alice", clock=clock) as s:
        f = s.add_portfolio(name="Transformation", organisation="Plymouth", status_date="2025-06-30")
        g = s.add_programme(portfolio_id=f.id, code="G", name="Programme", sro="Judith")
        j = s.add_project(programme_id=g.id, reference="A/1", name="Project", lead="Sam")
        s.add_milestone(project_id=j.id, name="Go live", baseline="2025-03-31", forecast="2025-05-15",
                        status="Red")
        s.add_risk(project_id=j.id, description="Demand", likelihood=4, impact=5)
        s.add_saving(project_id=j.id, year="2025/26", amount=1_000, kind="income")

        def everything():
            return (s.portfolios(), s.home_rows(), s.project_rows(g.id), s.milestones(project_id=j.id),
                    s.risks(project_id=j.id), s.savings(project_id=j.id), s.search_milestones(),
                    s.savings_by_year(programme_id=g.id), s.savings_by_year(project_id=j.id),
                    s.history(), s.change_group_info(1)._replace(mine=None))  # mine: made by this instance

        before = everything()
    _rebuild_reordered(db_path, table)
    with open_store(db_path, who="alice", clock=clock) as s:
        assert everything() == before
        m = s.milestones(project_id=j.id)[0]
        assert s.set_milestone_status(m.id, m.version, "Green").status == "Green"  # and writes by name too
        assert s.undo() is not None
        assert [m._replace(version=1) for m in s.milestones(project_id=j.id)] == before[3]
