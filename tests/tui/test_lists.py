"""The lists' own drawing and the screens kept between visits: colours, tabs, styles, messages."""
from __future__ import annotations

import pytest
from conftest import notices, press, settle, started, wait_until
from textual.screen import Screen

from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen

pytestmark = pytest.mark.build_ahead  # as the ragboard command runs: screens built ahead


def _segments_of(vlist, needle: str):
    """The segments of the first drawn line holding needle."""
    for y in range(vlist.size.height):
        strip = vlist.render_line(y)
        if needle in "".join(segment.text for segment in strip):
            return list(strip)
    raise AssertionError(f"no line holds {needle!r}")


def _style_of(segments, text: str):
    return next(segment.style for segment in segments if text in segment.text)


async def test_home_list_draws_rag_colours(fixture_db):
    """A RAG cell keeps its colour in the paged list (a cell's own style is not left to Rich)."""
    async with started(fixture_db[0]) as (app, _pilot):
        vlist = app.screen.list_widget()
        amber = _style_of(_segments_of(vlist, "People"), "A Amber")
        assert amber.bgcolor is not None and amber.bgcolor.triplet.hex == "#ffb300"
        assert amber.bold


async def test_programme_lists_draw_rag_colours_and_right_aligned_figures(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter")
        vlist = app.screen.active_panel().table
        segments = _segments_of(vlist, "GAME_08")
        assert _style_of(segments, "R Red").bgcolor.triplet.hex == "#b71c1c"
        line = "".join(segment.text for segment in segments)
        # Risks (5 wide) and the net savings with their year are right-aligned in their columns.
        assert "    2 " in line and line.rstrip().endswith("£250,000 2013/14")


async def test_tabs_switch_with_number_keys_and_show_only_their_list(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter", "enter")
        screen = app.screen
        assert isinstance(screen, ProjectScreen) and screen.active_tab == "milestones"
        await press(pilot, "2")
        shown = [panel.id for panel in screen.query("Panel") if panel.display]
        assert shown == ["panel-risks"] and screen.active_tab == "risks"
        assert [r.reference for r in screen.active_panel().table.records] == ["R1", "R2", "R3"]
        assert app.focused is screen.active_panel().table
        await press(pilot, "shift+tab")
        assert screen.active_tab == "milestones"
        assert [p.id for p in screen.query("Panel") if p.display] == ["panel-milestones"]


async def test_tab_bar_click_switches_tab(fixture_db):
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter")
        bar = app.screen.query_one("#tab-bar")
        # " 1 Projects " " 2 Milestones " " 3 Risks ": column 30 falls in the third title.
        await pilot.click("#tab-bar", offset=(30, 0))
        await settle(pilot)
        assert app.screen.active_tab == "risks" and bar.active == 2


async def test_other_tabs_are_fetched_when_first_shown(fixture_db):
    """A screen opens with its first list only; a tab's list comes from the file when shown."""
    path, ids = fixture_db
    async with started(path) as (app, pilot):
        await press(pilot, "enter", "enter")
        screen = app.screen
        assert set(screen.data) == {"milestones"}
        from store import open_store

        with open_store(path, who="other") as other:  # another window adds a saving meanwhile
            other.add_saving(project_id=ids["crm"], year="2016/17", amount=1234, kind="saving",
                             band="Amber")
        await press(pilot, "3")
        assert 1234 in [s.amount for s in screen.active_panel().table.records]


async def test_kept_screen_takes_a_new_theme(fixture_db):
    """A programme screen kept from an earlier visit is drawn in the theme chosen since."""
    async with started(fixture_db[0]) as (app, pilot):
        await press(pilot, "enter")
        kept = app.screen
        before = kept.query_one("KeyBar").styles.background
        await press(pilot, "escape")
        app.theme = "textual-light"
        await settle(pilot)
        await press(pilot, "enter")
        assert app.screen is kept and isinstance(kept, ProgrammeScreen)
        after = kept.query_one("KeyBar").styles.background
        assert after != before


async def test_screens_are_not_styled_again_when_shown_unless_the_theme_changed(fixture_db, monkeypatch):
    """Textual restyles every widget of a screen pushed into view (30-60 ms); a screen just mounted,
    or shown before in the same theme, keeps its styles: the programme screen, a form, help."""
    restyled = []
    original = Screen.update_node_styles

    def spy(self, animate: bool = True) -> None:
        restyled.append(type(self).__name__)
        original(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", spy)
    async with started(fixture_db[0]) as (app, pilot):
        restyled.clear()
        await press(pilot, "enter", "e")
        assert type(app.screen).__name__ == "FormScreen"
        await press(pilot, "escape", "question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await press(pilot, "escape", "escape", "enter")
        assert isinstance(app.screen, ProgrammeScreen)
        assert restyled == []
        await press(pilot, "escape")
        app.theme = "textual-light"
        await settle(pilot)
        restyled.clear()
        await press(pilot, "enter")
        assert restyled == ["ProgrammeScreen"]  # styled when it was hidden under a theme since changed


async def test_saves_in_a_row_leave_one_saved_message(fixture_db):
    async with started(fixture_db[0], notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter")
        for key in ("r", "enter", "down", "g", "enter", "down", "a", "enter"):
            await press(pilot, key)
        assert [n for n in notices(app) if n.startswith("Saved")] == ["Saved Go live phase 1: Amber."]


async def test_the_milestone_form_is_built_ahead_and_shown_by_e(fixture_db, monkeypatch):
    """Built hidden once home is up, like the programme and project screens: the first e of a
    session does not wait for a form to be built and its kinds of field to be styled."""
    from tui.screens.form import FormScreen

    made: list[FormScreen] = []
    original = FormScreen.__init__

    def note_each_form(self, *args, **kwargs) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FormScreen, "__init__", note_each_form)
    async with started(fixture_db[0]) as (app, pilot):
        # the screens are built one at a time, 0.1 s apart, once home is painted
        await wait_until(pilot, lambda: made and made[0].is_mounted, "a form is built ahead")
        form = made[0]
        assert form not in app.screen_stack
        await press(pilot, "enter", "enter", "e")
        assert app.screen is form and made == [form]
