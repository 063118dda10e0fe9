"""The Store: every read a screen needs and every write a user can make, on one SQLite file."""
from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeGuard

from store import checking
from store import records as r
from store.checking import FileCheck
from store.errors import Abandoned, DiskFullError, InUseError, StoreError
from store.opening import BUSY_TIMEOUT_MS, check_intact, connect, is_disk_full
from store.periods import PeriodReader
from store.queries import Reader
from store.writes import Writer

Clock = Callable[[], dt.datetime]
# How often (in SQLite's steps, well under a millisecond) a read that may be given up asks its stop().
STOP_STEPS = 10_000


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return os.environ.get("USER") or "unknown"


class Store:
    """One open ragboard file: a Reader and a Writer sharing its connection.

    Safe to call from several threads: every public method holds lock (a reentrant lock, also
    Store.lock for a caller that needs several calls to see one state) while it runs.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool, who: str | None = None,
                 clock: Clock | None = None, open_warning: str | None = None):
        self.lock = threading.RLock()
        self._reader = Reader(conn)
        self._writer = Writer(conn, self._reader, path=path, read_only=read_only, who=who or current_user(),
                              now=self.now, on_write=self._before_write)
        # Set when the file opened without its most recent changes (its -wal could not be read):
        # one sentence for the screen to show beside "read-only". None normally.
        self.open_warning = open_warning
        self._clock = clock  # tests fix the time stamped on changes
        self._data_version = self._read_data_version()
        # The home screen's first page, read by another connection while the app loads (see
        # open_store_checking_later): (limit, rows), served once, and only while the file is as it
        # was when this store opened: no commit by another connection (data_version) and no write
        # through this one (a write clears _ahead_version).
        self._ahead: tuple[int, list[r.ProgrammeSummary]] | None = None
        self._ahead_version: int | None = self._data_version
        self._pending_check: IntegrityCheck | None = None  # see check_later
        # How many writes this store has made (or tried): a screen that read the file at an older
        # count shows figures a write may have changed, and reads again when next shown.
        self.writes = 0

    # -- what the parts share ------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        return self._reader.conn

    @conn.setter
    def conn(self, conn: sqlite3.Connection) -> None:
        with self.lock:
            self._reader.conn = self._writer.conn = conn

    @property
    def path(self) -> Path:
        return self._writer.path

    @property
    def read_only(self) -> bool:
        return self._writer.read_only

    @property
    def who(self) -> str:
        """The name recorded on this store's changes."""
        return self._writer.who

    # -- file state -------------------------------------------------------------------------

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def checkpoint(self) -> None:
        """Copy every committed change from the -wal file into the file itself, or raise.

        For a file about to be moved or copied on its own (the demo file is built beside its
        target and renamed): closing also copies them, but says nothing if the disk is full.
        """
        with self.lock:
            try:
                busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.Error as exc:
                if is_disk_full(exc, self.path):
                    raise DiskFullError(self.path) from None
                raise StoreError(f"{self.path} could not be written: {exc}") from None
        if busy:
            raise InUseError(f"{self.path} is in use by another program that is reading it; "
                             "try again in a moment.")

    def check(self) -> FileCheck:
        """The whole file checked (ragboard check): SQLite's full integrity check, and each word index
        compared with its records (not on a read-only file: see checking.indexes_off). 7 s at 50,000
        projects."""
        with self.lock:
            damage = checking.integrity(self.conn)
            if self.read_only:
                return FileCheck(damage, [], indexes_checked=False)
            return FileCheck(damage, checking.indexes_off(self.conn), indexes_checked=True)

    def rebuild_word_indexes(self, indexes: Iterable[str]) -> None:
        """Word indexes (names in checking.WORD_INDEXES) made again from their records."""
        with self.lock:
            self._writer.rebuild_word_indexes(indexes)

    @contextlib.contextmanager
    def without_waiting(self) -> Iterator[None]:
        """Within: a write finding the file busy (another program writing) raises InUseError at once,
        before anything is written, instead of waiting up to the busy timeout; the caller may then
        make the same write again, elsewhere, and wait."""
        with self.lock:
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                yield
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _read_data_version(self) -> int:
        version: int = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return version

    def changed_elsewhere(self) -> bool:
        """True once after another connection commits to the file (cheap: no table is read)."""
        with self.lock:
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
        with self.lock:
            return bool(self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM programme)").fetchone()[0] == 1)

    # -- the first page, read ahead --------------------------------------------------------------

    def home_rows(self, offset: int = 0, limit: int = 200, text: str | None = None, *,
                  sort: str | None = None, descending: bool = False,
                  only: str | None = None) -> list[r.ProgrammeSummary]:
        """A page of the home screen (see Reader.home_rows: sort in HOME_SORTS, only in QUICK_FILTERS)."""
        with self.lock:
            narrowed = bool(text and text.strip()) or sort is not None or only is not None
            rows = self._take_ahead(offset, limit, narrowed)
            if rows is None:
                rows = self._reader.home_rows(offset, limit, text, sort=sort, descending=descending,
                                              only=only)
            return self._with_was("programme", rows)

    def _with_was(self, kind: str, rows: list[Any]) -> list[Any]:
        """Summary rows, each with what its programme or project stood at when the last period closed."""
        ids = [(row.programme if kind == "programme" else row.project).id for row in rows]
        was = PeriodReader(self.conn).previous(kind, ids)
        return [row._replace(was=was[i]) if i in was else row for i, row in zip(ids, rows, strict=True)]

    def _take_ahead(self, offset: int, limit: int, narrowed: bool) -> list[r.ProgrammeSummary] | None:
        """The rows read ahead, if they answer this request and still describe the file; once only.
        They are the usual order's first page: a request narrowed or sorted is read afresh."""
        ahead, version = self._ahead, self._ahead_version
        self._ahead = self._ahead_version = None
        if ahead is None or version is None or narrowed:
            return None
        page, rows = ahead
        if offset + limit > page and len(rows) == page:  # asks beyond what was read
            return None
        if self._read_data_version() != version:  # another connection has committed since
            return None
        return rows[offset:offset + limit]

    def _before_write(self) -> None:
        """Before a write: rows read ahead at start-up no longer describe the file, nor do screens
        read before it. A file whose integrity check is still running is written only once it has
        passed (a damaged one never: CorruptFileError)."""
        if self._pending_check is not None:
            self._pending_check.confirm()
            self._pending_check = None
        self._ahead_version = None
        self.writes += 1

    def check_later(self, check: IntegrityCheck) -> None:
        """Show the file while its integrity check runs on (a large file: see CHECK_LATER_BYTES);
        every write waits for it, and is refused if it fails."""
        self._pending_check = check

    def begin_check(self) -> None:
        """Start the integrity check handed to check_later (the app calls this once its first screen
        is shown; a write, or check_failed(wait=True), starts it too)."""
        if self._pending_check is not None:
            self._pending_check.start()

    def checking(self) -> bool:
        """True while an integrity check handed to check_later is still running."""
        check = self._pending_check
        return check is not None and not check.finished

    def check_failed(self, *, wait: bool = False) -> str | None:
        """What is wrong with the file, once an integrity check handed to check_later has failed
        (wait: until it has ended)."""
        check = self._pending_check
        if check is None or not (wait or check.finished):
            return None
        try:
            check.confirm()
        except StoreError as exc:
            return str(exc)
        return None

    # -- reads --------------------------------------------------------------------------------

    def portfolios(self) -> list[r.Portfolio]:
        with self.lock:
            return self._reader.portfolios()

    def portfolio(self, portfolio_id: int) -> r.Portfolio:
        with self.lock:
            return self._reader.portfolio(portfolio_id)

    def portfolio_of(self, *, programme_id: int | None = None, project_id: int | None = None) -> r.Portfolio:
        with self.lock:
            return self._reader.portfolio_of(programme_id=programme_id, project_id=project_id)

    def programme(self, programme_id: int) -> r.Programme:
        with self.lock:
            return self._reader.programme(programme_id)

    def project(self, project_id: int) -> r.Project:
        with self.lock:
            return self._reader.project(project_id)

    def milestone(self, milestone_id: int) -> r.Milestone:
        with self.lock:
            return self._reader.milestone(milestone_id)

    def risk(self, risk_id: int) -> r.Risk:
        with self.lock:
            return self._reader.risk(risk_id)

    def saving(self, saving_id: int) -> r.Saving:
        with self.lock:
            return self._reader.saving(saving_id)

    def milestones(self, *, project_id: int | None = None,
                   programme_id: int | None = None) -> list[r.Milestone]:
        with self.lock:
            return self._reader.milestones(project_id=project_id, programme_id=programme_id)

    def risks(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Risk]:
        with self.lock:
            return self._reader.risks(project_id=project_id, programme_id=programme_id)

    def savings(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Saving]:
        with self.lock:
            return self._reader.savings(project_id=project_id, programme_id=programme_id)

    def programme_count(self, text: str | None = None, *, only: str | None = None) -> int:
        with self.lock:
            return self._reader.programme_count(text, only=only)

    def savings_by_year(self, *, project_id: int | None = None,
                        programme_id: int | None = None) -> list[r.SavingsYear]:
        """Gross, cost and net savings by financial year, years ascending (a programme's include its
        projects')."""
        with self.lock:
            return self._reader.savings_by_year(project_id=project_id, programme_id=programme_id)

    def portfolio_programme_counts(self) -> list[tuple[r.Portfolio, int]]:
        with self.lock:
            return self._reader.portfolio_programme_counts()

    def home_rows_in_one_step(self, offset: int = 0, limit: int = 200) -> list[r.ProgrammeSummary]:
        with self.lock:
            return self._with_was("programme", self._reader.home_rows_in_one_step(offset, limit))

    def project_rows(self, programme_id: int) -> list[r.ProjectSummary]:
        with self.lock:
            return self._with_was("project", self._reader.project_rows(programme_id))

    def projects(self, programme_id: int) -> list[r.Project]:
        with self.lock:
            return self._reader.projects(programme_id)

    def history(self, *, project_id: int | None = None, programme_id: int | None = None,
                item: tuple[str, int] | None = None, limit: int = 500) -> list[r.Change]:
        with self.lock:
            return self._reader.history(project_id=project_id, programme_id=programme_id, item=item,
                                        limit=limit)

    def change_group_info(self, group_id: int) -> r.ChangeGroup:
        """One change group (a history row's group_id): who did what when, and whether it has
        been reverted since. mine: made through this store instance."""
        with self.lock:
            return self._writer.change_group_info(group_id)

    def last_change(self, kind: str, item_id: int) -> r.Change | None:
        with self.lock:
            return self._reader.last_change(kind, item_id)

    def search(self, text: str, limit: int = 50) -> list[r.Hit]:
        with self.lock:
            return self._reader.search(text, limit)

    def search_milestones(self, text: str = "", limit: int = 200, offset: int = 0, *,
                          sort: str | None = None, descending: bool = False,
                          only: str | None = None) -> list[tuple[r.Milestone, str]]:
        """A page of every milestone (see Reader.search_milestones: sort in MILESTONE_SORTS, only in
        MILESTONE_FILTERS)."""
        with self.lock:
            return self._reader.search_milestones(text, limit, offset, sort=sort, descending=descending,
                                                  only=only)

    def milestone_count(self, text: str = "", *, only: str | None = None,
                        stop: Callable[[], bool] | None = None) -> int:
        """How many milestones search_milestones pages through. stop, if given, is asked now and then
        while they are counted (a date or a status is looked for in every one of them): once it says
        True the count is given up and Abandoned raised."""
        with self.lock, self._stoppable(stop):
            return self._reader.milestone_count(text, only=only)

    @contextlib.contextmanager
    def _stoppable(self, stop: Callable[[], bool] | None) -> Iterator[None]:
        """Within: the connection's statements end with Abandoned once stop() is True (asked every
        STOP_STEPS of SQLite's steps). Only a read is run within: the lock keeps writes out."""
        if stop is None:
            yield
            return
        self.conn.set_progress_handler(lambda: 1 if stop() else 0, STOP_STEPS)
        try:
            yield
        except sqlite3.OperationalError:
            if stop():
                raise Abandoned() from None
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    # -- writes -------------------------------------------------------------------------------

    def set_milestone_status(self, milestone_id: int, version: int, status: str, reason: str = "", *,
                             base: dict[str, Any] | None = None) -> r.Milestone:
        with self.lock:
            return self._writer.set_milestone_status(milestone_id, version, status, reason, base=base)

    def edit_milestone(self, milestone_id: int, version: int, reason: str = "", *,
                       base: dict[str, Any] | None = None, **values: Any) -> r.Milestone:
        with self.lock:
            return self._writer.edit_milestone(milestone_id, version, reason, base=base, **values)

    def add_milestone(self, *, project_id: int | None = None, programme_id: int | None = None,
                      **values: Any) -> r.Milestone:
        with self.lock:
            return self._writer.add_milestone(project_id=project_id, programme_id=programme_id, **values)

    def delete_milestone(self, milestone_id: int, version: int, reason: str = "") -> None:
        with self.lock:
            self._writer.delete_milestone(milestone_id, version, reason)

    def add_risk(self, *, project_id: int | None = None, programme_id: int | None = None,
                 **values: Any) -> r.Risk:
        with self.lock:
            return self._writer.add_risk(project_id=project_id, programme_id=programme_id, **values)

    def edit_risk(self, risk_id: int, version: int, reason: str = "", *, base: dict[str, Any] | None = None,
                  **values: Any) -> r.Risk:
        with self.lock:
            return self._writer.edit_risk(risk_id, version, reason, base=base, **values)

    def close_risk(self, risk_id: int, version: int, reason: str = "", *,
                   base: dict[str, Any] | None = None) -> r.Risk:
        with self.lock:
            return self._writer.close_risk(risk_id, version, reason, base=base)

    def reopen_risk(self, risk_id: int, version: int, reason: str = "", *,
                    base: dict[str, Any] | None = None) -> r.Risk:
        with self.lock:
            return self._writer.reopen_risk(risk_id, version, reason, base=base)

    def delete_risk(self, risk_id: int, version: int, reason: str = "") -> None:
        with self.lock:
            self._writer.delete_risk(risk_id, version, reason)

    def add_saving(self, *, project_id: int | None = None, programme_id: int | None = None,
                   **values: Any) -> r.Saving:
        with self.lock:
            return self._writer.add_saving(project_id=project_id, programme_id=programme_id, **values)

    def edit_saving(self, saving_id: int, version: int, reason: str = "", *,
                    base: dict[str, Any] | None = None, **values: Any) -> r.Saving:
        with self.lock:
            return self._writer.edit_saving(saving_id, version, reason, base=base, **values)

    def delete_saving(self, saving_id: int, version: int, reason: str = "") -> None:
        with self.lock:
            self._writer.delete_saving(saving_id, version, reason)

    def add_portfolio(self, **values: Any) -> r.Portfolio:
        with self.lock:
            return self._writer.add_portfolio(**values)

    def add_portfolio_with_programme(self, portfolio: dict[str, Any],
                                     programme: dict[str, Any]) -> tuple[r.Portfolio, r.Programme]:
        """A new portfolio and its first programme in one change: either refused, and nothing is
        written. The portfolio's fields are named "Portfolio name", "Organisation", "Status date"."""
        with self.lock:
            return self._writer.add_portfolio_with_programme(portfolio, programme)

    def edit_portfolio(self, portfolio_id: int, version: int, reason: str = "", *,
                       base: dict[str, Any] | None = None, **values: Any) -> r.Portfolio:
        """Change a portfolio's name, organisation, status_date, green_max or red_min."""
        with self.lock:
            return self._writer.edit_portfolio(portfolio_id, version, reason, base=base, **values)

    def add_programme(self, *, portfolio_id: int, **values: Any) -> r.Programme:
        with self.lock:
            return self._writer.add_programme(portfolio_id=portfolio_id, **values)

    def edit_programme(self, programme_id: int, version: int, reason: str = "", *,
                       base: dict[str, Any] | None = None, **values: Any) -> r.Programme:
        with self.lock:
            return self._writer.edit_programme(programme_id, version, reason, base=base, **values)

    def add_project(self, *, programme_id: int, **values: Any) -> r.Project:
        with self.lock:
            return self._writer.add_project(programme_id=programme_id, **values)

    def edit_project(self, project_id: int, version: int, reason: str = "", *,
                     base: dict[str, Any] | None = None, **values: Any) -> r.Project:
        with self.lock:
            return self._writer.edit_project(project_id, version, reason, base=base, **values)

    def set_project_rag(self, project_id: int, version: int, rag: str | None, reason: str = "", *,
                        base: dict[str, Any] | None = None) -> r.Project:
        """Set a project's RAG by hand (None returns it to the roll-up of its milestones)."""
        with self.lock:
            return self._writer.set_project_rag(project_id, version, rag, reason, base=base)

    def set_programme_rag(self, programme_id: int, version: int, rag: str | None, reason: str = "", *,
                          base: dict[str, Any] | None = None) -> r.Programme:
        with self.lock:
            return self._writer.set_programme_rag(programme_id, version, rag, reason, base=base)

    def set_programme_dca(self, programme_id: int, version: int, dca: str | None, reason: str = "", *,
                          base: dict[str, Any] | None = None) -> r.Programme:
        """Set a programme's delivery confidence (one of DCAS, or None: not assessed) with a reason."""
        with self.lock:
            self._writer.set_dca("programme", programme_id, version, dca, reason, base=base)
            return self._reader.programme(programme_id)

    def set_project_dca(self, project_id: int, version: int, dca: str | None, reason: str = "", *,
                        base: dict[str, Any] | None = None) -> r.Project:
        with self.lock:
            self._writer.set_dca("project", project_id, version, dca, reason, base=base)
            return self._reader.project(project_id)

    def close_period(self, portfolio_id: int, version: int, next_status_date: object = None,
                     reason: str = "") -> r.Period:
        """Close the portfolio's reporting period at its status date, keeping every RAG, DCA, score
        and saving as they stand; the status date moves to next_status_date (default: a month on)."""
        with self.lock:
            return self._writer.close_period(portfolio_id, version, next_status_date, reason)

    # -- closed periods ------------------------------------------------------------------------

    def periods(self, portfolio_id: int | None = None) -> list[r.Period]:
        """Closed reporting periods, oldest first (of one portfolio, or of all)."""
        with self.lock:
            return PeriodReader(self.conn).periods(portfolio_id)

    def last_period(self, portfolio_id: int) -> r.Period | None:
        with self.lock:
            return PeriodReader(self.conn).last_period(portfolio_id)

    def period_items(self, period_id: int, kind: str | None = None) -> dict[tuple[str, int], r.PeriodItem]:
        """What each item stood at when a period closed, by (item_kind, item_id)."""
        with self.lock:
            return PeriodReader(self.conn).period_items(period_id, kind)

    def previous(self, kind: str, ids: Iterable[int]) -> dict[int, r.PeriodItem]:
        """What these items stood at when their portfolio's last period closed, by id (none for an
        item added since, or before any period closed)."""
        with self.lock:
            return PeriodReader(self.conn).previous(kind, ids)

    def changes_since(self, portfolio_id: int, *, programme_id: int | None = None,
                      project_id: int | None = None, limit: int = 5000) -> list[r.Change]:
        """The changes to RAG, DCA, status, dates and scores (and items added or removed) since the
        portfolio's last closed period, newest first; those since undone are left out."""
        with self.lock:
            return PeriodReader(self.conn).changes_since(portfolio_id, programme_id=programme_id,
                                                          project_id=project_id, limit=limit)

    def set_status_date(self, portfolio_id: int, version: int, status_date: object, reason: str = "", *,
                        base: dict[str, Any] | None = None) -> r.Portfolio:
        with self.lock:
            return self._writer.set_status_date(portfolio_id, version, status_date, reason, base=base)

    def set_risk_thresholds(self, portfolio_id: int, version: int, green_max: int,
                            red_min: int) -> r.Portfolio:
        """A portfolio's own matrix: scores up to green_max are Green, from red_min Red."""
        with self.lock:
            return self._writer.set_risk_thresholds(portfolio_id, version, green_max, red_min)

    def preview_warnings(self, kind: str, values: dict[str, Any], *, item_id: int | None = None,
                         project_id: int | None = None, programme_id: int | None = None) -> list[str]:
        """The warnings a milestone or risk would have if saved with these form values (over item_id,
        or new in project_id or programme_id); nothing is written, [] if the values do not pass."""
        with self.lock:
            return self._writer.preview_warnings(kind, values, item_id=item_id, project_id=project_id,
                                                 programme_id=programme_id)

    def can_undo(self) -> str | None:
        with self.lock:
            return self._writer.can_undo()

    def can_redo(self) -> str | None:
        with self.lock:
            return self._writer.can_redo()

    def undo(self) -> r.UndoResult | None:
        """Revert this instance's last change, exactly; None if it has made none left to undo."""
        with self.lock:
            return self._writer.undo()

    def redo(self) -> r.UndoResult | None:
        with self.lock:
            return self._writer.redo()

    def undo_group(self, group_id: int) -> r.UndoResult:
        """Revert one chosen change group (anyone's, e.g. picked from an item's history); an undo
        is redone. ConflictError when it was already reverted or its items changed since."""
        with self.lock:
            return self._writer.undo_group(group_id)

    def import_portfolio(self, portfolio: dict[str, Any], *, label: str | None = None) -> int:
        """Load a whole portfolio tree (as seed/ and the benchmark build it) in one transaction."""
        with self.lock:
            return self._writer.import_portfolio(portfolio, label=label)

    def import_sheets(self, sheets: Iterable[Any], *, source: str, extra_to_notes: bool = False,
                      delete_missing: bool = False, dry_run: bool = False,
                      progress: Callable[[str], None] | None = None) -> Any:
        """Bring registers in from a spreadsheet's sheets (store.importing.Sheet): checked whole
        first (ImportProblems lists every problem, and nothing is written), then one undoable
        change group "Imported SOURCE"; with dry_run, only what it would do. An importing.Outcome."""
        with self.lock:
            return self._writer.import_sheets(sheets, source=source, extra_to_notes=extra_to_notes,
                                              delete_missing=delete_missing, dry_run=dry_run,
                                              progress=progress)


def open_store(path: str | os.PathLike[str], *, read_only: bool | None = None, who: str | None = None,
               clock: Clock | None = None) -> Store:
    """Open (or create, owner-only) a ragboard file. Unusable files raise UnusableFileError.

    who is the name recorded on changes (default: the OS user); clock returns an aware UTC
    datetime (default: now).
    """
    conn, ro, warning = connect(path, read_only=read_only)
    return Store(conn, Path(path), ro, who, clock, open_warning=warning)


# From this size on, the integrity check runs on after the first screen is shown (Store.check_later):
# it reads the whole file, ~40 ms at 5,000 projects (24 MB) but ~450-620 ms at 50,000 (238 MB),
# where it was most of the time to the first screen. Until it has passed, nothing is written.
CHECK_LATER_BYTES = 64 * 2**20


class IntegrityCheck:
    """The whole-file integrity check, run on another thread while the app loads.

    SQLite releases the GIL while it reads, so on a large file the check overlaps start-up
    instead of adding to it. confirm() waits for it and raises CorruptFileError if it failed.
    Given a store and home_page, once the file has passed it also reads the home screen's first
    page on a read-only connection of its own, for the store to serve (Store._take_ahead).
    later: the file is large enough for the check to go on after the first screen (the caller
    hands it to Store.check_later instead of confirming it first); then the home page is read ahead
    at once, on a thread of its own, and the check starts only when start() is called
    (Store.begin_check, once the first screen is shown) or something waits for it: on 2 cores, a
    check of a 366 MB file (~550 ms of reading) run during start-up took a core from the app's start.
    """

    def __init__(self, path: str | os.PathLike[str], store: Store | None = None, home_page: int = 0):
        self._error: BaseException | None = None
        try:
            self.later = os.stat(path).st_size >= CHECK_LATER_BYTES
        except OSError:
            self.later = False
        if self.later:
            if _reads_ahead(store, home_page):
                # Read ahead at once all the same (~8 ms at 50,000 projects, on the other core while
                # the app loads): the first screen of a large file is shown before its check.
                threading.Thread(target=_read_ahead, args=(store, home_page), name="read-ahead",
                                 daemon=True).start()
            home_page = 0
        self._thread = threading.Thread(target=self._run, args=(path, store, home_page),
                                        name="integrity-check", daemon=True)
        self._starting = threading.Lock()
        self.started = False
        if not self.later:
            self.start()

    def start(self) -> None:
        """Start the check, if it has not started yet."""
        with self._starting:
            if not self.started:
                self._thread.start()
                self.started = True

    def _run(self, path: str | os.PathLike[str], store: Store | None, home_page: int) -> None:
        try:
            check_intact(path)
        except Exception as exc:  # noqa: BLE001 - handed to confirm() on the caller's thread
            self._error = exc
            return
        if _reads_ahead(store, home_page):
            _read_ahead(store, home_page)

    @property
    def finished(self) -> bool:
        return self.started and not self._thread.is_alive()

    def confirm(self) -> None:
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error


def _reads_ahead(store: Store | None, page: int) -> TypeGuard[Store]:
    """Whether a page is wanted ahead, for a store that serves it (a read-only one never does)."""
    return store is not None and page > 0 and not store.read_only


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
        rows = Reader(conn).home_rows_in_one_step(0, page)
    except Exception:  # noqa: BLE001 - the screen asks again, on the store's connection
        return
    finally:
        conn.close()
    with store.lock:
        store._ahead = (page, rows)


def open_store_checking_later(path: str | os.PathLike[str], *, home_page: int = 0,
                              read_only: bool | None = None, who: str | None = None,
                              clock: Clock | None = None) -> tuple[Store, IntegrityCheck]:
    """Open a file leaving its integrity check running; call check.confirm() before showing it.

    home_page > 0 also reads that many rows of the home screen ahead, once the check has passed.
    """
    conn, ro, warning = connect(path, read_only=read_only, check=False)
    store = Store(conn, Path(path), ro, who, clock, open_warning=warning)
    return store, IntegrityCheck(path, store, home_page)


__all__ = ["Store", "open_store", "r"]
