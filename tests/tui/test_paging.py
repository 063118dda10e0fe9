"""Lists longer than a page: PgDn, PgUp, End, Home, '/' and Enter on a file of 520 programmes, 520
projects in one programme and 520 milestones, each checked against the store.

Home and All milestones fetch their rows from the store a page at a time (40 and 50 rows); a
programme's projects come in one fetch and are paged only on screen. The file is built once for
the module through the store's import and copied for each test.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import DB_NAME, copy_file, fresh, on_screen, press, settle, started, wait_until

from store import open_store
from tui.screens.home import HomeScreen
from tui.screens.programme import ProgrammeScreen
from tui.screens.project import ProjectScreen

ROWS = 520  # programmes, projects of the first programme, milestones (one on each of those projects)
STATUSES = ["Red", "Amber", "Green", "Complete", "Not rated"]


def _tree() -> dict:
    projects = [{"reference": f"BIG/{j:03d}", "name": f"Project {j:03d}" + (" Harbour" if j % 9 == 0 else ""),
                 "lead": f"Lead {j % 17}", "stage": "Delivery",
                 "milestone": [{"name": f"Milestone {j:03d}" + (" Harbour" if j % 9 == 0 else ""),
                                "due_text": "June 2014", "due": "2014-06-30", "status": STATUSES[j % 5]}]}
                for j in range(1, ROWS + 1)]
    programmes = [{"code": f"P{i:03d}", "name": f"Programme {i:03d}" + (" Harbour" if i % 7 == 0 else ""),
                   "sro": f"SRO {i % 13}"} for i in range(1, ROWS + 1)]
    programmes[0]["project"] = projects
    return {"name": "Big Portfolio", "organisation": "Synthetic Council", "status_date": "2014-03-31",
            "programme": programmes}


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / DB_NAME
    with open_store(path, who="builder") as s:
        s.import_portfolio(_tree())
    return path


@pytest.fixture
def big_db(big_file, tmp_path, monkeypatch) -> Path:
    """A copy of the big file in the test's own folder, opened by a relative name."""
    copy_file(big_file, tmp_path / DB_NAME)
    monkeypatch.chdir(tmp_path)
    return Path(DB_NAME)


def _store_row(path: Path, fetch, index: int):
    with fresh(path) as s:
        (row,) = fetch(s, index)
    return row


def _home_row(path, index, text=None):
    return _store_row(path, lambda s, i: s.home_rows(i, 1, text), index)


def _milestone_row(path, index, text=""):
    return _store_row(path, lambda s, i: s.search_milestones(text, 1, i), index)


async def _loaded(pilot, vlist) -> None:
    """Until the row under the cursor has arrived from its page's worker."""
    await wait_until(pilot, lambda: vlist.selected is not None, f"row {vlist.cursor} is fetched")


async def test_home_pages_down_to_the_end_and_home_again(big_db):
    async with started(big_db) as (app, pilot):
        vlist = app.screen.list_widget()
        with fresh(big_db) as s:
            assert vlist.row_count == s.programme_count() == ROWS
        cursors = []
        for _ in range(4):
            await press(pilot, "pagedown")
            await _loaded(pilot, vlist)
            cursors.append(vlist.cursor)
            row = _home_row(big_db, vlist.cursor)
            assert vlist.selected.programme.id == row.programme.id
            assert on_screen(app, row.programme.name), "the selected row is in view"
        assert cursors == sorted(set(cursors)) and cursors[-1] > 40, "beyond the first page of 40"
        await press(pilot, "pageup")
        await _loaded(pilot, vlist)
        assert cursors[-2] <= vlist.cursor < cursors[-1]
        await press(pilot, "end")
        await _loaded(pilot, vlist)
        assert vlist.cursor == ROWS - 1
        last = _home_row(big_db, ROWS - 1)
        assert vlist.selected.programme.id == last.programme.id and on_screen(app, last.programme.name)
        await press(pilot, "up", "up")
        assert vlist.selected.programme.id == _home_row(big_db, ROWS - 3).programme.id
        await press(pilot, "home")
        assert vlist.cursor == 0
        assert vlist.selected.programme.code == "P001" and on_screen(app, "Programme 001")


async def test_enter_beyond_the_first_page_opens_that_programme(big_db):
    async with started(big_db) as (app, pilot):
        vlist = app.screen.list_widget()
        await press(pilot, "pagedown", "pagedown", "pagedown")
        await _loaded(pilot, vlist)
        index = vlist.cursor
        assert index > 40
        expected = _home_row(big_db, index).programme
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgrammeScreen) and app.screen.record.id == expected.id
        assert on_screen(app, expected.name)


async def test_filter_across_pages_then_end_and_enter(big_db):
    async with started(big_db) as (app, pilot):
        home = app.screen
        vlist = home.list_widget()
        await pilot.press("slash", *"harbour")
        await settle(pilot)
        with fresh(big_db) as s:
            matches = s.programme_count("harbour")
        assert matches == ROWS // 7 == vlist.row_count, "every seventh programme, across all the pages"
        await press(pilot, "enter")  # keep the filter, back to the list
        await press(pilot, "end")
        await _loaded(pilot, vlist)
        last = _home_row(big_db, matches - 1, "harbour").programme
        assert last.code == f"P{ROWS // 7 * 7:03d}" and vlist.selected.programme.id == last.id
        await press(pilot, "pageup")
        await _loaded(pilot, vlist)
        assert vlist.selected.programme.id == _home_row(big_db, vlist.cursor, "harbour").programme.id
        await press(pilot, "end", "enter")
        assert isinstance(app.screen, ProgrammeScreen) and app.screen.record.id == last.id
        await press(pilot, "escape")
        assert app.screen is home and vlist.row_count == matches, "the filter is kept"
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen) and vlist.row_count == ROWS


async def test_a_programme_of_520_projects_pages_and_opens_the_one_chosen(big_db):
    with fresh(big_db) as s:
        programme = s.home_rows(0, 1)[0].programme
        projects = [row.project for row in s.project_rows(programme.id)]
    assert len(projects) == ROWS
    async with started(big_db) as (app, pilot):
        await press(pilot, "enter")
        table = app.screen.active_panel().table
        assert table.row_count == ROWS
        await press(pilot, "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        index = table.cursor
        assert index > 100 and table.selected.row.project.id == projects[index].id
        assert on_screen(app, projects[index].name)
        await press(pilot, "end")
        assert table.selected.row.project.id == projects[-1].id and on_screen(app, projects[-1].name)
        await press(pilot, "home", "pagedown", "pagedown", "pagedown")
        chosen = projects[table.cursor]
        await press(pilot, "enter")
        assert isinstance(app.screen, ProjectScreen) and app.screen.record.id == chosen.id
        assert on_screen(app, chosen.name)


async def test_all_milestones_pages_filters_and_opens_a_milestone_far_down(big_db):
    async with started(big_db) as (app, pilot):
        await press(pilot, "m")
        screen = app.screen
        vlist = screen.list_widget()
        with fresh(big_db) as s:
            assert vlist.row_count == s.milestone_count() == ROWS
        assert on_screen(app, f"All milestones: {ROWS}")
        for _ in range(3):
            await press(pilot, "pagedown")
        await _loaded(pilot, vlist)
        assert vlist.cursor > 50, "beyond the first page of 50"
        milestone, _ = _milestone_row(big_db, vlist.cursor)
        assert vlist.selected[0].id == milestone.id and on_screen(app, milestone.name)
        await press(pilot, "end")
        await _loaded(pilot, vlist)
        last, _ = _milestone_row(big_db, ROWS - 1)
        assert vlist.selected[0].id == last.id and on_screen(app, last.name)

        await pilot.press("slash", *"harbour")
        await settle(pilot)
        with fresh(big_db) as s:
            assert vlist.row_count == s.milestone_count("harbour") == ROWS // 9
        await press(pilot, "enter", "end")
        await _loaded(pilot, vlist)
        chosen, _ = _milestone_row(big_db, ROWS // 9 - 1, "harbour")
        assert vlist.selected[0].id == chosen.id
        await press(pilot, "enter")
        assert isinstance(app.screen, ProjectScreen) and app.screen.record.id == chosen.project_id
        assert app.screen.active_panel().selected.id == chosen.id
        assert on_screen(app, chosen.name)


async def test_home_sort_keeps_the_cursor_on_a_programme_beyond_the_first_page(big_db):
    """The store sorts the 520 programmes; the row under the cursor is found again in the new order,
    pages after the first read to find it, and the list scrolls to it."""
    async with started(big_db) as (app, pilot):
        vlist = app.screen.list_widget()
        await press(pilot, "pagedown", "pagedown", "pagedown")
        await _loaded(pilot, vlist)
        chosen = vlist.selected.programme
        assert vlist.cursor > 40, "beyond the first page of 40"
        await press(pilot, "s", "c", "S")  # by code, then reversed: P520 first
        await wait_until(pilot, lambda: vlist.selected is not None
                         and vlist.selected.programme.id == chosen.id, "the cursor is on the same programme")
        with fresh(big_db) as s:
            codes = [row.programme.code for row in s.home_rows(0, ROWS, sort="code", descending=True)]
        assert vlist.cursor == codes.index(chosen.code)
        assert on_screen(app, chosen.name)
        await press(pilot, "enter")
        assert isinstance(app.screen, ProgrammeScreen) and app.screen.record.id == chosen.id


async def test_a_new_filter_keeps_the_unfiltered_count_until_the_file_changes(big_db, monkeypatch):
    """Typing a filter asks the store for the matches only: every row is counted once when the list
    is read, not at every keystroke; a change made in another window is counted again."""
    from store.store import Store

    counted: list[str] = []
    count = Store.milestone_count

    def counting(self, text="", *, only=None, stop=None):
        counted.append(text)
        return count(self, text, only=only, stop=stop)

    monkeypatch.setattr(Store, "milestone_count", counting)
    async with started(big_db, poll=0.1) as (app, pilot):
        await press(pilot, "m")
        opened = len(counted)
        assert opened and set(counted) == {""}
        await press(pilot, "slash", *"harb")
        assert on_screen(app, f"holding 'harb': {ROWS // 9} of {ROWS}")
        await press(pilot, "escape", "slash", *"milestone")
        assert on_screen(app, f"holding 'milestone': {ROWS} of {ROWS}")
        assert "" not in counted[opened:], counted
        with fresh(big_db) as other:
            first, _owner = other.search_milestones("", 1)[0]
            other.add_milestone(project_id=first.project_id, name="Harbour wall")
        await wait_until(pilot, lambda: on_screen(app, f"holding 'milestone': {ROWS} of {ROWS + 1}"),
                         "the new milestone counted")


async def test_a_filters_first_rows_show_while_its_matches_are_still_counted(big_db, monkeypatch):
    """All milestones shows a filter's first page at once and says it is counting; the count follows
    (held back here until the rows are seen, as a count over a million rows would be)."""
    import threading

    from store.store import Store

    release = threading.Event()
    count = Store.milestone_count

    def slow(self, text="", *, only=None, stop=None):
        if text:
            assert release.wait(10), "the test never let the count finish"
        return count(self, text, only=only, stop=stop)

    monkeypatch.setattr(Store, "milestone_count", slow)
    async with started(big_db) as (app, pilot):
        await press(pilot, "m")
        app.screen.list_widget().set_filter("milestone")
        first, _ = _milestone_row(big_db, 0, "milestone")
        give_up = time.monotonic() + 10
        while not on_screen(app, "holding 'milestone': counting…") and time.monotonic() < give_up:
            await pilot.pause()  # not settle: it would wait for the count held back
        shown = on_screen(app, "holding 'milestone': counting…") and on_screen(app, first.name)
        release.set()
        assert shown, "the first rows were on screen while the count was held back"
        await settle(pilot)
        assert on_screen(app, f"holding 'milestone': {ROWS} of {ROWS}")


async def test_typing_on_gives_up_the_count_of_what_was_typed_before(big_db, monkeypatch):
    """A count still running when the filter changes is given up (the store is asked to stop), so the
    new filter's rows do not wait for it."""
    from store import Abandoned
    from store.store import Store

    count = Store.milestone_count
    ended: list[str] = []

    def endless(self, text="", *, only=None, stop=None):
        if text != "milestone":
            return count(self, text, only=only)
        give_up = time.monotonic() + 5
        while stop is None or not stop():  # a count over every row, until it is no longer wanted
            if time.monotonic() > give_up:
                ended.append("never given up")
                return 0
            time.sleep(0.005)
        ended.append("given up")
        raise Abandoned()

    monkeypatch.setattr(Store, "milestone_count", endless)
    async with started(big_db) as (app, pilot):
        await press(pilot, "m")
        vlist = app.screen.list_widget()
        vlist.set_filter("milestone")
        give_up = time.monotonic() + 10
        while not on_screen(app, "holding 'milestone': counting…") and time.monotonic() < give_up:
            await pilot.pause()  # not settle: it would wait for the count
        vlist.set_filter("milestone 00")
        await settle(pilot)
        assert on_screen(app, f"holding 'milestone 00': 9 of {ROWS}")
    assert ended == ["given up"]
