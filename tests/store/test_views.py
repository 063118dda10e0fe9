"""The views in the file (schema step 5) show what the screens show: each is checked against the
store's reads, on the demo portfolios and on a synthetic one, through a connection of its own,
read-only, as someone opening the file in sqlite3 or Datasette would."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from bench.synth import synthesise
from seed.loader import write_demo_file
from store import open_store

VIEWS = ("programme_summary", "project_summary", "milestone_status", "risk_scored", "savings_by_year")


@pytest.fixture(scope="module", params=["demo", "synthetic"])
def board(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / f"{request.param}.db"
    if request.param == "demo":
        write_demo_file(path)
    else:
        with open_store(path) as s:
            synthesise(s, 60)
    with open_store(path, read_only=True) as store:
        yield store, path


def _rows(path, sql: str) -> list[dict]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql)]


def test_the_file_holds_the_views(board):
    _, path = board
    names = {row["name"] for row in _rows(path, "SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert names == set(VIEWS)


def test_programme_summary_is_the_home_screen(board):
    store, path = board
    home = store.home_rows(limit=100_000)
    assert home  # the data has programmes to compare
    shown = {row["id"]: row for row in _rows(path, "SELECT * FROM programme_summary")}
    assert set(shown) == {r.programme.id for r in home}
    for r in home:
        p = r.programme
        v = shown[p.id]
        assert (v["portfolio"], v["code"], v["name"], v["sro"]) == (r.portfolio_name, p.code, p.name, p.sro)
        assert (v["rag"], v["derived_rag"], v["rolled_rag"]) == (p.rag, p.derived_rag, p.rolled_rag)
        assert (v["projects"], v["red_milestones"], v["overdue_milestones"], v["high_risks"]) == (
            r.projects, r.red_milestones, r.overdue_milestones, r.high_risks)
        assert (v["financial_year"], v["savings_gross"], v["savings_cost"], v["savings_net"]) == (
            r.financial_year, r.savings_gross, r.savings_cost, r.savings_net)
    # and the figures are not all zero: the comparison says something
    assert any(r.projects for r in home) and any(r.savings_gross or r.savings_cost for r in home)


def test_project_summary_is_each_programmes_project_list(board):
    store, path = board
    shown = {row["id"]: row for row in _rows(path, "SELECT * FROM project_summary")}
    seen = 0
    for r in store.home_rows(limit=100_000):
        for row in store.project_rows(r.programme.id):
            j = row.project
            v = shown[j.id]
            seen += 1
            assert (v["portfolio"], v["programme_code"], v["programme_id"]) == (
                r.portfolio_name, r.programme.code, r.programme.id)
            assert (v["reference"], v["name"], v["stage"]) == (j.reference, j.name, j.stage)
            assert v["lead"] == j.lead
            assert (v["rag"], v["derived_rag"], v["rolled_rag"]) == (j.rag, j.derived_rag, j.rolled_rag)
            assert (v["next_milestone"], v["next_date"], v["open_risks"]) == (
                row.next_milestone, row.next_due, row.open_risks)
            assert (v["financial_year"], v["savings_gross"], v["savings_cost"], v["savings_net"]) == (
                row.financial_year, row.savings_gross, row.savings_cost, row.savings_net)
            assert (v["red_milestones"], v["overdue_milestones"], v["high_risks"]) == (
                row.red_milestones, row.overdue_milestones, row.high_risks)
            milestones = store.milestones(project_id=j.id)
            assert row.red_milestones == sum(m.status == "Red" for m in milestones)
            assert row.overdue_milestones == sum(m.overdue for m in milestones)
            risks = store.risks(project_id=j.id)
            assert row.high_risks == sum(k.status == "Open" and k.rag == "Red" for k in risks)
    assert seen == len(shown) > 0


def _milestone(m, owner: str) -> tuple:
    return (m.project_id, m.programme_id, owner, m.name, m.due_text, m.baseline, m.forecast, m.actual,
            m.expected, m.status, int(m.overdue), m.slippage_days)


def test_milestone_status_is_the_milestone_lists(board):
    store, path = board
    shown = {row["id"]: (row["project_id"], row["programme_id"], row["owner"], row["name"], row["due_text"],
                         row["baseline"], row["forecast"], row["actual"], row["expected"], row["status"],
                         row["overdue"], row["slippage_days"])
             for row in _rows(path, "SELECT * FROM milestone_status")}
    found = store.search_milestones(limit=1_000_000)
    assert {m.id: _milestone(m, owner) for m, owner in found} == shown
    # the lists on the project and programme screens too
    for r in store.home_rows(limit=100_000)[:5]:
        for m in store.milestones(programme_id=r.programme.id):
            assert _milestone(m, r.programme.name) == shown[m.id]
        for row in store.project_rows(r.programme.id):
            for m in store.milestones(project_id=row.project.id):
                assert _milestone(m, row.project.name) == shown[m.id]
    assert any(v[10] for v in shown.values()) or path.name == "demo.db"  # some overdue in the synthetic one


def test_risk_scored_is_the_risk_registers(board):
    store, path = board
    shown = {row["id"]: row for row in _rows(path, "SELECT * FROM risk_scored")}
    seen = 0
    for r in store.home_rows(limit=100_000):
        owners = [{"programme_id": r.programme.id}] + [{"project_id": row.project.id}
                                                       for row in store.project_rows(r.programme.id)]
        high = 0
        for owner in owners:
            for k in store.risks(**owner):
                v = shown[k.id]
                seen += 1
                assert (v["score"], v["rag"], v["residual_score"], v["residual_rag"]) == (
                    k.score, k.rag, k.residual_score, k.residual_rag)
                assert v["high"] == int(k.status == "Open" and k.rag == "Red")
                high += v["high"]
        assert high == r.high_risks  # what home counts
    assert seen == len(shown) > 0


def test_savings_by_year_is_the_stores(board):
    store, path = board
    shown: dict[tuple, list[tuple]] = {}
    for row in _rows(path, "SELECT * FROM savings_by_year ORDER BY year"):
        key = (row["programme_id"], row["project_id"])
        shown.setdefault(key, []).append((row["year"], row["gross"], row["cost"], row["net"]))
    expected = {}
    for r in store.home_rows(limit=100_000):
        g = r.programme.id
        if years := store.savings_by_year(programme_id=g):
            expected[(g, None)] = [tuple(y) for y in years]
        mine = {y.year: y for y in years}
        if r.financial_year in mine:  # home's figures are its row for the status date's year
            y = mine[r.financial_year]
            assert (r.savings_gross, r.savings_cost, r.savings_net) == (y.gross, y.cost, y.net)
        for row in store.project_rows(g):
            if years := store.savings_by_year(project_id=row.project.id):
                expected[(g, row.project.id)] = [tuple(y) for y in years]
    assert shown == expected and expected
