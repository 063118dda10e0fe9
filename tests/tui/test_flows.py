"""Flows driven by keys, each checked through a fresh store on the same file."""
from __future__ import annotations

import pytest
from conftest import fresh, notices, press, settle, started, typed, wait_until

from tui.screens.confirm import ConfirmScreen
from tui.screens.form import FormScreen
from tui.screens.home import HomeScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen

pytestmark = pytest.mark.build_ahead  # as the ragboard command runs: screens built ahead


async def open_project(pilot) -> ProjectScreen:
    await settle(pilot)
    await press(pilot, "enter", "enter")
    assert isinstance(pilot.app.screen, ProjectScreen)
    return pilot.app.screen


async def type_text(pilot, text: str) -> None:
    await typed(pilot, text)


async def palette_search(pilot, text: str) -> None:
    """Open the palette, type text, and wait for its hits to be listed."""
    await press(pilot, "ctrl+p")
    await type_text(pilot, text)
    await wait_until(pilot, lambda: palette_hits(pilot.app), f"the palette lists hits for {text!r}")


def palette_hits(app) -> list[str]:
    """The hits the command palette lists (none when it is not open)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return []
    return [str(option.prompt) for option in lists.first().options if option.id != "--no-matches"]


def set_field(app, key: str, value: str) -> None:
    from textual.widgets import Input, Select, TextArea

    widget = app.screen.query_one(f"#field-{key}")
    if isinstance(widget, Select):
        widget.value = value
    elif isinstance(widget, TextArea):
        widget.text = value
    else:
        assert isinstance(widget, Input)
        widget.value = value


def fill(app, **values: str) -> None:
    """Set each of the form's fields named to its value, as typed."""
    for key, value in values.items():
        set_field(app, key, value)


def error_text(app, key: str) -> str:
    widget = app.screen.query_one(f"#error-{key}")
    return str(widget.render()) if widget.display else ""


def asking_reason(app) -> bool:
    """The reason line is showing at the foot of the screen and has the keys."""
    bars = app.screen.query("#reason-bar")
    return bool(bars) and bars.first().display and app.focused is not None and app.focused.id == "reason"


def notes(app) -> str:
    """The notices on screen, as one line (the app is run with notifications=True)."""
    return " | ".join(notices(app))


# -- milestone status ------------------------------------------------------------------------

# c asks for the date the milestone was done, in a form (tests/tui/test_keys.py), not a reason line.
@pytest.mark.parametrize("key,status", [("r", "Red"), ("a", "Amber"), ("g", "Green")])
async def test_set_status_with_reason(fixture_db, key, status):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "down")  # Procure new CRM (Amber)
        assert screen.active_panel().selected.name == "Procure new CRM"
        await press(pilot, key)
        assert asking_reason(app)
        await type_text(pilot, "board on 3 March")
        await press(pilot, "enter")
        assert isinstance(app.screen, ProjectScreen)
        assert not asking_reason(app) and app.focused is screen.active_panel().table
        # the row shows the new status at once
        assert screen.active_panel().selected.status == status
        assert "saved" in notes(app).lower() or status in notes(app)
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert m.status == status
        if status != "Amber":
            last = s.history(item=("milestone", m.id), limit=1)[0]
            assert last.field == "status" and last.new == status and last.reason == "board on 3 March"
            assert last.who == "tester"


@pytest.mark.parametrize("key,status", [("r", "Red"), ("a", "Amber"), ("g", "Green")])
async def test_set_status_without_reason(fixture_db, key, status):
    path, ids = fixture_db
    async with started(path) as (_app, pilot):
        await open_project(pilot)
        await press(pilot, "down", "down", "down")  # Staff consultation (Green)
        await press(pilot, key, "enter")
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["staff"])
        assert m.status == status
        if status != "Green":
            assert s.history(item=("milestone", m.id), limit=1)[0].reason == ""


async def test_escape_cancels_the_reason_and_changes_nothing(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, "r")
        assert asking_reason(app)
        await type_text(pilot, "not this")
        await press(pilot, "escape")
        assert isinstance(app.screen, ProjectScreen)
        assert not asking_reason(app)
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["case"]).status == "Complete"


# -- milestones: edit, add, delete -------------------------------------------------------------

async def test_edit_milestone(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "down", "e")
        assert isinstance(app.screen, FormScreen)
        set_field(app, "forecast", "30/09/2014")
        set_field(app, "name", "Procure and configure new CRM")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
        assert screen.active_panel().selected.name == "Procure and configure new CRM"
    with fresh(path) as s:
        m = s.milestone(ids["milestones"]["crm"])
        assert m.name == "Procure and configure new CRM"
        assert m.forecast == "2014-09-30"
        assert m.slippage_days == 92


async def test_a_form_opened_again_shows_the_next_record_and_nothing_of_the_last(fixture_db):
    """One form of each layout is kept and filled again for the next record."""
    from tui import forms

    path, _ids = fixture_db
    # Not built ahead: an e pressed while the milestone form is still being built hidden gets a form of
    # its own, and the next e the one built ahead (the test of building ahead is in test_lists).
    async with started(path, build_ahead=False) as (app, pilot):
        screen = await open_project(pilot)
        first = screen.active_panel().selected
        await press(pilot, "e")
        form = app.screen
        set_field(app, "baseline", "31/02/2014")
        set_field(app, "notes", "typed, then abandoned")
        await press(pilot, "ctrl+s")
        assert "not a real date" in error_text(app, "baseline")
        await press(pilot, "escape", "y", "down")  # discarded, after the question
        second = screen.active_panel().selected
        assert second.id != first.id
        await press(pilot, "e")
        assert app.screen is form, "the kept form is shown again"
        assert second.name in str(form.query_one("#dialog-title").render())
        assert form.collect() == forms.values_of(second, forms.MILESTONE)
        assert error_text(app, "baseline") == ""
        assert app.focused is form.query_one("#field-name")
        await press(pilot, "escape", "e")  # the name kept the keys: no focus change selects its text
        assert app.screen is form
        assert app.focused.selected_text == second.name, "typing replaces the name, as in a new form"
        set_field(app, "name", "Renamed in the kept form")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        assert s.milestone(second.id).name == "Renamed in the kept form"
        assert s.milestone(first.id) == first


async def test_add_milestone_typed(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Decommission old system")
        set_field(app, "due_text", "Q3 2014")
        set_field(app, "baseline", "30 Sep 2014")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
        assert [m.name for m in screen.active_panel().table.records][-1] == "Decommission old system"
    with fresh(path) as s:
        names = {m.name: m for m in s.milestones(project_id=ids["crm"])}
        assert names["Decommission old system"].baseline == "2014-09-30"
        assert names["Decommission old system"].status == "Not rated"


async def test_delete_milestone_after_confirmation(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, "down", "down", "x")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # no: nothing happens
        await press(pilot, "x")
        await press(pilot, "y")
    with fresh(path) as s:
        names = [m.name for m in s.milestones(project_id=ids["crm"])]
        assert "Go live phase 1" not in names and len(names) == 3


# -- risks ---------------------------------------------------------------------------------

async def test_edit_risk(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "2")
        assert screen.active_panel().kind == "risk"
        await press(pilot, "end", "e")  # risks by score, highest first: R2 (2 x 3) is last
        assert screen.active_panel().selected.reference == "R2"
        set_field(app, "likelihood", "5")
        set_field(app, "impact", "4")
        await press(pilot, "ctrl+s")
        assert screen.active_panel().selected.score == 20
    with fresh(path) as s:
        k = s.risk(ids["risks"]["double"])
        assert (k.likelihood, k.impact, k.score, k.rag) == (5, 4, 20, "Red")


async def test_add_risk(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, "2", "n")
        fill(app, reference="R4", description="Network outage during go-live", likelihood="2", impact="5")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProjectScreen)
    with fresh(path) as s:
        risks = {k.reference: k for k in s.risks(project_id=ids["crm"])}
        assert risks["R4"].description == "Network outage during go-live"
        assert risks["R4"].score == 10 and risks["R4"].status == "Open"


async def test_close_risk(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "2", "x")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert screen.active_panel().selected.status == "Closed"
    with fresh(path) as s:
        assert s.risk(ids["risks"]["supplier"]).status == "Closed"


# -- savings -------------------------------------------------------------------------------

async def test_edit_saving(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, "3", "down", "e")
        set_field(app, "amount", "£650,000")
        set_field(app, "band", "Green On Target")
        await press(pilot, "ctrl+s")
    with fresh(path) as s:
        v = s.saving(ids["savings"]["target"])
        assert (v.amount, v.band) == (650000, "Green On Target")


async def test_add_saving_defaults_to_the_status_date_year(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, "3", "n")
        set_field(app, "amount", "120000")
        await press(pilot, "ctrl+s")
    with fresh(path) as s:
        added = [v for v in s.savings(project_id=ids["crm"]) if v.amount == 120000]
        assert len(added) == 1 and added[0].year == "2013/14" and added[0].kind == "saving"


async def test_delete_saving(fixture_db):
    path, ids = fixture_db
    async with started(path) as (_app, pilot):
        await open_project(pilot)
        await press(pilot, "3", "down", "down", "x", "y")
    with fresh(path) as s:
        assert ids["savings"]["cost"] not in {v.id for v in s.savings(project_id=ids["crm"])}


# -- undo and redo -------------------------------------------------------------------------

async def test_undo_and_redo(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "down", "r", "enter")
        with fresh(path) as s:
            assert s.milestone(ids["milestones"]["crm"]).status == "Red"
        await press(pilot, "u")
        assert screen.active_panel().selected.status == "Amber"
        with fresh(path) as s:
            assert s.milestone(ids["milestones"]["crm"]).status == "Amber"
        await press(pilot, "ctrl+y")
        with fresh(path) as s:
            assert s.milestone(ids["milestones"]["crm"]).status == "Red"
        await press(pilot, "ctrl+z")
        with fresh(path) as s:
            assert s.milestone(ids["milestones"]["crm"]).status == "Amber"
        assert "Undone" in notes(app)


# -- filter --------------------------------------------------------------------------------

async def test_filter_home_then_enter_selects_first_match(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        home = app.screen
        assert isinstance(home, HomeScreen)
        await press(pilot, "slash")
        await type_text(pilot, "demand")
        vlist = home.list_widget()
        assert vlist.row_count == 1
        await press(pilot, "enter")
        assert app.focused is vlist
        assert vlist.selected.programme.code == "DM"
        await press(pilot, "escape")  # clears the filter
        assert vlist.row_count == 3 and isinstance(app.screen, HomeScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgrammeScreen)


async def test_filter_milestones_and_escape_clears_then_goes_back(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "live")
        table = screen.active_panel().table
        assert table.row_count == 1
        await press(pilot, "enter")
        assert table.selected.name == "Go live phase 1"
        await press(pilot, "escape")
        assert table.row_count == 4 and isinstance(app.screen, ProjectScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ProgrammeScreen)


# -- palette -------------------------------------------------------------------------------

async def test_palette_jumps_to_a_project(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        await palette_search(pilot, "Digital")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
        assert app.screen.record.name == "Digital by Default"


async def test_palette_lists_a_name_holding_brackets_as_typed(fixture_db):
    """Names are plain text in the palette: '[2]' or '[/]' is not read as markup."""
    path, ids = fixture_db
    with fresh(path) as s:
        s.add_project(programme_id=ids["cco"], reference="BR_1", name="Phase [2] rollout [/]",
                      lead="Sam", stage="Concept")
    async with started(path) as (app, pilot):
        await palette_search(pilot, "BR_1")
        from tui.commands import JumpPalette

        assert isinstance(app.screen, JumpPalette)
        from textual.widgets import OptionList

        prompts = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        assert any("Phase [2] rollout [/]" in prompt for prompt in prompts), prompts
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen) and app.screen.record.name == "Phase [2] rollout [/]"


async def test_palette_changes_a_status_date(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await palette_search(pilot, "Status date: FutureFit")
        await press(pilot, "enter")
        assert isinstance(app.screen, FormScreen)
        set_field(app, "status_date", "31/12/2015")
        await press(pilot, "ctrl+s")
    with fresh(path) as s:
        assert s.portfolio(ids["worc"]).status_date == "2015-12-31"


# -- programmes and projects ------------------------------------------------------------------

async def test_set_programme_rag_by_hand_and_back_to_derived(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "g")
        await type_text(pilot, "recovery plan agreed")
        await press(pilot, "enter")
        with fresh(path) as s:
            p = s.programme(ids["cco"])
            assert (p.rag, p.rag_reason, p.rag_is_derived) == ("Green", "recovery plan agreed", False)
        assert app.screen.list_widget().selected.programme.rag == "Green"
        await press(pilot, "c", "enter")
    with fresh(path) as s:
        p = s.programme(ids["cco"])
        assert p.rag is None and p.rolled_rag == "Red" and p.rag_is_derived


async def test_edit_programme_and_add_project(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "e")
        set_field(app, "sro", "Tracey Lee")
        await press(pilot, "ctrl+s")
        assert app.screen.list_widget().selected.programme.sro == "Tracey Lee"
        await press(pilot, "enter", "n")
        set_field(app, "name", "Libraries Review")
        set_field(app, "reference", "GAME_10")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProgrammeScreen)
    with fresh(path) as s:
        assert s.programme(ids["cco"]).sro == "Tracey Lee"
        assert "Libraries Review" in [p.name for p in s.projects(ids["cco"])]


async def test_edit_project_stage(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "e")
        set_field(app, "stage", "Closed")
        await press(pilot, "ctrl+s")
    with fresh(path) as s:
        assert s.project(ids["crm"]).stage == "Closed"


async def test_empty_file_adds_portfolio_and_programme(empty_db):
    async with started(empty_db) as (app, pilot):
        assert app.screen.query_one("#welcome").display
        await press(pilot, "n")
        set_field(app, "portfolio_name", "Transformation Portfolio")
        set_field(app, "status_date", "31/03/2014")
        set_field(app, "code", "CCO")
        set_field(app, "name", "Co-operative Centre of Operations")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#welcome").display
        assert app.screen.list_widget().row_count == 1
    with fresh(empty_db) as s:
        (portfolio,) = s.portfolios()
        assert portfolio.status_date == "2014-03-31"
        assert [r.programme.code for r in s.home_rows()] == ["CCO"]


# -- bad input: message beside the field, file unchanged -------------------------------------------

def _change_count(path) -> int:
    with fresh(path) as s:
        return len(s.history(limit=10_000))


@pytest.mark.parametrize("tab,key,field,value,words", [
    ("1", "e", "baseline", "31/02/2014", "not a real date"),
    ("1", "n", "name", "", "cannot be blank"),
    ("2", "e", "likelihood", "7", "1 to 5"),
    ("2", "n", "description", "", "cannot be blank"),
    ("3", "e", "year", "2014/16", "not a financial year"),
    ("3", "n", "amount", "12.50", "no pence"),
])
async def test_project_forms_refuse_bad_input(fixture_db, tab, key, field, value, words):
    path, _ids = fixture_db
    before = _change_count(path)
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, tab, key)
        set_field(app, field, value)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen), "the form stays open"
        assert words in error_text(app, field)
    assert _change_count(path) == before


async def test_programme_form_refuses_blank_code(fixture_db):
    path, _ids = fixture_db
    before = _change_count(path)
    async with started(path) as (app, pilot):
        await press(pilot, "n")
        set_field(app, "name", "Growth")
        await press(pilot, "ctrl+s")
        assert "cannot be blank" in error_text(app, "code")
        await press(pilot, "escape")
    assert _change_count(path) == before


async def test_project_form_refuses_blank_name(fixture_db):
    path, _ids = fixture_db
    before = _change_count(path)
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "e")
        set_field(app, "name", "   ")
        await press(pilot, "ctrl+s")
        assert "cannot be blank" in error_text(app, "name")
    assert _change_count(path) == before


async def test_new_portfolio_form_refuses_bad_status_date(empty_db):
    async with started(empty_db) as (app, pilot):
        await press(pilot, "n")
        set_field(app, "portfolio_name", "Transformation Portfolio")
        set_field(app, "status_date", "someday")
        set_field(app, "code", "CCO")
        set_field(app, "name", "Centre")
        await press(pilot, "ctrl+s")
        assert "not a date" in error_text(app, "status_date")
    with fresh(empty_db) as s:
        assert s.portfolios() == [] and s.is_empty()


# -- read-only, conflicts, other instances -------------------------------------------------------

async def test_read_only_file_refuses_edits_and_says_why(fixture_db):
    path, _ids = fixture_db
    before = _change_count(path)
    async with started(path, read_only=True, notifications=True) as (app, pilot):
        assert app.screen.query_one("#read-only-banner").display
        await press(pilot, "r")
        assert not asking_reason(app)
        await press(pilot, "enter", "enter", "r", "e", "n", "x", "u")
        assert isinstance(app.screen, ProjectScreen)
        assert "read-only" in notes(app)
    assert _change_count(path) == before


async def test_conflict_shows_who_and_reloads(fixture_db):
    path, ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "down")
        with fresh(path) as other:
            m = other.milestone(ids["milestones"]["crm"])
            other.set_milestone_status(m.id, m.version, "Green", "from the other laptop")
        await press(pilot, "r", "enter")
        assert "changed by checker" in notes(app)
        await settle(pilot)
        assert screen.active_panel().selected.status == "Green"
    with fresh(path) as s:
        assert s.milestone(ids["milestones"]["crm"]).status == "Green"


async def test_changes_from_another_instance_appear_without_a_key(fixture_db):
    path, ids = fixture_db
    async with started(path, poll=0.1) as (app, pilot):
        with fresh(path) as other:
            p = other.programme(ids["cco"])
            other.edit_programme(p.id, p.version, name="Centre of Operations")

        def renamed() -> bool:
            row = app.screen.list_widget().row_at(0)
            return row is not None and row.programme.name == "Centre of Operations"

        await wait_until(pilot, renamed, "home shows the programme renamed in another window")


async def test_help_lists_the_screen_keys(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        await open_project(pilot)
        await press(pilot, "question_mark")
        text = " ".join(f"{key} {does}" for key, does in app.screen.rows)
        for words in ("Complete", "Undo", "Redo", "Filter", "Back", "Delete"):  # x deletes a milestone
            assert words in text
        await press(pilot, "escape")
        assert isinstance(app.screen, ProjectScreen)


# -- '/' takes the keys typed straight after it ---------------------------------------------

async def test_keys_typed_straight_after_slash_go_to_the_filter(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        await pilot.press("slash", "p", "e", "o")  # no pause between: 'e' must not open the edit form
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.screen.filter_box().value == "peo"
        assert app.screen.list_widget().row_count == 1
        await pilot.press("escape", "slash", "d", "m")  # escape clears; '/' straight after opens it again
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert app.screen.filter_box().value == "dm"
        assert app.screen.list_widget().selected.programme.code == "DM"


async def test_keys_typed_straight_after_escape_go_to_the_list(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (_app, pilot):
        screen = await open_project(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "live")
        await pilot.press("escape", "down")  # the list has focus again at once
        await settle(pilot)
        assert screen.filter_box().value == ""
        assert screen.active_panel().selected.name == "Procure new CRM"


# -- all milestones ----------------------------------------------------------------------------

async def open_all_milestones(pilot):
    from tui.screens.milestones import MilestonesScreen

    await settle(pilot)
    await press(pilot, "m")
    assert isinstance(pilot.app.screen, MilestonesScreen)
    return pilot.app.screen


async def test_all_milestones_lists_every_milestone_of_every_portfolio(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        screen = await open_all_milestones(pilot)
        vlist = screen.list_widget()
        with fresh(path) as s:
            expected = [m.name for m, _ in s.search_milestones("", 100)]
        assert vlist.row_count == len(expected) == 6
        assert [vlist.row_at(i)[0].name for i in range(vlist.row_count)] == expected
        where = {vlist.row_at(i)[0].name: vlist.row_at(i)[1] for i in range(vlist.row_count)}
        assert where["Procure new CRM"] == "Customer Services Transformation"
        assert where["Programme board sign-off"] == "Co-operative Centre of Operations"
        assert where["Data warehouse live"] == "Build Better Information"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_all_milestones_filter_as_you_type(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (_app, pilot):
        screen = await open_all_milestones(pilot)
        await pilot.press("slash", "l", "i", "v", "e")  # straight after '/': every key reaches the filter
        await settle(pilot)
        vlist = screen.list_widget()
        assert sorted(vlist.row_at(i)[0].name for i in range(vlist.row_count)) == \
            ["Data warehouse live", "Go live phase 1"]
        await press(pilot, "escape")
        assert vlist.row_count == 6 and screen.filter_box().value == ""


async def test_all_milestones_enter_opens_the_project_with_the_milestone_selected(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_all_milestones(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "consultation")
        await press(pilot, "enter", "enter")  # keep the filter, then open the row
        assert isinstance(app.screen, ProjectScreen)
        assert app.screen.record.id == ids["crm"]
        assert app.screen.active_panel().selected.name == "Staff consultation"
        assert app.focused is app.screen.active_panel().table


async def test_all_milestones_enter_opens_a_programme_milestone_on_its_tab(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await open_all_milestones(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "board")
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, ProgrammeScreen)
        assert app.screen.record.id == ids["cco"]
        panel = app.screen.active_panel()
        assert panel.kind == "milestone" and panel.selected.name == "Programme board sign-off"


@pytest.mark.parametrize("key,status", [("r", "Red"), ("a", "Amber"), ("g", "Green")])
async def test_all_milestones_sets_a_status(fixture_db, key, status):
    path, _ids = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        screen = await open_all_milestones(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "sign-off")
        await press(pilot, "enter", key)
        assert asking_reason(app)
        await type_text(pilot, "checked at board")
        await press(pilot, "enter")
        assert app.screen is screen
        assert screen.list_widget().selected[0].status == status  # the row shows it at once
        assert notes(app).startswith("Saved ")
    with fresh(path) as s:
        m = next(m for m, _ in s.search_milestones("sign-off", 5))
        assert m.status == status
        last = s.history(item=("milestone", m.id), limit=1)[0]
        assert last.new == status and last.reason == "checked at board"


async def test_palette_opens_all_milestones(fixture_db):
    from tui.screens.milestones import MilestonesScreen

    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        await palette_search(pilot, "All milestones")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, MilestonesScreen)


async def test_all_milestones_key_is_in_the_footer_and_help(fixture_db):
    path, _ids = fixture_db
    async with started(path) as (app, pilot):
        from tui.widgets.keybar import KeyBar

        assert "m Milestones" in str(app.screen.query_one(KeyBar).render())
        binding = next(a.binding for a in app.screen.active_bindings.values()
                       if a.binding.action == "all_milestones")
        assert binding.id == "home.milestones"
        await press(pilot, "question_mark")
        assert ("m", binding.tooltip) in app.screen.rows


async def test_a_programme_screen_shown_again_shows_the_next_programme_whole(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "2", "slash")
        await type_text(pilot, "board")
        first = app.screen
        assert isinstance(first, ProgrammeScreen) and first.record.id == ids["cco"]
        await press(pilot, "enter")  # the filter is kept
        app.pop_screen()  # back home with the filter still set
        await settle(pilot)
        await press(pilot, "down", "down", "enter")  # DM
        assert app.screen is first and first.record.id == ids["dm"]
        panel = first.active_panel()
        assert panel.kind == "project" and [r.row.project.name for r in panel.table.records] == \
            ["Build Better Information"]
        assert panel.table.row_count == 1 and panel.table.filter_text == ""
        assert not first.filter_box().display
        await press(pilot, "2")  # the milestones tab shows DM's (none), not CCO's filtered list
        assert first.active_panel().table.row_count == 0
