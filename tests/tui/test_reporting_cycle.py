"""The reporting cycle by keys: delivery confidence set with d, a period closed from the palette, the
trend shown against it, and w listing what changed since; each checked through a fresh store."""
from __future__ import annotations

from conftest import fresh, notices, on_screen, press, settle, started, typed, wait_until
from test_flows import palette_search

from tui.screens.changes import ChangesSinceScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.dca import DcaChooser
from tui.screens.form import FormScreen
from tui.screens.home import HomeScreen
from tui.screens.programme import ProgrammeScreen


async def test_d_sets_a_programmes_delivery_confidence_with_a_reason(fixture_db):
    path, ids = fixture_db
    async with started(path, size=(160, 45), notifications=True) as (app, pilot):
        await press(pilot, "d")
        assert isinstance(app.screen, DcaChooser)
        assert on_screen(app, "Successful delivery appears probable")  # the IPA's words, in the chooser
        await press(pilot, "down", "down", "down", "enter")  # Green, Amber/Green, Amber, Amber/Red
        assert isinstance(app.screen, HomeScreen)
        await typed(pilot, "contractor withdrew")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: on_screen(app, "delivery confidence is now Amber/Red"), "the notice")
    with fresh(path) as s:
        cco = s.programme(ids["cco"])
        assert (cco.dca, cco.dca_reason, cco.rag) == ("Amber/Red", "contractor withdrew", None)


async def test_escape_in_the_chooser_or_at_the_reason_writes_nothing(fixture_db):
    path, ids = fixture_db
    with fresh(path) as s:
        before = len(s.history(limit=10_000))
    async with started(path) as (app, pilot):
        await press(pilot, "d", "escape")
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "d", "5", "escape")  # Red picked, then no reason given: nothing is written
        assert isinstance(app.screen, HomeScreen)
    with fresh(path) as s:
        assert len(s.history(limit=10_000)) == before and s.programme(ids["cco"]).dca is None


async def test_d_on_the_projects_tab_sets_the_projects_and_elsewhere_the_programmes(fixture_db):
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgrammeScreen)
        await press(pilot, "d", "1", "enter")  # the selected project (GAME_08): Green
        await press(pilot, "2", "d", "3", "enter")  # on the Milestones tab: the programme, Amber
        await wait_until(pilot, lambda: on_screen(app, "DCA  A Amber"), "the header's DCA")
    with fresh(path) as s:
        assert s.project(ids["crm"]).dca == "Green"
        assert s.programme(ids["cco"]).dca == "Amber"


async def test_a_period_closed_from_the_palette_then_trends_and_changes_since(fixture_db):
    path, ids = fixture_db
    async with started(path, size=(160, 45), notifications=True) as (app, pilot):
        await palette_search(pilot, "Close period: Transformation")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert on_screen(app, "Close the period to 31 Mar 2014 of Transformation Portfolio?")
        await press(pilot, "y")
        await wait_until(pilot, lambda: on_screen(app, "30 Apr 2014"), "the new status date on screen")
        with fresh(path) as s:
            (period,) = s.periods()
            assert period.ends == "2014-03-31"
            assert s.portfolio(ids["plym"]).status_date == "2014-04-30"
        await press(pilot, "g")  # CCO (Red) set Green by hand: better than it was
        await typed(pilot, "recovered")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: on_screen(app, "↑ was R"), "the trend against the period")
        await press(pilot, "w")
        assert isinstance(app.screen, ChangesSinceScreen)
        await settle(pilot)
        assert on_screen(app, "What changed in Transformation Portfolio since the period to 31 Mar 2014")
        assert on_screen(app, "recovered") and on_screen(app, "(derived) -> Green")


async def test_the_palette_writes_a_board_report_and_a_workbook(fixture_db, tmp_path):
    path, _ids = fixture_db
    report, book = tmp_path / "board.html", tmp_path / "registers.xlsx"
    async with started(path, size=(160, 45), notifications=True) as (app, pilot):
        for command, out in (("Write board report", report), ("Export workbook", book)):
            await palette_search(pilot, command)
            await press(pilot, "enter")
            assert isinstance(app.screen, FormScreen)
            app.screen.query_one("#field-path").value = str(out)
            await press(pilot, "ctrl+s")
            await wait_until(pilot, lambda o=out: o.exists() and any(
                n.startswith("Written") and o.name in n.replace(" ", "") for n in notices(app)),
                f"{out} written")
        # a file name of another kind is refused in the form, and nothing is written
        await palette_search(pilot, "Write board report")
        await press(pilot, "enter")
        app.screen.query_one("#field-path").value = str(tmp_path / "board.txt")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormScreen) and on_screen(app, "must end in .md, .html or .pdf")
    assert "Co-operative Centre of Operations" in report.read_text(encoding="utf-8")
    from openpyxl import load_workbook

    assert "Programmes" in load_workbook(book).sheetnames
    assert not (tmp_path / "board.txt").exists()
