"""Opening a file safely: refuse what is not ours, never touch a file we refuse."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

from store.errors import CorruptFileError, InUseError, NewerSchemaError, NotRagboardError, StoreError
from store.schema import APPLICATION_ID, SCHEMA_VERSION, apply_steps

BUSY_TIMEOUT_MS = 2000
_HEADER = b"SQLite format 3\x00"


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


def connect(path: str | os.PathLike, *, read_only: bool | None = None,
            check: bool = True) -> tuple[sqlite3.Connection, bool]:
    """Open or create a ragboard file; returns the connection and whether it is read-only.

    Raises an UnusableFileError subclass, leaving the file as it was, for anything that is not
    a ragboard database this version can use. check=False leaves the integrity check (which
    reads the whole file) to the caller, through check_intact; a file to be upgraded is always
    checked first.
    """
    path = Path(path)
    if path.is_dir():
        raise NotRagboardError(f"{path} is a folder, not a ragboard file: give the path of a .db file.")
    if not path.exists():
        if not path.parent.is_dir():
            raise NotRagboardError(f"{path} cannot be created: the folder {path.parent} does not exist.")
        return _create(path), False
    header = _header(path)
    if header and (len(header) < 100 or not header.startswith(_HEADER)):
        raise NotRagboardError(f"{path} is not a ragboard database (it is not an SQLite file); it has not been changed.")
    ro = _is_read_only(path) if read_only is None else read_only
    if not header:
        if ro:
            raise NotRagboardError(f"{path} is empty and read-only: there is nothing to show.")
        return _initialise(_connect(str(path)), path), False
    # Every check runs on a read-only connection: closing a writable one can checkpoint the
    # WAL into the file, and a file we refuse must be left exactly as it was.
    conn = _open_existing(path, True)
    try:
        # Through the connection, not the raw header: another instance's latest application_id
        # and user_version may still be in the -wal file, not yet copied into the main file.
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise NotRagboardError(f"{path} is an SQLite database of another program, not a ragboard file; it has not been changed.")
            if ro:
                raise NotRagboardError(f"{path} is an empty database and read-only: there is nothing to show.")
            conn.close()
            return _initialise(_connect(str(path)), path), False
        if user_version > SCHEMA_VERSION:
            raise NewerSchemaError(f"{path} was written by a newer ragboard (file format {user_version}; this one reads up to {SCHEMA_VERSION}): upgrade ragboard to open it.")
        if check or user_version < SCHEMA_VERSION:
            _quick_check(conn, path)
        if user_version < SCHEMA_VERSION and ro:
            raise NotRagboardError(f"{path} was written by an older ragboard and is read-only, so it cannot be upgraded: copy it somewhere writable first.")
        if ro:
            return conn, ro
        conn.close()
        conn = _connect(str(path))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # waits out, or reports, a writer's lock
        if user_version < SCHEMA_VERSION:
            _migrate(conn, path, user_version)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn, ro
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_locked(exc):
            raise _in_use(path) from None
        raise _damaged(path) from None
    except BaseException:
        conn.close()
        raise


def _open_existing(path: Path, ro: bool) -> sqlite3.Connection:
    if not ro:
        return _connect(str(path))
    uri = path.resolve().as_uri()
    if not any(path.with_name(path.name + end).exists() for end in ("-wal", "-journal")):
        # No writer has the file open: read it as it stands, creating no -wal or -shm beside it.
        return _connect(f"{uri}?immutable=1", uri=True)
    try:
        conn = _connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        # A WAL file whose -shm we may not create: read it as an unchanging snapshot.
        conn = _connect(f"{uri}?immutable=1", uri=True)
        return conn


def check_intact(path: str | os.PathLike) -> None:
    """The integrity check on a connection of its own, read-only; raises CorruptFileError."""
    path = Path(path)
    conn = _open_existing(path, True)
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
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    return _initialise(_connect(str(path)), path)


def _initialise(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        apply_steps(conn, 0)
        conn.execute("COMMIT")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if _is_locked(exc):
            raise _in_use(path) from None
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
    else:
        raise FileExistsError(target)
    os.close(fd)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    try:
        conn.execute("BEGIN IMMEDIATE")
        # Another window may have upgraded it while we waited for the lock.
        if conn.execute("PRAGMA user_version").fetchone()[0] == from_version:
            apply_steps(conn, from_version)
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.execute("ROLLBACK") if conn.in_transaction else None
        if _is_locked(exc):
            raise _in_use(path) from None
        raise
