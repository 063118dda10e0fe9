"""Escape goes where the breadcrumb says, however a screen was reached."""
from __future__ import annotations

import pytest
from conftest import press, screen_lines, settle, started
from test_flows import palette_search

from tui.screens.home import HomeScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen

pytestmark = pytest.mark.build_ahead  # as the ragboard command runs: screens built ahead


def crumb(app) -> str:
    """The breadcrumb: the top line that starts 'Programmes'."""
    return next(line for line in screen_lines(app) if line.strip().startswith("Programmes"))


async def jump_to_digital_by_default(pilot) -> None:
    await palette_search(pilot, "Digital")
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProjectScreen)
    assert "Programmes > CCO" in crumb(pilot.app)


async def test_escape_after_a_palette_jump_to_a_project_goes_to_its_programme_then_home(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await jump_to_digital_by_default(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, ProgrammeScreen)
        assert app.screen.record.code == "CCO"
        assert app.screen.active_panel().selected.project.name == "Digital by Default"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_palette_jump_from_deep_in_another_programme_starts_from_home(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "end", "enter", "enter")  # DM, then its project DM1
        assert isinstance(app.screen, ProjectScreen) and "DM" in crumb(app)
        await jump_to_digital_by_default(pilot)
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1


async def test_escape_from_a_project_reached_by_keys_goes_to_the_programme_it_came_from(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "down", "enter")  # CCO, then GAME_09
        assert isinstance(app.screen, ProjectScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ProgrammeScreen)
        assert len(app.screen_stack) == 2


def footer_keys(app) -> list[str]:
    return [line for line in screen_lines(app) if line.strip()][-1].split()


async def test_home_offers_escape_only_while_there_is_a_filter_to_clear(fixture_db):
    path, _ = fixture_db
    async with started(path, size=(200, 30)) as (app, pilot):  # wide enough for every key in the footer
        assert "esc" not in footer_keys(app)
        await press(pilot, "slash", "p", "e", "o", "enter")
        assert "esc" in footer_keys(app)
        await press(pilot, "escape")  # the filter cleared
        assert isinstance(app.screen, HomeScreen)
        assert "esc" not in footer_keys(app)


async def test_over_a_dialog_the_footer_lists_the_dialogs_keys(fixture_db):
    """A change's detail opens over the History tab: its footer offers u and Escape, not the tab's
    Sort and Filter, which do nothing there."""
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "r", "enter", "4")
        assert "Sort" in footer_keys(app)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "ChangeDetailScreen"
        assert "Sort" not in footer_keys(app) and "Filter" not in footer_keys(app), footer_keys(app)
        assert "u" in footer_keys(app), footer_keys(app)
        await press(pilot, "escape")
        assert "Sort" in footer_keys(app)
