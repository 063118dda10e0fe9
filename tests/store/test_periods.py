"""Delivery confidence and reporting periods: set with a reason, kept when a period closes, compared after."""
import sqlite3
from contextlib import closing

import pytest

from store import DCA_DEFINITIONS, DCAS, ConflictError, ValidationError, open_store, trend
from store.periods import next_status_date
from tests.store.conftest import count, state


def _busy_portfolio(store, tree):
    """The tree with a milestone, a risk and a saving on each project, and one on the programme."""
    for j in (tree.project, tree.other_project):
        store.add_milestone(project_id=j.id, name=f"{j.name} go-live", baseline="2025-03-31", status="Amber")
        store.add_risk(project_id=j.id, description=f"{j.name} demand", likelihood=4, impact=5)
        store.add_saving(project_id=j.id, year="2025/26", amount=1000, band="Amber")
    store.add_milestone(programme_id=tree.programme.id, name="Board", status="Green")


def test_delivery_confidence_is_set_with_a_reason_and_undone_as_one_change(store, tree):
    g = tree.programme
    got = store.set_programme_dca(g.id, g.version, "Amber/Red", "funding gap")
    assert (got.dca, got.dca_reason) == ("Amber/Red", "funding gap")
    assert got.rag is None  # the RAG is kept apart: both are always held
    (change, reason_change) = sorted(store.history(item=("programme", g.id))[:2], key=lambda c: c.field)
    assert (change.field, change.old, change.new, change.reason) == ("dca", None, "Amber/Red", "funding gap")
    assert reason_change.field == "dca_reason"
    j = tree.project
    assert store.set_project_dca(j.id, j.version, "Green").dca == "Green"
    store.undo()
    assert store.project(j.id).dca is None
    store.undo()
    assert (store.programme(g.id).dca, store.programme(g.id).dca_reason) == (None, "")


def test_a_delivery_confidence_not_on_the_ipa_scale_is_refused_in_words(store, tree, db_path):
    before = state(db_path)
    with pytest.raises(ValidationError) as err:
        store.set_programme_dca(tree.programme.id, tree.programme.version, "Purple")
    assert err.value.field == "Delivery confidence"
    assert "Amber/Green" in str(err.value)
    assert state(db_path) == before


def test_every_point_of_the_scale_has_its_published_definition():
    assert tuple(DCA_DEFINITIONS) == DCAS == ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
    assert DCA_DEFINITIONS["Red"].startswith("Successful delivery of the project appears to be unachievable")


def test_a_portfolio_chooses_its_headline(store, tree):
    assert tree.portfolio.headline == "RAG"
    f = store.edit_portfolio(tree.portfolio.id, tree.portfolio.version, headline="DCA")
    assert f.headline == "DCA"
    with pytest.raises(ValidationError):
        store.edit_portfolio(f.id, f.version, headline="Both")


@pytest.mark.parametrize(("closed", "following"), [
    ("2025-03-31", "2025-04-30"), ("2025-01-31", "2025-02-28"), ("2024-01-31", "2024-02-29"),
    ("2025-01-15", "2025-02-15"), ("2025-12-31", "2026-01-31"), ("2025-04-30", "2025-05-31"),
])
def test_the_next_status_date_is_a_month_on(closed, following):
    assert next_status_date(closed) == following


def test_closing_a_period_keeps_every_item_as_it_stands_and_moves_the_status_date_on(store, tree):
    _busy_portfolio(store, tree)
    other = store.add_portfolio(name="Elsewhere", status_date="2025-06-30")
    store.add_programme(portfolio_id=other.id, code="E", name="Not this one")
    g = store.set_programme_dca(tree.programme.id, store.programme(tree.programme.id).version, "Amber")
    period = store.close_period(tree.portfolio.id, store.portfolio(tree.portfolio.id).version)
    assert (period.starts, period.ends, period.who) == (None, "2025-06-30", "alice")
    assert store.portfolio(tree.portfolio.id).status_date == "2025-07-31"
    items = store.period_items(period.id)
    # every record of the portfolio, and none of another
    expected = {("programme", g.id)} | {("project", p.id) for p in store.projects(g.id)}
    expected |= {("milestone", m.id) for m in store.milestones(programme_id=g.id)}
    for p in store.projects(g.id):
        expected |= {("milestone", m.id) for m in store.milestones(project_id=p.id)}
        expected |= {("risk", k.id) for k in store.risks(project_id=p.id)}
        expected |= {("saving", s.id) for s in store.savings(project_id=p.id)}
    assert set(items) == expected
    # each as the screens showed it then
    assert (items["programme", g.id].rag, items["programme", g.id].dca) == (g.rolled_rag, "Amber")
    for p in store.projects(g.id):
        assert items["project", p.id].rag == p.rolled_rag == "Amber"
        for k in store.risks(project_id=p.id):
            assert (items["risk", k.id].score, items["risk", k.id].rag) == (20, "Red") == (k.score, k.rag)
        for s in store.savings(project_id=p.id):
            assert (items["saving", s.id].amount, items["saving", s.id].rag) == (1000, "Amber")
        for m in store.milestones(project_id=p.id):
            kept = items["milestone", m.id]
            assert (kept.rag, kept.baseline) == ("Amber", "2025-03-31")


def test_the_next_period_starts_where_the_last_ended_and_compares_against_it(store, tree):
    f = tree.portfolio
    first = store.close_period(f.id, f.version)
    j = store.project(tree.project.id)
    store.set_project_rag(j.id, j.version, "Red", "supplier failed")
    second = store.close_period(f.id, store.portfolio(f.id).version, "30/09/2025")
    assert (second.starts, second.ends) == (first.ends, "2025-07-31") == ("2025-06-30", "2025-07-31")
    assert store.portfolio(f.id).status_date == "2025-09-30"
    assert [p.id for p in store.periods(f.id)] == [first.id, second.id]
    assert store.last_period(f.id) == second
    j = store.project(j.id)
    store.set_project_rag(j.id, j.version, "Green", "recovered")
    was = store.previous("project", [j.id, tree.other_project.id, 10**30])
    assert was[j.id].rag == "Red"  # the last period's, not the first's
    assert trend(was[j.id].rag, store.project(j.id).rolled_rag) == "up"
    new = store.add_project(programme_id=tree.programme.id, name="Added since")
    assert new.id not in store.previous("project", [new.id])


def test_a_next_status_date_not_after_the_one_closed_is_refused_and_nothing_is_kept(store, tree, db_path):
    f = tree.portfolio
    for bad in ("2025-06-30", "01/01/2025", "not a date"):
        with pytest.raises(ValidationError) as err:
            store.close_period(f.id, f.version, bad)
        assert err.value.field == "Next status date"
    assert store.periods() == []
    assert count(db_path, "period_item") == 0
    assert store.portfolio(f.id).status_date == "2025-06-30"


def test_closing_from_a_stale_read_is_a_conflict(store, tree, db_path):
    f = tree.portfolio
    store.set_status_date(f.id, f.version, "2025-07-15")
    with pytest.raises(ConflictError):
        store.close_period(f.id, f.version)
    assert count(db_path, "period") == 0


def test_closed_periods_cannot_be_altered(store, tree, db_path):
    store.close_period(tree.portfolio.id, tree.portfolio.version)
    with closing(sqlite3.connect(db_path)) as conn:
        for sql in ("UPDATE period SET ends = '2020-01-01'", "DELETE FROM period",
                    "UPDATE period_item SET rag = 'Green'", "DELETE FROM period_item"):
            with pytest.raises(sqlite3.IntegrityError, match="cannot be altered"):
                conn.execute(sql)


def test_changes_since_the_last_period_are_those_a_board_hears_about(store, tree):
    _busy_portfolio(store, tree)
    f = tree.portfolio
    store.close_period(f.id, f.version)
    (m,) = [m for m in store.milestones(project_id=tree.project.id)]
    m = store.set_milestone_status(m.id, m.version, "Red", "contractor late")
    store.edit_milestone(m.id, m.version, notes="a note is not reported")
    other = store.project(tree.other_project.id)
    store.set_project_dca(other.id, other.version, "Amber/Red", "scope grew")
    undone = store.set_project_rag(other.id, store.project(other.id).version, "Green")
    store.undo()
    got = store.changes_since(f.id)
    assert [(c.item_label, c.field, c.new, c.reason) for c in got if c.field != "dca_reason"] == [
        ("Fostering", "dca", "Amber/Red", "scope grew"),
        (m.name, "status", "Red", "contractor late"),
    ]
    assert all(c.who == "alice" for c in got)
    assert undone.rag == "Green" and all(c.field != "rag" for c in got)
    assert [c.item_label for c in store.changes_since(f.id, project_id=tree.project.id)] == [m.name]


def test_with_no_period_closed_changes_count_from_the_start_but_not_what_was_loaded(store):
    loaded = store.import_portfolio({"name": "Loaded", "status_date": "2025-06-30",
                                     "programme": [{"code": "L", "name": "Loaded programme"}]})
    assert store.changes_since(loaded) == []
    (g,) = [row.programme for row in store.home_rows()]
    store.set_programme_rag(g.id, g.version, "Red", "why")
    assert [c.field for c in store.changes_since(loaded)] == ["rag"]


def test_trend_compares_on_one_scale():
    assert trend("Red", "Amber") == "up"
    assert trend("Green", "Red") == "down"
    assert trend("Green", "Complete") == "up"
    assert trend("Amber", "Amber") == "same"
    assert trend(None, "Red") is None and trend("Red", None) is None
    assert trend("Amber/Green", "Amber", dca=True) == "down"
    assert trend("Amber/Red", "Amber/Green", dca=True) == "up"
    assert trend("Amber/Green", "Amber") is None  # not a RAG


def test_an_older_file_gains_confidence_and_periods_when_opened(db_path):
    from store.schema import STEPS, apply_steps

    with closing(sqlite3.connect(db_path)) as conn:
        apply_steps(conn, 0, 6)
        conn.commit()
        conn.execute("INSERT INTO portfolio (name, status_date) VALUES ('Old', '2025-03-31')")
        conn.commit()
    assert 7 in STEPS
    with open_store(db_path) as s:
        (f,) = s.portfolios()
        assert f.headline == "RAG"
        assert s.close_period(f.id, f.version).ends == "2025-03-31"


def test_the_status_date_a_close_moves_to_is_the_users_not_inferred(store):
    store.import_portfolio({"name": "Loaded", "status_date": "2014-03-31",
                            "inferred": {"status_date": "no date printed"},
                            "programme": [{"code": "L", "name": "Loaded programme"}]})
    (loaded,) = [p for p in store.portfolios() if p.name == "Loaded"]
    assert "status_date" in loaded.inferred
    store.close_period(loaded.id, loaded.version)
    assert "status_date" not in store.portfolio(loaded.id).inferred
    store.undo()  # the close's status date undone: the inferred one, and its mark, come back
    assert store.portfolio(loaded.id).status_date == "2014-03-31"
    assert "status_date" in store.portfolio(loaded.id).inferred
