"""Filtered and paged reads behind the virtualised lists: home and all milestones."""
from __future__ import annotations


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
    assert store.milestone_count("review") == 6  # name or notes
    assert store.milestone_count("gateway") == 1
    page = store.search_milestones("review", limit=2, offset=4)
    assert [(m.name, where) for m, where in page] == [("Review 4", "CCO programme"), ("Gateway 2", "Phase 3")]
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
