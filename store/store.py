"""The Store: every read a screen needs and every write a user can make, on one SQLite file."""
from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
from pathlib import Path

from store import records as r
from store.errors import DiskFullError, InUseError, StoreError
from store.opening import check_intact, connect, is_disk_full
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
                 clock=None, open_warning: str | None = None):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        # Set when the file opened without its most recent changes (its -wal could not be read):
        # one sentence for the screen to show beside "read-only". None normally.
        self.open_warning = open_warning
        self.who = who or current_user()
        self._clock = clock  # tests fix the time stamped on changes
        self._mine: list[int] = []  # change groups made through this instance, for undo
        self._data_version = self._read_data_version()
        # The home screen's first page, read by another connection while the app loads (see
        # open_store_checking_later): (limit, rows), served once, and only while the file is as it
        # was when this store opened: no commit by another connection (data_version) and no write
        # through this one (a write clears _ahead_version).
        self._ahead: tuple[int, list] | None = None
        self._ahead_version: int | None = self._data_version

    # -- file state -------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def checkpoint(self) -> None:
        """Copy every committed change from the -wal file into the file itself, or raise.

        For a file about to be moved or copied on its own (the demo file is built beside its
        target and renamed): closing also copies them, but says nothing if the disk is full.
        """
        try:
            busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as exc:
            if is_disk_full(exc, self.path):
                raise DiskFullError(self.path) from None
            raise StoreError(f"{self.path} could not be written: {exc}") from None
        if busy:
            raise InUseError(f"{self.path} is in use by another program that is reading it; try again in a moment.")

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

    # -- the first page, read ahead --------------------------------------------------------------

    def home_rows(self, offset: int = 0, limit: int = 200, text: str | None = None) -> list[r.ProgrammeSummary]:
        rows = self._take_ahead(offset, limit, text)
        return rows if rows is not None else super().home_rows(offset, limit, text)

    def _take_ahead(self, offset: int, limit: int, text: str | None) -> list | None:
        """The rows read ahead, if they answer this request and still describe the file; once only."""
        ahead, version = self._ahead, self._ahead_version
        self._ahead = self._ahead_version = None
        if ahead is None or version is None or (text and text.strip()):
            return None
        page, rows = ahead
        if offset + limit > page and len(rows) == page:  # asks beyond what was read
            return None
        if self._read_data_version() != version:  # another connection has committed since
            return None
        return rows[offset:offset + limit]


def open_store(path, *, read_only: bool | None = None, who: str | None = None, clock=None) -> Store:
    """Open (or create, owner-only) a ragboard file. Unusable files raise UnusableFileError.

    who is the name recorded on changes (default: the OS user); clock returns an aware UTC
    datetime (default: now).
    """
    conn, ro, warning = connect(path, read_only=read_only)
    return Store(conn, Path(path), ro, who, clock, open_warning=warning)


class IntegrityCheck:
    """The whole-file integrity check, run on another thread while the app loads.

    SQLite releases the GIL while it reads, so on a large file the check overlaps start-up
    instead of adding to it. confirm() waits for it and raises CorruptFileError if it failed.
    Given a store and home_page, once the file has passed it also reads the home screen's first
    page on a read-only connection of its own, for the store to serve (Store._take_ahead).
    """

    def __init__(self, path, store: Store | None = None, home_page: int = 0):
        import threading

        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path, store, home_page), name="integrity-check",
                                        daemon=True)
        self._thread.start()

    def _run(self, path, store: Store | None, home_page: int) -> None:
        try:
            check_intact(path)
        except Exception as exc:  # noqa: BLE001 - handed to confirm() on the caller's thread
            self._error = exc
            return
        if store is not None and home_page > 0 and not store.read_only:
            _read_ahead(store, home_page)

    def confirm(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


class _Reader(Queries):
    """The store's reads on another connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn


def _read_ahead(store: Store, page: int) -> None:
    """Read the home screen's first page on a connection of this thread's own (never the store's).

    Only a head start: on any failure the screen reads the page itself. The store is writable, so
    its own connection keeps the -wal and -shm files in place and a read-only connection sees
    exactly what it sees.
    """
    try:
        conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return
    try:
        rows = _Reader(conn).home_rows_in_one_step(0, page)
    except Exception:  # noqa: BLE001 - the screen asks again, on the store's connection
        return
    finally:
        conn.close()
    store._ahead = (page, rows)


def open_store_checking_later(path, *, home_page: int = 0, **kwargs) -> tuple[Store, IntegrityCheck]:
    """Open a file leaving its integrity check running; call check.confirm() before showing it.

    home_page > 0 also reads that many rows of the home screen ahead, once the check has passed.
    """
    conn, ro, warning = connect(path, read_only=kwargs.pop("read_only", None), check=False)
    store = Store(conn, Path(path), ro, open_warning=warning, **kwargs)
    return store, IntegrityCheck(path, store, home_page)


__all__ = ["Store", "open_store", "r"]
