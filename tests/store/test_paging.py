"""Filtered, sorted and paged reads behind the virtualised lists: home and all milestones."""
from __future__ import annotations

import pytest

from store import HOME_SORTS, MILESTONE_FILTERS, MILESTONE_SORTS, QUICK_FILTERS, open_store
from store.store import open_store_checking_later


def _portfolio(store, name, codes):
    f = store.add_portfolio(name=name, status_date="2025-06-30")
    return [
        store.add_programme(portfolio_id=f.id, code=c, name=f"{c} programme", sro="Ann Lee") for c in codes
    ]


def test_home_filter_runs_in_the_query(store):
    _portfolio(store, "Plymouth", ["CCO", "CST", "GAME"])
    _portfolio(store, "Haringey", ["H54"])
    assert store.programme_count() == 4
    assert [r.programme.code for r in store.home_rows(text="cst")] == ["CST"]
    assert store.programme_count("cst") == 1
    # Portfolio names and SROs match too; LIKE's wildcards are taken literally.
    assert [r.programme.code for r in store.home_rows(text="Haringey")] == ["H54"]
    assert store.programme_count("ann lee") == 4
    assert store.programme_count("%") == 0 and store.programme_count("_") == 0
    assert [r.programme.code for r in store.home_rows(offset=1, limit=2)] == ["CST", "GAME"]


def test_portfolio_programme_counts(store):
    _portfolio(store, "Plymouth", ["CCO", "CST"])
    _portfolio(store, "Empty", [])
    assert [(p.name, n) for p, n in store.portfolio_programme_counts()] == [("Plymouth", 2), ("Empty", 0)]


def test_milestones_across_portfolios_page_and_filter(store):
    (cco,) = _portfolio(store, "Plymouth", ["CCO"])
    (h54,) = _portfolio(store, "Haringey", ["H54"])
    project = store.add_project(programme_id=h54.id, name="Phase 3")
    for i in range(5):
        store.add_milestone(programme_id=cco.id, name=f"Review {i}", baseline="2025-01-31")
    store.add_milestone(project_id=project.id, name="Gateway 2", notes="review by board")
    assert store.milestone_count() == 6
    assert store.milestone_count("review") == 5  # the names: never the notes, which the list does not show
    assert store.milestone_count("gateway") == 1
    page = store.search_milestones("review", limit=2, offset=3)
    assert [(m.name, where) for m, where in page] == [("Review 3", "CCO programme"),
                                                      ("Review 4", "CCO programme")]
    assert [(m.name, where) for m, where in store.search_milestones("phase 3")] == [("Gateway 2", "Phase 3")]
    # Derived values use each milestone's own portfolio status date.
    first, _ = store.search_milestones("Review 0")[0]
    assert first.overdue is True


def test_home_savings_year_follows_each_portfolios_status_date(store):
    for status_date, year in (
        ("2025-01-15", "2024/25"),
        ("2025-04-01", "2025/26"),
        ("2000-03-31", "1999/00"),
    ):
        f = store.add_portfolio(name=f"P {status_date}", status_date=status_date)
        g = store.add_programme(portfolio_id=f.id, code="G", name="G")
        store.add_saving(programme_id=g.id, year=year, amount=100, kind="saving")
        store.add_saving(programme_id=g.id, year=year, amount=40, kind="cost")  # a cost: net = gross - cost
        store.add_saving(programme_id=g.id, year="2030/31", amount=999, kind="saving")
    rows = store.home_rows()
    assert [(r.financial_year, r.savings_gross, r.savings_cost, r.savings_net) for r in rows] == [
        ("2024/25", 100, 40, 60),
        ("2025/26", 100, 40, 60),
        ("1999/00", 100, 40, 60),
    ]


# -- sorted and narrowed pages ------------------------------------------------------------------


def _home_board(store):
    """Two portfolios; programmes whose figures differ, and two (B2, C1) whose figures tie with others."""
    f = store.add_portfolio(name="Zeta council", status_date="2025-06-30")
    h = store.add_portfolio(name="Alpha council", status_date="2025-06-30")
    made = {}
    for portfolio, code, name, sro in ((f, "C1", "charlie", "Sam"), (f, "A1", "Alpha", "bea"),
                                       (f, "B2", "Bravo", "Ann"), (h, "D1", "delta", "Zoe")):
        made[code] = store.add_programme(portfolio_id=portfolio.id, code=code, name=name, sro=sro)
    g = made
    j = store.add_project(programme_id=g["A1"].id, name="A project")
    store.add_project(programme_id=g["A1"].id, name="Another")
    store.add_milestone(project_id=j.id, name="red late", status="Red", baseline="2025-01-31")
    store.add_milestone(project_id=j.id, name="red too", status="Red", baseline="2025-09-30")
    store.add_milestone(programme_id=g["B2"].id, name="amber", status="Amber", baseline="2025-03-31")
    store.add_milestone(programme_id=g["D1"].id, name="green", status="Green", baseline="2026-01-31")
    store.add_risk(programme_id=g["D1"].id, description="high", likelihood=5, impact=5)
    store.add_saving(programme_id=g["C1"].id, year="2025/26", amount=500)
    store.add_saving(programme_id=g["D1"].id, year="2025/26", amount=100)
    store.add_saving(programme_id=g["D1"].id, year="2025/26", amount=300, kind="cost")
    # C1's RAG is set by hand: Red, over a roll-up of nothing
    store.set_programme_rag(g["C1"].id, g["C1"].version, "Red")
    return g


def _codes(rows):
    return [r.programme.code for r in rows]


USUAL = ["C1", "A1", "B2", "D1"]  # by portfolio (as added), then position


@pytest.mark.parametrize("sort, ascending", [
    (None, USUAL),
    ("portfolio", ["D1", "C1", "A1", "B2"]),  # Alpha council first; ties in the usual order
    ("code", ["A1", "B2", "C1", "D1"]),
    ("name", ["A1", "B2", "C1", "D1"]),  # case does not count
    ("sro", ["B2", "A1", "C1", "D1"]),
    ("rag", ["C1", "A1", "B2", "D1"]),  # worst first: Red (hand), Red, Amber, Green
    ("projects", ["C1", "B2", "D1", "A1"]),
    ("red", ["C1", "B2", "D1", "A1"]),
    ("overdue", ["C1", "D1", "A1", "B2"]),
    ("high_risks", ["C1", "A1", "B2", "D1"]),
    ("savings", ["D1", "A1", "B2", "C1"]),  # net: -200, 0, 0, 500
])
def test_home_sorts_in_the_query(store, sort, ascending):
    _home_board(store)
    assert _codes(store.home_rows(sort=sort)) == ascending
    assert sorted(_codes(store.home_rows(sort=sort, descending=True))) == sorted(ascending)
    # a page of the sorted list is that part of it
    assert _codes(store.home_rows(offset=1, limit=2, sort=sort)) == ascending[1:3]


def test_home_descending_reverses_the_sort_but_not_the_ties(store):
    _home_board(store)
    assert _codes(store.home_rows(descending=True)) == USUAL  # no sort: nothing to reverse
    assert _codes(store.home_rows(sort="red", descending=True)) == ["A1", "C1", "B2", "D1"]
    assert _codes(store.home_rows(sort="rag", descending=True)) == ["D1", "B2", "C1", "A1"]
    assert _codes(store.home_rows(sort="savings", descending=True)) == ["C1", "A1", "B2", "D1"]
    assert _codes(store.home_rows(sort="code", descending=True)) == ["D1", "C1", "B2", "A1"]


@pytest.mark.parametrize("only, codes", [
    ("red", ["C1", "A1"]),  # the RAG shown: C1's set by hand, A1's derived
    ("amber", ["B2"]),
    ("overdue", ["A1", "B2"]),
    ("high_risks", ["D1"]),
])
def test_home_quick_filters(store, only, codes):
    _home_board(store)
    assert _codes(store.home_rows(only=only)) == codes
    assert store.programme_count(only=only) == len(codes)
    assert _codes(store.home_rows(only=only, sort="code", descending=True)) == sorted(codes, reverse=True)


def test_home_text_matches_every_column_shown(store):
    _home_board(store)
    assert _codes(store.home_rows(text="alpha")) == ["A1", "D1"]  # a name, and a portfolio
    assert _codes(store.home_rows(text="zoe")) == ["D1"]  # the SRO
    assert _codes(store.home_rows(text="amb")) == ["B2"]  # the RAG word
    assert _codes(store.home_rows(text="GREEN")) == ["D1"]
    assert _codes(store.home_rows(text="red")) == ["C1", "A1"]
    f = store.add_portfolio(name="Empty one", status_date="2025-06-30")
    store.add_programme(portfolio_id=f.id, code="N1", name="Nothing rated")
    assert _codes(store.home_rows(text="not rated")) == ["N1"]
    assert store.programme_count("red") == 2 and store.programme_count("red", only="amber") == 0
    assert _codes(store.home_rows(text="a1", only="red")) == ["A1"]


def test_unknown_sorts_and_filters_are_a_programming_error(store):
    for call in (lambda: store.home_rows(sort="colour"), lambda: store.home_rows(only="blue"),
                 lambda: store.programme_count(only="blue"), lambda: store.search_milestones(sort="when"),
                 lambda: store.search_milestones(only="high_risks"), lambda: store.milestone_count(only="x")):
        with pytest.raises(ValueError):
            call()
    assert set(HOME_SORTS) >= {"rag", "savings"}
    assert QUICK_FILTERS == ("red", "amber", "overdue", "high_risks", "changed")
    assert MILESTONE_SORTS == ("owner", "name", "date", "status", "overdue")
    assert MILESTONE_FILTERS == ("red", "amber", "overdue")


def test_the_first_page_read_ahead_serves_only_the_usual_order(db_path):
    with open_store(db_path) as s:
        _home_board(s)
    store, check = open_store_checking_later(db_path, home_page=10)
    check.confirm()
    try:
        assert _codes(store.home_rows(sort="code", descending=True)) == ["D1", "C1", "B2", "A1"]
        assert _codes(store.home_rows()) == USUAL
        assert _codes(store.home_rows(only="amber")) == ["B2"]
    finally:
        store.close()


def _milestone_board(store):
    f = store.add_portfolio(name="Council", status_date="2025-06-30")
    g = store.add_programme(portfolio_id=f.id, code="G", name="Zebra programme")
    j = store.add_project(programme_id=g.id, name="Apple project")
    store.add_milestone(project_id=j.id, name="beta", status="Amber", baseline="2014-03-01",
                        due_text="Spring 2014")
    store.add_milestone(programme_id=g.id, name="Alpha", status="Red", baseline="2026-01-31")
    store.add_milestone(project_id=j.id, name="gamma", status="Complete", baseline="2025-01-01",
                        actual="2025-02-11")
    store.add_milestone(project_id=j.id, name="delta", status="Green", baseline="2025-03-31",
                        forecast="2025-12-01")
    store.add_milestone(programme_id=g.id, name="epsilon")  # no date at all
    store.add_milestone(project_id=j.id, name="zeta", status="Red", baseline="2025-05-05")


def _names(rows):
    return [m.name for m, _owner in rows]


ADDED = ["beta", "Alpha", "gamma", "delta", "epsilon", "zeta"]


@pytest.mark.parametrize("sort, ascending", [
    (None, ADDED),
    ("owner", ["beta", "gamma", "delta", "zeta", "Alpha", "epsilon"]),  # Apple project, then Zebra
    ("name", ["Alpha", "beta", "delta", "epsilon", "gamma", "zeta"]),
    ("date", ["beta", "gamma", "zeta", "delta", "Alpha", "epsilon"]),  # expected date; undated last
    ("status", ["Alpha", "zeta", "beta", "delta", "gamma", "epsilon"]),  # Red, Amber, Green, Complete, -
    ("overdue", ["beta", "zeta", "Alpha", "gamma", "delta", "epsilon"]),  # overdue first
])
def test_milestone_sorts_in_the_query(store, sort, ascending):
    _milestone_board(store)
    assert _names(store.search_milestones(sort=sort)) == ascending
    assert _names(store.search_milestones(sort=sort, limit=2, offset=1)) == ascending[1:3]


def test_milestone_sorts_descending(store):
    _milestone_board(store)
    assert _names(store.search_milestones(sort="name", descending=True)) == [
        "zeta", "gamma", "epsilon", "delta", "beta", "Alpha"]
    # the latest first, the undated still last
    assert _names(store.search_milestones(sort="date", descending=True)) == [
        "Alpha", "delta", "zeta", "gamma", "beta", "epsilon"]
    # not overdue first, ties in the order added
    assert _names(store.search_milestones(sort="overdue", descending=True)) == [
        "Alpha", "gamma", "delta", "epsilon", "beta", "zeta"]


@pytest.mark.parametrize("only, names", [
    ("red", ["Alpha", "zeta"]), ("amber", ["beta"]), ("overdue", ["beta", "zeta"])])
def test_milestone_quick_filters(store, only, names):
    _milestone_board(store)
    assert _names(store.search_milestones(only=only)) == names
    assert store.milestone_count(only=only) == len(names)


@pytest.mark.parametrize("text, names", [
    ("apple", ["beta", "gamma", "delta", "zeta"]),  # the project's name
    ("zebra", ["Alpha", "epsilon"]),  # the programme's, for its own milestones
    ("spring", ["beta"]),  # the date as printed
    ("complete", ["gamma"]),  # the status
    ("not rated", ["epsilon"]),
    ("2025-02-11", ["gamma"]),  # the expected date, ISO
    ("11 Feb 2025", ["gamma"]),  # and as the list prints it
    ("1 Mar 2014", ["beta"]),  # a day without a leading zero
    ("01/03/2014", ["beta"]),  # as the 01/03/2014 date style prints it
    ("11/02", ["gamma"]),
    ("5 May", ["zeta"]),
    ("Dec 2025", ["delta"]),
    ("overdue", ["beta", "zeta"]),  # the word the list shows for them
    ("OVER", ["beta", "zeta"]),
])
def test_milestone_text_matches_every_column_shown(store, text, names):
    _milestone_board(store)
    assert _names(store.search_milestones(text)) == names
    assert store.milestone_count(text) == len(names)
    assert store.milestone_count(text, only="red") == len([n for n in names if n in ("Alpha", "zeta")])
