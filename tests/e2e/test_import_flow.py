"""Importing from the palette in a real terminal: a workbook with three mistakes is refused with each
named by its sheet, row and column, and the file left as it was; mended, it is imported and shown."""
from __future__ import annotations

import shlex
import sqlite3
import subprocess

import pytest
from openpyxl import load_workbook

from tests.e2e.terminal import Terminal, ragboard_command, seeded_file

pytestmark = pytest.mark.slow  # a whole session in a real terminal


def _dump(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _set(book, sheet, row, heading, value):
    headings = [c.value for c in book[sheet][1]]
    book[sheet].cell(row, headings.index(heading) + 1).value = value


def _import(term, path):
    term.send("C-p")
    term.wait_for("Search")
    term.type("Import")
    screen = term.wait_steady("Import…")
    lines = screen.splitlines()
    search = next(i for i, line in enumerate(lines) if "🔎" in line)
    first_hit = next(line for line in lines[search + 1:] if line.strip())
    assert first_hit.strip() == "Import…", screen  # the hit Enter takes
    term.send("Enter")
    term.wait_for("Spreadsheet")
    term.type(str(path))
    term.send("Enter")


def test_a_workbook_with_three_mistakes_is_refused_then_imported_mended(tmp_path):
    db = seeded_file(tmp_path)
    workbook = tmp_path / "registers.xlsx"
    run = [ragboard_command(), "export", "--db", str(db), "--out", str(workbook)]
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    book = load_workbook(workbook)
    _set(book, "Programmes", 3, "Name", "Estates and Depots Renewal")
    _set(book, "Risks", 4, "Likelihood", "high")
    _set(book, "Milestones", 6, "Baseline", "31/02/2019")
    _set(book, "Savings", 5, "Amount", "£1.2m")
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    _set(book, "Risks", 4, "Likelihood", 4)
    _set(book, "Risks", 4, "Impact", 3)
    _set(book, "Milestones", 6, "Baseline", "28/02/2019")
    _set(book, "Savings", 5, "Amount", "£1,200,000")
    good = tmp_path / "good.xlsx"
    book.save(good)
    before = _dump(db)

    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}", tmp_path)
    try:
        term.wait_for(" IHWB ")
        _import(term, bad)
        screen = term.wait_for("3 problems; nothing was imported")
        assert 'Risks, row 4, Likelihood: must be a whole number from 1 to 5 (got "high")' in screen
        assert "Milestones, row 6, Baseline: 31/02/2019 is not a real date" in screen
        assert "Savings, row 5, Amount: £1.2m is shorthand; ragboard keeps whole pounds" in screen
        assert _dump(db) == before
        term.send("Escape")
        term.wait_until_gone("nothing was imported")

        _import(term, good)
        screen = term.wait_for("Import good.xlsx?")
        assert "Programmes: 0 to add, 1 to change" in screen
        term.send("y")
        term.wait_for("Imported good.xlsx")
        term.wait_for("Estates and Depots Renewal")
        term.send("q")
        assert term.exit_status() == 0
    finally:
        term.close()
    after = _dump(db)
    assert after != before
    con = sqlite3.connect(db)
    try:
        renamed = "SELECT count(*) FROM programme WHERE name = 'Estates and Depots Renewal'"
        assert con.execute(renamed).fetchone() == (1,)
        assert con.execute("SELECT label FROM change_group ORDER BY id DESC LIMIT 1").fetchone() \
            == ("Imported good.xlsx",)
    finally:
        con.close()
