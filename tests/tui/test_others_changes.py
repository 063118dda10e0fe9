"""Another person's changes: u never undoes them; a form keeps what you typed when theirs clash."""
from __future__ import annotations

from conftest import fresh, on_screen, press, settle, started
from textual.widgets import TextArea

from store import open_store
from tui.screens.change_detail import ChangeDetailScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen
from tui.screens.project import ProjectScreen


def other_person(path):
    return open_store(path, who="alice")


def typed(app, key: str) -> str:
    widget = app.screen.query_one(f"#field-{key}")
    return widget.text if isinstance(widget, TextArea) else widget.value


def set_value(app, key: str, value: str) -> None:
    widget = app.screen.query_one(f"#field-{key}")
    if isinstance(widget, TextArea):
        widget.text = value
    else:
        widget.value = value


def alice_sets_green(path, ids):
    """Another person sets 'Procure new CRM' (Amber) Green; returns the milestone as it was."""
    with other_person(path) as alice:
        m = alice.milestone(ids["milestones"]["crm"])
        alice.set_milestone_status(m.id, m.version, "Green", "alice's call")
    return m


def alice_edits(path, ids, **values) -> None:
    """Another person edits 'Procure new CRM' while this window shows it."""
    with other_person(path) as alice:
        m = alice.milestone(ids["milestones"]["crm"])
        alice.edit_milestone(m.id, m.version, **values)


# -- undo is your own ----------------------------------------------------------------------------

async def test_u_in_a_window_with_no_change_leaves_another_persons_change(fixture_db):
    path, ids = fixture_db
    alice_sets_green(path, ids)
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "u")
        assert on_screen(app, "Nothing of yours to undo", wrapped=True)
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).status == "Green"


async def test_another_persons_change_is_undone_from_history_after_naming_them(fixture_db):
    path, ids = fixture_db
    m = alice_sets_green(path, ids)
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "4")
        screen = app.screen
        assert isinstance(screen, ProjectScreen)
        assert screen.active_panel().selected.who == "alice"  # the newest change, first
        await press(pilot, "enter", "u")  # its detail, then undo
        assert isinstance(app.screen, ConfirmScreen)
        assert on_screen(app, "Undo alice's change of")
        assert on_screen(app, "Made by alice at", wrapped=True)
        await press(pilot, "n")
        with fresh(path) as s:
            assert s.milestone(m.id).status == "Green", "no: nothing undone"
        await press(pilot, "u", "y")
        assert isinstance(app.screen, ProjectScreen)
        assert on_screen(app, "Undone:")
    with fresh(path) as s:
        assert s.milestone(m.id).status == "Amber"
        last = s.last_change("milestone", m.id)
        assert (last.who, last.old, last.new) == ("tester", "Green", "Amber")


async def test_an_undone_change_is_not_offered_again(fixture_db):
    path, ids = fixture_db
    with other_person(path) as alice:
        m = alice.milestone(ids["milestones"]["crm"])
        alice.set_milestone_status(m.id, m.version, "Green")
        alice.undo()
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "4", "down", "enter")  # alice's Green, already undone
        assert isinstance(app.screen, ChangeDetailScreen)
        assert on_screen(app, "undone already", wrapped=True)
        await press(pilot, "u")
        assert not isinstance(app.screen, ConfirmScreen)
    with fresh(path) as s:
        assert s.milestone(m.id).status == "Amber"


# -- a conflict keeps what you typed ---------------------------------------------------------------

async def test_a_change_to_another_field_is_not_a_conflict(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "e")
        assert isinstance(app.screen, FormScreen)
        alice_edits(path, ids, notes="supplier shortlisted")
        set_value(app, "forecast", "30/09/2014")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert (m.forecast, m.notes) == ("2014-09-30", "supplier shortlisted")
        who = {(c.who, c.field) for c in s.history(item=("milestone", m.id))}
        assert {("alice", "notes"), ("tester", "forecast")} <= who


async def test_a_clash_keeps_the_form_open_with_your_values_and_theirs_beside(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        alice_edits(path, ids, name="Procure CRM (re-scoped)", notes="alice's notes")
        set_value(app, "name", "Procure CRM and telephony")
        await press(pilot, "ctrl+s")
        assert app.screen is form, "the form stays open"
        assert typed(app, "name") == "Procure CRM and telephony", "what was typed is kept"
        assert on_screen(app, "Now Procure CRM (re-scoped): ctrl+s keeps yours")
        assert on_screen(app, "changed while you edited: by alice", wrapped=True)
        assert typed(app, "notes") == "alice's notes", "a field left alone takes their new value"
        await press(pilot, "ctrl+s")  # yours, over the latest
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert (m.name, m.notes) == ("Procure CRM and telephony", "alice's notes")
        names = [(c.who, c.new) for c in s.history(item=("milestone", m.id)) if c.field == "name"]
        assert names[:2] == [("tester", "Procure CRM and telephony"), ("alice", "Procure CRM (re-scoped)")]


async def test_escape_after_a_clash_leaves_theirs(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "e")
        alice_edits(path, ids, name="Theirs")
        set_value(app, "name", "Mine")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).name == "Theirs"


# -- a busy file never freezes the screen ----------------------------------------------------------

async def test_a_save_waiting_for_a_busy_file_keeps_the_screen_alive_and_says_so(fixture_db):
    import sqlite3

    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down")
        screen = app.screen
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        try:
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("enter")  # the reason: saved off the loop, waiting for the file
            for _ in range(200):
                await pilot.pause(0.02)
                if on_screen(app, "saved as soon as it is free", wrapped=True):
                    break
            assert on_screen(app, "saved as soon as it is free", wrapped=True)
            await pilot.press("down")  # the screen still answers keys
            await pilot.pause()
            assert screen.active_panel().selected.name == "Go live phase 1"
        finally:
            other.execute("COMMIT")
            other.close()
        await settle(pilot)
        assert not on_screen(app, "saved as soon as it is free", wrapped=True), "the wait is over"
        assert on_screen(app, "Procure new CRM: Red.")
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).status == "Red"
