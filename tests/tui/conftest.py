"""A small fixed portfolio for the screen tests: fixed status dates, fixed clock, fixed user.

The file is opened by a relative name from inside the test's own folder, so the path the top
bar shows is the same on every run.
"""
from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import html
import re
import shutil
import time
import unicodedata
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual import events
from textual.keys import key_to_character
from textual.worker import WorkerCancelled

from store import open_store

FIXED = dt.datetime(2014, 3, 31, 9, 30, tzinfo=dt.UTC)
DB_NAME = "fixture.db"
SIZE = (120, 36)


def clock():
    return FIXED


def build(path: Path) -> dict:
    """Two portfolios, three programmes, three projects, and their registers. Returns ids."""
    ids: dict = {}
    with open_store(path, who="builder", clock=clock) as s:
        plym = s.add_portfolio(name="Transformation Portfolio", organisation="Plymouth City Council",
                               status_date="2014-03-31")
        worc = s.add_portfolio(name="FutureFit", organisation="Worcestershire County Council",
                               status_date="2015-11-19")
        cco = s.add_programme(portfolio_id=plym.id, code="CCO", name="Co-operative Centre of Operations",
                              sro="David Trussler",
                              description="Customer contact, digital services and assets.")
        ppl = s.add_programme(portfolio_id=plym.id, code="PPL", name="People", sro="Carole Burgoyne")
        s.set_programme_rag(ppl.id, ppl.version, "Amber", "Care market fragile")
        dm = s.add_programme(portfolio_id=worc.id, code="DM", name="Demand Management", sro="Clare Marchant")
        crm = s.add_project(programme_id=cco.id, reference="GAME_08", name="Customer Services Transformation",
                            lead="Faye Batchelor", stage="Delivery",
                            description="One front door for council customers, by phone, web and in person.",
                            source="001_cbf3e5880ca2740d.txt", source_line="412")
        s.add_project(programme_id=cco.id, reference="GAME_09", name="Digital by Default",
                      lead="Giles Perritt", stage="Outline Business Case")
        wk1 = s.add_project(programme_id=dm.id, reference="DM1", name="Build Better Information",
                            lead="Rob Elliott", stage="Concept")
        m = {}
        m["case"] = s.add_milestone(project_id=crm.id, name="Business case approved", due_text="Q4 2013",
                                    baseline="2013-12-31", actual="2013-12-15", status="Complete")
        m["crm"] = s.add_milestone(project_id=crm.id, name="Procure new CRM", due_text="June 2014",
                                   baseline="2014-06-30", forecast="2014-08-31", status="Amber")
        m["live"] = s.add_milestone(project_id=crm.id, name="Go live phase 1", due_text="Q1 2014",
                                    baseline="2014-03-01", status="Red")
        m["staff"] = s.add_milestone(project_id=crm.id, name="Staff consultation", due_text="Jan 2014",
                                     baseline="2014-01-31", status="Green")
        s.add_milestone(programme_id=cco.id, name="Programme board sign-off", due_text="April 2014",
                        baseline="2014-04-30", status="Not rated")
        s.add_milestone(project_id=wk1.id, name="Data warehouse live", due_text="Dec 2015",
                        baseline="2015-12-31", status="Green")
        k = {}
        k["supplier"] = s.add_risk(project_id=crm.id, reference="R1",
                                   description="Supplier cannot deliver the CRM on time", owner="F Batchelor",
                                   likelihood=4, impact=5, residual_likelihood=3, residual_impact=3,
                                   mitigation="Weekly supplier reviews")
        k["double"] = s.add_risk(project_id=crm.id, reference="R2",
                                 description="Savings double counted across programmes", owner="PMO",
                                 likelihood=2, impact=3)
        k["staff"] = s.add_risk(project_id=crm.id, reference="R3", description="Staff resistance to change",
                                owner="HR", likelihood=3, impact=4, status="Closed")
        s.add_risk(programme_id=cco.id, reference="P1", description="Programme funding not confirmed",
                   owner="D Trussler", likelihood=3, impact=5)
        v = {}
        v["delivered"] = s.add_saving(project_id=crm.id, year="2013/14", amount=250000, amount_text="£250K",
                                      kind="saving", band="Green Delivered")
        v["target"] = s.add_saving(project_id=crm.id, year="2014/15", amount=500000, amount_text="£0.5m",
                                   kind="saving", band="Amber")
        v["cost"] = s.add_saving(project_id=crm.id, year="2014/15", amount=50000, kind="cost",
                                 band="Not rated", notes="CRM licences")
        s.add_saving(project_id=crm.id, year="2015/16", amount=100000, kind="income", band="Red")
        s.add_saving(programme_id=cco.id, year="2013/14", amount=75000, kind="cost avoidance",
                     band="Green On Target")
        ids.update(plym=plym.id, worc=worc.id, cco=cco.id, ppl=ppl.id, dm=dm.id, crm=crm.id, wk1=wk1.id,
                   milestones={k2: x.id for k2, x in m.items()}, risks={k2: x.id for k2, x in k.items()},
                   savings={k2: x.id for k2, x in v.items()})
    return ids


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> tuple[Path, dict]:
    """The fixture's file, built once for the session (each test gets a copy: building it through
    the store takes ~45 ms, copying it under 1 ms)."""
    path = tmp_path_factory.mktemp("built") / DB_NAME
    ids = build(path)
    return path, ids


def copy_file(source: Path, target: Path) -> None:
    """A closed ragboard file (and its -wal, if one is left) copied to target."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


@pytest.fixture
def fixture_db(built_fixture, tmp_path, monkeypatch) -> tuple[Path, dict]:
    monkeypatch.chdir(tmp_path)
    path = Path(DB_NAME)
    built, ids = built_fixture
    copy_file(built, path)
    return path, copy.deepcopy(ids)


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = Path(DB_NAME)
    open_store(path).close()
    return path


_BUILD_AHEAD = {"default": False}


@pytest.fixture(autouse=True)
def _build_ahead_as_marked(request):
    """Apps build screens ahead (as the ragboard command's does) in tests marked build_ahead; in the
    others not, which saves each ~0.2 s of CPU."""
    _BUILD_AHEAD["default"] = request.node.get_closest_marker("build_ahead") is not None
    yield
    _BUILD_AHEAD["default"] = False


def make_app(path: Path, *, read_only: bool | None = None, poll: float = 3600,
             build_ahead: bool | None = None, **options):
    """The app on a store of path (options: RagboardApp's own, e.g. collect_when_idle); it builds
    screens ahead if build_ahead, by default if the test is marked build_ahead."""
    from tui.app import RagboardApp

    store = open_store(path, who="tester", clock=clock, read_only=read_only)
    if build_ahead is None:
        build_ahead = _BUILD_AHEAD["default"]
    app = RagboardApp(store, build_ahead=build_ahead, **options)
    app.cursor_blink = False
    app.poll_seconds = poll
    app.filter_delay = 0  # the '/' filter at once, so a test's settle sees its result
    return app


def fresh(path: Path):
    """A new store on the same file: proves what reached the disk."""
    return open_store(path, who="checker", clock=clock)


SETTLE_ROUNDS = 50  # a round is one pause (at least 20 ms); a settle that needs more is a hang
REFRESH_SECONDS = 10  # a screen that has not refreshed by then never will


async def refreshed(pilot) -> None:
    """Until the screen has handled every message sent to it so far and refreshed, and so has run
    what its widgets asked to run after a refresh (Textual's call_after_refresh). An event, not a
    measure of idleness: it holds on a machine busy with other work."""
    app = pilot.app
    if not app.is_running:
        return
    screen = app.screen
    try:
        await asyncio.wait_for(screen.wait_for_refresh(), REFRESH_SECONDS)
    except TimeoutError:
        raise AssertionError(f"{screen!r} did not refresh within {REFRESH_SECONDS} s") from None


async def settle(pilot, rounds: int = SETTLE_ROUNDS) -> None:
    """Let the app finish what the last key started: wait for its workers, pause (Textual's own wait
    for the screen's messages, then for the process to go idle) and wait for the screen to refresh,
    until a round ends with no worker running. Fails, saying so, if the app is still busy after
    `rounds` rounds."""
    app = pilot.app
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):  # superseded by a newer one, which is waited for next
            await app.workers.wait_for_complete()
        await pilot.pause()
        await refreshed(pilot)
        # And what that refresh set going (a notice's toast mounting, say): the idle wait above can
        # end early on a machine whose cores are busy with other work.
        await pilot.pause(0)
        if not app.workers:
            return
    raise AssertionError(f"the app is still busy after {rounds} rounds: workers {list(app.workers)}")


_NAMED = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at", "hyphen_minus": "minus",
          "plus_sign": "plus", "low_line": "underscore"}  # as Textual names these characters' keys


def key_event(key: str) -> events.Key:
    """A key as the terminal sends it: by name ("enter", "slash", "ctrl+s") or a character typed."""
    if len(key) == 1 and not key.isalnum():
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        return events.Key(_NAMED.get(name, name), key)
    return events.Key(key, key_to_character(key))


async def press(pilot, *keys: str) -> None:
    """Press each key in turn, letting the app settle after each. Keys go to the app as the terminal
    sends them; Pilot.press would also wait for the process to go idle twice per key (40 ms at least),
    which settle's own wait covers."""
    for key in keys:
        pilot.app.post_message(key_event(key))
        await settle(pilot)


async def typed(pilot, text: str) -> None:
    """Type text, each character a key, settling after each (a whole word sent at once was once read
    half-typed on a machine busy with other work)."""
    await press(pilot, *text)


WAIT_SECONDS = 10  # what a test waits for and has not seen by then is not coming


async def wait_until(pilot, condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS):
    """Settle until condition() holds (a timer, a poll or a second layout that no settle waits for);
    fail naming what was awaited if it still does not after seconds."""
    give_up = time.monotonic() + seconds
    while True:
        await settle(pilot)
        if condition():
            return
        if time.monotonic() > give_up:
            raise AssertionError(f"waited {seconds} s and still not: {what}")
        await asyncio.sleep(0.01)


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                       r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')
_CELL_WIDTH = 12.2  # the SVG's width of one terminal cell


def screen_svg(app) -> str:
    """The screen as Textual exports it: every segment the terminal would be sent."""
    return app.export_screenshot()


def screen_lines(app) -> list[str]:
    """The screen's text, line by line, as a user reads it."""
    from rich.cells import cell_len

    rows: dict[int, str] = {}
    for x, line, text in _SVG_TEXT.findall(screen_svg(app)):
        column = round(float(x) / _CELL_WIDTH) - 1
        row = rows.get(int(line), "")
        row += " " * max(0, column - cell_len(row))
        rows[int(line)] = row + html.unescape(text).replace("\xa0", " ")
    return [rows.get(i, "") for i in range(max(rows, default=-1) + 1)]


def on_screen(app, text: str, *, wrapped: bool = False) -> bool:
    """The text is shown on one line of the screen (spaces aside: cells may split it); wrapped=True:
    on consecutive lines."""
    needle = "".join(text.split())
    lines = ["".join(line.split()) for line in screen_lines(app)]
    return needle in "".join(lines) if wrapped else any(needle in line for line in lines)


def notices(app) -> list[str]:
    """The notices (toasts) on screen, top first, each read off the screen as one line: its title,
    then its message. Only an app run with run_test(..., notifications=True) shows them."""
    lines = screen_lines(app)
    shown = []
    for toast in sorted(app.screen.query("Toast"), key=lambda toast: toast.region.y):
        region = toast.region
        rows = [line[line.rfind("▌") + 1:].strip() for line in lines[region.y:region.bottom]]
        shown.append(" ".join(row for row in rows if row))
    return shown


# Not the direction marks LRM, RLM and ALM: names keep them, and they are shown as typed.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def raw_controls(app) -> list[str]:
    """Control characters the screen would send to the terminal as they are (none, ever)."""
    return CONTROL.findall(screen_svg(app))


@asynccontextmanager
async def running(app, **options) -> AsyncIterator:
    """app.run_test(**options) -> pilot. Leaving run_test tears the app down without exit, which
    Textual cannot do to a screen whose widgets are still mounting: the app first finishes the
    screens it is building ahead, as its exit does."""
    async with app.run_test(**options) as pilot:
        try:
            yield pilot
        finally:
            await app.keeper.stop()


@asynccontextmanager
async def started(path: Path, *, size: tuple[int, int] = SIZE, notifications: bool = False,
                  **options) -> AsyncIterator[tuple]:
    """The app on this file, running at the test size (or size) and settled on its first screen:
    (app, pilot). options go to make_app (read_only, poll, ...); notifications=True shows notices."""
    app = make_app(path, **options)
    async with running(app, size=size, notifications=notifications) as pilot:
        await settle(pilot)
        yield app, pilot
