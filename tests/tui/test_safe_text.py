"""Text from a user or a file is shown literally: never markup, never terminal control.

Each test here crashed the app, or showed text other than as typed, before tui/safe.py.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import fresh, on_screen, press, raw_controls, screen_lines, settle, started
from textual.widgets import Input

from tui import safe
from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen
from tui.screens.home import HomeScreen
from tui.screens.project import ProjectScreen

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"  # set the terminal's title, then clear the screen


def write_raw(path, sql: str, *args) -> None:
    """Write to the file as another program would (not through the store and its validation)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, args)
    conn.close()


def rename_crm(path, ids, name: str) -> None:
    """The milestone 'Procure new CRM' (the second of the fixture's project) takes this name."""
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        s.edit_milestone(m.id, m.version, name=name)


def set_value(app, key: str, value: str) -> None:
    app.screen.query_one(f"#field-{key}").value = value


# -- the helper itself ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw,shown", [
    ("[/]", "[/]"),
    ("[bold red]x[/]", "[bold red]x[/]"),
    ("Ångström 東京 🚀 ok", "Ångström 東京 🚀 ok"),
    ("a\x1b[2Jb", "a\u241b[2Jb"),
    ("bell\x07", "bell\u2407"),
    ("del\x7f", "del\u2421"),
    ("csi\x9b2J", "csi\ufffd2J"),
    ("abc\u202edef", "abc\ufffddef"),
    ("iso\u2067late\u2069", "iso\ufffdlate\ufffd"),
    ("line\u2028para\u2029end", "line para end"),
    # The direction marks the store keeps for Arabic and Hebrew names are shown as typed.
    ("\u05e9\u05dc\u05d5\u05dd\u200f (2)", "\u05e9\u05dc\u05d5\u05dd\u200f (2)"),
    ("a\u200eb\u061cc", "a\u200eb\u061cc"),
    ("two\nlines\r\n", "two lines  "),
    ("tab\there", "tab here"),
    (None, ""),
    (1234, "1234"),
])
def test_plain_shows_control_characters_visibly_and_keeps_the_rest(raw, shown):
    assert safe.plain(raw) == shown


def test_plain_keeps_line_breaks_where_asked_and_maps_each_character_to_one():
    assert safe.plain("a\nb\x1b", multiline=True) == "a\nb\u241b"
    every = "".join(map(chr, range(0x0, 0xA0))) + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    assert len(safe.plain(every)) == len(every)
    assert safe.plain(every).isprintable()


def test_made_safe_keeps_styles_in_place():
    from rich.text import Text

    text = Text("ab")
    text.append("\x1bc", style="bold")
    cleaned = safe.made_safe(text)
    assert cleaned.plain == "ab\u241bc"
    assert [(s.start, s.end, str(s.style)) for s in cleaned.spans] == [(2, 4, "bold")]
    assert text.plain == "ab\x1bc", "the original is left as it was"


# -- the crashes, one by one ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["[/]", "[bold red]x[/]", "[link=file:///etc/passwd]y"])
async def test_a_milestone_named_as_markup_is_set_edited_and_deleted(fixture_db, name):
    path, ids = fixture_db
    rename_crm(path, ids, name)
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down")
        screen = app.screen
        assert isinstance(screen, ProjectScreen) and screen.active_panel().selected.name == name
        assert on_screen(app, name)
        await press(pilot, "r")
        assert on_screen(app, f"Set '{name}' to Red")
        await press(pilot, "enter")
        assert on_screen(app, f"{name}: Red.")
        await press(pilot, "e")
        assert isinstance(app.screen, FormScreen)
        assert on_screen(app, f"Edit milestone {name}")
        assert app.screen.query_one("#field-name", Input).value == name
        await press(pilot, "escape", "x")
        assert isinstance(app.screen, ConfirmScreen)
        assert on_screen(app, f"Delete milestone {name}?")
        await press(pilot, "y")
        assert on_screen(app, f"Milestone {name} deleted.")
    with fresh(path) as s:
        assert name not in [x.name for x in s.milestones(project_id=ids["crm"])]


@pytest.mark.parametrize("tab,key,value", [
    ("1", "forecast", "[/]"),
    ("1", "baseline", "[bold red]x[/]"),
    ("3", "amount", "[/]"),
])
async def test_markup_typed_into_a_date_or_amount_is_refused_in_words(fixture_db, tab, key, value):
    path, ids = fixture_db
    with fresh(path) as s:
        before = (s.milestones(project_id=ids["crm"]), s.savings(project_id=ids["crm"]))
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", tab, "e")
        assert isinstance(app.screen, FormScreen)
        set_value(app, key, value)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen), "the form stays open"
        error = app.screen.query_one(f"#error-{key}")
        assert error.display and value in str(error.render())
        assert on_screen(app, value)
    with fresh(path) as s:
        assert (s.milestones(project_id=ids["crm"]), s.savings(project_id=ids["crm"])) == before


async def test_a_programme_coded_as_markup_is_added_and_announced(fixture_db):
    path, _ = fixture_db
    async with started(path, size=(160, 45), notifications=True) as (app, pilot):  # its name uncut
        await press(pilot, "n")
        assert isinstance(app.screen, FormScreen)
        set_value(app, "code", "[/]")
        set_value(app, "name", "[bold red]x[/]")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert on_screen(app, "Programme [/] added.")
        assert on_screen(app, "[bold red]x[/]")
    with fresh(path) as s:
        assert any(row.programme.code == "[/]" and row.programme.name == "[bold red]x[/]"
                   for row in s.home_rows())


async def test_a_read_only_file_whose_path_holds_markup_opens_with_its_banner(fixture_db):
    path, _ = fixture_db
    # Relative (the fixture is in its own folder) so the banner fits in 80 columns wherever that is.
    folder = Path("board[") / "]papers"
    folder.mkdir(parents=True)
    target = folder / "f.db"
    path.rename(target)
    async with started(target, read_only=True, notifications=True) as (app, _pilot):
        assert isinstance(app.screen, HomeScreen)
        assert on_screen(app, f"READ-ONLY {target} cannot be changed")


async def test_a_name_in_markup_is_shown_as_typed_not_styled(fixture_db):
    """'[bold red]x[/]' reads as those characters in the list, the prompt and the form title."""
    path, ids = fixture_db
    name = "[bold red]x[/]"
    rename_crm(path, ids, name)
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "a")
        prompt = [line for line in screen_lines(app) if "Set '" in line]
        assert prompt and name in prompt[0]
        await press(pilot, "escape", "e")
        title = app.screen.query_one("#dialog-title")
        assert name in str(title.render())


# -- text a file holds: never terminal control ---------------------------------------------------

async def test_escape_sequences_written_by_another_program_never_reach_the_terminal(fixture_db):
    path, ids = fixture_db
    write_raw(path, "UPDATE milestone SET name = ?, notes = ? WHERE id = ?",
              f"Go live{ESCAPES}", f"notes{ESCAPES}\u202eevil", ids["milestones"]["live"])
    write_raw(path, "UPDATE project SET name = ?, lead = ? WHERE id = ?",
              f"CRM{ESCAPES}", "Lead\x9b2J", ids["crm"])
    write_raw(path, "UPDATE programme SET name = ?, sro = ? WHERE id = ?",
              f"Centre{ESCAPES}", "SRO\u202e", ids["cco"])
    shown = safe.plain(ESCAPES)
    async with started(path, notifications=True) as (app, pilot):
        assert raw_controls(app) == [] and on_screen(app, f"Centre{shown}"[:10])  # home cuts the name to fit
        await press(pilot, "enter")
        assert raw_controls(app) == [] and on_screen(app, f"CRM{shown}"[:10])  # cut to fit, like any name
        await press(pilot, "enter")
        assert isinstance(app.screen, ProjectScreen)
        assert raw_controls(app) == []
        assert on_screen(app, f"Go live{shown}") and on_screen(app, "Lead\ufffd2J")
        await press(pilot, "down", "down", "r")  # Go live: its name in the prompt
        assert raw_controls(app) == [] and on_screen(app, f"Set 'Go live{shown}' to Red")
        await press(pilot, "escape", "e")
        assert isinstance(app.screen, FormScreen)
        assert raw_controls(app) == []
        set_value(app, "due_text", "Q2 2014")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
        assert raw_controls(app) == []
        await press(pilot, "4")  # history
        assert raw_controls(app) == []
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["live"])
        # A save of another field leaves the name and notes as the file held them.
        assert m.name == f"Go live{ESCAPES}" and m.notes == f"notes{ESCAPES}\u202eevil"
        assert m.due_text == "Q2 2014"


@pytest.mark.parametrize("where", ["reason", "filter", "form", "notes"])
async def test_pasted_control_characters_are_shown_as_pictures(fixture_db, where):
    from textual import events
    from textual.widgets import TextArea

    path, _ = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter")
        await press(pilot, {"reason": "r", "filter": "slash", "form": "e", "notes": "e"}[where])
        if where == "notes":
            app.screen.query_one("#field-notes", TextArea).focus()
            await settle(pilot)
        app.focused.post_message(events.Paste(f"x{ESCAPES}y"))
        await settle(pilot)
        assert raw_controls(app) == []
        value = app.focused.text if where == "notes" else app.focused.value
        assert safe.plain(f"x{ESCAPES}y") in value


async def test_a_file_whose_wal_cannot_be_read_says_recent_changes_may_be_missing(tmp_path, monkeypatch):
    from tests.store.test_files import _wal_a_folder, crash_leaving_a_wal

    monkeypatch.chdir(tmp_path)
    (tmp_path / "x[").mkdir()
    path = tmp_path / "x[" / "]board.db"  # its path holds "[/]"
    crash_leaving_a_wal(path)
    _wal_a_folder(tmp_path / "x[" / "]board.db-wal")
    async with started(path) as (app, _pilot):
        assert on_screen(app, "READ-ONLY")
        assert on_screen(app, f"Recent changes may not be shown: {path}-wal could not be read.", wrapped=True)
