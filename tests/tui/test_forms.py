"""Forms as a user meets them: dates in words, hints that read as hints, Escape that asks before
throwing typing away, and the store's warnings shown as the values are typed. Each at 80x24 and
160x45, checked on the screen and through a fresh store."""
from __future__ import annotations

import html
import re
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import fresh, on_screen, press, screen_svg, settle, started, typed
from textual.widgets import Input

from tui import forms
from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen
from tui.screens.project import ProjectScreen

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
MILESTONES, RISKS = "1", "2"



async def open_form(pilot, tab: str, *keys: str) -> FormScreen:
    """From home: into the first project, to a tab, then keys (e.g. down, e)."""
    await press(pilot, "enter", "enter", tab, *keys)
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    return screen


@asynccontextmanager
async def form_on(path, size, tab: str, *keys: str):
    """The app on this file at this size, with open_form's form open: yields (app, pilot, form)."""
    async with started(path, size=size) as (app, pilot):
        yield app, pilot, await open_form(pilot, tab, *keys)


async def to_field(pilot, key: str) -> None:
    """Tab to a field (the keys a user presses), its text selected so typing replaces it."""
    app = pilot.app
    for _ in range(20):
        if app.focused is not None and app.focused.id == f"field-{key}":
            if isinstance(app.focused, Input):
                app.focused.select_all()
            return
        await press(pilot, "tab")
    raise AssertionError(f"Tab never reached {key}")


async def type_into(pilot, key: str, text: str) -> None:
    await to_field(pilot, key)
    await typed(pilot, text)


def field_value(app, key: str) -> str:
    widget = app.screen.query_one(f"#field-{key}")
    assert isinstance(widget, Input)
    return widget.value


def history_size(path: Path) -> int:
    with fresh(path) as s:
        return len(s.history(limit=10_000))


_STYLE = re.compile(r"\.(terminal-[\w-]+)\s*\{([^}]*)\}")
_TEXT = re.compile(r'<text class="([\w-]+)"[^>]*>([^<]*)</text>')


def drawn_in(app, text: str) -> set[str]:
    """The CSS of the cells the text is drawn in on screen (italic, dim, colours), as declared in
    the exported screen: one string of declarations for each style it is drawn in."""
    svg = screen_svg(app)
    styles = dict(_STYLE.findall(svg))
    return {styles.get(cls, "") for cls, shown in _TEXT.findall(svg)
            if text in html.unescape(shown).replace("\xa0", " ")}


# -- one date style -----------------------------------------------------------------------------------

@SIZES
async def test_dates_show_in_words_and_a_form_left_as_shown_saves_nothing(fixture_db, size):
    path, ids = fixture_db
    before = history_size(path)
    async with form_on(path, size, MILESTONES, "down", "e") as (app, pilot, form):
        assert form.title_text == "Edit milestone Procure new CRM"
        assert field_value(app, "baseline") == "30 Jun 2014"
        assert field_value(app, "forecast") == "31 Aug 2014"
        assert on_screen(app, "30 Jun 2014") and not on_screen(app, "2014-06-30")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
    assert history_size(path) == before, "nothing was written"
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert (m.baseline, m.forecast, m.version) == ("2014-06-30", "2014-08-31", 1)


@SIZES
@pytest.mark.parametrize("typed", ["2014-09-30", "30/09/2014", "30 Sep 2014", "30 September 2014"])
async def test_a_date_is_taken_in_every_style_the_store_reads(fixture_db, size, typed):
    path, ids = fixture_db
    async with form_on(path, size, MILESTONES, "down", "e") as (app, pilot, _form):
        await type_into(pilot, "forecast", typed)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
        await press(pilot, "e")
        assert field_value(app, "forecast") == "30 Sep 2014", "shown in words when opened again"
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).forecast == "2014-09-30"


@SIZES
async def test_a_date_field_says_every_style_it_takes(fixture_db, size):
    path, _ids = fixture_db
    async with form_on(path, size, MILESTONES, "down", "e") as (_app, pilot, _form):
        await to_field(pilot, "forecast")
        assert on_screen(pilot.app, "A date, as 30 Jun 2025, 30/06/2025 or 2025-06-30")


# -- hints read as hints --------------------------------------------------------------------------------

@SIZES
async def test_an_empty_date_shows_an_example_drawn_as_a_hint(fixture_db, size):
    """An empty date field's placeholder starts "e.g." and is drawn dim and italic, unlike a value."""
    path, _ids = fixture_db
    async with form_on(path, size, MILESTONES, "down", "e") as (app, _pilot, _form):  # no actual date yet
        assert field_value(app, "actual") == ""
        assert on_screen(app, "once done, e.g. 30 Jun 2025")
        (hint,) = drawn_in(app, "once done, e.g. 30 Jun 2025")
        assert "font-style: italic" in hint
        (value,) = drawn_in(app, "31 Aug 2014")
        assert "italic" not in value


def test_every_example_in_every_form_follows_e_g():
    """A placeholder that shows a value shows it as an example: after "e.g.", dates in words."""
    every = [*forms.FIELDS.values(), forms.NEW_PORTFOLIO, forms.PORTFOLIO, forms.STATUS_DATE]
    placeholders = {f.placeholder for fields in every for f in fields if f.placeholder}
    for text in placeholders:
        ranges = re.sub(r"\b\d+ to \d+\b", "", text)  # "1 to 5" is what a rating takes, not an example
        if any(ch.isdigit() for ch in ranges):
            assert "e.g. " in text, text
            assert not re.search(r"\d+/\d+/\d{4}|\d{4}-\d\d-\d\d", text), f"a date not in words: {text}"
    assert forms.placeholder("whole pounds: 250000") == "whole pounds, e.g. 250000"
    assert forms.placeholder("2016/17") == "e.g. 2016/17"
    assert forms.placeholder("30/06/2025 once done", date=True) == "once done, e.g. 30 Jun 2025"


# -- Escape asks before throwing typing away --------------------------------------------------------------

@SIZES
async def test_escape_on_a_changed_form_asks_and_no_keeps_what_was_typed(fixture_db, size):
    path, ids = fixture_db
    before = history_size(path)
    async with form_on(path, size, MILESTONES, "down", "e") as (app, pilot, form):
        await pilot.press(*"Retender")
        await settle(pilot)
        await type_into(pilot, "forecast", "30/09/2014")
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert on_screen(app, "Discard your changes to milestone Procure new CRM?")
        assert on_screen(app, "You changed Name and Forecast", wrapped=True)
        await press(pilot, "n")
        assert app.screen is form, "the form is back"
        assert (field_value(app, "name"), field_value(app, "forecast")) == ("Retender", "30/09/2014")
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "escape")  # Escape on the question is no, too
        assert app.screen is form and field_value(app, "name") == "Retender"
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, ProjectScreen)
    assert history_size(path) == before
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).name == "Procure new CRM"


@SIZES
async def test_escape_on_an_unchanged_form_closes_it_at_once(fixture_db, size):
    path, _ids = fixture_db
    async with form_on(path, size, RISKS, "e") as (app, pilot, _form):
        await press(pilot, "escape")
        assert isinstance(app.screen, ProjectScreen)
        await press(pilot, "n")  # a new risk, its defaults untouched
        assert isinstance(app.screen, FormScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ProjectScreen)


async def test_escape_on_a_new_form_with_typing_asks_about_the_new_record(fixture_db):
    path, _ids = fixture_db
    async with form_on(path, (80, 24), MILESTONES, "n") as (app, pilot, _form):
        await pilot.press(*"Launch")
        await settle(pilot)
        await press(pilot, "escape")
        assert on_screen(app, "Discard your changes to the new milestone?")
        await press(pilot, "y")
        assert isinstance(app.screen, ProjectScreen)
        await press(pilot, "n")
        assert field_value(app, "name") == "", "a new form starts empty again"


# -- warnings in the form, never refusals ------------------------------------------------------------------

@SIZES
async def test_a_residual_score_above_the_inherent_warns_as_a_field_is_left_and_saves(fixture_db, size):
    path, ids = fixture_db
    async with form_on(path, size, RISKS, "e") as (app, pilot, form):
        assert form.title_text == "Edit risk R1"  # 4x5 = 20, residual 3x3
        assert not on_screen(app, "Warning:")
        await type_into(pilot, "residual_likelihood", "5")
        await type_into(pilot, "residual_impact", "5")
        await press(pilot, "tab")  # leaving the field asks the store
        assert on_screen(app, "Warning: Residual score 25 is above the inherent score 20", wrapped=True)
        assert isinstance(app.screen, FormScreen), "a warning is not a refusal: the form is still open"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen), "and saving still works"
    with fresh(path) as s:
        k = s.risk(ids["risks"]["supplier"])
        assert (k.residual_likelihood, k.residual_impact) == (5, 5)


@SIZES
async def test_a_milestone_warns_of_an_actual_date_after_the_status_date(fixture_db, size):
    path, ids = fixture_db
    async with form_on(path, size, MILESTONES, "down", "e") as (app, pilot, form):
        assert form.title_text == "Edit milestone Procure new CRM"  # status date 31 Mar 2014
        await type_into(pilot, "actual", "30/04/2014")
        await press(pilot, "tab")
        assert on_screen(app, "Warning: Actual date 30 Apr 2014 is after the status date 31 Mar 2014",
                         wrapped=True)
        await type_into(pilot, "actual", "15/03/2014")
        await press(pilot, "tab")
        assert not on_screen(app, "Warning:"), "the warning goes once the date is put right"
        await press(pilot, "ctrl+s")
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).actual == "2014-03-15"


async def test_a_form_opened_on_a_green_milestone_that_is_overdue_says_so_at_once(fixture_db):
    path, _ids = fixture_db
    async with form_on(path, (80, 24), MILESTONES, "down", "down", "down", "e") as (app, _pilot, form):
        assert form.title_text == "Edit milestone Staff consultation"  # Green, baseline 31 Jan 2014
        assert on_screen(app, "Warning: Green, but overdue", wrapped=True)


# -- the portfolio form -------------------------------------------------------------------------------

@SIZES
async def test_the_portfolio_form_shows_its_status_date_in_words_and_saves_its_risk_matrix(fixture_db, size):
    path, ids = fixture_db
    async with started(path, size=size) as (app, pilot):
        with fresh(path) as s:
            portfolio = s.portfolio(ids["worc"])
        submit = forms.edit_submit(app, portfolio, forms.PORTFOLIO, app.store.edit_portfolio)
        app.open_form(f"Edit portfolio {portfolio.name}", forms.PORTFOLIO,
                      forms.values_of(portfolio, forms.PORTFOLIO), submit)
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert field_value(app, "status_date") == "19 Nov 2015"
        assert (field_value(app, "green_max"), field_value(app, "red_min")) == ("6", "20")
        for label in ("Name", "Organisation", "Status date", "Green up to", "Red from"):
            assert on_screen(app, label)
        await type_into(pilot, "red_min", "16")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormScreen)
    with fresh(path) as s:
        saved = s.portfolio(ids["worc"])
        assert (saved.red_min, saved.green_max, saved.status_date) == (16, 6, "2015-11-19")
