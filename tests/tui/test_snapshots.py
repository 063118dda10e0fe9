"""Every screen, tab and dialog at 120x36 on the fixture file, with a fixed clock and theme."""
from __future__ import annotations

import pytest
from conftest import SIZE, fresh, make_app, press, settle

pytestmark = pytest.mark.build_ahead  # as the ragboard command runs: screens built ahead


def shot(snap_compare, app, *keys, then=None):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, *keys)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def fill(**values):
    async def run(pilot):
        for key, value in values.items():
            pilot.app.screen.query_one(f"#field-{key}").value = value
        await settle(pilot)
    return run


def test_home(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]))


def test_home_filtered(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "slash", "p", "e", "o")


def test_empty_file_welcome(snap_compare, empty_db):
    assert shot(snap_compare, make_app(empty_db))


def test_empty_file_new_programme_form(snap_compare, empty_db):
    assert shot(snap_compare, make_app(empty_db), "n")


def test_read_only_banner(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0], read_only=True), "r")


@pytest.mark.parametrize("tab", ["1", "2", "3", "4", "5"])
def test_programme_tabs(snap_compare, fixture_db, tab):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", tab)


@pytest.mark.parametrize("tab", ["1", "2", "3", "4"])
def test_project_tabs(snap_compare, fixture_db, tab):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", tab)


def test_project_residual_heat_map(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "2", "t")


def test_reason_prompt(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "down", "r")


def test_status_saved(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "down", "r", "enter")


def test_confirm_close_risk(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "2", "x")


def test_help(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "question_mark")


@pytest.mark.parametrize("tab", ["1", "2", "3"])
def test_project_item_forms(snap_compare, fixture_db, tab):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", tab, "e")


def test_new_milestone_form(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "n")


def test_programme_form(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "e")


def test_project_form(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "e")


def test_validation_message(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "down", "e",
                then=_then(fill(forecast="31/02/2014"), "ctrl+s"))


def _then(first, *keys):
    async def run(pilot):
        await first(pilot)
        await press(pilot, *keys)
    return run


def test_conflict_message(snap_compare, fixture_db):
    path, ids = fixture_db

    async def other_laptop(pilot):
        with fresh(path) as other:
            m = other.milestone(ids["milestones"]["crm"])
            other.set_milestone_status(m.id, m.version, "Green", "from the other laptop")
        await press(pilot, "r", "enter")

    assert shot(snap_compare, make_app(path), "enter", "enter", "down", then=other_laptop)


def test_selection_history(snap_compare, fixture_db):
    path, _ids = fixture_db

    async def open_history(pilot):
        pilot.app.show_selection_history()

    assert shot(snap_compare, make_app(path), "enter", "enter", "down", "r", "enter", then=open_history)


def test_all_milestones(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "m")


def test_all_milestones_filtered(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "m", "slash", "l", "i", "v", "e")


# -- the smallest and a large terminal -------------------------------------------------------------

SIZES = {"80x24": (80, 24), "160x45": (160, 45)}
SCREENS = {
    "home": (),
    "programme": ("enter",),
    "project-milestones": ("enter", "enter", "1"),
    "project-risks": ("enter", "enter", "2"),
    "project-savings": ("enter", "enter", "3"),
    "project-history": ("enter", "enter", "down", "r", "enter", "4"),
    "all-milestones": ("m",),
    "milestone-form": ("enter", "enter", "down", "e"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_at_each_size(snap_compare, fixture_db, screen, size):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, *SCREENS[screen])

    assert snap_compare(make_app(fixture_db[0]), terminal_size=SIZES[size], run_before=run_before)


# -- dialogs added since -------------------------------------------------------------------------

def test_change_detail(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "down", "r", "enter", "4", "enter")


def test_sort_chooser(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "2", "s")


def test_quick_filter_red(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "f")


def test_portfolio_form(snap_compare, fixture_db):
    async def open_form(pilot):
        pilot.app.edit_portfolio(pilot.app.store.portfolios()[0])

    assert shot(snap_compare, make_app(fixture_db[0]), then=open_form)


def test_complete_asks_for_the_actual_date(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "enter", "enter", "down", "c")


# -- delivery confidence and the reporting period ---------------------------------------------------

def _period_closed_then_changed(path, ids) -> None:
    """Each portfolio's period closed; then CCO's DCA set worse and its RAG set by hand, with reasons."""
    with fresh(path) as s:
        cco = s.programme(ids["cco"])
        s.set_programme_dca(cco.id, cco.version, "Amber/Green", "funding agreed")
        for portfolio in s.portfolios():
            s.close_period(portfolio.id, portfolio.version)
        cco = s.set_programme_dca(cco.id, s.programme(cco.id).version, "Amber/Red", "contractor withdrew")
        s.set_programme_rag(cco.id, cco.version, "Amber", "recovery plan agreed")


def test_dca_chooser(snap_compare, fixture_db):
    assert shot(snap_compare, make_app(fixture_db[0]), "d")


def test_home_with_trends_after_a_period(snap_compare, fixture_db):
    _period_closed_then_changed(*fixture_db)
    assert shot(snap_compare, make_app(fixture_db[0]))


def test_programme_header_with_trends(snap_compare, fixture_db):
    _period_closed_then_changed(*fixture_db)
    assert shot(snap_compare, make_app(fixture_db[0]), "enter")


def test_what_changed_since_the_period(snap_compare, fixture_db):
    _period_closed_then_changed(*fixture_db)
    assert shot(snap_compare, make_app(fixture_db[0]), "w")
