"""A value inferred rather than printed is marked ≈ where it is shown, and its form says why."""
from __future__ import annotations

from conftest import fresh, on_screen, press, screen_lines, started


def _mark_inferred(path, ids) -> None:
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        s.edit_milestone(m.id, m.version, inferred="baseline: 'June 2014' read as its last day")
        project = s.project(m.project_id)
        s.edit_project(project.id, project.version, roles="Cabinet Member: Cllr A Smith\nAuthor: B Jones")
        portfolio = s.portfolio_of(project_id=project.id)
        s.edit_portfolio(portfolio.id, portfolio.version, inferred="status_date: no date with a year printed")


def _row(app, text: str) -> str:
    return next(line for line in screen_lines(app) if text in line)


async def test_an_inferred_date_is_marked_and_its_form_says_why(fixture_db):
    path, ids = fixture_db
    _mark_inferred(path, ids)
    async with started(path, size=(160, 45)) as (app, pilot):
        assert "Transformation Portfolio ≈31 Mar 2014" in screen_lines(app)[0]  # the top line
        assert "FutureFit 19 Nov 2015" in screen_lines(app)[0]
        await press(pilot, "enter", "enter", "1")
        assert "≈30 Jun 2014" in _row(app, "Procure new CRM")
        assert on_screen(app, "Status date: ≈31 Mar 2014")
        assert "≈" not in _row(app, "Staff consultation")
        assert on_screen(app, "Also: Cabinet Member: Cllr A Smith; Author: B Jones")
        assert on_screen(app, "≈ = inferred, not printed")
        await press(pilot, "down", "e")
        assert on_screen(app, "Baseline ≈ 'June 2014' read as its last day")


async def test_a_date_the_user_sets_is_no_longer_marked_inferred(fixture_db):
    path, ids = fixture_db
    _mark_inferred(path, ids)
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        s.edit_milestone(m.id, m.version, baseline="2014-07-31")
    async with started(path, size=(160, 45)) as (app, pilot):
        await press(pilot, "enter", "enter", "1")
        assert "31 Jul 2014" in _row(app, "Procure new CRM") and "≈" not in _row(app, "Procure new CRM")
