"""What tui/compat.py relies on in Textual's private API: each test fails when an upgrade changes it.

Structure first (the name is there, callable with the arguments compat passes), then behaviour
through the app where it can be seen.
"""
from __future__ import annotations

import inspect
import sys
from contextlib import asynccontextmanager

import pytest
from conftest import SIZE, make_app, on_screen, press, running, screen_lines, settle
from hypothesis import example, given
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tui import compat

pytestmark = pytest.mark.build_ahead  # as the ragboard command runs: screens built ahead


@asynccontextmanager
async def home(fixture_db, **options):
    """The app on the fixture file, settled on its home screen."""
    app = make_app(fixture_db[0])
    async with running(app, size=SIZE, **options) as pilot:
        await settle(pilot)
        yield app, pilot


def params(fn) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]


@pytest.mark.parametrize("owner,name,expected", [
    (App, "_unnotify", ["notification", "refresh"]),
    (App, "_load_screen_css", ["screen"]),
    (App, "_get_screen", ["screen"]),
    (App, "_begin_batch", []),
    (App, "_end_batch", []),
    (Screen, "_refresh_layout", ["size", "scroll"]),
    (Screen, "_on_timer_update", []),
    (Screen, "_on_idle", ["event"]),
    (Widget, "_on_focus", ["event"]),
    (Widget, "_on_blur", ["event"]),
    (CommandPalette, "_refresh_command_list", ["command_list", "commands", "clear_current"]),
])
def test_private_methods_compat_calls_are_there_with_their_arguments(owner, name, expected):
    method = getattr(owner, name, None)
    assert callable(method), f"{owner.__name__}.{name} is gone"
    assert params(method)[:len(expected)] == expected


def test_screen_focused_is_a_reactive_compat_can_redefine():
    assert isinstance(Screen.__dict__.get("focused"), Reactive)
    assert isinstance(compat.FocusWithoutRepaint.__dict__["focused"], Reactive)


def test_widgets_own_focus_handlers_redraw_the_whole_widget():
    """What OwnFocusRedraw replaces: Textual's handlers refresh the widget and tell the parent."""
    source = inspect.getsource(Widget._on_focus)
    assert "self.refresh()" in source and "DescendantFocus" in source


async def test_private_attributes_on_a_running_app(fixture_db):
    async with home(fixture_db) as (app, _):
        assert isinstance(app._batch_count, int) and app._batch_count == 0
        assert isinstance(app._css_update_count, int)
        assert isinstance(app.screen._css_update_count, int)
        assert hasattr(app._notifications, "__iter__")
        screen = app.screen
        assert callable(screen._compositor.render_update)
        assert "full" in params(screen._compositor.render_update)
        assert callable(screen._update_timer.resume)
        for flag in ("_layout_required", "_scroll_required", "_repaint_required"):
            assert isinstance(getattr(screen, flag), bool), flag
        assert hasattr(screen, "_dirty_widgets")


async def test_holding_updates_counts_holds(fixture_db):
    async with home(fixture_db) as (app, _):
        assert not compat.updates_held(app)
        compat.hold_updates(app)
        compat.hold_updates(app)
        assert compat.updates_held(app)
        assert not compat.release_updates(app)
        assert compat.release_updates(app)
        assert not compat.updates_held(app)


async def test_a_save_notice_replaces_the_last_one(fixture_db):
    async with home(fixture_db, notifications=True) as (app, pilot):
        app.notify("first save", title="Saved")
        app.notify("a warning", title="Changed elsewhere", severity="warning")
        app.notify("second save", title="Saved")
        await settle(pilot)
        assert on_screen(app, "second save") and on_screen(app, "a warning")
        assert not on_screen(app, "first save")


async def test_a_screen_built_hidden_is_mounted_and_not_shown(fixture_db):
    from tui.screens.help import HelpScreen

    async with home(fixture_db) as (app, pilot):
        first = app.screen
        screen = HelpScreen(first)
        app.install_screen(screen, name="built-hidden")
        await compat.build_hidden(app, screen)  # waits until the screen and its widgets are mounted
        assert screen.is_mounted and screen not in app.screen_stack
        await settle(pilot)
        assert app.screen is first and not any("Keys:" in line for line in screen_lines(app))
        app.push_screen(screen)
        await settle(pilot)
        assert on_screen(app, "Keys:")


async def test_css_generation_changes_with_the_theme(fixture_db):
    async with home(fixture_db) as (app, pilot):
        before = compat.css_generation(app)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        assert compat.css_generation(app) != before


async def test_a_list_told_of_focus_tells_its_parent_and_shows_its_cursor(fixture_db):
    async with home(fixture_db) as (app, pilot):
        await press(pilot, "slash")
        vlist = app.screen.list_widget()
        assert not vlist.has_focus
        await press(pilot, "escape")
        assert vlist.has_focus and app.focused is vlist
        assert app.screen.focused is vlist


# -- lines that are not cycles -------------------------------------------------------------------------

def a_line(*texts: str) -> Strip:
    return Strip([Segment(text, Style(bold=i % 2 == 0)) for i, text in enumerate(texts)])


def holds_itself_after(call) -> bool:
    """A new line, given to call, is then referred to by itself: a cycle (refcounts, no collection)."""
    line = a_line("Programme", " board")
    before = sys.getrefcount(line)
    call(line)
    return sys.getrefcount(line) > before


def whole(line: Strip) -> None:
    """Ask a line, through Strip's own methods, for the whole of itself, both ways."""
    assert line.crop_extend(0, line.cell_length, None) is line
    assert list(line.divide(iter([line.cell_length, line.cell_length + 4]))) == [line]


def test_textual_caches_a_whole_line_in_itself():
    """What the wrap undoes: if an upgrade stops this, the wrap no longer earns its place."""
    assert holds_itself_after(lambda line: compat.TEXTUAL_CROP_EXTEND(line, 0, line.cell_length, None))
    assert holds_itself_after(lambda line: compat.TEXTUAL_DIVIDE(line, [line.cell_length]))


def test_wrapped_lines_do_not_hold_themselves():
    compat.lines_without_self_cycles()
    assert not holds_itself_after(whole)


# Narrow and wide characters (zero-width ones trip Rich's own divide, wrapped or not).
segment_texts = st.lists(st.text("ab £東🚀", min_size=1, max_size=6), min_size=0, max_size=4)


@given(texts=segment_texts, start=st.integers(-1, 3), short=st.integers(-2, 3),
       cuts=st.lists(st.integers(0, 14), max_size=3).map(sorted))
@example(texts=["ab", "東"], start=1, short=0, cuts=[])  # all but the first cell: not the line itself
@example(texts=["ab", "東"], start=0, short=0, cuts=[2])
def test_wrapped_lines_answer_as_textual_does(texts, start, short, cuts):
    """Ends and cuts are drawn near the line's own length, where the wrap answers instead of Textual."""
    compat.lines_without_self_cycles()
    ours, theirs = a_line(*texts), a_line(*texts)
    end = max(0, ours.cell_length - short)
    assert (list(ours.crop_extend(start, end, None))
            == list(compat.TEXTUAL_CROP_EXTEND(theirs, start, end, None)))
    for pieces in (cuts, [*cuts, ours.cell_length], [ours.cell_length, *cuts]):
        assert ([list(piece) for piece in ours.divide(pieces)]
                == [list(piece) for piece in compat.TEXTUAL_DIVIDE(theirs, pieces)])


async def test_the_app_draws_lines_that_are_not_cycles(fixture_db, monkeypatch):
    monkeypatch.setattr(Strip, "crop_extend", compat.TEXTUAL_CROP_EXTEND)  # as Textual has it
    monkeypatch.setattr(Strip, "divide", compat.TEXTUAL_DIVIDE)
    assert holds_itself_after(whole)
    async with home(fixture_db):
        assert not holds_itself_after(whole)
