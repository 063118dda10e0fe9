"""Keys that tell the truth: the footer and help list the keys that act in the tab in view, named for
what they do there; a key not listed does nothing; c on a milestone asks for the date it was done."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from conftest import SIZE, fresh, make_app, notices, on_screen, press, running, screen_lines, settle, started

from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen
from tui.screens.help import HelpScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen

COMMON = ["/ Filter", "u Undo", "esc Back", "q Quit", "^y Redo", "^p palette", "? Help"]
MILESTONE_KEYS = ["r Red", "a Amber", "g Green", "c Complete", "e Edit", "n New", "x Delete"]
RISK_KEYS = ["t Residual", "e Edit", "n New", "x Close risk"]
SAVING_KEYS = ["e Edit", "n New", "x Delete"]
HISTORY_KEYS = ["⏎ Details"]
# Each tab's footer at 160 columns, where every key that acts fits: the tab's own keys, then the common.
PROGRAMME_TABS = {
    "1": ["⏎ Open", "r Red", "a Amber", "g Green", "c Derive RAG", "e Edit", "n New"],
    "2": MILESTONE_KEYS, "3": RISK_KEYS, "4": SAVING_KEYS, "5": HISTORY_KEYS,
}
PROJECT_TABS = {"1": MILESTONE_KEYS, "2": RISK_KEYS, "3": SAVING_KEYS, "4": HISTORY_KEYS}
TABS_OF = {"programme": PROGRAMME_TABS, "project": PROJECT_TABS}
TABS = [(kind, tab, own) for kind, tabs in TABS_OF.items() for tab, own in tabs.items()]
# The keys as the footer shows them -> as pressed.
PRESSED = {"⏎": "enter", "esc": "escape", "/": "slash", "?": "question_mark", "^y": "ctrl+y", "^p": "ctrl+p"}
EVERY_ACTION_KEY = ["r", "a", "g", "c", "e", "n", "x", "t"]
# The keys these tests know; a list may add its own (sorting, narrowing), tested with the list.
KNOWN = {"⏎", *EVERY_ACTION_KEY, "/", "u", "esc", "q", "^y", "^p", "?"}


@asynccontextmanager
async def started_at(path, width: int, *, notifications: bool = False):
    """The app on this file in a terminal this many columns wide, settled on home."""
    app = make_app(path)
    async with running(app, size=(width, SIZE[1]), notifications=notifications) as pilot:
        await settle(pilot)
        yield app, pilot


@asynccontextmanager
async def on_tab(path, kind: str, tab: str, **options):
    """The app on this file (options: started's), with a tab of CCO (or its project) in view."""
    async with started(path, **options) as (app, pilot):
        await open_tab(pilot, kind, tab)
        yield app, pilot


def footer(app) -> list[str]:
    """The footer's keys, each as shown ("c Derive RAG")."""
    return [entry.strip() for entry in screen_lines(app)[-1].split("  ") if entry.strip()]


async def open_tab(pilot, kind: str, tab: str):
    """The CCO programme (or its project GAME_08) with this tab in view."""
    await press(pilot, "enter")
    if kind == "project":
        await press(pilot, "enter")
    await press(pilot, tab)
    screen = pilot.app.screen
    assert isinstance(screen, ProgrammeScreen if kind == "programme" else ProjectScreen)
    return screen


async def each_tab(pilot, kind: str) -> AsyncIterator[tuple[str, list[str]]]:
    """Each tab of CCO (or its project) in view in turn, as a user goes through them, on the one screen:
    (tab, its own keys)."""
    screen = None
    for tab, own in TABS_OF[kind].items():
        if tab == "1":
            screen = await open_tab(pilot, kind, tab)
        else:
            await press(pilot, tab)
            assert pilot.app.screen is screen, f"tab {tab} is on another screen"
        yield tab, own


def ours(entries: list[str]) -> list[str]:
    return [entry for entry in entries if entry.split(" ", 1)[0] in KNOWN]


def state(app) -> tuple:
    """What a user sees: the screen on top, and every line of it (the reason or '/' line, the
    notices, the footer's words, the heat map, the rows)."""
    return len(app.screen_stack), type(app.screen).__name__, tuple(screen_lines(app))


@pytest.mark.parametrize("kind", list(TABS_OF))
@pytest.mark.parametrize("width", [80, 160])
async def test_the_footer_lists_the_keys_that_act_in_the_tab(fixture_db, kind, width):
    path, _ids = fixture_db
    async with started_at(path, width) as (app, pilot):
        async for tab, own in each_tab(pilot, kind):
            shown = footer(app)
            line = screen_lines(app)[-1].rstrip()
            every = [*own, *COMMON]
            if width == 160:
                assert ours(shown) == every, f"tab {tab}"
            else:
                assert len(line) <= width and shown[-1] == "? Help", f"tab {tab}"  # help always, never cut
                assert ours(shown) == [entry for entry in every if entry in shown], (tab, shown)  # in order
                assert shown[:len(own)] == own, (tab, shown)  # the tab's own keys first, and all of them


@pytest.mark.slow
@pytest.mark.parametrize("kind,tab,own", TABS)
async def test_each_key_the_footer_lists_acts(fixture_db, kind, tab, own):
    path, _ids = fixture_db
    async with started_at(path, 160, notifications=True) as (app, pilot):  # every key fits
        screen = await open_tab(pilot, kind, tab)
        keys = [entry.split(" ", 1)[0] for entry in ours(footer(app))]
        assert keys[-1] == "?" and len(keys) == len(own) + len(COMMON)
        for key in [k for k in keys if k not in ("esc", "q")]:
            before = state(app)
            await press(pilot, PRESSED.get(key, key))
            assert state(app) != before, f"{key} did nothing on tab {tab} of the {kind}"
            while app.screen is not screen:  # close what it opened (a form, a question, help...)
                await press(pilot, "escape")
            if screen.reason_bar() is not None and screen.reason_bar().display:
                await press(pilot, "escape")
            if screen.filter_box() is not None and screen.filter_box().display:
                await press(pilot, "escape")
            assert app.screen is screen and footer(app)[-1] == "? Help"
        await press(pilot, "escape")  # esc goes back
        assert app.screen is not screen and screen not in app.screen_stack
        await press(pilot, "q")
        assert not app.is_running


@pytest.mark.parametrize("kind", list(TABS_OF))
async def test_a_key_not_listed_does_nothing(fixture_db, kind):
    path, _ids = fixture_db
    with fresh(path) as s:
        changes = len(s.history(limit=10_000))
    async with started(path, notifications=True) as (app, pilot):
        async for tab, own in each_tab(pilot, kind):
            screen = app.screen  # the programme or project screen, with this tab in view
            listed = {entry.split(" ", 1)[0] for entry in footer(app)}
            unlisted = [k for k in EVERY_ACTION_KEY if k not in listed]
            assert unlisted == [k for k in EVERY_ACTION_KEY if k not in {entry[0] for entry in own}], tab
            for key in unlisted:
                before = state(app)
                await press(pilot, key)
                assert state(app) == before, f"{key} acted on tab {tab} of the {kind}, though not listed"
                assert app.screen is screen
    with fresh(path) as s:
        assert len(s.history(limit=10_000)) == changes


async def test_a_risks_tab_lists_no_status_keys_and_x_closes_a_risk(fixture_db):
    path, _ids = fixture_db
    async with on_tab(path, "project", "2") as (app, pilot):
        shown = footer(app)
        assert not [entry for entry in shown if entry.split(" ", 1)[0] in ("r", "a", "g", "c")]
        assert "x Close risk" in shown
        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmScreen)


async def test_t_says_what_pressing_it_will_show(fixture_db):
    path, _ids = fixture_db
    async with on_tab(path, "project", "2") as (app, pilot):
        assert "t Residual" in footer(app)
        await press(pilot, "t")
        assert "t Inherent" in footer(app) and "t Residual" not in footer(app)
        assert any("Residual (t toggles)" in line for line in screen_lines(app))
        await press(pilot, "t")
        assert "t Residual" in footer(app)
        assert any("Inherent (t toggles)" in line for line in screen_lines(app))
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("t", "Show the heat map's residual scores") in app.screen.rows


async def test_while_the_filter_takes_the_keys_help_is_offered_by_f1(fixture_db):
    path, _ids = fixture_db
    async with on_tab(path, "project", "1") as (app, pilot):
        await press(pilot, "slash")
        assert footer(app)[-1] == "f1 Help"  # ? is typed into the filter
        assert not {"r Red", "e Edit", "? Help"} & set(footer(app))
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)


async def test_help_lists_what_each_key_does_in_the_tab_in_view(fixture_db):
    path, _ids = fixture_db
    async with on_tab(path, "programme", "1") as (app, pilot):
        await press(pilot, "question_mark")
        rows = dict(app.screen.rows)
        assert rows["c"].startswith("Return the selected project's RAG to the one derived")
        assert rows["⏎"] == "Open the selected project" and "x" not in rows
        assert "1" not in rows and rows["2"] == "Show the Milestones tab"  # the tab in view is no key
        for nothing in ("Scroll Left", "Scroll Right", "Page Left", "Page Right"):  # lists fit the width
            assert not on_screen(app, nothing), nothing
        assert [key for key, _ in app.screen.rows if "ctrl+p" in key or "^p" in key] == ["ctrl+p"]  # once
        await press(pilot, "escape", "5", "question_mark")
        rows = dict(app.screen.rows)
        assert rows["⏎"].startswith("Show the selected change in full")
        assert not set(rows) & set(EVERY_ACTION_KEY)


# -- c asks for the actual date ----------------------------------------------------------------

async def complete_form(pilot):
    """The project's milestones, Procure new CRM (Amber) selected, and c pressed."""
    app = pilot.app
    await open_tab(pilot, "project", "1")
    await press(pilot, "down")
    assert app.screen.active_panel().selected.name == "Procure new CRM"
    await press(pilot, "c")
    assert isinstance(app.screen, FormScreen)
    return app.screen


async def test_c_with_a_date_and_a_reason_reaches_the_file(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        form = await complete_form(pilot)
        assert form.query_one("#field-actual").value == "31 Mar 2014"  # the status date
        form.query_one("#field-actual").value = "15/03/2014"
        form.query_one("#field-reason").value = "signed off at board"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
        row = app.screen.active_panel().selected
        assert (row.status, row.actual) == ("Complete", "2014-03-15")  # the row shows it at once
        assert any("Procure new CRM: Complete on 15 Mar 2014" in note for note in notices(app))
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert (m.status, m.actual) == ("Complete", "2014-03-15")
        changes = s.history(item=("milestone", m.id), limit=2)
        assert {c.field for c in changes} == {"status", "actual"}
        assert len({c.group_id for c in changes}) == 1  # one change: u undoes both
        assert {c.reason for c in changes} == {"signed off at board"}


async def test_c_then_enter_completes_on_the_status_date(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await complete_form(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert (m.status, m.actual) == ("Complete", "2014-03-31")


@pytest.mark.parametrize("typed,words", [("31/02/2014", "not a real date"), ("", "cannot be blank")])
async def test_c_with_a_bad_date_says_so_and_changes_nothing(fixture_db, typed, words):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        form = await complete_form(pilot)
        form.query_one("#field-actual").value = typed
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert words in str(form.query_one("#error-actual").render())
        await press(pilot, "escape")
        if isinstance(app.screen, ConfirmScreen):  # a changed form asks before it discards
            await press(pilot, "y")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert (m.status, m.actual) == ("Amber", None)


# -- warnings after a save ---------------------------------------------------------------------

def warning_notices(app) -> list[str]:
    """The notices shown as warnings (Textual marks a toast with its severity)."""
    toasts = [toast for toast in app.screen.query("Toast") if toast.has_class("-warning")]
    return [note for note, toast in zip(notices(app), sorted(app.screen.query("Toast"),
                                                             key=lambda toast: toast.region.y),
                                        strict=True) if toast in toasts]


async def test_green_on_an_overdue_milestone_is_saved_with_a_warning(fixture_db):
    path, ids = fixture_db
    async with on_tab(path, "project", "1", notifications=True) as (app, pilot):
        await press(pilot, "down", "down")  # Go live phase 1: Red, due 1 Mar 2014, not done by 31 Mar
        assert app.screen.active_panel().selected.name == "Go live phase 1"
        await press(pilot, "g", "enter")
        warned = " ".join(warning_notices(app))
        assert "Go live phase 1: Green. ⚠ Green, but overdue" in warned
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["live"]).status == "Green"  # saved all the same


async def test_a_milestone_done_after_the_status_date_is_saved_with_a_warning(fixture_db):
    path, _ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        form = await complete_form(pilot)
        form.query_one("#field-actual").value = "15/04/2014"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
        warned = " ".join(warning_notices(app))
        assert "⚠ Actual date 15 Apr 2014 is after the status date 31 Mar 2014" in warned


async def test_a_save_with_nothing_odd_is_no_warning(fixture_db):
    path, _ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await complete_form(pilot)
        await press(pilot, "enter")  # done on the status date
        assert any("Procure new CRM: Complete on 31 Mar 2014." in note for note in notices(app))
        assert warning_notices(app) == []
