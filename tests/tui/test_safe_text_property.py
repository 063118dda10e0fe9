"""Generated text through the real app: add, r/a/g/c, e, x, undo, redo, history, palette and '/'.

Names, references, reasons, notes and dates are drawn from markup brackets, escape sequences,
emoji, wide CJK, bidi and zero-width characters. Text the store refuses is written to the file
as another program would, so the screens must show it too. After every key: the app has not
failed, the screen holds no raw control character, and the text reads as typed (control
characters shown as pictures).
"""
from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from conftest import build, on_screen, press, raw_controls, settle, started
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.command import CommandInput, CommandList
from textual.widgets import Input

from store import open_store
from store.errors import StoreError
from tui import fmt, safe
from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen
from tui.screens.project import ProjectScreen

PIECES = st.sampled_from([
    "[/]", "[bold red]", "[/bold red]", "[link=file:///etc]", "[@click=app.quit]", "\\[", "]",
    "\x1b]0;pwned\x07", "\x1b[2J", "\x1b[31m", "\x9b1m", "\x07", "\x7f", "\x00", "\r", "\t",
    "🚀", "👩\u200d👩\u200d👧", "🏳️\u200d🌈", "東京", "ﾃｽﾄ", "한국어",
    "\u202e", "\u2066", "\u200f", "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029", "e\u0301",
    "'", '"', "%s", "{0}", "£1,234", "31/03/2016", " ",
])
WORD = st.text(st.characters(exclude_categories=("Cs",), max_codepoint=0x2FFFF), min_size=1, max_size=4)
TEXT = st.lists(st.one_of(PIECES, WORD), min_size=1, max_size=4).map("".join).filter(
    lambda s: s.strip() and cell_len(safe.plain(s)) <= 28)

EXAMPLES = int(os.environ.get("RAGBOARD_TEXT_EXAMPLES", "12"))


def shown(value: str, limit: int = 70) -> str:
    return fmt.one_line(value, limit)


def write(path: Path, kind: str, item_id: int | None, values: dict, **owner) -> int:
    """Through the store when it accepts the values; otherwise straight into the file, as another
    program would write it (the screens must show what a file holds, whatever it is)."""
    with open_store(path, who="someone") as s:
        try:
            if item_id is None:
                return getattr(s, f"add_{kind}")(**owner, **values).id
            record = getattr(s, kind)(item_id)
            getattr(s, f"edit_{kind}")(item_id, record.version, **values)
            return item_id
        except StoreError:
            pass
    conn = sqlite3.connect(path)
    with conn:
        if item_id is None:
            (col, owner_id), = owner.items()
            item_id = conn.execute(f"SELECT max(id) + 1 FROM {kind}").fetchone()[0]
            conn.execute(f"INSERT INTO {kind} (id, {col}, name, position) VALUES (?, ?, 'x', 99)",
                         (item_id, owner_id))
        for key, value in values.items():  # keys are this test's own, never generated
            conn.execute(f"UPDATE {kind} SET {key} = ?, version = version + 1 WHERE id = ?", (value, item_id))
    conn.close()
    return item_id


async def check(pilot, screen_class) -> None:
    await settle(pilot)
    app = pilot.app
    assert app.is_running and app.return_code is None, "the app has not failed"
    assert isinstance(app.screen, screen_class), f"{app.screen!r} is not a {screen_class.__name__}"
    assert raw_controls(app) == [], "no control character reaches the terminal"


async def scenario(
    path: Path, ids: dict, name: str, project: str, reason: str, notes: str, date: str
) -> None:
    write(path, "project", ids["crm"], {"name": project})
    m_id = write(path, "milestone", None, {"name": name, "notes": notes}, project_id=ids["crm"])
    with open_store(path) as s:
        stored = s.milestone(m_id)
        project_shown = shown(s.project(ids["crm"]).name, 60)
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "end")
        await check(pilot, ProjectScreen)
        assert app.screen.active_panel().selected.id == m_id
        assert on_screen(app, shown(stored.name)), "the list shows the name"
        assert on_screen(app, project_shown), "the header shows the project's name"

        for key, word in (("r", "Red"), ("a", "Amber"), ("g", "Green")):
            await press(pilot, key)
            await check(pilot, ProjectScreen)
            assert on_screen(app, f"Set '{shown(stored.name, 50)}' to {word}"), "the prompt names it as typed"
            app.focused.value = reason
            await press(pilot, "enter")
            await check(pilot, ProjectScreen)
        await press(pilot, "c")  # Complete asks for its date, and a reason, in a form
        await check(pilot, FormScreen)
        app.screen.query_one("#field-reason").value = reason
        await press(pilot, "ctrl+s")
        await check(pilot, ProjectScreen)

        await press(pilot, "e")
        await check(pilot, FormScreen)
        assert on_screen(app, f"Edit milestone {shown(stored.name, 40)}")
        form = app.screen
        form.query_one("#field-notes").text = notes
        form.query_one("#field-forecast", Input).value = date
        await press(pilot, "ctrl+s")
        await settle(pilot)
        if isinstance(app.screen, FormScreen):  # refused: the message shows the value as typed
            await check(pilot, FormScreen)
            await press(pilot, "escape")
            if isinstance(app.screen, ConfirmScreen):  # asked before what was typed is discarded
                await check(pilot, ConfirmScreen)
                await press(pilot, "y")
        await check(pilot, ProjectScreen)

        for key in ("u", "ctrl+y", "u"):
            await press(pilot, key)
            await check(pilot, ProjectScreen)

        await press(pilot, "slash")
        app.focused.value = stored.name[:3]
        await check(pilot, ProjectScreen)
        await press(pilot, "escape")
        await check(pilot, ProjectScreen)

        await press(pilot, "4")  # history, with the reasons given
        await check(pilot, ProjectScreen)
        await press(pilot, "1")

        await press(pilot, "ctrl+p")
        palette = app.screen
        palette.query_one(CommandInput).value = project[:4]
        for _ in range(10):  # until the hits are listed (or clearly none are)
            await settle(pilot)
            if palette.query_one(CommandList).option_count:
                break
        assert raw_controls(app) == []
        await press(pilot, "escape")
        await check(pilot, ProjectScreen)

        await press(pilot, "end", "x")
        await check(pilot, ConfirmScreen)
        assert on_screen(app, f"Delete milestone {shown(stored.name, 50)}?")
        await press(pilot, "y")
        await check(pilot, ProjectScreen)
        assert on_screen(app, f"Milestone {shown(stored.name, 50)} deleted.")


# No shrinking: each example runs the whole app (seconds); the failing example is reported as found.
# Three tests of a third of the examples each, which pytest -n runs side by side.
@pytest.mark.parametrize("part", ["a", "b", "c"])
@settings(
    max_examples=max(1, EXAMPLES // 3),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(name=TEXT, project=TEXT, reason=TEXT, notes=TEXT, date=st.one_of(TEXT, st.just("30/09/2014")))
def test_generated_text_never_fails_the_app_and_reads_as_typed(part, name, project, reason, notes, date):
    with tempfile.TemporaryDirectory() as folder:
        previous = os.getcwd()
        os.chdir(folder)
        try:
            path = Path("fixture.db")
            ids = build(path)
            asyncio.run(scenario(path, ids, name, project, reason, notes, date))
        finally:
            os.chdir(previous)
