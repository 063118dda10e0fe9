"""Reads and the values the store derives: score and RAG, slippage, overdue, roll-up, home figures."""
from __future__ import annotations

import pytest

from store import NotFoundError, open_store
from store.rag import risk_rag

# -- risk score and RAG ---------------------------------------------------------------------

@pytest.mark.parametrize("likelihood, impact, score, rag", [
    (1, 1, 1, "Green"), (2, 3, 6, "Green"), (2, 4, 8, "Amber"), (3, 3, 9, "Amber"),
    (4, 4, 16, "Amber"), (3, 5, 15, "Amber"), (4, 5, 20, "Red"), (5, 5, 25, "Red"),
])
def test_risk_score_and_default_matrix(store, tree, likelihood, impact, score, rag):
    risk = store.add_risk(project_id=tree.project.id, description="Demand rises",
                          likelihood=likelihood, impact=impact)
    assert (risk.score, risk.rag) == (score, rag)
    assert (store.risk(risk.id).score, store.risk(risk.id).rag) == (score, rag)
    assert [(r.score, r.rag) for r in store.risks(project_id=tree.project.id)] == [(score, rag)]


def test_every_score_of_the_default_matrix():
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            s = likelihood * impact
            expected = "Green" if s <= 6 else "Red" if s >= 20 else "Amber"
            assert risk_rag(s, 6, 20) == expected


def test_residual_score_and_unrated_risk(store, tree):
    risk = store.add_risk(project_id=tree.project.id, description="Staff leave", likelihood=5, impact=4,
                          residual_likelihood=2, residual_impact=2)
    assert (risk.score, risk.rag, risk.residual_score, risk.residual_rag) == (20, "Red", 4, "Green")
    unrated = store.add_risk(project_id=tree.project.id, description="Unscored")
    assert (unrated.score, unrated.rag, unrated.residual_score, unrated.residual_rag) == (None, None, None,
        None)


def test_portfolio_thresholds_change_the_rag(store, tree):
    risk = store.add_risk(project_id=tree.project.id, description="Demand", likelihood=3, impact=3)
    assert risk.rag == "Amber"
    f = store.set_risk_thresholds(tree.portfolio.id, tree.portfolio.version, 9, 12)
    assert (f.green_max, f.red_min) == (9, 12)
    assert store.risk(risk.id).rag == "Green"
    r2 = store.edit_risk(risk.id, risk.version, likelihood=3, impact=4)
    assert (r2.score, r2.rag) == (12, "Red")
    r3 = store.edit_risk(r2.id, r2.version, likelihood=2, impact=5)
    assert (r3.score, r3.rag) == (10, "Amber")
    # another portfolio keeps the default matrix
    f2 = store.add_portfolio(name="Other", status_date="2025-06-30")
    g2 = store.add_programme(portfolio_id=f2.id, code="O", name="Other programme")
    other = store.add_risk(programme_id=g2.id, description="x", likelihood=2, impact=5)
    assert other.rag == "Amber"
    assert store.risks(programme_id=g2.id)[0].rag == "Amber"


# -- milestones: slippage and overdue -------------------------------------------------------


def test_slippage_in_days(store, tree):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", baseline="2025-03-31")
    assert (m.baseline, m.expected, m.slippage_days) == ("2025-03-31", "2025-03-31", None)
    m = store.edit_milestone(m.id, m.version, forecast="2025-05-15")
    assert (m.slippage_days, m.expected) == (45, "2025-05-15")
    m = store.edit_milestone(m.id, m.version, actual="2025-03-21")
    assert (m.slippage_days, m.expected) == (-10, "2025-03-21")  # actual wins over forecast
    m = store.edit_milestone(m.id, m.version, baseline="2024-12-31", actual=None, forecast="2025-01-01")
    assert m.slippage_days == 1


def test_overdue_uses_the_status_date_not_the_clock(store, tree):
    # Status date is 30 Jun 2025; these dates are all long past on the wall clock.
    j = tree.project.id
    before = store.add_milestone(project_id=j, name="before", baseline="2025-06-29")
    on_day = store.add_milestone(project_id=j, name="on the day", baseline="2025-06-30")
    after = store.add_milestone(project_id=j, name="after", baseline="2025-07-01")
    done = store.add_milestone(project_id=j, name="done", baseline="2025-01-01", status="Complete")
    actual = store.add_milestone(project_id=j, name="has actual", baseline="2025-01-01", actual="2025-02-01")
    moved = store.add_milestone(project_id=j, name="forecast moved", baseline="2025-01-01",
                                forecast="2025-08-01")
    undated = store.add_milestone(project_id=j, name="no date", due_text="Q4 2014")
    got = {m.name: m.overdue for m in store.milestones(project_id=j)}
    assert got == {"before": True, "on the day": False, "after": False, "done": False, "has actual": False,
        "forecast moved": False, "no date": False}
    assert store.milestone(before.id).overdue and not store.milestone(after.id).overdue
    assert not any(store.milestone(x.id).overdue for x in (on_day, done, actual, moved, undated))
    # moving the status date moves "overdue", nothing else
    store.set_status_date(tree.portfolio.id, tree.portfolio.version, "01/08/2025")
    got = {m.name: m.overdue for m in store.milestones(project_id=j)}
    assert got == {"before": True, "on the day": True, "after": True, "done": False, "has actual": False,
        "forecast moved": False, "no date": False}


# -- roll-up --------------------------------------------------------------------------------


def test_project_rollup_from_open_milestones(store, tree):
    j = tree.project.id
    assert store.project(j).rolled_rag is None and store.project(j).rag_is_derived
    store.add_milestone(project_id=j, name="a", status="Green")
    assert store.project(j).rolled_rag == "Green"
    amber = store.add_milestone(project_id=j, name="b", status="Amber")
    store.add_milestone(project_id=j, name="c", status="Not rated")
    assert store.project(j).rolled_rag == "Amber"
    red = store.set_milestone_status(amber.id, amber.version, "Red")
    assert store.project(j).rolled_rag == "Red"
    store.set_milestone_status(red.id, red.version, "Complete")  # complete: no longer open
    p = store.project(j)
    assert (p.rolled_rag, p.rag_is_derived, p.rag) == ("Green", True, None)


def test_hand_set_rag_wins_and_can_be_cleared(store, tree):
    j = tree.project
    store.add_milestone(project_id=j.id, name="a", status="Red")
    p = store.set_project_rag(j.id, j.version, "Green", "Recovery plan agreed")
    assert (p.rag, p.rolled_rag, p.rag_is_derived, p.rag_reason) == ("Green", "Green", False,
        "Recovery plan agreed")
    p = store.set_project_rag(p.id, p.version, None)
    assert (p.rag, p.rolled_rag, p.rag_is_derived) == (None, "Red", True)


def test_programme_rollup_from_projects_and_its_own_milestones(store, tree):
    g = tree.programme.id
    assert store.programme(g).rolled_rag is None
    store.add_milestone(project_id=tree.project.id, name="a", status="Green")
    assert store.programme(g).rolled_rag == "Green"
    # a hand-set project RAG counts in the programme's roll-up
    other = store.set_project_rag(tree.other_project.id, tree.other_project.version, "Amber")
    assert store.programme(g).rolled_rag == "Amber"
    own = store.add_milestone(programme_id=g, name="Board approval", status="Red")
    prog = store.programme(g)
    assert (prog.rolled_rag, prog.rag_is_derived) == ("Red", True)
    store.set_milestone_status(own.id, own.version, "Complete")
    assert store.programme(g).rolled_rag == "Amber"
    store.set_project_rag(other.id, other.version, None)
    assert store.programme(g).rolled_rag == "Green"
    prog = store.set_programme_rag(g, store.programme(g).version, "Red", "Funding gap")
    assert (prog.rag, prog.rolled_rag, prog.rag_is_derived) == ("Red", "Red", False)
    assert store.home_rows()[0].programme.rolled_rag == "Red"
    prog = store.set_programme_rag(g, prog.version, None)
    assert (prog.rolled_rag, prog.rag_is_derived) == ("Green", True)


# -- home and project rows ------------------------------------------------------------------


def test_home_figures(store, tree):
    j, k, g = tree.project.id, tree.other_project.id, tree.programme.id
    # red milestones: project and programme level; overdue: before 30 Jun 2025 and not done
    store.add_milestone(project_id=j, name="r1", status="Red", baseline="2025-09-01")
    store.add_milestone(programme_id=g, name="r2", status="Red", baseline="2025-06-01")  # red and overdue
    store.add_milestone(project_id=k, name="late", status="Amber", baseline="2025-05-01")
    store.add_milestone(project_id=k, name="done", status="Complete", baseline="2025-05-01")
    # high risks: open, in the portfolio's Red band (the default matrix: 20 or more)
    store.add_risk(project_id=j, description="a", likelihood=3, impact=5)  # 15: Amber
    store.add_risk(programme_id=g, description="b", likelihood=5, impact=5)  # 25: Red
    store.add_risk(project_id=k, description="c", likelihood=2, impact=7 // 2 + 2)  # 10: Amber
    closed = store.add_risk(project_id=k, description="d", likelihood=4, impact=4)
    store.close_risk(closed.id, closed.version)
    store.add_risk(project_id=k, description="unscored")
    # savings in FY 2025/26 (status date 30 Jun 2025); costs and other years left out
    store.add_saving(project_id=j, year="2025/26", amount=100_000)
    store.add_saving(project_id=k, year="2025/26", amount=50_000, kind="income")
    store.add_saving(programme_id=g, year="2025/26", amount=25_000, kind="cost avoidance")
    store.add_saving(project_id=j, year="2025/26", amount=999, kind="cost")
    store.add_saving(project_id=j, year="2024/25", amount=7_000)
    store.add_saving(project_id=j, year="2026/27", amount=3_000)
    (row,) = store.home_rows()
    assert row.programme.id == g and row.portfolio_name == "Transformation"
    assert (row.projects, row.red_milestones, row.overdue_milestones, row.high_risks) == (2, 2, 2, 1)
    assert (row.savings_gross, row.savings_cost, row.savings_net, row.financial_year) == (
        175_000, 999, 174_001, "2025/26")
    # the portfolio's own matrix moves the Red band, and the count with it
    f = store.set_risk_thresholds(tree.portfolio.id, tree.portfolio.version, 6, 15)
    (row,) = store.home_rows()
    assert row.high_risks == 2  # 15 and 25; 10 is still Amber, 16 is closed
    # the financial year follows the status date: 31 Mar 2025 is in 2024/25
    store.set_status_date(f.id, f.version, "31 Mar 2025")
    (row,) = store.home_rows()
    assert (row.financial_year, row.savings_gross, row.savings_net, row.overdue_milestones) == (
        "2024/25", 7_000, 7_000, 0)


def test_home_rows_order_and_paging(store, tree):
    f2 = store.add_portfolio(name="Second", status_date="2025-06-30")
    store.add_programme(portfolio_id=f2.id, code="Z", name="Zed")
    store.add_programme(portfolio_id=tree.portfolio.id, code="B", name="Bee")
    codes = [r.programme.code for r in store.home_rows()]
    assert codes == ["CCYPS", "B", "Z"]
    assert [r.programme.code for r in store.home_rows(offset=1, limit=1)] == ["B"]
    assert store.programme_count() == 3
    assert [r.portfolio_name for r in store.home_rows()] == ["Transformation", "Transformation", "Second"]


def test_project_rows(store, tree):
    j = tree.project.id
    store.add_milestone(project_id=j, name="later", baseline="2025-12-01")
    store.add_milestone(project_id=j, name="sooner", baseline="2025-08-01")
    store.add_milestone(project_id=j, name="done", baseline="2025-01-01", status="Complete")
    store.add_milestone(project_id=j, name="undated", due_text="Spring 2026")
    store.add_risk(project_id=j, description="open one")
    closed = store.add_risk(project_id=j, description="closed one")
    store.close_risk(closed.id, closed.version)
    store.add_saving(project_id=j, year="2025/26", amount=10)
    store.add_saving(project_id=j, year="2025/26", amount=5, kind="cost")
    store.add_milestone(project_id=tree.other_project.id, name="only", due_text="Spring 2026")
    rows = store.project_rows(tree.programme.id)
    assert [r.project.id for r in rows] == [j, tree.other_project.id]
    first, second = rows
    assert (first.next_milestone, first.next_due, first.open_risks) == ("sooner", "2025-08-01", 1)
    assert (first.savings_gross, first.savings_cost, first.savings_net, first.financial_year) == (
        10, 5, 5, "2025/26")
    assert (second.next_milestone, second.next_due, second.open_risks) == ("only", "Spring 2026", 0)
    assert (second.savings_gross, second.savings_cost, second.savings_net) == (0, 0, 0)
    # red and overdue milestones and high risks, as home counts them for a programme
    assert (first.red_milestones, first.overdue_milestones, first.high_risks) == (0, 0, 0)
    store.add_milestone(project_id=j, name="late red", status="Red", baseline="2025-05-01")
    store.add_risk(project_id=j, description="high", likelihood=5, impact=4)
    first = store.project_rows(tree.programme.id)[0]
    assert (first.red_milestones, first.overdue_milestones, first.high_risks) == (1, 1, 1)
    (home,) = store.home_rows()
    assert (home.red_milestones, home.overdue_milestones, home.high_risks) == (1, 1, 1)
    assert [p.id for p in store.projects(tree.programme.id)] == [j, tree.other_project.id]


def test_lists_keep_their_order_and_owner(store, tree):
    j, k, g = tree.project.id, tree.other_project.id, tree.programme.id
    for name in ("one", "two", "three"):
        store.add_milestone(project_id=j, name=name)
    store.add_milestone(project_id=k, name="elsewhere")
    store.add_milestone(programme_id=g, name="programme's own")
    assert [m.name for m in store.milestones(project_id=j)] == ["one", "two", "three"]
    assert [m.name for m in store.milestones(programme_id=g)] == ["programme's own"]
    store.add_saving(project_id=j, year="2026/27", amount=1)
    store.add_saving(project_id=j, year="2025/26", amount=2)
    assert [s.year for s in store.savings(project_id=j)] == ["2025/26", "2026/27"]
    assert store.savings(project_id=k) == []
    store.add_risk(project_id=k, description="x")
    assert store.risks(project_id=j) == [] and len(store.risks(project_id=k)) == 1


def test_single_record_reads_and_missing_ones(store, tree):
    assert store.portfolio(tree.portfolio.id).name == "Transformation"
    assert store.portfolios()[0].status_date == "2025-06-30"
    assert store.portfolio_of(project_id=tree.project.id).id == tree.portfolio.id
    assert store.portfolio_of(programme_id=tree.programme.id).id == tree.portfolio.id
    for read in (store.milestone, store.risk, store.saving, store.project, store.programme, store.portfolio):
        with pytest.raises(NotFoundError):
            read(9999)


# -- history and search -----------------------------------------------------------------------


def test_history_filters_and_order(store, tree):
    j = tree.project.id
    m = store.add_milestone(project_id=j, name="Go live", status="Green")
    m = store.set_milestone_status(m.id, m.version, "Red", "Supplier late")
    store.add_risk(project_id=tree.other_project.id, description="Elsewhere")
    store.add_milestone(programme_id=tree.programme.id, name="Board")
    item = store.history(item=("milestone", m.id))
    assert [(c.op, c.field, c.old, c.new, c.reason) for c in item] == [
        ("update", "status", "Green", "Red", "Supplier late"),
        ("create", "", None, item[1].new, ""),
    ]
    assert item[1].new["name"] == "Go live"
    assert {c.item_label for c in store.history(project_id=j)} == {"Go live", "Early Help"}
    assert all(c.item_kind != "risk" for c in store.history(project_id=j))
    assert "Board" in {c.item_label for c in store.history(programme_id=tree.programme.id)}
    everything = store.history()
    assert [c.id for c in everything] == sorted((c.id for c in everything), reverse=True)
    assert len(store.history(limit=2)) == 2
    assert store.last_change("milestone", m.id).new == "Red"
    assert store.last_change("milestone", 9999) is None


def test_search(store, tree):
    hits = store.search("early")
    assert [(h.kind, h.id, h.programme_id) for h in hits] == [("project", tree.project.id, tree.programme.id)]
    assert "A/R.6.253" in hits[0].label
    assert [h.kind for h in store.search("ccyps")] == ["programme"]
    assert [h.id for h in store.search("A/R.6")] == [tree.project.id]
    assert store.search("100%") == [] and store.search("E_8") == []  # LIKE wildcards are literal
    assert [h.id for h in store.search("E_0")] == [tree.other_project.id]
    store.add_project(programme_id=tree.programme.id, name="Cut 100% of paper")
    assert [h.label for h in store.search("100%")] == ["Cut 100% of paper"]
    assert len(store.search("", limit=2)) == 2


def test_search_milestones(store, tree):
    store.add_milestone(project_id=tree.project.id, name="Go live", baseline="2025-01-01")
    store.add_milestone(programme_id=tree.programme.id, name="Board", notes="go-live review")
    store.add_milestone(project_id=tree.other_project.id, name="Panel")
    found = store.search_milestones("go")
    assert [(m.name, where) for m, where in found] == [("Go live", "Early Help")]  # not the Board's notes
    assert [m.name for m, _ in store.search_milestones("board")] == ["Board"]
    assert found[0][0].overdue  # derived values come with it
    assert store.search_milestones("nothing like it") == []


def test_is_empty_and_reopen_reads_the_same(db_path, store, tree):
    assert not store.is_empty()
    store.add_milestone(project_id=tree.project.id, name="Go live", status="Amber")
    before = (store.home_rows(), store.project_rows(tree.programme.id),
        store.milestones(project_id=tree.project.id))
    store.close()
    with open_store(db_path) as again:
        after = (again.home_rows(), again.project_rows(tree.programme.id),
            again.milestones(project_id=tree.project.id))
    assert before == after
