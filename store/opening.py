"""Opening a file safely: refuse what is not ours, never touch a file we refuse."""
from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import stat
from pathlib import Path
from typing import NamedTuple

from store.errors import (
    CorruptFileError,
    DiskFullError,
    InUseError,
    NewerSchemaError,
    NotRagboardError,
    StoreError,
)
from store.schema import APPLICATION_ID, SCHEMA_VERSION, apply_steps

BUSY_TIMEOUT_MS = 2000
_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")
_SQLITE_FULL, _SQLITE_IOERR = 13, 10  # primary result codes (the low byte of an extended one)
# SQLite reports some writes that found no room (growing the -shm file) as plain I/O errors: with
# less than this left on the disk, such an error is taken for a full disk.
_NEARLY_FULL = 64 * 1024
# An empty database is one page. One this size or smaller is copied before it is set up, to be put
# back exactly if setting it up fails part-way (a full disk).
_SNAPSHOT_LIMIT = 1 << 20
_NOT_REGULAR = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device",
                stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


class Opened(NamedTuple):
    """What connect() returns: the connection, whether it is read-only, and a warning to show."""

    conn: sqlite3.Connection
    read_only: bool
    warning: str | None = None


def check_path(path: str | os.PathLike[str]) -> os.stat_result | None:
    """What is at path, found without opening it; None if nothing is there.

    Raises NotRagboardError for what can never be a ragboard file. Only stat is used: opening a
    named pipe waits until something writes to it, which would hang ragboard.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if os.path.islink(path):
            raise NotRagboardError(f"{path} is a link to {os.readlink(path)}, which does not exist; "
                                   "give the path of a ragboard .db file.") from None
        return None
    except OSError as exc:  # a loop of links, a folder we may not look into
        reason = (exc.strerror or str(exc)).lower()
        raise NotRagboardError(f"{path} cannot be opened: {reason}; "
                               "check the path and its folders.") from None
    if stat.S_ISDIR(st.st_mode):
        raise NotRagboardError(f"{path} is a folder, not a ragboard file: give the path of a .db file.")
    if not stat.S_ISREG(st.st_mode):
        kind = _NOT_REGULAR.get(stat.S_IFMT(st.st_mode), "a special file")
        raise NotRagboardError(f"{path} is not a regular file (it is {kind}); "
                               "give the path of a ragboard .db file.")
    return st


def is_disk_full(exc: BaseException, path: str | os.PathLike[str]) -> bool:
    """Whether exc, met writing path (or a file beside it), means the disk holding it has no room."""
    if isinstance(exc, DiskFullError):
        return True
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code == _SQLITE_FULL or "disk is full" in str(exc):
            return True
        if code == _SQLITE_IOERR:
            return _free_space(Path(path).parent) < _NEARLY_FULL
    return False


def _free_space(folder: Path) -> int:
    try:
        vfs = os.statvfs(folder)
    except OSError:
        return _NEARLY_FULL  # cannot tell: not taken for full
    # root may also use the blocks a file system keeps back for it
    blocks = vfs.f_bfree if os.geteuid() == 0 else vfs.f_bavail
    return blocks * vfs.f_frsize


def _remove_with_side_files(path: Path) -> None:
    """Remove a file ragboard made a moment ago, and whatever SQLite made beside it."""
    for end in ("", *_SIDE_FILES):
        path.with_name(path.name + end).unlink(missing_ok=True)


def _is_read_only(path: Path) -> bool:
    """Read-only if we cannot write it, or its owner marked it so (root ignores permissions)."""
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK)


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(100)
    except PermissionError:
        raise NotRagboardError(f"{path} cannot be read: check its permissions.") from None


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _in_use(path: Path) -> InUseError:
    return InUseError(f"{path} is in use by another program that is writing to it; try again in a moment.")


def _failure(exc: sqlite3.Error, path: Path) -> StoreError:
    """The error to report for exc met opening path: in use, disk full, else damaged."""
    if _is_locked(exc):
        return _in_use(path)
    if is_disk_full(exc, path):
        # Never "damaged ... restore it from a backup": that advice would lose the user's work.
        return DiskFullError(path)
    return _damaged(path)


# DROP COLUMN (schema step 5) and MATERIALIZED (the home page's query) came in SQLite 3.35.
SQLITE_NEEDED = (3, 35, 0)


def check_sqlite(version: tuple[int, int, int] = sqlite3.sqlite_version_info) -> None:
    """Refuse, in words, an SQLite library older than ragboard needs (before a file is touched)."""
    if version < SQLITE_NEEDED:
        raise StoreError(f"ragboard needs SQLite {'.'.join(map(str, SQLITE_NEEDED))} or newer; this Python "
                         f"has SQLite {'.'.join(map(str, version))}. Use a newer Python (3.11 from "
                         "python.org or your system's packages has one).")


def connect(path: str | os.PathLike[str], *, read_only: bool | None = None, check: bool = True) -> Opened:
    """Open or create a ragboard file: (connection, whether read-only, a warning or None).

    Raises an UnusableFileError subclass, leaving the file as it was, for anything that is not
    a ragboard database this version can use, and DiskFullError when there is no room to create,
    set up or upgrade it (leaving nothing half-made). check=False leaves the integrity check
    (which reads the whole file) to the caller, through check_intact; a file to be upgraded is
    always checked first. The warning says when the file could be opened only without its most
    recent changes (a -wal file we may not read): the file is then opened read-only.
    """
    check_sqlite()
    path = Path(path)
    if check_path(path) is None:
        if not path.parent.is_dir():
            raise NotRagboardError(f"{path} cannot be created: the folder {path.parent} does not exist.")
        return Opened(_create(path), False)
    header = _header(path)
    if header and (len(header) < 100 or not header.startswith(_HEADER)):
        raise NotRagboardError(f"{path} is not a ragboard database (it is not an SQLite file); "
                               "it has not been changed.")
    ro = _is_read_only(path) if read_only is None else read_only
    if not header:
        if ro:
            raise NotRagboardError(f"{path} is empty and read-only: there is nothing to show.")
        return Opened(_initialise_existing(path), False)
    # Every check runs on a read-only connection: closing a writable one can checkpoint the
    # WAL into the file, and a file we refuse must be left exactly as it was.
    conn, warning = _open_existing(path, True)
    try:
        # Through the connection, not the raw header: another instance's latest application_id
        # and user_version may still be in the -wal file, not yet copied into the main file.
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            # Only a blank SQLite file (no tables, no application's marks) is ours to set up.
            if tables or app_id or user_version:
                raise NotRagboardError(f"{path} is an SQLite database of another program, "
                                       "not a ragboard file; it has not been changed.")
            if ro:
                raise NotRagboardError(f"{path} is an empty database and read-only: "
                                       "there is nothing to show.")
            conn.close()
            return Opened(_initialise_existing(path), False)
        if user_version > SCHEMA_VERSION:
            raise NewerSchemaError(f"{path} was written by a newer ragboard (file format {user_version}; "
                                   f"this one reads up to {SCHEMA_VERSION}): upgrade ragboard to open it.")
        if check or user_version < SCHEMA_VERSION:
            _quick_check(conn, path)
        if user_version < SCHEMA_VERSION and ro:
            raise NotRagboardError(f"{path} was written by an older ragboard and is read-only, "
                                   "so it cannot be upgraded: copy it somewhere writable first.")
        if ro:
            return Opened(conn, True, warning)
        had_wal = os.path.lexists(f"{path}-wal") or os.path.lexists(f"{path}-shm")
        writer = _connect(str(path))
        try:
            # waits out, or reports, a writer's lock
            writer.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            writer.close()
            if not had_wal:
                _remove_unused_wal(path)
            if warning and not _is_locked(exc) and not is_disk_full(exc, path):
                # Its -wal file cannot be read by us at all: show what the file itself holds, read-only.
                return Opened(conn, True, warning)
            raise
        conn.close()
        conn = writer
        if user_version < SCHEMA_VERSION:
            _migrate(conn, path, user_version)
        conn.execute("PRAGMA foreign_keys = ON")
        return Opened(conn, False)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _failure(exc, path) from None
    except BaseException:
        conn.close()
        raise


def _remove_unused_wal(path: Path) -> None:
    """Remove the empty -wal and the -shm that a failed open (no room to make them) left behind.

    Only when no connection has the file open: each connection in WAL mode holds a shared lock on
    byte 128 of the -shm (SQLite's "dead-man switch"), so a write lock on it proves there is none.
    """
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    try:
        import fcntl
    except ImportError:  # not on this system: leaving them is harmless, SQLite reuses them
        return
    try:
        if wal.is_file() and wal.stat().st_size:
            return  # holds changes: never ours to remove
        if shm.is_file():
            fd = os.open(shm, os.O_RDWR)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
            except OSError:
                return  # another connection has it open
            finally:
                os.close(fd)
            shm.unlink()
        wal.unlink(missing_ok=True)
    except OSError:
        pass


def _open_existing(path: Path, ro: bool) -> tuple[sqlite3.Connection, str | None]:
    """A connection, and a warning when the most recent changes could not be read."""
    if not ro:
        return _connect(str(path)), None
    uri = path.resolve().as_uri()
    present = [end for end in ("-wal", "-journal") if os.path.lexists(f"{path}{end}")]
    if not present:
        # No writer has the file open: read it as it stands, creating no -wal or -shm beside it.
        return _connect(f"{uri}?immutable=1", uri=True), None
    try:
        conn = _connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn, None
    except sqlite3.OperationalError:
        # A -wal we may not read, or whose -shm we may not create (a read-only folder, after a
        # crash): read the file as it stands, and say that its latest changes may be missing.
        conn = _connect(f"{uri}?immutable=1", uri=True)
        return conn, f"Recent changes may not be shown: {path}{present[0]} could not be read."


def check_intact(path: str | os.PathLike[str]) -> None:
    """The integrity check on a connection of its own, read-only; raises CorruptFileError."""
    path = Path(path)
    conn, _ = _open_existing(path, True)
    try:
        _quick_check(conn, path)
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    try:
        result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if _is_locked(exc):
            raise _in_use(path) from None
        raise _damaged(path) from None
    if result != "ok":
        raise _damaged(path)


def _damaged(path: Path) -> CorruptFileError:
    return CorruptFileError(f"{path} is damaged (SQLite's integrity check failed); it has not been changed. "
                            "Restore it from a backup.")


def _create(path: Path) -> sqlite3.Connection:
    # Owner-only from the first byte: the file can hold names and sensitive service details.
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        if is_disk_full(exc, path):
            raise DiskFullError(path) from None
        raise
    os.close(fd)
    try:
        return _initialise(_connect(str(path)), path)
    except BaseException:
        _remove_with_side_files(path)  # made a moment ago by us: nothing half-made is left
        raise


def _initialise_existing(path: Path) -> sqlite3.Connection:
    """Set up an empty file; if that fails, put it back exactly as it was."""
    before = set(os.listdir(path.parent))
    data = path.read_bytes() if path.stat().st_size <= _SNAPSHOT_LIMIT else None
    try:
        return _initialise(_connect(str(path)), path)
    except BaseException:
        if data is not None and path.read_bytes() != data:
            with path.open("r+b") as fh:  # rewrites blocks it already has: needs no more room
                fh.write(data)
                fh.truncate()
        if f"{path.name}-journal" not in before:
            path.with_name(f"{path.name}-journal").unlink(missing_ok=True)
        if f"{path.name}-wal" not in before and f"{path.name}-shm" not in before:
            _remove_unused_wal(path)
        raise


def _initialise(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        apply_steps(conn, 0)
        conn.execute("COMMIT")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.Error as exc:
        full = is_disk_full(exc, path)  # judged before closing frees the room a -wal took
        conn.close()
        if _is_locked(exc):
            raise _in_use(path) from None
        if full:
            raise DiskFullError(path) from None
        raise StoreError(f"{path} could not be set up: {exc}") from None


def backup_path(path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def _migrate(conn: sqlite3.Connection, path: Path, from_version: int) -> None:
    """Back the file up beside itself, then bring it to the current schema in one transaction."""
    target = backup_path(path, from_version)
    for n in range(2, 100):
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            break
        except FileExistsError:  # a backup from an attempt in this same second
            target = target.with_name(f"{backup_path(path, from_version).stem}-{n}.bak")
        except OSError as exc:
            if is_disk_full(exc, path):
                raise DiskFullError(path) from None
            raise
    else:
        raise FileExistsError(target)
    os.close(fd)
    try:
        dest = sqlite3.connect(target)
        try:
            conn.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        full = is_disk_full(exc, target)
        _remove_with_side_files(target)  # a backup cut short is no backup
        if full:
            raise DiskFullError(path) from None
        raise
    try:
        conn.execute("BEGIN IMMEDIATE")
        # Another window may have upgraded it while we waited for the lock.
        if conn.execute("PRAGMA user_version").fetchone()[0] == from_version:
            apply_steps(conn, from_version)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        full = is_disk_full(exc, path)
        conn.execute("ROLLBACK") if conn.in_transaction else None
        if _is_locked(exc):
            raise _in_use(path) from None
        if full:
            _remove_with_side_files(target)  # the file is as it was: the backup would only take room
            raise DiskFullError(path) from None
        raise
