"""Files that are not ordinary ragboard files, and disks with no room: refused (or opened
read-only with a warning) in words a user understands, each file left exactly as it was."""
from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
from contextlib import closing

import pytest

from store import NotRagboardError, UnusableFileError, open_store, opening
from store.errors import DiskFullError
from store.schema import SCHEMA_VERSION

from .small_disk import fill, make_read_only, small_disk
from .test_opening import make_v1


def state(path) -> tuple:
    """The file's bytes (for a regular file), its type and mode, and what lies beside it."""
    st = os.lstat(path)
    data = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
    return data, st.st_mode, sorted(os.listdir(path.parent))


def refused(path, error=UnusableFileError) -> str:
    before = state(path)
    with pytest.raises(error) as e:
        open_store(path)
    assert state(path) == before
    assert str(path) in str(e.value)
    return str(e.value)


# -- what is not a regular file ---------------------------------------------------------------

def refused_without_waiting(path) -> str:
    """refused(), on a thread: opening a named pipe waits for a writer, and must fail, not hang."""
    result = {}

    def attempt():
        try:
            result["message"] = refused(path, NotRagboardError)
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout=30)
    if thread.is_alive():  # stuck opening the pipe: give it a writer to let it go, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("opening a named pipe waited for a writer")
    if "error" in result:
        raise result["error"]
    return result["message"]


def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    path = tmp_path / "board.db"
    os.mkfifo(path)
    assert refused_without_waiting(path) == (f"{path} is not a regular file (it is a named pipe); "
                                             "give the path of a ragboard .db file.")


def test_a_character_device_is_refused(tmp_path):
    path = tmp_path / "board.db"
    try:  # a device like /dev/null, made here: a mistake must not leave a -journal in /dev
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    message = refused(path, NotRagboardError)
    assert "not a regular file (it is a character device)" in message


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "board.db"
    with closing(socket.socket(socket.AF_UNIX)) as sock:
        sock.bind(str(path))
        message = refused(path, NotRagboardError)
    assert "not a regular file (it is a socket)" in message


def test_a_link_to_a_named_pipe_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    path = tmp_path / "board.db"
    path.symlink_to(tmp_path / "pipe")
    assert "(it is a named pipe)" in refused_without_waiting(path)


def test_a_link_to_nothing_says_so(tmp_path):
    path = tmp_path / "board.db"
    path.symlink_to(tmp_path / "moved" / "board.db")
    message = refused(path, NotRagboardError)
    assert message == (f"{path} is a link to {tmp_path / 'moved' / 'board.db'}, which does not exist; "
                       "give the path of a ragboard .db file.")
    assert not (tmp_path / "moved").exists()


def test_a_link_to_a_ragboard_file_opens_it(tmp_path):
    real = tmp_path / "real.db"
    with open_store(real) as s:
        s.add_portfolio(name="P", status_date="2025-06-30")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with open_store(link) as s:
        assert s.portfolios()[0].name == "P" and s.open_warning is None


# -- files of other programs ------------------------------------------------------------------

def _blank_sqlite(path, application_id: int = 0, user_version: int = 0) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA application_id = {application_id}")
        conn.execute(f"PRAGMA user_version = {user_version}")
        conn.execute("CREATE TABLE scratch (x)")  # makes SQLite write the file, then leaves it with no tables
        conn.execute("DROP TABLE scratch")
        conn.commit()


@pytest.mark.parametrize("application_id,user_version", [(12345, 7), (12345, 0), (0, 7)])
def test_an_sqlite_file_of_another_program_with_no_tables_is_refused(tmp_path, application_id, user_version):
    path = tmp_path / "other.db"
    _blank_sqlite(path, application_id, user_version)
    message = refused(path, NotRagboardError)
    assert "another program" in message and "not a ragboard file" in message
    assert "has not been changed" in message


def test_a_blank_sqlite_file_is_set_up(tmp_path):
    """No application's mark, no format number, no tables: an empty database, ours to set up."""
    path = tmp_path / "blank.db"
    _blank_sqlite(path)
    with open_store(path) as s:
        assert s.is_empty()
        s.add_portfolio(name="P", status_date="2025-06-30")


# -- a -wal file that cannot be read ----------------------------------------------------------


def opens_read_only_warning_of_its_wal(path) -> None:
    """The file opens read-only, says its -wal could not be read, shows what the file itself
    holds, and is left as it was."""
    before = state(path)
    with open_store(path) as s:
        assert s.read_only
        assert s.open_warning == f"Recent changes may not be shown: {path}-wal could not be read."
        assert [p.name for p in s.portfolios()] == ["In the file"]
    assert state(path) == before


def crash_leaving_a_wal(path) -> None:
    """A ragboard file whose last change is only in its -wal: its writer was killed."""
    with open_store(path) as s:
        s.add_portfolio(name="In the file", status_date="2025-06-30")
    script = (
        "import os, sys\nfrom store import open_store\ns = open_store(sys.argv[1])\n"
        "s.add_portfolio(name='Only in the wal', status_date='2025-06-30')\nos._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    assert os.path.getsize(f"{path}-wal") > 0


def _wal_a_folder(wal) -> None:
    wal.unlink()
    wal.mkdir()


def _wal_unreadable(wal) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file whatever its mode: the folder case covers it")
    wal.chmod(0)


@pytest.mark.parametrize("spoil", [_wal_a_folder, _wal_unreadable], ids=["wal is a folder", "wal unreadable"])
@pytest.mark.parametrize("file_mode", [0o600, 0o444], ids=["writable", "read-only"])
def test_a_wal_that_cannot_be_read_opens_read_only_with_a_warning(tmp_path, spoil, file_mode):
    path = tmp_path / "board.db"
    crash_leaving_a_wal(path)
    wal = tmp_path / "board.db-wal"
    (tmp_path / "board.db-shm").unlink()
    spoil(wal)
    path.chmod(file_mode)
    opens_read_only_warning_of_its_wal(path)


def test_a_crash_copied_to_a_read_only_disk_opens_with_a_warning(tmp_path):
    """The -wal is there, but its -shm cannot be made on a read-only disk: even root cannot."""
    made = tmp_path / "made" / "board.db"
    made.parent.mkdir()
    crash_leaving_a_wal(made)
    with small_disk(tmp_path / "share", 1024) as share:
        path = share / "board.db"
        for name in ("board.db", "board.db-wal"):  # copied as they were after the crash, -shm left behind
            (share / name).write_bytes((made.parent / name).read_bytes())
        make_read_only(share)
        opens_read_only_warning_of_its_wal(path)


def test_a_readable_wal_gives_no_warning(tmp_path):
    path = tmp_path / "board.db"
    crash_leaving_a_wal(path)
    with open_store(path) as s:
        assert s.open_warning is None and not s.read_only
        assert {p.name for p in s.portfolios()} == {"In the file", "Only in the wal"}
    path.chmod(0o444)
    with open_store(path) as s:
        assert s.read_only and s.open_warning is None


# -- a full disk, simulated: files limited to a few pages -------------------------------------


@pytest.fixture
def no_room(no_room, monkeypatch):
    """The whole suite's full disk (tests/conftest.py), and the migration's backup as well."""

    class _TinyBackups:  # the migration's backup is made with sqlite3.connect of its own
        def __getattr__(self, name):
            return getattr(sqlite3, name)

        @staticmethod
        def connect(target, *args, **kwargs):
            conn = sqlite3.connect(target, *args, **kwargs)
            if str(target).endswith(".bak"):
                conn.execute("PRAGMA max_page_count = 1")
            return conn

    monkeypatch.setattr(opening, "sqlite3", _TinyBackups())


def full_disk_message(path) -> str:
    return f"no space left on the disk holding {path}; free some space and try again."


def test_no_room_for_a_new_file_leaves_nothing(tmp_path, no_room):
    path = tmp_path / "new.db"
    with pytest.raises(DiskFullError) as e:
        open_store(path)
    assert str(e.value) == full_disk_message(path)
    assert os.listdir(tmp_path) == []


def test_no_room_to_set_up_an_empty_file_leaves_it_empty(tmp_path, no_room):
    path = tmp_path / "empty.db"
    path.touch(mode=0o640)
    before = state(path)
    with pytest.raises(DiskFullError):
        open_store(path)
    assert state(path) == before and path.stat().st_size == 0


def test_no_room_to_set_up_a_blank_sqlite_file_puts_it_back_byte_for_byte(tmp_path, no_room):
    """Turning on WAL rewrites the header before the schema runs out of room: it is put back."""
    path = tmp_path / "blank.db"
    _blank_sqlite(path)
    before = state(path)
    with pytest.raises(DiskFullError):
        open_store(path)
    assert state(path) == before


def test_no_room_for_the_backup_before_an_upgrade(tmp_path, no_room):
    path = tmp_path / "old.db"
    make_v1(path)
    before = state(path)
    with pytest.raises(DiskFullError) as e:
        open_store(path)
    assert str(e.value) == full_disk_message(path)  # never "damaged ... restore it from a backup"
    assert state(path) == before  # no backup (a half-made one is removed), no -wal, no -shm


# -- a full disk, real: a small tmpfs ---------------------------------------------------------


def test_a_new_file_on_a_full_disk(tmp_path):
    with small_disk(tmp_path / "disk", 256) as disk:
        fill(disk)
        path = disk / "new.db"
        with pytest.raises(DiskFullError) as e:
            open_store(path)
        assert str(e.value) == full_disk_message(path)
        assert os.listdir(disk) == ["filler"]


@pytest.mark.parametrize("room_kb", [0, 16, 48, 96])
def test_an_older_file_on_a_nearly_full_disk(tmp_path, room_kb):
    """However little room there is, the file is either upgraded (with its backup) or left as it was."""
    with small_disk(tmp_path / "disk", 1024) as disk:
        path = disk / "old.db"
        make_v1(path)
        fill(disk, room_kb * 1024)
        before = state(path)
        try:
            store = open_store(path)
        except DiskFullError as e:
            assert str(e) == full_disk_message(path)
            assert state(path) == before
        else:
            with store:
                assert store.portfolios()[0].name == "Old"
            assert [p for p in os.listdir(disk) if p.endswith(".bak")]
            with closing(sqlite3.connect(path)) as conn:
                assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        if room_kb == 0:
            assert state(path) == before


def test_the_side_files_of_a_file_another_program_has_open_are_never_removed(tmp_path):
    """A failed open tidies an empty -wal and -shm it left; never ones in use by someone else."""
    path = tmp_path / "board.db"
    open_store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); "
                "print('held', flush=True); sys.stdin.readline()"
            ),
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert os.path.getsize(f"{path}-wal") == 0
        opening._remove_unused_wal(path)
        assert os.path.exists(f"{path}-wal") and os.path.exists(f"{path}-shm")
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    # the holder closed cleanly, so SQLite removed them itself; made again, unused, they go
    (tmp_path / "board.db-wal").write_bytes(b"")
    (tmp_path / "board.db-shm").write_bytes(b"\0" * 32768)
    opening._remove_unused_wal(path)
    assert sorted(os.listdir(tmp_path)) == ["board.db"]
