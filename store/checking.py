"""The whole file checked: SQLite's full integrity check, and the one thing ragboard keeps at write
time besides the records, its word indexes (schema steps 8 and 9), each compared with the records
it is made from.

No figure is kept at write time: every RAG, count and saving a screen shows is worked out from the
records when read, so there is no figure to recompute against them.
"""
from __future__ import annotations

import sqlite3
from typing import NamedTuple

# Each word index, kept by triggers (store/schema.py), and what it holds, in the user's words.
WORD_INDEXES = {
    "milestone_words": "the milestones' names and printed due dates (the filter across all milestones)",
    "project_words": "the projects' names and references (the palette's search)",
}
PROBLEMS_SHOWN = 20  # SQLite's integrity check lists at most this many problems


class FileCheck(NamedTuple):
    damage: list[str]  # what SQLite's integrity check found: [] when the file reads whole
    indexes_off: list[str]  # the word indexes (names in WORD_INDEXES) that disagree with their records
    indexes_checked: bool  # False on a read-only file: comparing an index needs a write transaction

    @property
    def ok(self) -> bool:
        return not self.damage and not self.indexes_off


def integrity(conn: sqlite3.Connection) -> list[str]:
    """SQLite's full integrity check (every page, every index against its table): its problems."""
    rows = [row for (row,) in conn.execute(f"PRAGMA integrity_check({PROBLEMS_SHOWN})")]
    return [] if rows == ["ok"] else rows


def _triggers(index: str) -> dict[str, str]:
    """The triggers that keep an index (name -> CREATE TRIGGER), as its schema step makes them."""
    from store import schema

    made = schema.MILESTONE_WORDS if index == "milestone_words" else schema.PROJECT_WORDS
    return {statement.split()[2]: statement for statement in schema.statements(made)
            if statement.startswith("CREATE TRIGGER")}


def indexes_off(conn: sqlite3.Connection) -> list[str]:
    """The word indexes whose contents differ from the records they are made from, or which lack a
    trigger that keeps them (dropped by another program). FTS5's own 'integrity-check' command reads
    index and records; it is a write statement (that writes nothing), run in a savepoint rolled back."""
    off = []
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for index in WORD_INDEXES:  # names of our own schema, never data
        if not set(_triggers(index)) <= present:
            off.append(index)
            continue
        conn.execute("SAVEPOINT word_index_check")
        try:
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_CORRUPT_VTAB":
                raise
            off.append(index)
        finally:
            conn.execute("ROLLBACK TO word_index_check")
            conn.execute("RELEASE word_index_check")
    return off


def rebuild(conn: sqlite3.Connection, index: str) -> None:
    """The index made again from its records, and its triggers as its schema step made them (inside
    the caller's transaction)."""
    if index not in WORD_INDEXES:
        raise ValueError(f"no word index {index!r}: one of {sorted(WORD_INDEXES)}")
    for name, statement in _triggers(index).items():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(statement)
    conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
