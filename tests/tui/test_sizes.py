"""Every form, dialog and the top line at the smallest terminal ragboard supports (80x24) and a
large one (160x45): reachable by keys, inside the screen, saved through a fresh store."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import fresh, on_screen, press, screen_lines, screen_svg, started, typed, wait_until
from textual.widget import Widget
from textual.widgets import Button, Input, TextArea

from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen

SMALL = (80, 24)
LARGE = (160, 45)



def in_view(app, widget: Widget) -> bool:
    """The widget is drawn where the user can see it: inside the screen, and the cell at its
    top-left corner is its own (not scrolled away, not under the buttons)."""
    region = widget.region
    width, height = app.size
    if region.width == 0 or region.x < 0 or region.y < 0 or region.right > width or region.bottom > height:
        return False
    found, _ = app.screen.get_widget_at(region.x, region.y)
    return found is widget or widget in found.ancestors


def inside_screen(app, selector: str) -> bool:
    region = app.screen.query_one(selector).region
    width, height = app.size
    return region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height


async def type_text(pilot, text: str) -> None:
    await typed(pilot, text)


async def tab_to_save(app, pilot, typed: dict[str, str]) -> list[str]:
    """Tab from the first field to Save, typing each value of typed into its field on the way;
    each field, as it takes the keys, is in view. Returns the keys of the fields passed."""
    passed = []
    for _ in range(40):
        focused = app.focused
        assert focused is not None
        assert in_view(app, focused), f"{focused} has the keys but is out of view"
        if isinstance(focused, Button) and focused.id == "save":
            return passed
        key = (focused.id or "").removeprefix("field-")
        passed.append(key)
        if key in typed:
            if isinstance(focused, (Input, TextArea)):
                focused.select_all()  # typing replaces what the field holds
            await type_text(pilot, typed[key])
        await press(pilot, "tab")
    raise AssertionError("Tab never reached Save")


Check = Callable[..., object]
FORMS: dict[str, tuple[str, list[str], dict[str, str], Check]] = {
    "programme edit": ("fixture", ["e"], {"sro": "Tracey Lee"},
                       lambda s, ids: s.programme(ids["cco"]).sro == "Tracey Lee"),
    "programme new": ("fixture", ["n"], {"code": "GRW", "name": "Growth"},
                      lambda s, ids: "GRW" in [r.programme.code for r in s.home_rows()]),
    "portfolio and programme new": (
        "empty", ["n"], {"portfolio_name": "Transformation", "status_date": "31 Mar 2014", "code": "CCO",
                         "name": "Centre"},
        lambda s, ids: [(p.name, p.status_date) for p in s.portfolios()]
        == [("Transformation", "2014-03-31")]),
    "project edit": ("fixture", ["enter", "e"], {"lead": "Tracey Lee"},
                     lambda s, ids: s.project(ids["crm"]).lead == "Tracey Lee"),
    "project new": ("fixture", ["enter", "n"], {"reference": "GAME_10", "name": "Libraries Review"},
                    lambda s, ids: "Libraries Review" in [p.name for p in s.projects(ids["cco"])]),
    "milestone edit": ("fixture", ["enter", "enter", "1", "e"], {"forecast": "30/09/2014"},
                       lambda s, ids: s.milestone(ids["milestones"]["case"]).forecast == "2014-09-30"),
    "milestone new": ("fixture", ["enter", "enter", "1", "n"],
                      {"name": "Decommission", "baseline": "2014-09-30"},
                      lambda s, ids: any(m.name == "Decommission" and m.baseline == "2014-09-30"
                                         for m in s.milestones(project_id=ids["crm"]))),
    "risk edit": ("fixture", ["enter", "enter", "2", "e"], {"owner": "PMO team"},
                  lambda s, ids: s.risk(ids["risks"]["supplier"]).owner == "PMO team"),
    "risk new": ("fixture", ["enter", "enter", "2", "n"], {"description": "Budget cut", "likelihood": "3",
                                                          "impact": "4"},
                 lambda s, ids: any(r.description == "Budget cut" and r.likelihood == 3
                                    for r in s.risks(project_id=ids["crm"]))),
    "saving edit": ("fixture", ["enter", "enter", "3", "e"], {"amount_text": "260K"},
                    lambda s, ids: s.saving(ids["savings"]["delivered"]).amount_text == "260K"),
    "saving new": ("fixture", ["enter", "enter", "3", "n"], {"amount": "1000"},
                   lambda s, ids: any(v.amount == 1000 for v in s.savings(project_id=ids["crm"]))),
}


@pytest.fixture
def db(built_fixture, tmp_path, monkeypatch) -> Callable[[str], tuple[Path, dict]]:
    from conftest import DB_NAME, copy_file

    from store import open_store

    def make(which: str) -> tuple[Path, dict]:
        monkeypatch.chdir(tmp_path)
        path = Path(DB_NAME)
        if which == "empty":
            open_store(path).close()
            return path, {}
        built, ids = built_fixture
        copy_file(built, path)
        return path, ids

    return make


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
@pytest.mark.parametrize("form", list(FORMS))
async def test_every_form_is_filled_and_saved_by_keys(db, form, size):
    """Tab walks every field to Save, each in view as it takes the keys; Enter on Save writes it."""
    which, keys, typed, check = FORMS[form]
    path, ids = db(which)
    async with started(path, size=size) as (app, pilot):
        await press(pilot, *keys)
        assert isinstance(app.screen, FormScreen)
        assert inside_screen(app, "#dialog"), "the whole form is inside the screen"
        assert inside_screen(app, "#save") and inside_screen(app, "#cancel")
        passed = await tab_to_save(app, pilot, typed)
        assert set(typed) <= set(passed)
        await press(pilot, "enter")
        assert not isinstance(app.screen, FormScreen), "\n".join(screen_lines(app))
    with fresh(path) as s:
        assert check(s, ids)


async def test_a_long_form_scrolls_to_keep_the_field_with_the_keys_in_view(db):
    """On a screen too short for the risk form (80x16), Tab scrolls each field into view, and
    shift+tab back up to the first."""
    path, _ids = db("fixture")
    async with started(path, size=(80, 16)) as (app, pilot):
        await press(pilot, "enter", "enter", "2", "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert not in_view(app, form.query_one("#field-status")), "too short for every field at once"
        passed = await tab_to_save(app, pilot, {})
        assert passed[-1] == "status"
        for _ in passed:
            await press(pilot, "shift+tab")
            await wait_until(pilot, lambda: in_view(app, app.focused), "the field with the keys in view")
        assert app.focused is form.query_one("#field-reference")


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
async def test_a_form_is_never_wider_than_the_screen_nor_sprawls(db, size):
    path, _ids = db("fixture")
    async with started(path, size=size) as (app, pilot):
        await press(pilot, "enter", "enter", "2", "e")
        dialog = app.screen.query_one("#dialog")
        assert inside_screen(app, "#dialog")
        assert dialog.region.width <= min(size[0], 100)
        assert dialog.region.height <= size[1]


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
async def test_the_reason_line_and_a_confirmation_fit(db, size):
    path, _ids = db("fixture")
    async with started(path, size=size) as (app, pilot):
        await press(pilot, "enter", "enter", "1", "down", "r")
        assert inside_screen(app, "#reason-bar") and inside_screen(app, "#reason")
        assert on_screen(app, "Enter saves, Escape cancels")
        await press(pilot, "escape", "2", "x")
        assert isinstance(app.screen, ConfirmScreen)
        assert inside_screen(app, "#dialog") and inside_screen(app, "#yes") and inside_screen(app, "#no")
        assert on_screen(app, "Close risk R1?")
        await press(pilot, "n")
        assert not isinstance(app.screen, ConfirmScreen)


# -- the top line -----------------------------------------------------------------------------------

def top_line(app) -> str:
    return screen_lines(app)[0]


def runs_of_top_line(app) -> list[str]:
    """The top line as the picture of the screen holds it: one text per differently styled run."""
    return [html.unescape(text).replace("\xa0", " ")
            for text in re.findall(r'clip-path="url\(#[\w-]+-line-0\)">([^<]*)</text>', screen_svg(app))]


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
async def test_the_top_line_keeps_the_file_and_the_status_dates_apart(db, size):
    path, _ids = db("fixture")
    async with started(path, size=size) as (app, _pilot):
        line = top_line(app)
        assert "fixture.db  │  " in line, line
        assert "31 Mar 2014" in line and "19 Nov 2015" in line, "every status date on the one line"
        if size == LARGE:
            assert "status dates: Transformation Portfolio 31 Mar 2014 · FutureFit 19 Nov 2015" in line
        # A picture of the screen (rsvg, as the README's) drops the spaces a styled run starts with.
        runs = runs_of_top_line(app)
        assert runs and not [run for run in runs if run.startswith(" ")], runs


async def test_at_80_columns_a_long_path_is_shortened_before_any_status_date(db, monkeypatch):
    path, _ids = db("fixture")
    folder = Path("board papers") / "2014" / "transformation"
    folder.mkdir(parents=True)
    target = folder / "plymouth-portfolio.db"
    path.rename(target)
    async with started(target, size=SMALL) as (app, _pilot):
        line = top_line(app)
        assert line.startswith("ragboard plymouth-") and "…  │  " in line, line
        assert "board papers" not in line, "the folders go before the file's own name is cut"
        assert "31 Mar 2014" in line and "19 Nov 2015" in line, line
    async with started(target, size=LARGE) as (app, _pilot):
        assert f"ragboard {target}  │  status dates: " in top_line(app)
