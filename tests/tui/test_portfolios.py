"""Portfolios in the app: added, renamed, given a status date and a risk matrix from the palette."""
from __future__ import annotations

import re

from conftest import fresh, on_screen, press, screen_lines, settle, started
from test_flows import fill, palette_hits, palette_search

from tui.screens.form import FormScreen
from tui.screens.home import HomeScreen


async def open_command(pilot, text: str) -> None:
    await palette_search(pilot, text)
    await press(pilot, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FormScreen)


def home_line(app, code: str) -> list[str]:
    found = [line for line in screen_lines(app) if re.search(rf"(^|\s|…){re.escape(code)}\s", line)]
    assert len(found) == 1, found
    return found[0].replace("*", " ").split()


async def test_a_new_portfolio_is_added_from_the_palette_with_the_default_matrix(fixture_db):
    path, _ = fixture_db
    async with started(path) as (app, pilot):
        await open_command(pilot, "New portfolio")
        fill(app, name="Adult Social Care", organisation="Plymouth City Council", status_date="30/06/2014")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    with fresh(path) as s:
        added = next(p for p in s.portfolios() if p.name == "Adult Social Care")
        assert (added.status_date, added.green_max, added.red_min) == ("2014-06-30", 6, 20)


async def test_a_portfolio_renamed_and_its_red_band_widened_shows_on_home(fixture_db):
    """CCO holds two open risks: 4 x 5 = 20 (Red) and 3 x 5 = 15 (Amber while Red starts at 20)."""
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        risks_red_before = home_line(app, "CCO")[-3]
        await open_command(pilot, "Edit portfolio: Transformation")
        fill(app, name="Plymouth Transformation", red_min="15")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert on_screen(app, "Plymouth Transformation")
        assert (risks_red_before, home_line(app, "CCO")[-3]) == ("1", "2")
    with fresh(path) as s:
        portfolio = s.portfolio(ids["plym"])
        assert (portfolio.name, portfolio.red_min) == ("Plymouth Transformation", 15)
        assert s.history(limit=1)[0].item_kind == "portfolio"


async def test_a_matrix_whose_green_reaches_its_red_is_refused_and_nothing_is_written(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_command(pilot, "Edit portfolio: FutureFit")
        fill(app, green_max="20", red_min="10")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen)  # stays open, with what was typed
    with fresh(path) as s:
        portfolio = s.portfolio(ids["worc"])
        assert (portfolio.green_max, portfolio.red_min) == (6, 20)


async def test_a_portfolio_named_as_markup_is_listed_in_the_palette_as_typed(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        p = s.portfolio(ids["worc"])
        s.edit_portfolio(p.id, p.version, name="[b]Future[/b]Fit")
    async with started(path) as (app, pilot):
        await palette_search(pilot, "Edit portfolio")
        assert any("Edit portfolio: [b]Future[/b]Fit" in hit for hit in palette_hits(app)), palette_hits(app)


async def test_a_portfolio_named_as_broken_markup_is_offered_as_typed_when_adding_a_programme(fixture_db):
    path, ids = fixture_db
    name = "[b]Evil[/b] [/]"
    with fresh(path) as s:
        p = s.portfolio(ids["worc"])
        s.edit_portfolio(p.id, p.version, name=name)
    async with started(path) as (app, pilot):
        await press(pilot, "n")
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "enter")  # the Portfolio list, its first field, opens
        assert on_screen(app, name)
        assert app.is_running
