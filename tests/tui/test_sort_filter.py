"""Sorting, quick filters and '/' on every list, through the screen: s and a letter (or a click on a
heading) sorts, the same again (or S) reverses, f steps through the quick filters; the store is
asked for home's and All milestones' rows, the other lists sort in memory."""
from __future__ import annotations

import pytest
from conftest import fresh, on_screen, press, screen_lines, settle, started, typed

from tui.screens.milestones import MilestonesScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen
from tui.widgets.virtual_list import SortChooser, VirtualList

HOME_CODES = ("CCO", "PPL", "DM")


def _rows(app, vlist=None) -> list[str]:
    """The lines of the list's rows as shown (the focused list's, unless one is given)."""
    vlist = vlist or app.focused
    assert isinstance(vlist, VirtualList), f"no list has the focus: {app.focused!r}"
    region = vlist.region
    return [line[region.x:region.right] for line in screen_lines(app)[region.y + 1:region.bottom]]


def _order(app, needles, vlist=None) -> list[str]:
    """The needles in the order the list's rows show them."""
    found = []
    for line in _rows(app, vlist):
        for needle in needles:
            if needle in line and needle not in found:
                found.append(needle)
    return found


def _crumb(app) -> str:
    return "".join(screen_lines(app)[1].split())


def _heading(app, vlist) -> str:
    """The list's heading line as the list draws it, from its left edge."""
    return "".join(segment.text for segment in vlist.render_line(0))


async def _type(pilot, text: str) -> None:
    await typed(pilot, text)


async def _filter(pilot, text: str) -> None:
    await press(pilot, "slash")
    await _type(pilot, text)
    await press(pilot, "enter")


# -- sorting ----------------------------------------------------------------------------------

async def test_home_sorts_by_a_column_chosen_with_s_and_reverses_with_S(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        assert _order(app, HOME_CODES) == ["CCO", "PPL", "DM"]
        await press(pilot, "s")
        assert isinstance(app.screen, SortChooser)
        await press(pilot, "c")  # Code: the one column starting with c
        assert not isinstance(app.screen, SortChooser)
        assert _order(app, HOME_CODES) == ["CCO", "DM", "PPL"]
        vlist = app.screen.list_widget()
        assert "Code ▲" in _heading(app, vlist)
        await press(pilot, "S")
        assert _order(app, HOME_CODES) == ["PPL", "DM", "CCO"]
        assert "Code ▼" in _heading(app, vlist)


async def test_sort_chooser_moves_with_arrows_and_enter_and_the_same_column_reverses(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "s", "p")  # Portfolio, Programme, Proj: p moves among them
        assert isinstance(app.screen, SortChooser)
        await press(pilot, "p", "enter")  # the second: Programme (by name)
        assert _order(app, HOME_CODES) == ["CCO", "DM", "PPL"]  # Co-operative, Demand, People
        await press(pilot, "s", "down", "up", "enter")  # the sorted column again: reversed
        assert _order(app, HOME_CODES) == ["PPL", "DM", "CCO"]
        assert "Programme ▼" in _heading(app, app.screen.list_widget())


async def test_home_heading_click_sorts_and_again_reverses(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        vlist = app.screen.list_widget()
        x = _heading(app, vlist).index("SRO")
        await pilot.click("#programmes", offset=(x, 0))
        await settle(pilot)
        # Carole Burgoyne (PPL), Clare Marchant (DM), David Trussler (CCO)
        assert _order(app, HOME_CODES) == ["PPL", "DM", "CCO"]
        assert "SRO ▲" in _heading(app, vlist)
        await pilot.click("#programmes", offset=(x, 0))
        await settle(pilot)
        assert _order(app, HOME_CODES) == ["CCO", "DM", "PPL"]
        assert "SRO ▼" in _heading(app, vlist)


async def test_sorting_keeps_the_cursor_on_the_same_programme(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "down")  # PPL
        vlist = app.screen.list_widget()
        assert vlist.selected.programme.code == "PPL"
        await press(pilot, "s", "c")
        assert vlist.cursor == 2 and vlist.selected.programme.code == "PPL"
        await press(pilot, "S")
        assert vlist.cursor == 0 and vlist.selected.programme.code == "PPL"
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgrammeScreen) and app.screen.record.code == "PPL"


async def test_programme_projects_sort_by_lead_and_stage(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgrammeScreen)
        await press(pilot, "end")  # GAME_09
        table = app.screen.active_panel().table
        await press(pilot, "s", "l")  # Lead: Faye Batchelor, Giles Perritt
        assert _order(app, ["GAME_08", "GAME_09"]) == ["GAME_08", "GAME_09"]
        assert "Lead ▲" in _heading(app, table)
        assert table.selected.row.project.reference == "GAME_09"  # the cursor stayed with it
        await press(pilot, "S")
        assert _order(app, ["GAME_08", "GAME_09"]) == ["GAME_09", "GAME_08"]
        assert table.selected.row.project.reference == "GAME_09"
        # Stage in its own order (Concept, Outline Business Case, ..., Delivery), not the alphabet's.
        x = _heading(app, table).index("Stage")
        await pilot.click("#project-table", offset=(x, 0))
        await settle(pilot)
        assert _order(app, ["GAME_08", "GAME_09"]) == ["GAME_09", "GAME_08"]


async def test_project_milestones_sort_by_status_worst_first_and_by_baseline(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, ProjectScreen)
        names = ["Business case approved", "Procure new CRM", "Go live phase 1", "Staff consultation"]
        table = app.screen.active_panel().table
        x = _heading(app, table).index("Status")
        await pilot.click("#milestone-table", offset=(x, 0))
        await settle(pilot)
        assert _order(app, names) == ["Go live phase 1", "Procure new CRM", "Staff consultation",
                                      "Business case approved"]
        await press(pilot, "S")
        assert _order(app, names) == ["Business case approved", "Staff consultation", "Procure new CRM",
                                      "Go live phase 1"]


async def test_risks_are_sorted_by_score_highest_first_unscored_last(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        s.add_risk(project_id=ids["crm"], reference="R4", description="Not yet assessed", owner="PMO")
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "enter", "2")
        refs = ["R1", "R2", "R3", "R4"]
        table = app.screen.active_panel().table
        assert "score ▼" in _heading(app, table)
        assert _order(app, refs) == ["R1", "R3", "R2", "R4"]  # 20, 12, 6, not rated
        await press(pilot, "S")
        assert _order(app, refs) == ["R2", "R3", "R1", "R4"]  # unscored last whichever way
        await press(pilot, "s", "o")  # Owner: F Batchelor, HR, PMO (R2 before R4: ties keep their order)
        assert _order(app, refs) == ["R1", "R3", "R2", "R4"]


async def test_savings_and_history_sort_in_memory(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "enter", "3")
        await press(pilot, "s", "a")  # Amount (highest first), As printed: a moves between them
        await press(pilot, "enter")
        lines = [line for line in _rows(app) if "£" in line]
        assert "£500,000" in lines[0] and "£50,000" in lines[-1]


async def test_all_milestones_sort_in_the_store_by_expected_date(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "m")
        assert isinstance(app.screen, MilestonesScreen)
        await press(pilot, "s", "e")  # Expected
        names = ["Business case approved", "Staff consultation", "Go live phase 1",
                 "Programme board sign-off", "Procure new CRM", "Data warehouse live"]
        assert "Expected ▲" in _heading(app, app.screen.list_widget())
        assert _order(app, names) == names
        await press(pilot, "S")
        assert _order(app, names) == names[::-1]


# -- quick filters ----------------------------------------------------------------------------

async def test_home_quick_filters_step_through_red_amber_overdue_high_risks_changed_and_back(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:  # each portfolio's period closed, then one programme's confidence changed
        for portfolio in s.portfolios():
            s.close_period(portfolio.id, portfolio.version)
        dm = s.programme(ids["dm"])
        s.set_programme_dca(dm.id, dm.version, "Amber/Red", "a late supplier")
    async with started(path) as (app, pilot):
        await press(pilot, "f")
        assert "Redonly:1of3" in _crumb(app)
        assert _order(app, HOME_CODES) == ["CCO"]
        await press(pilot, "f")
        assert "Amberonly:1of3" in _crumb(app) and _order(app, HOME_CODES) == ["PPL"]
        await press(pilot, "f")
        assert "Overdueonly:1of3" in _crumb(app) and _order(app, HOME_CODES) == ["CCO"]
        await press(pilot, "f")
        assert "Highrisksonly:1of3" in _crumb(app) and _order(app, HOME_CODES) == ["CCO"]
        await press(pilot, "f")
        assert "Changedsincethelastperiodonly:1of3" in _crumb(app) and _order(app, HOME_CODES) == ["DM"]
        await press(pilot, "f")
        assert _crumb(app) == "Programmes"
        assert _order(app, HOME_CODES) == ["CCO", "PPL", "DM"]


async def test_escape_clears_a_quick_filter_even_when_it_leaves_nothing_shown(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:  # no programme Red: "Red only" shows none
        for programme_id in (ids["cco"],):
            programme = s.programme(programme_id)
            s.set_programme_rag(programme.id, programme.version, "Green", "board agreed")
    async with started(path, size=(160, 45)) as (app, pilot):  # wide enough for every footer key
        await press(pilot, "f")
        assert "Redonly:0of3" in _crumb(app) and on_screen(app, "No programme matches the filter.")
        assert "esc" in screen_lines(app)[-1]  # the footer offers Escape while the list is narrowed
        await press(pilot, "escape")
        assert _crumb(app) == "Programmes"
        assert _order(app, HOME_CODES) == ["CCO", "PPL", "DM"]
        assert "esc" not in screen_lines(app)[-1]  # home, unfiltered: nothing for Escape to do


async def test_home_quick_filter_combines_with_slash(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "f", "f")  # Amber only: PPL
        await _filter(pilot, "Carole")
        assert "Amberonly,holding'Carole':1of3" in _crumb(app)
        await press(pilot, "f")  # Overdue only, still holding 'Carole': none
        assert "Overdueonly,holding'Carole':0of3" in _crumb(app)
        assert on_screen(app, "No programme matches the filter.")


async def test_programme_projects_quick_filter_says_what_is_shown(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "f")
        assert on_screen(app, "Projects: Red only: 1 of 2")
        assert _order(app, ["GAME_08", "GAME_09"]) == ["GAME_08"]
        await press(pilot, "f", "f", "f")  # Amber, Overdue, then all
        assert not on_screen(app, "only:")
        assert _order(app, ["GAME_08", "GAME_09"]) == ["GAME_08", "GAME_09"]


async def test_project_milestones_quick_filters(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "enter")
        names = ["Business case approved", "Procure new CRM", "Go live phase 1", "Staff consultation"]
        await press(pilot, "f")
        assert on_screen(app, "Milestones: Red only: 1 of 4") and _order(app, names) == ["Go live phase 1"]
        await press(pilot, "f")
        assert on_screen(app, "Amber only: 1 of 4") and _order(app, names) == ["Procure new CRM"]
        await press(pilot, "f")
        assert on_screen(app, "Overdue only: 2 of 4")
        assert _order(app, names) == ["Go live phase 1", "Staff consultation"]
        await _filter(pilot, "staff")
        assert on_screen(app, "Overdue only, holding 'staff': 1 of 4")


async def test_risks_quick_filters(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "enter", "2")
        refs = ["R1", "R2", "R3"]
        await press(pilot, "f")
        assert on_screen(app, "Risks: Red only: 1 of 3") and _order(app, refs) == ["R1"]
        await press(pilot, "f")
        assert on_screen(app, "Amber only: 1 of 3") and _order(app, refs) == ["R3"]
        await press(pilot, "f")
        assert on_screen(app, "High risks (open, Red) only: 1 of 3") and _order(app, refs) == ["R1"]


async def test_all_milestones_quick_filters_in_the_store(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "m", "f")
        assert "Redonly:1of6" in _crumb(app)
        assert on_screen(app, "Go live phase 1") and not on_screen(app, "Staff consultation")
        await press(pilot, "f", "f")
        assert "Overdueonly:2of6" in _crumb(app)
        assert on_screen(app, "Staff consultation") and not on_screen(app, "Procure new CRM")


# -- '/' on what is shown ---------------------------------------------------------------------

async def test_all_milestones_slash_finds_the_project_shown_and_overdue(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "m")
        await _filter(pilot, "Customer Services")
        assert "holding'CustomerServices':4of6" in _crumb(app)
        await press(pilot, "escape")
        await _filter(pilot, "overdue")
        assert "holding'overdue':2of6" in _crumb(app)


async def test_project_milestones_slash_matches_cells_as_shown(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "enter")
        names = ["Business case approved", "Procure new CRM", "Go live phase 1", "Staff consultation"]
        for text, expected in [("overdue", ["Go live phase 1", "Staff consultation"]),
                               ("Red", ["Go live phase 1"]),
                               ("15 Dec 2013", ["Business case approved"]),
                               ("2013-12-15", ["Business case approved"]),
                               ("Complete", ["Business case approved"]),
                               ("June 2014", ["Procure new CRM"])]:
            await _filter(pilot, text)
            assert _order(app, names) == expected, text
            await press(pilot, "escape")


@pytest.mark.parametrize("keys", [("enter", "enter"), ("m",)], ids=["project", "all milestones"])
async def test_slash_does_not_find_hidden_notes(fixture_db, keys):
    """A project's milestones and All milestones match only what they show, and notes are not shown."""
    path, ids = fixture_db
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        s.edit_milestone(m.id, m.version, notes="waiting on procurement board")
        assert s.search_milestones("procurement board") == []
        assert [found.name for found, _ in s.search_milestones("Procure new")] == ["Procure new CRM"]
    async with started(path) as (app, pilot):
        await press(pilot, *keys)
        await _filter(pilot, "procurement board")
        assert not on_screen(app, "Procure new CRM")
        assert on_screen(app, "No milestone matches the filter.")


def test_home_and_all_milestones_offer_the_sorts_and_filters_the_store_knows():
    """Every sortable heading and quick filter of the two lists the store sorts is one it knows, and
    every one it knows is offered."""
    from store import HOME_SORTS, MILESTONE_FILTERS, MILESTONE_SORTS, QUICK_FILTERS
    from tui.screens import home, milestones

    assert sorted(c.sort for c in home.COLUMNS if c.sort) == sorted(HOME_SORTS)
    assert sorted(c.sort for c in milestones.COLUMNS if c.sort) == sorted(MILESTONE_SORTS)
    assert [name for name, _ in home.QUICK] == list(QUICK_FILTERS)
    assert [name for name, _ in milestones.QUICK] == list(MILESTONE_FILTERS)
