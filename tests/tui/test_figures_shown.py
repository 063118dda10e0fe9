"""Figures shown the same everywhere, at every width: one RAG display, home's net savings equal
to the Savings tab's for the same financial year, history rows in words, warnings on rows, the
columns at 80 and 160 columns, and a new file's first portfolio and programme written as one."""
from __future__ import annotations

from conftest import fresh, make_app, notices, on_screen, press, running, screen_lines, settle, started
from textual.widgets import Input

from tui.screens.form import FormScreen
from tui.screens.home import HomeScreen
from tui.screens.project import ProjectScreen
from tui.widgets.virtual_list import VirtualList


def _line_with(app, needle: str) -> str:
    lines = [line for line in screen_lines(app) if needle in line]
    assert lines, f"no line shows {needle!r}"
    return lines[0]


def _rows(app) -> list[str]:
    vlist = app.focused
    assert isinstance(vlist, VirtualList)
    region = vlist.region
    return [line[region.x:region.right] for line in screen_lines(app)[region.y:region.bottom]]


# -- RAG --------------------------------------------------------------------------------------

async def test_a_hand_set_rag_shows_the_derived_one_beside_it(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        cco = s.programme(ids["cco"])
        s.set_programme_rag(cco.id, cco.version, "Green", "Board says so")
    async with started(path) as (app, pilot):
        assert "G Green (set; derived R)" in _line_with(app, "CCO")
        assert "A Amber (set; derived -)" in _line_with(app, "PPL")  # no projects: nothing to derive
        assert "G Green*" in _line_with(app, "DM")  # derived, marked as before
        await press(pilot, "enter")
        # The project's RAG is derived from its milestones; its risks' RAG from L x I, marked derived.
        assert "R Red*" in _line_with(app, "GAME_08")
        await press(pilot, "enter", "2")
        assert "4x5=20  R Red*" in _line_with(app, "R1")


async def test_a_project_rag_set_by_hand_then_cleared_reads_in_the_history(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        project = s.project(ids["crm"])
        project = s.set_project_rag(project.id, project.version, "Amber",
                                    "Supplier has recovered the plan after the April review meeting")
        s.set_project_rag(project.id, project.version, None, "")
    async with started(path) as (app, pilot):
        await press(pilot, "enter")
        assert "R Red*" in _line_with(app, "GAME_08")
        await press(pilot, "enter", "4")
        rag_rows = [line for line in _rows(app) if "Amber" in line]
        assert any("RAG" in line and "(derived)" in line for line in rag_rows), rag_rows
        assert not any("(blank)" in line for line in rag_rows)
        # The reason is cut after a whole word, never inside one.
        reason = next(line for line in rag_rows if "Supplier" in line)
        cut = reason[reason.index("Supplier"):].split("…")[0].split()
        words = ["Supplier", "has", "recovered", "the", "plan", "after", "the", "April", "review", "meeting"]
        assert cut and all(word in words for word in cut), reason


# -- savings ----------------------------------------------------------------------------------

async def test_home_net_savings_equal_the_savings_tab_for_the_same_year(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:  # a cost in the status date's year (2013/14): net is gross less it
        s.add_saving(project_id=ids["crm"], year="2013/14", amount=40000, kind="cost", band="Not rated")
    async with started(path) as (app, pilot):
        assert on_screen(app, "Net saved FY")
        home = _line_with(app, "CCO")
        # 250,000 saved + 75,000 avoided - 40,000 spent, by the programme and its project
        assert "£285,000 2013/14" in home
        await press(pilot, "enter", "4")  # the programme's Savings tab
        row = _line_with(app, "◀")
        assert row.split()[:4] == ["2013/14", "£325,000", "£40,000", "£285,000"]
        assert on_screen(app, "own and its projects'")
        await press(pilot, "escape")
        await press(pilot, "enter")
        assert "£210,000 2013/14" in _line_with(app, "GAME_08")  # the project's own net, the same way
        await press(pilot, "enter", "3")
        assert _line_with(app, "◀").split()[:4] == ["2013/14", "£250,000", "£40,000", "£210,000"]


# -- warnings ---------------------------------------------------------------------------------

async def test_a_milestone_or_risk_with_a_warning_is_marked_and_says_why(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        risk = s.risk(ids["risks"]["double"])  # 2x3: mitigation leaves it worse
        s.edit_risk(risk.id, risk.version, residual_likelihood="4", residual_impact="4")
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter")
        assert "⚠" not in _line_with(app, "Business case approved")
        await press(pilot, "end")  # Staff consultation: Green, though overdue
        assert "⚠" in _line_with(app, "Staff consultation")
        assert on_screen(app, "Green, but overdue")
        await press(pilot, "up")  # Go live phase 1: Red and overdue, nothing odd
        assert not on_screen(app, "Green, but overdue")
        await press(pilot, "2")
        assert "⚠" in _line_with(app, "R2") and "⚠" not in _line_with(app, "R1")
        await press(pilot, "escape", "escape", "m")  # All milestones marks it too
        assert "⚠" in _line_with(app, "Staff consultation") and "⚠" not in _line_with(app, "Go live")


async def test_a_save_that_causes_a_warning_says_so(fixture_db):
    async with started(fixture_db[0], notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "down")  # Go live phase 1: Red, overdue
        await press(pilot, "g", "enter")  # set Green, no reason
        assert "⚠" in _line_with(app, "Go live phase 1")
        assert any("Green, but overdue" in notice for notice in notices(app)), notices(app)


async def test_all_milestones_c_asks_the_date_done_so_completing_leaves_no_warning(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "m", "end", "up")  # Programme board sign-off: Not rated
        assert "Programme board" in _line_with(app, "Not rated")
        await press(pilot, "c")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-actual", Input).value  # the status date, as a start
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
        row = _line_with(app, "Programme board")
        assert "C Complete" in row and "⚠" not in row
        assert any(notice.startswith("Saved") and "Complete on 31 Mar 2014" in notice
                   for notice in notices(app)), notices(app)
    with fresh(path) as s:
        (m,) = [m for m in s.milestones(programme_id=ids["cco"]) if m.name == "Programme board sign-off"]
        assert (m.status, m.actual) == ("Complete", "2014-03-31")


# -- widths -----------------------------------------------------------------------------------

async def test_at_80_columns_every_list_keeps_its_rag_or_status_in_view(fixture_db):
    app = make_app(fixture_db[0])
    async with running(app, size=(80, 24)) as pilot:
        await settle(pilot)
        assert "RAG" in _rows(app)[0]
        assert "A Amber" in _line_with(app, "PPL") and "R Red" in _line_with(app, "CCO")
        await press(pilot, "enter")
        assert "RAG" in _rows(app)[0] and "R Red" in _line_with(app, "GAME_08")
        await press(pilot, "enter")
        assert isinstance(app.screen, ProjectScreen)
        assert "Status" in _rows(app)[0] and "R Red" in _line_with(app, "Go live")
        await press(pilot, "2")
        assert "Status" in _rows(app)[0] and "Closed" in _line_with(app, "R3")
        await press(pilot, "3")
        assert "Band" in _rows(app)[0] and "A Amber" in _line_with(app, "£500,000")
        await press(pilot, "escape", "escape", "m")
        rows = _rows(app)
        assert "Status" in rows[0] and any("- Not rated" in row for row in rows[1:]), rows


async def test_at_160_columns_no_status_stage_or_owner_is_cut(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        programme = s.programme(ids["dm"])
        s.edit_programme(programme.id, programme.version, sro="Jane O'Neill-Fotheringham")
    app = make_app(path)
    async with running(app, size=(160, 40)) as pilot:
        await settle(pilot)
        assert "Jane O'Neill-Fotheringham" in _line_with(app, "DM")
        await press(pilot, "enter")
        assert "Outline Business Case" in _line_with(app, "GAME_09")
        assert "Faye Batchelor" in _line_with(app, "GAME_08")
        await press(pilot, "escape", "m")
        assert "- Not rated" in _line_with(app, "Programme board")
        assert not any("…" in line for line in _rows(app)[1:] if "Programme board" in line)


# -- a new file's first portfolio and programme ----------------------------------------------

def _set(app, key: str, value: str) -> None:
    field = app.screen.query_one(f"#field-{key}", Input)
    field.value = value


async def test_new_file_writes_portfolio_and_programme_as_one_or_neither(empty_db):
    async with started(empty_db) as (app, pilot):
        await press(pilot, "n")
        assert isinstance(app.screen, FormScreen)
        _set(app, "portfolio_name", "Transformation Portfolio")
        _set(app, "status_date", "31/03/2014")
        _set(app, "code", "CCO")  # no programme name: refused
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen), "the form stays open"
        assert app.screen.query_one("#field-portfolio_name", Input).value == "Transformation Portfolio"
        assert app.screen.query_one("#field-code", Input).value == "CCO"
        with fresh(empty_db) as s:
            assert s.portfolios() == [] and s.is_empty()  # the portfolio was not written alone
        _set(app, "name", "Co-operative Centre of Operations")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert "CCO" in _line_with(app, "Co-operative")
    with fresh(empty_db) as s:
        (portfolio,) = s.portfolios()
        assert portfolio.name == "Transformation Portfolio"
        assert [r.programme.code for r in s.home_rows()] == ["CCO"]
        groups = {c.group_id for c in s.history(limit=100)}
        assert len(groups) == 1, "one change: the portfolio and its programme together"
