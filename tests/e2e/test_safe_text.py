"""Names typed as markup, and escape sequences written into the file by another program, in a real
terminal: shown as typed, never read as markup, never acted on by the terminal."""
from __future__ import annotations

import shlex
import sqlite3
import subprocess

import pytest

from store import open_store
from tests.e2e.terminal import Terminal, ragboard_command

pytestmark = pytest.mark.slow  # a whole session in a real terminal

TITLE = "ragboard-was-here"
ESCAPES = f"\x1b]0;{TITLE}\x07\x1b]2;{TITLE}\x07\x1b[2J"


def pane_title(term: Terminal) -> str:
    command = ["tmux", "-L", term.socket, "display-message", "-p", "-t", term.name, "#{pane_title}"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def test_markup_names_and_escape_sequences_show_as_text(tmp_path):
    db = tmp_path / "board.db"
    with open_store(db) as store:
        portfolio = store.add_portfolio(name="Transformation", status_date="2014-03-31")
        programme = store.add_programme(portfolio_id=portfolio.id, code="CCO", name="Customer Operations")
        project = store.add_project(programme_id=programme.id, name="Front door", reference="GAME_08")
    command = f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}"

    with Terminal(command, tmp_path) as term:
        term.wait_for("Customer Operations")
        term.send("Enter")
        term.wait_for("Front door")
        term.send("Enter")
        term.wait_for("No milestones yet")
        for name in ("[/]", "[bold red]x[/]"):
            term.send("n")
            term.wait_for("New milestone")
            term.type(name)
            term.send("C-s")
            term.wait_for("Milestone added")
        screen = term.wait_for("[bold red]x[/]")
        assert "[/]" in screen.replace("[bold red]x[/]", "")
        term.send("Up", "r")  # the prompt, the save and its message all name "[/]"
        term.wait_for("Set '[/]' to Red")
        term.send("Enter")
        term.wait_for("[/]: Red.")
        term.send("Down", "e")
        term.wait_for("Edit milestone [bold red]x[/]")
        term.send("Escape")  # alone: ESC and a key straight after it read as alt+key
        term.wait_until_gone("Edit milestone")
        term.quit()

    with open_store(db) as store:
        names = {m.name: m for m in store.milestones(project_id=project.id)}
        assert set(names) == {"[/]", "[bold red]x[/]"} and names["[/]"].status == "Red"
        target = names["[bold red]x[/]"].id
    conn = sqlite3.connect(db)
    with conn:  # as another program would write it
        conn.execute("UPDATE milestone SET name = ? WHERE id = ?", (f"Go{ESCAPES} live", target))
    conn.close()

    with Terminal(command, tmp_path) as term:
        term.wait_for("Customer Operations")
        before = pane_title(term)
        term.send("Enter")
        term.wait_for("Front door")
        term.send("Enter")
        screen = term.wait_for(f"Go\u241b]0;{TITLE}\u2407")  # ESC and BEL shown as pictures
        assert "Front door" in screen and "[/]" in screen, "the screen was not cleared"
        term.quit()
        assert TITLE not in pane_title(term) and pane_title(term) == before
