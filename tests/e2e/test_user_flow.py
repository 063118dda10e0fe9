"""A user's session in a real terminal: the palette to a project, a milestone set Red with a reason."""
from __future__ import annotations

import shlex
import subprocess

import pytest

from store import open_store
from tests.e2e.terminal import Terminal, ragboard_command

pytestmark = pytest.mark.slow  # a whole session in a real terminal

PROJECT = "Growth and Assets"


def test_set_a_milestone_red_through_the_palette(tmp_path):
    db = tmp_path / "board.db"
    seeded = subprocess.run([ragboard_command(), "seed", "--db", str(db)], capture_output=True, text=True,
                            check=False)
    assert seeded.returncode == 0, seeded.stderr
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
