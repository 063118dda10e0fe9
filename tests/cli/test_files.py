"""The ragboard command given a path that is no ordinary ragboard file, or a disk with no room:
exit status 2, one line on stderr naming the file and what to do, the file left as it was."""
from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from ragboard_cli import main as cli
from store import open_store
from tests.store.small_disk import fill, small_disk


def ragboard(*args, env=None) -> subprocess.CompletedProcess:
    """The installed command; a time limit, so a command that waits on a named pipe fails the test."""
    script = Path(sys.executable).with_name("ragboard")
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=60, check=False,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


def state(path) -> tuple:
    st = os.lstat(path)
    data = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
    target = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    return data, st.st_mode, target, sorted(os.listdir(path.parent))


def refused(result, path, words: str) -> None:
    assert result.returncode == 2, result
    assert result.stderr == f"ragboard: {words}\n"
    assert str(path) in result.stderr


@pytest.mark.parametrize("command", [["--db"], ["seed", "--db"]], ids=["open", "seed"])
def test_a_named_pipe(tmp_path, command):
    path = tmp_path / "board.db"
    os.mkfifo(path)
    before = state(path)
    result = ragboard(*command, str(path))
    refused(result, path, f"{path} is not a regular file (it is a named pipe); "
            "give the path of a ragboard .db file.")
    assert state(path) == before


def test_a_socket(tmp_path):
    path = tmp_path / "board.db"
    with closing(socket.socket(socket.AF_UNIX)) as sock:
        sock.bind(str(path))
        before = state(path)
        result = ragboard("--db", str(path))
    refused(result, path, f"{path} is not a regular file (it is a socket); "
            "give the path of a ragboard .db file.")
    assert state(path) == before


@pytest.mark.parametrize("command", [["--db"], ["seed", "--db"]], ids=["open", "seed"])
def test_a_link_to_nothing(tmp_path, command):
    path = tmp_path / "board.db"
    gone = tmp_path / "usb" / "board.db"
    path.symlink_to(gone)
    before = state(path)
    result = ragboard(*command, str(path))
    refused(result, path, f"{path} is a link to {gone}, which does not exist; "
            "give the path of a ragboard .db file.")
    assert state(path) == before and not gone.parent.exists()


def test_a_link_to_nothing_as_the_default_file(tmp_path):
    """The default file, when missing, is made with the demo: not through a link to nowhere."""
    path = tmp_path / "ragboard.db"
    path.symlink_to(tmp_path / "elsewhere.db")
    before = state(path)
    result = ragboard(env={"RAGBOARD_DB": str(path)})
    assert result.returncode == 2 and "which does not exist" in result.stderr
    assert state(path) == before


def test_seed_fills_an_empty_file_through_a_link_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.db"
    real.touch()
    link = tmp_path / "board.db"
    link.symlink_to(real)
    result = ragboard("seed", "--db", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    with open_store(real) as s:
        assert s.programme_count() > 5


def test_an_empty_database_of_another_program(tmp_path):
    """application_id 12345, format number 7, no tables: another program's, never set up as ours."""
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA application_id = 12345")
        conn.execute("PRAGMA user_version = 7")
    before = state(path)
    result = ragboard("--db", str(path))
    refused(result, path, f"{path} is an SQLite database of another program, not a ragboard file; "
            f"it has not been changed.")
    assert state(path) == before


# -- a full disk ------------------------------------------------------------------------------


def full(path) -> str:
    return f"no space left on the disk holding {path}; free some space and try again."




def test_seed_with_no_room_says_so_and_leaves_nothing(tmp_path, no_room, capsys):
    path = tmp_path / "demo.db"
    assert cli.main(["seed", "--db", str(path)]) == 2
    assert capsys.readouterr().err == f"ragboard: {full(path)}\n"
    assert os.listdir(tmp_path) == []


def test_seed_with_no_room_leaves_an_empty_file_as_it_was(tmp_path, no_room, capsys):
    path = tmp_path / "demo.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    before = state(path)
    assert cli.main(["seed", "--db", str(path)]) == 2
    assert capsys.readouterr().err == f"ragboard: {full(path)}\n"
    assert state(path) == before


def test_a_new_db_with_no_room(tmp_path, no_room, capsys):
    path = tmp_path / "new.db"
    assert cli.main(["--db", str(path)]) == 2
    assert capsys.readouterr().err == f"ragboard: {full(path)}\n"
    assert os.listdir(tmp_path) == []


def test_the_default_file_with_no_room(tmp_path, monkeypatch, no_room, capsys):
    path = tmp_path / "data" / "ragboard.db"
    monkeypatch.setenv("RAGBOARD_DB", str(path))
    assert cli.main([]) == 2
    assert capsys.readouterr().err == f"ragboard: {full(path)}\n"
    assert os.listdir(path.parent) == []


@pytest.mark.parametrize("size_kb", [16, 128, 400, 640, 720, 800, 880, 2048])
def test_seed_on_a_small_disk(tmp_path, size_kb):
    """However small the disk: a whole demo file, or the full-disk line and nothing left behind.

    Sizes between the file and the file plus its -wal fill the disk only when the changes are
    copied from the -wal into the file, after every portfolio was written: the case that once
    reported success and left a malformed file.
    """
    with small_disk(tmp_path / "disk", size_kb) as disk:
        path = disk / "demo.db"
        result = ragboard("seed", "--db", str(path))
        if result.returncode == 0:
            assert os.listdir(disk) == ["demo.db"]
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
                assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                assert conn.execute("SELECT count(*) FROM programme").fetchone()[0] > 5
        else:
            assert (result.returncode, result.stderr) == (2, f"ragboard: {full(path)}\n")
            assert os.listdir(disk) == []
        if size_kb <= 400:
            assert result.returncode == 2


def test_open_an_existing_file_on_a_full_disk(tmp_path):
    """No room for its -wal and -shm: the full-disk line, not "damaged", and the file as it was."""
    with small_disk(tmp_path / "disk", 512) as disk:
        path = disk / "board.db"
        with open_store(path) as s:
            s.add_portfolio(name="P", status_date="2025-06-30")
        fill(disk)
        before = state(path)
        result = ragboard("--db", str(path))
        refused(result, path, full(path))
        assert state(path) == before
