"""A user's session in a real terminal: the palette to a project, a milestone set Red with a reason."""
from __future__ import annotations

import shlex
import time
from collections.abc import Callable

import pytest

from store import open_store
from tests.e2e.terminal import Terminal, ragboard_command, seeded_file

pytestmark = pytest.mark.slow  # a whole session in a real terminal

PROJECT = "Growth and Assets"


def test_set_a_milestone_red_through_the_palette(tmp_path):
    db = seeded_file(tmp_path)
    with open_store(db) as store:
        project = next(h for h in store.search(PROJECT) if h.kind == "project")
        first = store.milestones(project_id=project.id)[0]
        assert first.status == "Not rated"

    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}", tmp_path)
    try:
        home = term.wait_for(" IHWB ")
        for code in ("CCO", "CST", "GAME", "P&OD", "IHWB", "P&C", "H54"):
            assert f" {code} " in home, home
        for programme in ("Health & Wellbeing", "Children and Families", "People and Communities"):
            assert programme in home, home
        term.send("C-p")
        term.wait_for("Search")
        term.type(PROJECT)
        term.wait_for(f"{PROJECT}")
        term.send("Enter")
        term.wait_for("Milestones")
        term.wait_for(first.name[:40])
        term.send("r")
        term.wait_for("Why?")
        term.type("Funding decision slipped")
        term.send("Enter")
        term.wait_for("Saved")
        term.send("q")
        assert term.exit_status() == 0
    finally:
        term.close()

    with open_store(db) as fresh:
        milestone = fresh.milestone(first.id)
        assert milestone.status == "Red"
        change = fresh.last_change("milestone", first.id)
        assert (change.field, change.old, change.new) == ("status", "Not rated", "Red")
        assert change.reason == "Funding decision slipped"


def test_a_milestone_set_red_in_a_project_shows_on_home_on_the_way_back(tmp_path):
    """Inside a project: a milestone set Red with a reason; Escape back to home, where the programme's
    row shows its new RAG and one more Red milestone, without a restart."""
    db = seeded_file(tmp_path)
    with open_store(db) as store:
        rows = store.home_rows()
        # The first programme not yet Red whose first project has a milestone, and that milestone.
        at, row, project, milestone = next(
            (i, row, projects[0], found[0]) for i, row in enumerate(rows) if row.programme.rolled_rag != "Red"
            for projects in [store.projects(row.programme.id)] if projects
            for found in [store.milestones(project_id=projects[0].id)] if found and found[0].status != "Red")
    code, red_before = row.programme.code, row.red_milestones

    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}", tmp_path)
    try:
        home = term.wait_for(f" {code} ")
        assert "Red" not in _row(home, code).split(), home
        for _ in range(at):
            term.send("Down")
        term.send("Enter")
        term.wait_for(project.name[:20])  # the programme's projects listed, the first selected
        term.send("Enter")
        term.wait_for(milestone.name[:30])
        term.send("r")
        term.wait_for("Why?")
        term.type("Supplier went into administration")
        term.send("Enter")
        term.wait_for("Saved")
        term.send("Escape")
        term.wait_for("Projects")
        term.send("Escape")
        term.wait_for("Risks R")  # home's heading
        home = _wait_for_row(term, code, lambda line: "Red" in line.split())
        line = _row(home, code)
        # after the RAG: DCA (not assessed), Proj, then Red
        assert line.split("Red", 1)[1].split()[2] == str(red_before + 1), line
        term.send("q")
        assert term.exit_status() == 0
    finally:
        term.close()

    with open_store(db) as fresh:
        assert fresh.milestone(milestone.id).status == "Red"
        assert fresh.home_rows()[at].red_milestones == red_before + 1


def _wait_for_row(term: Terminal, code: str, shows: Callable[[str], bool], timeout: float = 20.0) -> str:
    """The screen once the programme's row shows what is expected (home reads its rows again in the
    background when shown after a write); fails with the screen after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        screen = term.screen()
        rows = [line for line in screen.splitlines() if f" {code} " in line]  # none while rows are read
        if (len(rows) == 1 and shows(rows[0].replace("*", " "))) or time.monotonic() > deadline:
            return screen
        time.sleep(0.05)


def _row(screen: str, code: str) -> str:
    found = [line for line in screen.splitlines() if f" {code} " in line]
    assert len(found) == 1, screen
    return found[0].replace("*", " ")
