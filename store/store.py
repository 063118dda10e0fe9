"""The Store: every read a screen needs and every write a user can make, on one SQLite file."""
from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
from pathlib import Path

from store import records as r
from store.opening import check_intact, connect
from store.queries import Queries
from store.writes import Writes


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return os.environ.get("USER") or "unknown"


class Store(Queries, Writes):
    """One open ragboard file. Not shared between threads without care: one writer at a time."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool, who: str | None = None,
                 clock=None):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.who = who or current_user()
        self._clock = clock  # tests fix the time stamped on changes
        self._mine: list[int] = []  # change groups made through this instance, for undo
        self._data_version = self._read_data_version()

    # -- file state -------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read_data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed_elsewhere(self) -> bool:
        """True once after another connection commits to the file (cheap: no table is read)."""
        current = self._read_data_version()
        if current != self._data_version:
            self._data_version = current
            return True
        return False

    def now(self) -> str:
        moment = self._clock() if self._clock else dt.datetime.now(dt.UTC)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def is_empty(self) -> bool:
        return self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM programme)").fetchone()[0] == 1


def open_store(path, *, read_only: bool | None = None, who: str | None = None, clock=None) -> Store:
    """Open (or create, owner-only) a ragboard file. Unusable files raise UnusableFileError.

    who is the name recorded on changes (default: the OS user); clock returns an aware UTC
    datetime (default: now).
    """
    conn, ro = connect(path, read_only=read_only)
    return Store(conn, Path(path), ro, who, clock)


class IntegrityCheck:
    """The whole-file integrity check, run on another thread while the app loads.

    SQLite releases the GIL while it reads, so on a large file the check overlaps start-up
    instead of adding to it. confirm() waits for it and raises CorruptFileError if it failed.
    """

    def __init__(self, path):
        import threading

        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="integrity-check", daemon=True)
        self._thread.start()

    def _run(self, path) -> None:
        try:
            check_intact(path)
        except Exception as exc:  # noqa: BLE001 - handed to confirm() on the caller's thread
            self._error = exc

    def confirm(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def open_store_checking_later(path, **kwargs) -> tuple[Store, IntegrityCheck | None]:
    """Open a file leaving its integrity check running; call check.confirm() before showing it."""
    conn, ro = connect(path, read_only=kwargs.pop("read_only", None), check=False)
    store = Store(conn, Path(path), ro, **kwargs)
    return store, IntegrityCheck(path)


__all__ = ["Store", "open_store", "r"]
