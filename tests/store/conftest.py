"""Shared fixtures for the store's tests: a fresh file, a fixed clock, a small portfolio."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import open_store
from store.schema import TABLES

START = dt.datetime(2025, 7, 1, 9, 0, 0, tzinfo=dt.UTC)


class Clock:
    """A clock that moves on one minute each time it is read."""

    def __init__(self, start: dt.datetime = START):
        self.moment = start

    def __call__(self) -> dt.datetime:
        now = self.moment
        self.moment += dt.timedelta(minutes=1)
        return now


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "ragboard.db"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path, clock):
    s = open_store(db_path, who="alice", clock=clock)
    yield s
    s.close()


@dataclass
class Tree:
    portfolio: object
    programme: object
    project: object
    other_project: object


@pytest.fixture
def tree(store) -> Tree:
    """A portfolio (status date 30 Jun 2025, FY 2025/26), one programme, two projects."""
    f = store.add_portfolio(name="Transformation", organisation="Plymouth City Council",
                            status_date="2025-06-30")
    g = store.add_programme(portfolio_id=f.id, code="CCYPS", name="Children and Young People", sro="Judith")
    j = store.add_project(programme_id=g.id, reference="A/R.6.253", name="Early Help", lead="Sam",
                          stage="Delivery")
    k = store.add_project(programme_id=g.id, reference="GAME_08", name="Fostering", lead="Kim")
    return Tree(f, g, j, k)


def dump(path) -> list[str]:
    """The whole database as SQL text, read through a fresh connection."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@contextmanager
def estates(path) -> Iterator[tuple[Any, Any]]:
    """A new file at path holding one portfolio and its programme, Estates: (store, programme)."""
    with open_store(path) as s:
        f = s.add_portfolio(name="P", status_date="2025-03-31")
        yield s, s.add_programme(portfolio_id=f.id, code="G", name="Estates")


def word_index_intact(path, index: str) -> None:
    """Raises unless the word index (schema steps 8, 9) holds exactly what its records hold: FTS5's
    own integrity check, through a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")  # a name of ours
        conn.commit()
    finally:
        conn.close()


@contextmanager
def nothing_committed(path) -> Iterator[None]:
    """Fails unless the block leaves the file as it was: no connection committed to it. A connection
    of its own reads SQLite's data_version, which moves at each commit any other connection makes
    (dumping the file before and after proved the same in ~3 ms a time, most of a property test's)."""
    conn = sqlite3.connect(path)
    try:
        before = conn.execute("PRAGMA data_version").fetchone()[0]
        yield
        after = conn.execute("PRAGMA data_version").fetchone()[0]
        assert after == before, "the file was written to"
    finally:
        conn.close()


def state(path, *, tables=("portfolio", "programme", "project", "milestone", "risk", "saving")) -> dict:
    """Every row of the data tables, all columns but version, through a fresh connection."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in tables:
            cur = conn.execute(f"SELECT * FROM {table} ORDER BY id")
            cols = [d[0] for d in cur.description]
            out[table] = [tuple(v for c, v in zip(cols, row, strict=True) if c != "version") for row in cur]
        return out
    finally:
        conn.close()


def log_rows(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT group_id, at, who, op, item_kind, item_id, field, old, new, reason "
                            "FROM change ORDER BY id").fetchall()
    finally:
        conn.close()


def count(path, table: str) -> int:
    assert table in TABLES
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def programmes_file(path: Path, *, damaged: bool = False) -> None:
    """A file of 400 programmes, checkpointed; damaged: a b-tree page of the programme table
    overwritten, which SQLite's integrity check finds (the portfolio's page is left whole)."""
    from contextlib import closing

    with open_store(path) as s:
        pid = s.add_portfolio(name="P", status_date="2025-01-01").id
        for i in range(400):
            s.add_programme(portfolio_id=pid, code=f"C{i}", name=f"Programme {i}" + "x" * 150)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damaged:
        data = bytearray(path.read_bytes())
        for offset in range(4096 * 3, 4096 * 3 + 400):
            data[offset] = 0xA5
        path.write_bytes(bytes(data))
