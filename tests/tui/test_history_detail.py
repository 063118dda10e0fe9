"""History you can read: Enter on a change shows it whole; u there undoes it, after the confirmation."""
from __future__ import annotations

from conftest import fresh, on_screen, press, screen_lines, settle, started

from tui.screens.change_detail import ChangeDetailScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.item_history import ItemHistoryScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen

LONG_REASON = ("Supplier confirmed at the March programme board that the CRM build slips by six weeks; "
               "the recovery plan moves user testing into April and keeps the go-live date, subject to "
               "the data migration rehearsal passing first time, which the board will check at its "
               "next meeting on the twelfth")


def dialog_lines(app) -> list[str]:
    """The detail's lines as read on screen, inside its border, spaces run together."""
    assert isinstance(app.screen, ChangeDetailScreen)
    box = app.screen.query_one("#dialog").region
    lines = screen_lines(app)[box.y + 1:box.bottom - 1]
    return [" ".join(line[box.x:box.right].strip().strip("█").split()) for line in lines]


def detail_text(app) -> str:
    """The detail as one text (a wrapped value reads whole)."""
    return " ".join(dialog_lines(app))


def row_value(app, label: str) -> str:
    """One row of the detail as shown: its label, then its value."""
    for line in dialog_lines(app):
        words = line.split()
        if words and words[0] == label:
            return " ".join(words[1:])
    raise AssertionError(f"no {label} row in the detail: {dialog_lines(app)}")


def go_live_set_amber(path, ids, reason: str):
    """Go live phase 1 (Red) set Amber, by another window, with this reason."""
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["live"])
        s.set_milestone_status(m.id, m.version, "Amber", reason)


async def open_history_row(pilot, kind: str, down: int = 0) -> None:
    """Open the CCO programme (or its project GAME_08), its History tab, and press Enter on a row."""
    app = pilot.app
    await press(pilot, "enter")
    if kind == "project":
        await press(pilot, "enter", "4")
    else:
        await press(pilot, "5")
    assert isinstance(app.screen, ProjectScreen if kind == "project" else ProgrammeScreen)
    await press(pilot, *["down"] * down, "enter")
    assert isinstance(app.screen, ChangeDetailScreen)


async def test_enter_on_an_edit_shows_it_whole_and_undoes_nothing(fixture_db):
    path, ids = fixture_db
    go_live_set_amber(path, ids, "supplier back on plan")
    async with started(path) as (app, pilot):
        await open_history_row(pilot, "project")
        assert row_value(app, "Item") == "Milestone Go live phase 1"
        assert row_value(app, "Field") == "Status"
        assert row_value(app, "Was") == "Red" and row_value(app, "Now") == "Amber"
        assert row_value(app, "Reason") == "supplier back on plan"
        assert row_value(app, "Who") == "checker"
        assert row_value(app, "When") == "31 Mar 2014 09:30 UTC"
        await press(pilot, "escape")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["live"]).status == "Amber"  # Enter undid nothing


async def test_a_rag_returned_to_derived_reads_derived(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        p = s.programme(ids["cco"])
        p = s.set_programme_rag(p.id, p.version, "Green", "recovery plan agreed")
        s.set_programme_rag(p.id, p.version, None, "")
    async with started(path) as (app, pilot):
        await open_history_row(pilot, "programme")  # the newest: rag, then its reason
        rows = {label: row_value(app, label) for label in ("Field", "Was", "Now")}
        if rows["Field"] != "RAG":
            await press(pilot, "escape", "down", "enter")
            rows = {label: row_value(app, label) for label in ("Field", "Was", "Now")}
        assert rows == {"Field": "RAG", "Was": "Green", "Now": "(derived)"}


async def item_history(pilot, down: int):
    """The project GAME_08's milestones, the one down rows from the top selected, and the palette's
    History of the selection."""
    app = pilot.app
    await press(pilot, "enter", "enter", *["down"] * down)
    app.show_selection_history()  # the palette's "History of the selection"
    await settle(pilot)
    assert isinstance(app.screen, ItemHistoryScreen)


async def test_an_added_record_shows_its_fields_one_a_line(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        await item_history(pilot, 2)  # Go live phase 1: added by the builder, its one change
        await press(pilot, "end", "enter")
        lines = dialog_lines(app)
        assert "Item Milestone Go live phase 1" in lines
        assert "Added Name: Go live phase 1" in lines  # the first field beside the heading
        assert "Status: Red" in lines and "Due (as written): Q1 2014" in lines
        assert not any(line.startswith(("Version:", "Position:", "Id:", "Project:")) for line in lines)


async def test_a_long_reason_is_shown_whole_and_the_item_history_cuts_it_at_a_word(fixture_db):
    path, ids = fixture_db
    go_live_set_amber(path, ids, LONG_REASON)
    async with started(path) as (app, pilot):
        await item_history(pilot, 2)  # Go live phase 1
        row = next(line for line in screen_lines(app) if "Red -> Amber" in line).split("█")[1]
        shown = " ".join(row.split("Red -> Amber", 1)[1].split())  # the reason column
        assert shown.endswith("…") and len(shown) > 20, shown
        assert LONG_REASON.startswith(shown[:-1].rstrip()), shown  # cut after a whole word
        assert LONG_REASON[len(shown[:-1].rstrip())] == " ", shown
        await press(pilot, "enter")
        assert isinstance(app.screen, ChangeDetailScreen)
        assert LONG_REASON in detail_text(app) or on_screen(app, LONG_REASON, wrapped=True)
        assert "…" not in detail_text(app)


async def test_u_in_the_detail_undoes_the_change_after_the_confirmation(fixture_db):
    path, ids = fixture_db
    go_live_set_amber(path, ids, "supplier back on plan")
    async with started(path) as (app, pilot):
        await open_history_row(pilot, "project")
        detail = app.screen
        await press(pilot, "u")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # no: nothing happens, the detail stays
        assert app.screen is detail
        with fresh(path) as s:
            assert s.milestone(ids["milestones"]["live"]).status == "Amber"
        await press(pilot, "u")
        assert "checker" in " ".join(screen_lines(app))  # the question names whose change it is
        await press(pilot, "y")
        assert isinstance(app.screen, ProjectScreen)  # back to the history
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["live"]).status == "Red"
        undo = s.history(item=("milestone", ids["milestones"]["live"]), limit=1)[0]
        assert (undo.who, undo.new) == ("tester", "Red")


async def test_a_change_undone_already_offers_no_undo(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["live"])
        s.set_milestone_status(m.id, m.version, "Amber", "")
        s.undo()
    async with started(path) as (app, pilot):
        await open_history_row(pilot, "project", down=1)  # the edit, under its undo
        assert row_value(app, "Now") == "Amber"
        assert "undone already" in detail_text(app)
        detail = app.screen
        await press(pilot, "u")
        assert app.screen is detail  # no question: u does nothing here
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["live"]).status == "Red"


async def test_a_read_only_file_offers_no_undo(fixture_db):
    path, ids = fixture_db
    go_live_set_amber(path, ids, "")
    async with started(path, read_only=True) as (app, pilot):
        await open_history_row(pilot, "project")
        assert "read-only" in detail_text(app)
        detail = app.screen
        await press(pilot, "u")
        assert app.screen is detail
