"""Writes: one method per user action, each one transaction that validates, writes and logs."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store import fields, inferred
from store import records as r
from store import validate as v
from store.errors import (
    ConflictError,
    DiskFullError,
    ForeignHistoryError,
    InUseError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    ValidationError,
)
from store.queries import Reader
from store.text import day, shorten

_PROVENANCE = ("source", "source_line")
_NOUN = {"portfolio": "Portfolio", "programme": "Programme", "project": "Project",
         "milestone": "Milestone", "risk": "Risk", "saving": "Saving"}
# The record tables ragboard writes: the only names a write (or an undo) may put into SQL.
KINDS = fields.KINDS
INT64 = (-2**63, 2**63 - 1)
# How much of a record's name a change label or a message shows: it is read in a one-line notice.
SHOWN = 50
# The key a user knows each record by, unique where it is kept: (field, the column of the record
# that holds it, that record's kind); a portfolio's name is unique in the whole file.
UNIQUE = {"portfolio": ("name", None, None), "programme": ("code", "portfolio_id", "portfolio"),
          "project": ("reference", "programme_id", "programme")}
# How add_portfolio_with_programme names a portfolio's fields beside the programme's own.
PORTFOLIO_FIELDS = {"Name": "Portfolio name"}


def columns(kind: str) -> dict[str, tuple[str, bool]]:
    """A record kind's columns -> (declared type, NOT NULL), from the field spec (never from the
    open file, whose tables anyone may have altered); any other name is refused before it can
    reach SQL."""
    if not isinstance(kind, str) or kind not in KINDS:
        raise StoreError("ragboard has no such kind of record; nothing was written.")
    return fields.columns(kind)


def _check_columns(kind: str, names: Iterable[str]) -> None:
    known = columns(kind)
    if any(name not in known for name in names):
        raise StoreError(f"a {kind} has no such field; nothing was written.")


def _fits_int64(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and INT64[0] <= value <= INT64[1]


def _check_id(kind: str, item_id: object) -> None:
    """An id SQLite could never hold (beyond 64 bits) names no record: not found, not a crash."""
    if isinstance(item_id, int) and not _fits_int64(item_id):
        raise NotFoundError(f"That {kind} no longer exists; it may have been removed in another window.")


def clean(kind: str, values: dict[str, Any], *, new: bool) -> dict[str, Any]:
    """Validate user values for a record kind; unknown fields are a programming error."""
    spec = fields.editable(kind)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in _PROVENANCE:
            out[key] = None if value is None else str(value)
            continue
        cleaner = spec[key].clean if key in spec else None
        if cleaner is None:
            raise StoreError(f"a {kind} has no field {key}; nothing was written.")
        out[key] = cleaner(value)
    if new:
        for key in fields.required(kind):
            if out.get(key) in (None, ""):
                raise ValidationError(spec[key].label, "cannot be blank.")
    if kind == "risk":
        # A new risk given only a likelihood (or only an impact) has the other one blank.
        ratings = ("likelihood", "impact", "residual_likelihood", "residual_impact")
        blank = dict.fromkeys(ratings) if new else {}
        _check_pairs({**blank, **out})
    return out


def check_thresholds(green_max: object, red_min: object) -> None:
    """A portfolio's risk matrix: both limits whole numbers from 1 to 25, with room for Amber between."""
    spec = fields.specs("portfolio")
    green = _limit(spec["green_max"].label, green_max)
    red = _limit(spec["red_min"].label, red_min)
    if green >= red:
        raise ValidationError(spec["red_min"].label, "must be above the Green limit, leaving room for Amber.")


def _limit(label: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 25:
        raise ValidationError(label, "must be a whole number from 1 to 25.")
    return value


def _check_pairs(values: dict[str, Any]) -> None:
    for a, b in (("likelihood", "impact"), ("residual_likelihood", "residual_impact")):
        if a in values and b in values and (values[a] is None) != (values[b] is None):
            raise ValidationError(fields.field_label("risk", b),
                                  "give both likelihood and impact, or neither.")


def _label(kind: str, row: dict[str, Any]) -> str:
    """What the change log calls a record (its item_label): its name, as typed."""
    label: str
    if kind == "risk":
        label = row.get("reference") or shorten(row.get("description") or "", 60)
    elif kind == "saving":
        label = f"{row.get('year')} {row.get('kind') or 'saving'}"  # a new saving's kind may be the default
    elif kind == "programme":
        label = row.get("code") or row.get("name") or ""
    else:
        label = row.get("name") or ""
    return label


def shown(kind: str, row: dict[str, Any]) -> str:
    """A record's name as a change label or a message shows it: as typed, on one line, cut at a word."""
    return shorten(_label(kind, row), SHOWN)


def quoted(text: str) -> str:
    """A name in the middle of a sentence: in plain double quotes, as typed, cut at a word."""
    return f'"{shorten(text, SHOWN)}"'


def _key(value: object) -> str:
    """A unique key as it is compared: ignoring case and the spaces around it."""
    return value.strip().casefold() if isinstance(value, str) else ""


def _taken(kind: str, value: str, holder: str) -> str:
    """The message for a key another record holds."""
    if kind == "portfolio":
        return f"{shorten(value, SHOWN)} is already the name of another portfolio."
    where = UNIQUE[kind][2]
    return f"{shorten(value, SHOWN)} is already used by {quoted(holder)} in this {where}."


def _whole_number(label: str, value: object) -> int:
    """A risk-matrix limit as a form gives it (6 or "6"); check_thresholds checks its range."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip()):
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(label, "must be a whole number from 1 to 25.")
    return value


class Writer:
    """Every change a user can make, each one transaction that validates, writes and logs.

    It reads through reader (on the same connection) what it returns and what a conflict
    reports. on_write is called before each write (the store drops the rows it read ahead).
    """

    def __init__(self, conn: sqlite3.Connection, reader: Reader, *, path: Path, read_only: bool, who: str,
                 now: Callable[[], str], on_write: Callable[[], None] = lambda: None):
        self.conn = conn
        self.reader = reader
        self.path = path
        self.read_only = read_only
        self.who = who
        self.now = now
        self.on_write = on_write
        self.mine: list[int] = []  # change groups made through this writer, for undo

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, label: str, kind: str = "edit", reverts: int | None = None) -> Iterator[_Tx]:
        """BEGIN IMMEDIATE, a change group for the action, COMMIT (or ROLLBACK on any error)."""
        if self.read_only:
            raise ReadOnlyError(str(self.path))
        self.on_write()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise InUseError(f"{self.path} is busy: another program is writing to it. "
                                 "Try again in a moment.") from None
            if "readonly" in str(exc) or "read-only" in str(exc):
                raise ReadOnlyError(str(self.path)) from None
            if _disk_full(exc):
                raise DiskFullError(self.path) from None
            raise
        try:
            at = self.now()
            group = self.conn.execute(
                "INSERT INTO change_group (at, who, label, kind, reverts) VALUES (?, ?, ?, ?, ?)",
                (at, self.who, label, kind, reverts)).lastrowid
            assert group is not None  # an INSERT always sets it
            tx = _Tx(self, group, at)
            yield tx
            if not tx.logged and kind in ("edit", "redo"):
                # Nothing changed (e.g. a status set to what it was): leave nothing to undo.
                self.conn.execute("DELETE FROM change_group WHERE id = ?", (group,))
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            if _disk_full(exc):
                raise DiskFullError(self.path) from None
            raise
        except BaseException:
            self._rollback()
            raise
        # Only once committed: a group rolled back frees its id for the next writer's group.
        if tx.logged and kind != "import":
            self.mine.append(group)

    def _rollback(self) -> None:
        if self.conn.in_transaction:  # SQLite may already have rolled back (e.g. on a full disk)
            self.conn.execute("ROLLBACK")

    def _row(self, kind: str, item_id: int) -> dict[str, Any]:
        """A record as stored, by column name."""
        cols = columns(kind)
        _check_id(kind, item_id)
        cur = self.conn.execute(f"SELECT {', '.join(cols)} FROM {kind} WHERE id = ?", (item_id,))
        row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"That {kind} no longer exists; it may have been removed in another window.")
        return dict(zip(cols, row, strict=True))

    def _current(self, kind: str, item_id: int, *, found: bool = False) -> dict[str, Any]:
        """The row as it is now; one removed meanwhile is a conflict naming who removed it.

        found: the caller has already found it (this is the read under the write lock), so it is
        a conflict even when no change in the log says who removed it; otherwise not found."""
        try:
            return self._row(kind, item_id)
        except NotFoundError:
            _check_id(kind, item_id)
            last = self.reader.last_change(kind, item_id)
            if last is None and not found:
                raise
            raise ConflictError(f"This {kind}", last.who if last else None, _when(last)) from None

    def _checked_row(self, kind: str, item_id: int, version: int) -> dict[str, Any]:
        row = self._current(kind, item_id, found=True)
        if row["version"] != version:
            raise self._conflict(kind, item_id, row)
        return row

    def _conflict(self, kind: str, item_id: int, row: dict[str, Any], theirs: dict[str, Any] | None = None,
                  changed: dict[str, Any] | None = None) -> ConflictError:
        """The error for a record changed since the caller read it, carrying it as it is now."""
        last = self.reader.last_change(kind, item_id)
        item = f"{_NOUN[kind]} {quoted(_label(kind, row))}"
        who, when = (last.who, _when(last)) if last else (None, None)
        text = None
        if theirs:
            labels = ", ".join(fields.field_label(kind, k) for k in theirs)
            changer = f"was changed by {who} at {when}" if who else "has changed since you opened it"
            text = f"{item} {changer}; you both changed {labels}."
        return ConflictError(item, who, when, current=self._reload(kind, item_id), theirs=theirs,
                             changed=changed, text=text)

    def _merge(self, kind: str, item_id: int, row: dict[str, Any], values: dict[str, Any],
               base: dict[str, Any] | None) -> dict[str, Any]:
        """The caller's changes to put on a row that moved on since they read it (as base).

        Their changes are the fields where values differ from base; the other person's, those
        where the row now differs from base. Where none of the caller's changed fields was also
        changed, to something else, by the other person, those fields alone are applied.
        Otherwise (or without base) ConflictError.
        """
        if base is None:
            raise self._conflict(kind, item_id, row)
        fixed = ("id", "version", "position")
        mine = {k: val for k, val in values.items() if k not in base or base[k] != val}
        changed = {k: row[k] for k in base if k in row and k not in fixed and row[k] != base[k]}
        # A field missing from base: what the caller saw is unknown, so any difference is a clash.
        theirs = {k: row[k] for k, val in mine.items() if (k in changed or k not in base) and row[k] != val}
        if theirs:
            raise self._conflict(kind, item_id, row, theirs, changed)
        return mine

    def _context(self, kind: str, row: dict[str, Any]) -> tuple[int, int | None, int | None]:
        """(portfolio_id, programme_id, project_id) of a record, for filtering history."""
        if kind == "portfolio":
            return row["id"], None, None
        if kind == "programme":
            return row["portfolio_id"], row["id"], None
        if kind == "project":
            portfolio = self.conn.execute("SELECT portfolio_id FROM programme WHERE id = ?",
                                          (row["programme_id"],)).fetchone()[0]
            return portfolio, row["programme_id"], row["id"]
        if row.get("project_id"):
            programme, portfolio = self.conn.execute(
                "SELECT p.id, p.portfolio_id FROM project j JOIN programme p ON p.id = j.programme_id "
                "WHERE j.id = ?", (row["project_id"],)).fetchone()
            return portfolio, programme, row["project_id"]
        portfolio = self.conn.execute("SELECT portfolio_id FROM programme WHERE id = ?",
                                      (row["programme_id"],)).fetchone()[0]
        return portfolio, row["programme_id"], None

    def _update(self, kind: str, item_id: int, version: int, values: dict[str, Any], reason: str,
                base: dict[str, Any] | None, label: str, *, cleaned: bool = False) -> None:
        """Write values over a record read at version, as one change labelled the way a user reads
        it: label, with {name} standing for the record's name as typed ("Set '{name}' to Red").

        base (the record's stored values as the caller read it) lets a write over a record changed
        since go through when it touches no field the other person changed (see _merge).
        cleaned: values are already validated (edit_portfolio's thresholds have no cleaner)."""
        current = self._current(kind, item_id)
        label = label.format(name=shown(kind, current))
        if not cleaned:
            values = clean(kind, values, new=False)
        reason = v.text("Reason", reason, multiline=True)
        with self._transaction(label) as tx:
            row = self._current(kind, item_id, found=True)
            if row["version"] != version:
                values = self._merge(kind, item_id, row, values, base)
            self._check_record(kind, row, values)
            values = _theirs_now(row, values)
            tx.update(kind, row, values, reason)

    def _check_record(self, kind: str, row: dict[str, Any], values: dict[str, Any]) -> None:
        """What one field cannot say of a record about to be written with values over row (under
        the write lock, so another instance cannot take a key meanwhile): a risk's ratings in pairs,
        a portfolio's matrix, and a key no other record holds."""
        after = {**row, **values}
        if kind == "risk":
            _check_pairs(after)
        if kind == "portfolio" and ("green_max" in values or "red_min" in values):
            check_thresholds(after["green_max"], after["red_min"])
        if kind in UNIQUE:
            field = UNIQUE[kind][0]
            if field in values and _key(values[field]) != _key(row.get(field)):
                self._check_unique(kind, after)

    def _check_unique(self, kind: str, row: dict[str, Any], label: str | None = None) -> None:
        """Refuse a record whose key (a programme's code, a project's reference, a portfolio's
        name) another record already holds where it must be unique; a blank key is no key."""
        field, scope, _ = UNIQUE[kind]
        key = _key(row.get(field))
        if not key:
            return
        sql = f"SELECT id, {field}, name FROM {kind}" + (f" WHERE {scope} = ?" if scope else "")
        for other_id, other_key, other_name in self.conn.execute(sql, (row[scope],) if scope else ()):
            if other_id != row.get("id") and _key(other_key) == key:
                raise ValidationError(label or fields.field_label(kind, field),
                                      _taken(kind, row[field].strip(), other_name))

    def _insert(self, kind: str, values: dict[str, Any], *, label: str, reason: str = "") -> int:
        with self._transaction(label) as tx:
            if kind in UNIQUE:
                self._check_unique(kind, values)
            return tx.insert(kind, values, reason)

    def _reload(self, kind: str, item_id: int) -> Any:
        """A record as the reader returns it (a Milestone, a Risk...)."""
        return getattr(self.reader, kind)(item_id)

    def _add(self, kind: str, values: dict[str, Any], **owner_ids: int | None) -> int:
        """Validate and insert a new record, last in the list of its owner (the one id given); its id."""
        values = clean(kind, values, new=True)
        owner = self._owner(owner_ids)
        values.update(owner, position=self._next_position(kind, owner))
        named = shorten(values["name"], SHOWN) if kind == "programme" else shown(kind, values)  # not by code
        return self._insert(kind, values, label=f"Added {kind} {named}")

    def _owner(self, ids: dict[str, int | None]) -> dict[str, int]:
        """The one owner given ({"project_id": 7}), once it is known to exist."""
        given = {column: value for column, value in ids.items() if value is not None}
        if len(given) != 1:
            owners = " or ".join(column.removesuffix("_id") for column in ids)
            raise StoreError(f"an item belongs to exactly one {owners}")
        (column, value), = given.items()
        self._row(column.removesuffix("_id"), value)
        return given

    def _next_position(self, kind: str, owner: dict[str, int]) -> int:
        (col, value), = owner.items()
        position: int = self.conn.execute(
            f"SELECT COALESCE(max(position), 0) + 1 FROM {kind} WHERE {col} = ?", (value,)).fetchone()[0]
        return position

    # -- milestones --------------------------------------------------------------------------

    def set_milestone_status(self, milestone_id: int, version: int, status: str, reason: str = "", *,
                             base: dict[str, Any] | None = None) -> r.Milestone:
        status = clean("milestone", {"status": status}, new=False)["status"]
        self._update("milestone", milestone_id, version, {"status": status}, reason, base,
                     f"Set '{{name}}' to {status}")
        return self.reader.milestone(milestone_id)

    def edit_milestone(self, milestone_id: int, version: int, reason: str = "", *,
                       base: dict[str, Any] | None = None, **values: Any) -> r.Milestone:
        self._update("milestone", milestone_id, version, values, reason, base, "Edited milestone {name}")
        return self.reader.milestone(milestone_id)

    def add_milestone(self, *, project_id: int | None = None, programme_id: int | None = None,
                      **values: Any) -> r.Milestone:
        new_id = self._add("milestone", values, project_id=project_id, programme_id=programme_id)
        return self.reader.milestone(new_id)

    def delete_milestone(self, milestone_id: int, version: int, reason: str = "") -> None:
        self._delete("milestone", milestone_id, version, reason)

    # -- risks -------------------------------------------------------------------------------

    def add_risk(self, *, project_id: int | None = None, programme_id: int | None = None,
                 **values: Any) -> r.Risk:
        return self.reader.risk(self._add("risk", values, project_id=project_id, programme_id=programme_id))

    def edit_risk(self, risk_id: int, version: int, reason: str = "", *, base: dict[str, Any] | None = None,
                  **values: Any) -> r.Risk:
        self._update("risk", risk_id, version, values, reason, base, "Edited risk {name}")
        return self.reader.risk(risk_id)

    def close_risk(self, risk_id: int, version: int, reason: str = "", *,
                   base: dict[str, Any] | None = None) -> r.Risk:
        self._update("risk", risk_id, version, {"status": "Closed"}, reason, base, "Closed risk {name}")
        return self.reader.risk(risk_id)

    def reopen_risk(self, risk_id: int, version: int, reason: str = "", *,
                    base: dict[str, Any] | None = None) -> r.Risk:
        self._update("risk", risk_id, version, {"status": "Open"}, reason, base, "Reopened risk {name}")
        return self.reader.risk(risk_id)

    def delete_risk(self, risk_id: int, version: int, reason: str = "") -> None:
        self._delete("risk", risk_id, version, reason)

    # -- savings -----------------------------------------------------------------------------

    def add_saving(self, *, project_id: int | None = None, programme_id: int | None = None,
                   **values: Any) -> r.Saving:
        new_id = self._add("saving", values, project_id=project_id, programme_id=programme_id)
        return self.reader.saving(new_id)

    def edit_saving(self, saving_id: int, version: int, reason: str = "", *,
                    base: dict[str, Any] | None = None, **values: Any) -> r.Saving:
        self._update("saving", saving_id, version, values, reason, base, "Edited saving {name}")
        return self.reader.saving(saving_id)

    def delete_saving(self, saving_id: int, version: int, reason: str = "") -> None:
        self._delete("saving", saving_id, version, reason)

    def _delete(self, kind: str, item_id: int, version: int, reason: str) -> None:
        reason = v.text("Reason", reason, multiline=True)
        current = self._current(kind, item_id)
        with self._transaction(f"Deleted {kind} {shown(kind, current)}") as tx:
            row = self._checked_row(kind, item_id, version)
            tx.delete(kind, row, reason)

    # -- programmes, projects, portfolios ------------------------------------------------------

    def add_portfolio(self, **values: Any) -> r.Portfolio:
        """A new portfolio; green_max and red_min, when given, set its risk matrix (both checked
        together, one given alone against the other's default)."""
        values = _portfolio(values, new=True)
        new_id = self._insert("portfolio", values, label=f"Added portfolio {shown('portfolio', values)}")
        return self.reader.portfolio(new_id)

    def add_portfolio_with_programme(self, portfolio: dict[str, Any],
                                     programme: dict[str, Any]) -> tuple[r.Portfolio, r.Programme]:
        """A new portfolio and its first programme, as one change: both are checked before either is
        written, so a programme refused leaves no portfolio behind. The portfolio's fields are named
        as a form holding both shows them ("Portfolio name" beside the programme's "Name")."""
        try:
            values = _portfolio(portfolio, new=True)
        except ValidationError as exc:
            raise ValidationError(PORTFOLIO_FIELDS.get(exc.field, exc.field), exc.message) from None
        first = clean("programme", dict(programme), new=True)
        label = (f"Added portfolio {shown('portfolio', values)} and programme "
                 f"{shorten(first['name'], SHOWN)}")
        with self._transaction(label) as tx:
            self._check_unique("portfolio", values, PORTFOLIO_FIELDS["Name"])
            portfolio_id = tx.insert("portfolio", values)
            programme_id = tx.insert("programme", {**first, "portfolio_id": portfolio_id, "position": 1})
        return self.reader.portfolio(portfolio_id), self.reader.programme(programme_id)

    def edit_portfolio(self, portfolio_id: int, version: int, reason: str = "", *,
                       base: dict[str, Any] | None = None, **values: Any) -> r.Portfolio:
        """Rename a portfolio, or change its organisation, status date or risk matrix (green_max,
        red_min: checked together, as they will stand once written)."""
        values = _portfolio(values, new=False)  # the limits are checked as they will stand, in _update
        self._update("portfolio", portfolio_id, version, values, reason, base, "Edited portfolio {name}",
                     cleaned=True)
        return self.reader.portfolio(portfolio_id)

    def add_programme(self, *, portfolio_id: int, **values: Any) -> r.Programme:
        return self.reader.programme(self._add("programme", values, portfolio_id=portfolio_id))

    def edit_programme(self, programme_id: int, version: int, reason: str = "", *,
                       base: dict[str, Any] | None = None, **values: Any) -> r.Programme:
        self._update("programme", programme_id, version, values, reason, base, "Edited programme {name}")
        return self.reader.programme(programme_id)

    def add_project(self, *, programme_id: int, **values: Any) -> r.Project:
        return self.reader.project(self._add("project", values, programme_id=programme_id))

    def edit_project(self, project_id: int, version: int, reason: str = "", *,
                     base: dict[str, Any] | None = None, **values: Any) -> r.Project:
        self._update("project", project_id, version, values, reason, base, "Edited project {name}")
        return self.reader.project(project_id)

    def set_project_rag(self, project_id: int, version: int, rag: str | None, reason: str = "", *,
                        base: dict[str, Any] | None = None) -> r.Project:
        """Set a project's RAG by hand (None returns it to the roll-up of its milestones)."""
        self._set_rag("project", project_id, version, rag, reason, base)
        return self.reader.project(project_id)

    def set_programme_rag(self, programme_id: int, version: int, rag: str | None, reason: str = "", *,
                          base: dict[str, Any] | None = None) -> r.Programme:
        self._set_rag("programme", programme_id, version, rag, reason, base)
        return self.reader.programme(programme_id)

    def _set_rag(self, kind: str, item_id: int, version: int, rag: str | None, reason: str,
                 base: dict[str, Any] | None) -> None:
        rag = clean(kind, {"rag": rag}, new=False)["rag"]
        self._update(kind, item_id, version, {"rag": rag, "rag_reason": reason or ""}, reason, base,
                     f"Set {kind} '{{name}}' to {rag or 'derived'}")

    def set_dca(self, kind: str, item_id: int, version: int, dca: str | None, reason: str = "", *,
                base: dict[str, Any] | None = None) -> None:
        """Set a programme's or project's delivery confidence (None: not assessed), with its reason."""
        if kind not in ("programme", "project"):
            raise StoreError("only a programme or a project has a delivery confidence; nothing was written.")
        dca = clean(kind, {"dca": dca}, new=False)["dca"]
        self._update(kind, item_id, version, {"dca": dca, "dca_reason": reason or ""}, reason, base,
                     f"Set the delivery confidence of {kind} '{{name}}' to {dca or 'not assessed'}")

    def close_period(self, portfolio_id: int, version: int, next_status_date: object = None,
                     reason: str = "") -> r.Period:
        """Close a portfolio's reporting period at its status date: keep what every item stands at
        (store/periods.py), then move the status date on (by default a month: periods.next_status_date)."""
        from store import periods

        current = self._current("portfolio", portfolio_id)
        ends = current["status_date"]
        if next_status_date is None or (isinstance(next_status_date, str) and not next_status_date.strip()):
            next_status_date = periods.next_status_date(ends)
        moved = v.parse_date("Next status date", next_status_date, blank_ok=False)
        if moved is None or moved <= ends:
            raise ValidationError("Next status date",
                                  f"must be after the status date being closed ({day(ends)}).")
        label = (f"Closed the period to {day(ends)} of {shown('portfolio', current)}; "
                 f"status date now {day(moved)}")
        with self._transaction(label) as tx:
            row = self._checked_row("portfolio", portfolio_id, version)
            period_id = periods.snapshot(self.conn, row, tx.at, self.who)
            # The new status date is the user's: an inferred one's mark goes with it.
            tx.update("portfolio", row, _theirs_now(row, {"status_date": moved}),
                      v.text("Reason", reason, multiline=True))
        found = periods.PeriodReader(self.conn).periods(portfolio_id)
        return next(p for p in found if p.id == period_id)

    def set_status_date(self, portfolio_id: int, version: int, status_date: object, reason: str = "", *,
                        base: dict[str, Any] | None = None) -> r.Portfolio:
        values = clean("portfolio", {"status_date": status_date}, new=False)
        self._update("portfolio", portfolio_id, version, values, reason, base,
                     f"Moved the status date of {{name}} to {day(values['status_date'])}", cleaned=True)
        return self.reader.portfolio(portfolio_id)

    def set_risk_thresholds(self, portfolio_id: int, version: int, green_max: int,
                            red_min: int) -> r.Portfolio:
        """A portfolio's own matrix: scores up to green_max are Green, from red_min Red."""
        check_thresholds(green_max, red_min)
        self._update("portfolio", portfolio_id, version, {"green_max": green_max, "red_min": red_min}, "",
                     None, f"Set the risk matrix of {{name}}: Green up to {green_max}, Red from {red_min}",
                     cleaned=True)
        return self.reader.portfolio(portfolio_id)

    # -- warnings before a save ----------------------------------------------------------------

    def preview_warnings(self, kind: str, values: dict[str, Any], *, item_id: int | None = None,
                         project_id: int | None = None, programme_id: int | None = None) -> list[str]:
        """The warnings (store.warnings) a milestone or risk would have if saved with values: over
        the record item_id as stored, or as a new one of project_id or programme_id. Nothing is
        written. [] when the values do not pass validation (the save will say why), when the
        record or its owner has gone, and for kinds that have no warnings."""
        from store.warnings import milestone_warnings, risk_warnings

        if kind not in ("milestone", "risk"):
            columns(kind)  # a kind ragboard does not have is a mistake, not "no warnings"
            return []
        try:
            if item_id is not None:
                row = {**self._row(kind, item_id), **clean(kind, dict(values), new=False)}
                owner = {k: row[k] for k in ("project_id", "programme_id") if row[k] is not None}
            else:
                owner = self._owner({"project_id": project_id, "programme_id": programme_id})
                row = {**_defaults(kind), **clean(kind, dict(values), new=True), **owner}
            if kind == "risk":
                _check_pairs(row)
            portfolio = self.reader.portfolio_of(**owner)
        except (ValidationError, NotFoundError):
            return []
        record = _derived(self.conn, kind, row, portfolio)
        if isinstance(record, r.Milestone):
            return milestone_warnings(record, portfolio.status_date)
        return risk_warnings(record)

    # -- undo and redo -----------------------------------------------------------------------

    def can_undo(self) -> str | None:
        """The label of the action undo would undo (as the user made it), or None."""
        row = self._undoable()
        return self._action(row[0], row[1]) if row else None

    def can_redo(self) -> str | None:
        """The label of the action redo would make again, or None."""
        row = self._redoable()
        return self._action(row[0], row[1]) if row else None

    def _action(self, group_id: int, label: str) -> str:
        """The label of the action a change group made, undid or redid: an undo and a redo are of
        the edit at the start of their chain (never "Redo: Undo: ..."), found through reverts."""
        found = self.conn.execute(
            "WITH RECURSIVE chain(id, label, kind, reverts, depth) AS ("
            " SELECT id, label, kind, reverts, 0 FROM change_group WHERE id = ?"
            " UNION ALL SELECT g.id, g.label, g.kind, g.reverts, c.depth + 1 FROM change_group g"
            " JOIN chain c ON g.id = c.reverts WHERE c.kind IN ('undo', 'redo') AND c.depth < 100000)"
            " SELECT label FROM chain WHERE kind NOT IN ('undo', 'redo') LIMIT 1", (group_id,)).fetchone()
        if found is not None:
            return str(found[0])
        # A chain another tool broke: the label less the prefixes an undo or a redo puts before it.
        while label.startswith(("Undo: ", "Redo: ")):
            label = label[len("Undo: "):]
        return label

    def _scope(self) -> tuple[str, tuple[int, ...]] | None:
        """Undo and redo work on this writer's own change groups only (never on what another
        instance, or another session, did: that is undone by choice, with undo_group)."""
        mine = self.mine[-500:]
        if not mine:
            return None
        return f" AND id IN ({', '.join('?' for _ in mine)})", tuple(mine)

    def _undoable(self) -> tuple[int, str] | None:
        scope = self._scope()
        return self._latest("kind IN ('edit', 'redo')", scope) if scope else None

    def _redoable(self) -> tuple[int, str] | None:
        scope = self._scope()
        row = self._latest("kind = 'undo'", scope) if scope else None
        if row is None or scope is None:
            return None
        where, args = scope
        later_edit = self.conn.execute(f"SELECT 1 FROM change_group WHERE kind = 'edit' AND id > ?{where}",
                                       (row[0], *args)).fetchone()
        return None if later_edit else row

    def _latest(self, kinds: str, scope: tuple[str, tuple[int, ...]]) -> tuple[int, str] | None:
        """(id, label) of the latest change group in scope, of kinds (an SQL condition), not reverted."""
        where, args = scope
        row: tuple[int, str] | None = self.conn.execute(
            f"SELECT id, label FROM change_group WHERE {kinds} AND reverted_by IS NULL{where} "
            "ORDER BY id DESC LIMIT 1", args).fetchone()
        return row

    def undo(self) -> r.UndoResult | None:
        """Revert this writer's last change, exactly; None if it has made none left to undo."""
        return self._revert(self._undoable(), "undo")

    def redo(self) -> r.UndoResult | None:
        return self._revert(self._redoable(), "redo")

    def change_group_info(self, group_id: int) -> r.ChangeGroup:
        """One change group, with mine saying whether this writer made it."""
        info = self.reader.change_group_info(group_id)
        return info._replace(mine=info.id in self.mine)

    def undo_group(self, group_id: int) -> r.UndoResult:
        """Revert one chosen change group (anyone's, e.g. picked from an item's history).

        An edit or redo is undone; an undo is redone (UndoResult.kind says which). Refused with
        ConflictError when it was already reverted or its items have changed since; a load
        (kind 'import') cannot be undone.
        """
        if self.read_only:
            raise ReadOnlyError(str(self.path))
        info = self.reader.change_group_info(group_id)
        if info.kind == "import":
            raise StoreError(_LOAD)
        if info.reverted:
            raise self._already_reverted(info.id, info.label)
        result = self._revert((info.id, info.label), "redo" if info.kind == "undo" else "undo")
        assert result is not None  # given a target, _revert reverts it or raises
        return result

    def _already_reverted(self, group_id: int, label: str) -> ConflictError:
        by = self.conn.execute(
            "SELECT g.who, g.at, g.kind FROM change_group g JOIN change_group t ON t.reverted_by = g.id "
            "WHERE t.id = ?", (group_id,)).fetchone()
        if by is None:
            return ConflictError("That change", None, None)
        who, at, kind = by
        when = _stamp(at)
        verb = "redone" if kind == "redo" else "undone"
        action = quoted(self._action(group_id, label))
        return ConflictError(action, who, when, text=f"{action} was already {verb} by {who} at {when}.")

    def _revert(self, target: tuple[int, str] | None, kind: str) -> r.UndoResult | None:
        if target is None:
            if self.read_only:
                raise ReadOnlyError(str(self.path))
            return None
        group_id, label = target
        original = self._action(group_id, label)  # what is undone or redone, as the user did it
        with self._transaction(f"{kind.capitalize()}: {original}", kind, reverts=group_id) as tx:
            # Re-read under the write lock: another instance may have reverted it first.
            still = self.conn.execute("SELECT reverted_by, kind FROM change_group WHERE id = ?",
                                      (group_id,)).fetchone()
            if still[0] is not None:
                raise self._already_reverted(group_id, label)
            if still[1] == "import":
                raise StoreError(_LOAD)
            changes = _checked_history(self.conn.execute(
                "SELECT op, item_kind, item_id, field, old, new FROM change "
                "WHERE group_id = ? ORDER BY id DESC", (group_id,)).fetchall())
            try:
                for op, item_kind, item_id, field, old, new in changes:
                    tx.invert(op, item_kind, item_id, field, old, new)
            except sqlite3.IntegrityError:
                # e.g. removing a project another instance has since added items to
                raise ConflictError("That change", None, None) from None
            self.conn.execute("UPDATE change_group SET reverted_by = ? WHERE id = ?", (tx.group, group_id))
        return r.UndoResult(original, kind)

    # -- the word indexes (ragboard check --repair) --------------------------------------------

    def rebuild_word_indexes(self, indexes: Iterable[str]) -> None:
        """Word indexes made again from their records, in one transaction. No record changes, so
        nothing is added to the history."""
        from store import checking

        with self._transaction("Rebuilt the word indexes"):
            for index in indexes:
                checking.rebuild(self.conn, index)

    # -- bulk load ---------------------------------------------------------------------------

    def import_portfolio(self, portfolio: dict[str, Any], *, label: str | None = None) -> int:
        """Load a whole portfolio tree (as seed/ and the benchmark build it) in one transaction.

        Every record is validated as a user's would be. The load is logged as one group that
        cannot be undone (undo is for edits, not for loading a file's contents).
        """
        from store.bulk import load_tree

        name = portfolio.get("name")
        label = label or f"Loaded portfolio {shorten(name, SHOWN) if isinstance(name, str) else ''}".rstrip()
        with self._transaction(label, "import") as tx:
            self._check_tree(portfolio)
            return load_tree(self.conn, tx, portfolio)

    def import_sheets(self, sheets: Iterable[Any], *, source: str, extra_to_notes: bool = False,
                      delete_missing: bool = False, dry_run: bool = False,
                      progress: Callable[[str], None] | None = None) -> Any:
        """Bring registers in from a spreadsheet's sheets (store/importing.py): every row checked
        and matched first; any problem raises ImportProblems and writes nothing. Otherwise, unless
        dry_run, one change group "Imported SOURCE", undone as one step. Returns its Outcome."""
        from store import importing

        if dry_run:
            plan = importing.Plan(self.conn, sheets, extra_to_notes=extra_to_notes)
            if plan.problems:
                raise importing.ImportProblems(plan.problems)
            return importing.outcome(plan, group_id=None)
        with self._transaction(f"Imported {shorten(source, SHOWN)}") as tx:
            plan = importing.Plan(self.conn, sheets, extra_to_notes=extra_to_notes)
            if plan.problems:
                raise importing.ImportProblems(plan.problems)
            importing.apply(tx, plan, delete_missing=delete_missing, progress=progress)
            group = tx.group if tx.logged else None
        return importing.outcome(plan, group_id=group)

    def _check_tree(self, portfolio: dict[str, Any]) -> None:
        """A portfolio about to be loaded holds its keys once, as an edit would: each programme's code
        once in it, each project's reference once in its programme. (Its name may repeat another
        portfolio's: loading a file twice gives two copies, which the user can tell apart by renaming.)"""
        _unique_in("programme", portfolio.get("programme") or [])
        for programme in portfolio.get("programme") or []:
            if isinstance(programme, dict):
                _unique_in("project", programme.get("project") or [])


def _theirs_now(row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """values, and the record's inferred lines less those of the fields they change: a value the
    user sets is theirs, no longer one a load inferred (undo restores the line with the value)."""
    reasons = row.get("inferred")
    if not reasons or "inferred" in values:
        return values
    changed = [k for k, val in values.items() if row.get(k) != val]
    kept = inferred.without(reasons, changed)
    return values if kept == reasons else {**values, "inferred": kept}


class _Tx:
    """The open transaction of one user action: every write goes through here and is logged."""

    def __init__(self, writer: Writer, group: int, at: str):
        self.writer, self.group, self.at = writer, group, at
        self.logged = 0

    def _log(self, op: str, kind: str, row: dict[str, Any], field: str = "", old: Any = None, new: Any = None,
             reason: str = "") -> None:
        self.logged += 1
        portfolio, programme, project = self.writer._context(kind, row)
        self.writer.conn.execute(
            "INSERT INTO change (group_id, at, who, op, item_kind, item_id, item_label, field, old, new, "
            "reason, portfolio_id, programme_id, project_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.group, self.at, self.writer.who, op, kind, row["id"], _label(kind, row), field,
             _encode(old), _encode(new), reason, portfolio, programme, project))

    def update(self, kind: str, row: dict[str, Any], values: dict[str, Any], reason: str) -> None:
        changed = {k: val for k, val in values.items() if row.get(k) != val}
        if not changed:
            return
        _check_columns(kind, changed)
        if "id" in changed or "version" in changed:
            raise StoreError(f"a {kind}'s id and version are not edited; nothing was written.")
        sets = ", ".join(f"{k} = ?" for k in changed)
        self.writer.conn.execute(f"UPDATE {kind} SET {sets}, version = version + 1 WHERE id = ?",
                                (*changed.values(), row["id"]))
        after = {**row, **changed}
        for key, value in changed.items():
            self._log("update", kind, after, key, row.get(key), value, reason)

    def insert(self, kind: str, values: dict[str, Any], reason: str = "") -> int:
        _check_columns(kind, values)
        if "id" not in values:
            values = {"id": next_id(self.writer.conn, kind), **values}
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        new_id = self.writer.conn.execute(f"INSERT INTO {kind} ({cols}) VALUES ({marks})",
                                          tuple(values.values())).lastrowid
        assert new_id is not None  # an INSERT always sets it
        row = self.writer._row(kind, new_id)
        self._log("create", kind, row, new=row, reason=reason)
        return new_id

    def delete(self, kind: str, row: dict[str, Any], reason: str) -> None:
        columns(kind)
        self._log("delete", kind, row, old=row, reason=reason)
        self.writer.conn.execute(f"DELETE FROM {kind} WHERE id = ?", (row["id"],))

    def invert(self, op: str, kind: str, item_id: int, field: str, old: Any, new: Any) -> None:
        """Apply the opposite of one logged change, refusing if the item moved on since."""
        if op == "create":
            try:
                row = self.writer._row(kind, item_id)
            except NotFoundError:
                last = self.writer.reader.last_change(kind, item_id)
                raise ConflictError(f"{_NOUN[kind]} {quoted(_label(kind, new))}", last.who if last else None,
                                    _when(last)) from None
            if _without_version(row) != _without_version(new):
                # Edited since it was added (by another instance): removing it would lose that.
                last = self.writer.reader.last_change(kind, item_id)
                raise ConflictError(f"{_NOUN[kind]} {quoted(_label(kind, row))}", last.who if last else None,
                                    _when(last))
            self.delete(kind, row, "")
        elif op == "delete":
            columns(kind)
            if self.writer.conn.execute(f"SELECT 1 FROM {kind} WHERE id = ?", (item_id,)).fetchone():
                raise ConflictError(f"{_NOUN[kind]} {quoted(_label(kind, old))}", None, None)
            restored = dict(old)
            restored["version"] = restored.get("version", 1) + 1
            if kind in UNIQUE:  # its key may have been taken since it went
                self.writer._check_unique(kind, restored)
            self.insert(kind, restored)
        else:
            row = self.writer._row(kind, item_id)
            if row.get(field) != new:
                last = self.writer.reader.last_change(kind, item_id)
                raise ConflictError(f"{_NOUN[kind]} {quoted(_label(kind, row))}", last.who if last else None,
                                    _when(last))
            if kind in UNIQUE and field == UNIQUE[kind][0] and _key(old) != _key(new):
                self.writer._check_unique(kind, {**row, field: old})  # taken since, perhaps
            self.update(kind, row, {field: old}, "")


_LOAD = "That change loaded a whole portfolio; a load cannot be undone."


def _portfolio(values: dict[str, Any], *, new: bool) -> dict[str, Any]:
    """A portfolio's values validated, its risk limits among them (which no field spec cleans: they
    are checked as a pair). A new one's limits are checked here, one given alone against the other's
    default; an edit's in _check_record, against what is stored."""
    values = dict(values)
    limits = {k: values.pop(k) for k in ("green_max", "red_min") if k in values}
    out = clean("portfolio", values, new=new)
    for key, value in limits.items():
        out[key] = _whole_number(fields.field_label("portfolio", key), value)
    if new and limits:
        spec = fields.specs("portfolio")
        check_thresholds(out.get("green_max", spec["green_max"].default),
                         out.get("red_min", spec["red_min"].default))
    return out


def _defaults(kind: str) -> dict[str, Any]:
    """Every stored field of a record kind as a new record has it before any value is given."""
    return {name: spec.default for name, spec in fields.specs(kind).items()}


def _derived(conn: sqlite3.Connection, kind: str, row: dict[str, Any],
             portfolio: r.Portfolio) -> r.Milestone | r.Risk:
    """A milestone or risk not (or not yet) stored, as the reader would return it: its derived
    fields (overdue, expected, score...) worked out by the reader's own expressions, in SQL, over
    its values given as parameters; no table is touched."""
    from store import queries as q

    if kind == "milestone":
        selected = q._milestone(":status_date")
        make: Callable[[Any], r.Milestone | r.Risk] = q.builder(r.Milestone, q._names(selected),
                                                                flags=("overdue",))
    else:
        selected = q._risk(":green_max", ":red_min")
        make = q.builder(r.Risk, q._names(selected))
    stored = fields.stored(kind)
    alias = selected[0][1].split(".")[0]  # the alias the reader's expressions name the record by
    given = ", ".join(f":v{i} AS {name}" for i, name in enumerate(stored))
    args = {f"v{i}": row.get(name) for i, name in enumerate(stored)}
    args.update(status_date=portfolio.status_date, green_max=portfolio.green_max, red_min=portfolio.red_min)
    found = conn.execute(f"SELECT {q._select(selected)} FROM (SELECT {given}) {alias}", args).fetchone()
    return make(found)


def _unique_in(kind: str, records: list[Any]) -> None:
    """Records about to be loaded into one owner (a portfolio's programmes, a programme's
    projects) hold their keys once each."""
    field = UNIQUE[kind][0]
    seen: dict[str, str] = {}
    for record in records:
        key = _key(record.get(field)) if isinstance(record, dict) else ""
        if not key:
            continue
        if key in seen:
            raise ValidationError(fields.field_label(kind, field),
                                  _taken(kind, record[field].strip(), seen[key]))
        name = record.get("name")
        seen[key] = name if isinstance(name, str) else ""


def next_id(conn: sqlite3.Connection, kind: str) -> int:
    """An id never used before for this kind, even by a deleted record.

    SQLite would reuse the id of a deleted last row; another instance still showing the
    deleted record would then edit, or undo into, a different one.
    """
    columns(kind)
    found: int = conn.execute(
        f"SELECT max(COALESCE((SELECT max(id) FROM {kind}), 0), "
        "COALESCE((SELECT max(item_id) FROM change WHERE item_kind = ?), 0)) + 1", (kind,)).fetchone()[0]
    return found


def _checked_history(changes: Iterable[tuple[Any, ...]]) -> list[tuple[str, str, int, str, Any, Any]]:
    """Logged changes, decoded, if each names only a record kind and fields ragboard has and
    holds values those fields can: anything else was written by another tool and is refused
    (ForeignHistoryError) before any of it reaches SQL."""
    out = []
    due_only = False
    for op, item_kind, item_id, field, old, new in changes:
        if op == "update" and item_kind == "milestone" and field == "due":
            # Schema step 5 folded the due date into the baseline (or, where they differed, the
            # notes): an edit of it names a column that is gone, and is left as it stands.
            due_only = True
            continue
        cols = fields.columns(item_kind) if isinstance(item_kind, str) and item_kind in KINDS else None
        if cols is None or op not in ("update", "create", "delete") or not _fits_int64(item_id):
            raise ForeignHistoryError()
        try:
            old, new = _decode(old), _decode(new)
        except (TypeError, ValueError, RecursionError):  # not JSON, or JSON that Python cannot hold
            raise ForeignHistoryError() from None
        if item_kind == "milestone":
            field, old, new = _due_as_baseline(field, old, new)
        if op == "update":
            if not isinstance(field, str) or field not in cols or field in ("id", "version") \
                    or not _fits(cols[field], old) or not _fits(cols[field], new):
                raise ForeignHistoryError()
        else:
            whole = new if op == "create" else old
            if not isinstance(whole, dict) or whole.get("id") != item_id \
                    or any(k not in cols or not _fits(cols[k], val) for k, val in whole.items()) \
                    or whole.get("version", 1) in (None, INT64[1]):  # a re-insert steps the version on
                raise ForeignHistoryError()
        out.append((op, item_kind, item_id, field, old, new))
    if not out and due_only:
        raise StoreError("That change was to a milestone's due date, which ragboard now keeps as its "
                         "baseline (or, where the two differed, in its notes); it cannot be undone.")
    if not out:  # ragboard never keeps a group with no changes (an empty edit is dropped)
        raise ForeignHistoryError()
    return out


def _due_as_baseline(field: Any, old: Any, new: Any) -> tuple[Any, Any, Any]:
    """Schema step 5 folded a milestone's due date into its baseline (where it had none): a whole
    row logged before it brings its due date back as its baseline when it had none."""
    rows = []
    for whole in (old, new):
        if isinstance(whole, dict) and "due" in whole:
            whole = dict(whole)
            due = whole.pop("due")
            if whole.get("baseline") is None:
                whole["baseline"] = due
        rows.append(whole)
    return field, rows[0], rows[1]


def _fits(column: tuple[str, bool], value: object) -> bool:
    kind, not_null = column
    if value is None:
        return not not_null
    return _fits_int64(value) if kind == "INTEGER" else kind == "TEXT" and isinstance(value, str)


def _disk_full(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF == sqlite3.SQLITE_FULL) or "database or disk is full" in str(exc)


def _without_version(row: dict[str, Any]) -> dict[str, Any]:
    return {k: val for k, val in row.items() if k != "version"}


def _encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _decode(value: Any) -> Any:
    return None if value is None else json.loads(value)


def _when(change: r.Change | None) -> str | None:
    return None if change is None else _stamp(change.at)


def _stamp(at: str) -> str:
    return f"{at.replace('T', ' ').removesuffix('Z')} UTC"
