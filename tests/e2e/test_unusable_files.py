"""Each file ragboard cannot use, opened in a real terminal: one line, exit status 2, file unchanged."""
from __future__ import annotations

import hashlib
import os
import shlex
import sqlite3
from contextlib import closing

import pytest

from store.schema import SCHEMA_VERSION
from tests.e2e.terminal import Terminal, ragboard_command


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"


def _csv(path):
    path.write_text("programme,sro\nCCO,David Trussler\n")


def _random(path):
    path.write_bytes(os.urandom(8192))


def _other_app(path):
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('not a portfolio')")


def _newer(path):
    from store import open_store

    open_store(path).close()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def _corrupt(path):
    from store import open_store

    with open_store(path) as store:
        pid = store.add_portfolio(name="P", status_date="2025-01-01").id
        for i in range(400):
            store.add_programme(portfolio_id=pid, code=f"C{i}", name=f"Programme {i}" + "x" * 150)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, page * 3 + 400):  # a b-tree page of the programme table
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


def _truncated(path):
    _corrupt_source = path.with_suffix(".full")
    from store import open_store

    with open_store(_corrupt_source) as store:
        pid = store.add_portfolio(name="P", status_date="2025-01-01").id
        for i in range(300):
            store.add_programme(portfolio_id=pid, code=f"C{i}", name="n" * 180)
    with closing(sqlite3.connect(_corrupt_source)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = _corrupt_source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _folder(path):
    path.mkdir()


def _named_pipe(path):
    os.mkfifo(path)  # opening it would wait for a writer: ragboard must refuse it at once


def _link_to_nothing(path):
    path.symlink_to(path.with_name("moved-away.db"))


def _other_app_empty(path):
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA application_id = 12345")
        conn.execute("PRAGMA user_version = 7")


CASES = {
    "csv": (_csv, "not a ragboard database"),
    "random bytes": (_random, "not a ragboard database"),
    "another program's database": (_other_app, "another program"),
    "newer ragboard": (_newer, "upgrade ragboard"),
    "damaged": (_corrupt, "damaged"),
    "truncated": (_truncated, "damaged"),
    "folder": (_folder, "is a folder"),
    "named pipe": (_named_pipe, "is not a regular file (it is a named pipe)"),
    "link to nothing": (_link_to_nothing, "which does not exist"),
    "another program's empty database": (_other_app_empty, "another program"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unusable_file_is_refused_and_left_alone(tmp_path, case):
    make, words = CASES[case]
    path = tmp_path / "board.db"
    make(path)
    before = _digest(path)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(path))} 2>err.txt", tmp_path)
    try:
        status = term.exit_status()
    finally:
        term.close()
    message = (tmp_path / "err.txt").read_text()
    assert status == 2
    assert message.count("\n") == 1, message
    assert str(path) in message and words in message, message
    assert "Traceback" not in message
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "err.txt") == siblings


@pytest.mark.slow  # waits out the other writer's lock
def test_file_in_use_is_refused(tmp_path):
    """Another program holding an exclusive lock: ragboard says so within seconds, no hang."""
    import subprocess
    import sys

    from store import open_store

    path = tmp_path / "board.db"
    open_store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         ("import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None);"
          "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE');"
          "print('held', flush=True); time.sleep(60)"), str(path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = _digest(path)
        command = f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(path))} 2>err.txt"
        term = Terminal(command, tmp_path)
        try:
            status = term.exit_status(timeout=30)
        finally:
            term.close()
        message = (tmp_path / "err.txt").read_text()
        assert status == 2
        assert str(path) in message and "in use" in message, message
        assert _digest(path) == before
    finally:
        holder.kill()
        holder.wait()
