"""After any change, every screen in the stack shows the new figures when next seen, home included.

The fixture's CCO programme is Red only because its project GAME_08 holds one Red milestone (Go live
phase 1); GAME_08's other open milestones are Amber and Green.
"""
from __future__ import annotations

from conftest import fresh, press, screen_lines, started

from tui.screens.home import HomeScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen


def line_of(app, text: str) -> str:
    found = [line for line in screen_lines(app) if text in line]
    assert len(found) == 1, f"{text!r} is on {len(found)} lines of the screen"
    return found[0]


def words(line: str) -> list[str]:
    return line.replace("*", " ").split()


async def open_game_08(pilot) -> None:
    await press(pilot, "enter")  # CCO
    assert isinstance(pilot.app.screen, ProgrammeScreen)
    await press(pilot, "enter")  # GAME_08, its first project
    assert isinstance(pilot.app.screen, ProjectScreen)


async def test_a_milestone_set_in_a_project_shows_on_its_programme_and_on_home(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        home = line_of(app, "CCO")
        # no delivery confidence yet, 2 projects, 1 Red milestone
        assert words(home.split("Red", 1)[1])[:3] == ["-", "2", "1"]
        await open_game_08(pilot)
        await press(pilot, "down", "down")  # Go live phase 1 (Red)
        await press(pilot, "g", "enter")
        await press(pilot, "escape")
        assert isinstance(app.screen, ProgrammeScreen)
        assert "Amber" in words(line_of(app, "GAME_08"))  # its worst open milestone is now Amber
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        home = line_of(app, "CCO")
        assert "Amber" in words(home) and "Red" not in words(home)
        _dca, projects, red_milestones = words(home.split("Amber", 1)[1])[:3]
        assert (projects, red_milestones) == ("2", "0")
    with fresh(path) as s:
        assert s.home_rows()[0].programme.rolled_rag == "Amber"


async def test_a_project_rag_set_on_a_programme_shows_on_home(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter")  # CCO, its Projects tab on GAME_08
        await press(pilot, "g", "enter")  # GAME_08 Green by hand: CCO's worst project is now Green
        assert "Green" in words(line_of(app, "GAME_08"))
        await press(pilot, "escape")
        assert "Green" in words(line_of(app, "CCO"))
        assert "Red" not in words(line_of(app, "CCO"))


async def test_an_undo_made_in_a_project_shows_on_home(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await open_game_08(pilot)
        await press(pilot, "down", "down", "g", "enter")
        await press(pilot, "escape", "escape")
        assert "Red" not in words(line_of(app, "CCO"))
        await press(pilot, "enter", "enter", "u")  # back into GAME_08: undo the Green
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "Red" in words(line_of(app, "CCO"))


async def test_a_screen_not_written_from_is_not_read_again_for_nothing(fixture_db):
    """The other side of the rule: coming back to home after only looking reads nothing new, and
    shows the same rows."""
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        before = screen_lines(app)
        await press(pilot, "enter", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.behind()
        assert [line for line in screen_lines(app) if "CCO" in line] == [
            line for line in before if "CCO" in line]
