"""Settings in a real terminal: r remapped to R in the config file sets a milestone Red, plain r no
longer does; a theme chosen in the palette is there again after a restart; NO_COLOR keeps every RAG
readable by its letter."""
from __future__ import annotations

import os
import re
import shlex
import sqlite3
import time

import pytest

from store import open_store
from tests.e2e.terminal import Terminal, ragboard_command, seeded_file

pytestmark = pytest.mark.slow  # whole sessions in a real terminal


def _top_line_colours(term, differing_from=None, timeout=10.0):
    """The top line (the same text in every run) with the sequences that colour it: what a theme
    changes; once it differs from differing_from, if given."""
    deadline = time.monotonic() + timeout
    while True:
        line = term.screen_with_colours().splitlines()[0]
        if differing_from is None or line != differing_from:
            return line
        if time.monotonic() > deadline:
            raise AssertionError("the colours did not change")
        time.sleep(0.1)


def _status(db, milestone_id):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT status FROM milestone WHERE id = ?", (milestone_id,)).fetchone()[0]
    finally:
        con.close()


def test_a_remapped_key_and_a_chosen_theme_stay(tmp_path):
    db = seeded_file(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text('# my keys\n[keymap]\n"milestones.red" = "R"\n"owner.red" = "R"\n"home.red" = "R"\n')
    command = f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}"
    env = {"RAGBOARD_CONFIG": str(config)}

    term = Terminal(command, tmp_path, env=env)
    try:
        term.wait_steady(" IHWB ")
        default = _top_line_colours(term)
        term.send("m")
        screen = term.wait_for("All milestones")
        assert "R Red" in screen and "r Red" not in screen  # the footer shows the key as remapped
        lines = screen.splitlines()
        heading = next(i for i, line in enumerate(lines) if line.startswith("Milestone "))
        selected = lines[heading + 1].split("  ")[0].rstrip("…").strip()  # the first row has the cursor
        con = sqlite3.connect(db)
        first_id, = con.execute("SELECT id FROM milestone WHERE name LIKE ? || '%'", (selected,)).fetchone()
        con.close()
        assert _status(db, first_id) != "Red"
        term.send("r")
        term.send("F1")  # help opens: r did nothing first
        help_screen = term.wait_for("Keys:")
        assert "Why?" not in help_screen
        term.send("Escape")
        term.wait_until_gone("Keys:")
        term.send("R")
        term.wait_for("Why?")
        term.type("Supplier missed the date")
        term.send("Enter")
        term.wait_for("Saved")
        term.send("C-p")
        term.wait_for("Search")
        term.type("theme")
        term.wait_steady("Change the current theme")
        term.send("Enter")
        term.wait_steady("textual-light")  # the themes listed
        term.type("gruvbox")
        screen = term.wait_steady("gruvbox")
        lines = screen.splitlines()
        search = next(i for i, line in enumerate(lines) if "🔎" in line)
        assert next(line for line in lines[search + 1:] if line.strip()).strip() == "gruvbox", screen
        term.send("Enter")
        term.wait_until_gone("🔎")
        term.wait_steady("All milestones")
        themed = _top_line_colours(term, differing_from=default)
        term.send("q")
        term.send("q")
        assert term.exit_status() == 0
    finally:
        term.close()
    assert _status(db, first_id) == "Red"
    assert config.read_text().startswith("# my keys\n")
    assert 'theme = "gruvbox"' in config.read_text()

    again = Terminal(command, tmp_path, env=env)
    try:
        again.wait_steady(" IHWB ")
        assert _top_line_colours(again) == themed != default
        again.quit()
    finally:
        again.close()


# The 256-colour palette's greys (tmux passes colours on in it): black, white, the grey ramp.
GREYS = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def test_no_color_keeps_every_rag_readable_by_its_letter(tmp_path):
    db = seeded_file(tmp_path)
    with open_store(db) as store:
        first = store.home_rows()[0].programme
        store.set_programme_rag(first.id, first.version, "Red", "behind plan")
    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}", tmp_path,
                    env={"NO_COLOR": "1", "RAGBOARD_CONFIG": os.devnull})
    try:
        screen = term.wait_steady(" IHWB ")
        assert "R Red" in screen and "- Not rated" in screen and "RAG: R Red  A Amber  G Green" in screen
        colours = term.screen_with_colours()
        used = {int(n) for n in re.findall(r"[34]8;5;(\d+)", colours)}
        assert used and used <= GREYS, used - GREYS  # greys only: the letters carry the RAG
        assert not re.search(r"[34]8;2;|\x1b\[(?:3|4)[1-6]m", colours)
        term.quit()
    finally:
        term.close()
