"""Reporting periods: closing one keeps what every item stood at; later screens compare against it.

A portfolio's status date ends its current period. Closing the period writes one row to period and
one to period_item for each programme, project, milestone, risk and saving of the portfolio (their
RAG, delivery confidence, score, amount and dates), then moves the status date on. Both tables are
append-only: a period closed twice (say after an undo moved the status date back) keeps both
records, and the later one is the one compared against.
"""
from __future__ import annotations

import calendar
import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import Any

from store import queries
from store import records as r
from store.rules import BASELINE_LOADS as _BASELINE_LOADS
from store.rules import REPORTED_FIELDS

# Schema step 7's tables (store/schema.py runs this).
TABLES = """
-- Each closed reporting period of a portfolio (append-only).
CREATE TABLE period (
    id INTEGER PRIMARY KEY,
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id),
    starts TEXT,
    ends TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    who TEXT NOT NULL,
    -- the change log's last entry when it closed: what came after is "since" (times can tie)
    after_change INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX period_by_portfolio ON period(portfolio_id, ends);
-- What each item stood at when its period closed (append-only): rag is a programme's or project's
-- rolled RAG, a milestone's status, a risk's RAG or a saving's band.
CREATE TABLE period_item (
    period_id INTEGER NOT NULL REFERENCES period(id),
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    rag TEXT,
    dca TEXT,
    score INTEGER,
    residual_score INTEGER,
    amount INTEGER,
    baseline TEXT,
    forecast TEXT,
    actual TEXT,
    PRIMARY KEY (period_id, item_kind, item_id)
);
CREATE TRIGGER period_is_append_only_u BEFORE UPDATE ON period
    BEGIN SELECT RAISE(ABORT, 'a closed period cannot be altered'); END;
CREATE TRIGGER period_is_append_only_d BEFORE DELETE ON period
    BEGIN SELECT RAISE(ABORT, 'a closed period cannot be altered'); END;
CREATE TRIGGER period_item_is_append_only_u BEFORE UPDATE ON period_item
    BEGIN SELECT RAISE(ABORT, 'a closed period cannot be altered'); END;
CREATE TRIGGER period_item_is_append_only_d BEFORE DELETE ON period_item
    BEGIN SELECT RAISE(ABORT, 'a closed period cannot be altered'); END;
"""


_PROGRAMME = dict(queries._PROGRAMME)
_PROJECT = dict(queries._PROJECT)
_RISK = dict(queries._risk("f.green_max", "f.red_min"))
_ITEM_COLUMNS = ("period_id, item_kind, item_id, label, rag, dca, score, residual_score, amount, "
                 "baseline, forecast, actual")
# One INSERT ... SELECT per kind: the snapshot is taken inside the database, never row by row.
_SNAPSHOT = (
    f"INSERT INTO period_item ({_ITEM_COLUMNS}) "
    f"SELECT :period, 'programme', p.id, p.name, {_PROGRAMME['rolled_rag']}, p.dca, NULL, NULL, NULL, "
    "NULL, NULL, NULL FROM programme p WHERE p.portfolio_id = :portfolio",
    f"INSERT INTO period_item ({_ITEM_COLUMNS}) "
    f"SELECT :period, 'project', j.id, j.name, {_PROJECT['rolled_rag']}, j.dca, NULL, NULL, NULL, "
    "NULL, NULL, NULL FROM project j JOIN programme p ON p.id = j.programme_id "
    "WHERE p.portfolio_id = :portfolio",
    f"INSERT INTO period_item ({_ITEM_COLUMNS}) "
    "SELECT :period, 'milestone', m.id, m.name, m.status, NULL, NULL, NULL, NULL, m.baseline, m.forecast, "
    f"m.actual FROM milestone m {queries._item_portfolio('m')} WHERE f.id = :portfolio",
    f"INSERT INTO period_item ({_ITEM_COLUMNS}) "
    f"SELECT :period, 'risk', k.id, COALESCE(NULLIF(k.reference, ''), substr(k.description, 1, 60)), "
    f"{_RISK['rag']}, NULL, {_RISK['score']}, {_RISK['residual_score']}, NULL, NULL, NULL, NULL "
    f"FROM risk k {queries._item_portfolio('k')} WHERE f.id = :portfolio",
    f"INSERT INTO period_item ({_ITEM_COLUMNS}) "
    "SELECT :period, 'saving', s.id, s.year || ' ' || s.kind, s.band, NULL, NULL, NULL, s.amount, "
    f"NULL, NULL, NULL FROM saving s {queries._item_portfolio('s')} WHERE f.id = :portfolio",
)
_PERIOD_SQL = "SELECT id, portfolio_id, starts, ends, closed_at, who FROM period"
# The last period closed of each portfolio: the one screens and reports compare against.
_LATEST = "SELECT max(id) FROM period GROUP BY portfolio_id"


def next_status_date(status_date: str) -> str:
    """The status date a month on: a month's last day goes to the next month's last day (31 Mar to
    30 Apr), another day to the same day of the next month (or its last, if shorter)."""
    day = dt.date.fromisoformat(status_date)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if month_end else min(day.day, last)).isoformat()


def snapshot(conn: sqlite3.Connection, portfolio: dict[str, Any], at: str, who: str) -> int:
    """Close portfolio's period at its status date (inside the caller's transaction); the period's id."""
    starts = conn.execute("SELECT max(ends) FROM period WHERE portfolio_id = ? AND ends < ?",
                          (portfolio["id"], portfolio["status_date"])).fetchone()[0]
    period = conn.execute(
        "INSERT INTO period (portfolio_id, starts, ends, closed_at, who, after_change) "
        "VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(max(id), 0) FROM change))",
        (portfolio["id"], starts, portfolio["status_date"], at, who)).lastrowid
    for sql in _SNAPSHOT:
        conn.execute(sql, {"period": period, "portfolio": portfolio["id"]})
    assert period is not None  # an INSERT always sets it
    return period


class PeriodReader:
    """The reads of closed periods, on the store's connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def periods(self, portfolio_id: int | None = None) -> list[r.Period]:
        """Closed periods, oldest first: of one portfolio, or of all."""
        where, args = ("WHERE portfolio_id = ?", (portfolio_id,)) if portfolio_id is not None else ("", ())
        return [r.Period._make(row) for row in self.conn.execute(f"{_PERIOD_SQL} {where} ORDER BY id", args)]

    def last_period(self, portfolio_id: int) -> r.Period | None:
        row = self.conn.execute(f"{_PERIOD_SQL} WHERE portfolio_id = ? ORDER BY id DESC LIMIT 1",
                                (portfolio_id,)).fetchone()
        return r.Period._make(row) if row else None

    def period_items(self, period_id: int, kind: str | None = None) -> dict[tuple[str, int], r.PeriodItem]:
        """What each item stood at when period_id closed, by (item_kind, item_id)."""
        where, args = ("AND item_kind = ?", (period_id, kind)) if kind else ("", (period_id,))
        rows = self.conn.execute(f"SELECT {_ITEM_COLUMNS} FROM period_item WHERE period_id = ? {where}", args)
        return {(row[1], row[2]): r.PeriodItem._make(row) for row in rows}

    def previous(self, kind: str, ids: Iterable[int]) -> dict[int, r.PeriodItem]:
        """What these items of one kind stood at when their portfolio's last period closed (an item
        added since has none)."""
        wanted = [i for i in ids if isinstance(i, int) and queries._fits_int64(i)]
        out: dict[int, r.PeriodItem] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters, well inside
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT {_ITEM_COLUMNS} FROM period_item WHERE period_id IN ({_LATEST}) "
                f"AND item_kind = ? AND item_id IN ({marks})", (kind, *chunk))
            out.update((row[2], r.PeriodItem._make(row)) for row in rows)
        return out

    def changes_since(self, portfolio_id: int, *, programme_id: int | None = None,
                      project_id: int | None = None, limit: int = 5000) -> list[r.Change]:
        """The changes a board hears about (REPORTED_FIELDS, and items added or removed) made since
        the portfolio's last closed period (all, if none is closed), newest first; a change since
        undone, and the undo itself, are left out: the board hears what stands."""
        after = self.conn.execute("SELECT after_change FROM period WHERE portfolio_id = ? "
                                  "ORDER BY id DESC LIMIT 1", (portfolio_id,)).fetchone()
        where = ["c.portfolio_id = :portfolio", "c.id > :after", _BASELINE_LOADS,
                 f"(c.op <> 'update' OR c.field IN ({', '.join(repr(f) for f in REPORTED_FIELDS)}))",
                 "c.item_kind <> 'portfolio'",
                 "g.kind IN ('edit', 'import', 'redo') AND g.reverted_by IS NULL"]
        if project_id is not None:
            where.append("c.project_id = :project")
        elif programme_id is not None:
            where.append("c.programme_id = :programme")
        rows = self.conn.execute(
            f"SELECT {queries._select(queries._CHANGE)} FROM change c "
            f"JOIN change_group g ON g.id = c.group_id WHERE {' AND '.join(where)} "
            "ORDER BY c.id DESC LIMIT :limit",
            {"portfolio": portfolio_id, "after": after[0] if after else 0, "project": project_id,
             "programme": programme_id, "limit": limit})
        return [queries._make_change(row) for row in rows]


__all__ = ["REPORTED_FIELDS", "TABLES", "PeriodReader", "next_status_date", "snapshot"]
