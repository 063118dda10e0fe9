"""The rules the store derives values by, each written once, as SQL every query uses.

Nothing here is worked out again in Python: a record's overdue flag, slippage, risk score and
RAG, a roll-up, the home screen's counts and the financial year all come from these expressions,
and financial_year_of asks SQLite to apply the same one to a single date. (store.rag.risk_rag,
the matrix for a score on its own, as the heat map draws it, is tested to agree with risk_rag here.)
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

from store.rag import BY_RANK, RANK

# A milestone (alias m) still to be done: not Complete and no actual date.
PENDING = "m.status <> 'Complete' AND m.actual IS NULL"
# The date a milestone is now expected: its forecast, else its baseline, else its due date.
LATEST = "COALESCE(m.forecast, m.baseline, m.due)"
# Days a milestone has slipped: its actual (or forecast) date minus its baseline; NULL without both.
SLIPPAGE = "CAST(julianday(COALESCE(m.actual, m.forecast)) - julianday(m.baseline) AS INTEGER)"
# Milestone statuses that count towards a roll-up (Complete and Not rated do not).
OPEN_RAG = "status IN ('Red', 'Amber', 'Green')"
# Savings that count as gross: saved, earned or avoided (not a cost).
NON_COST = "kind IN ('saving', 'income', 'cost avoidance')"


def overdue(status_date: str) -> str:
    """A milestone (alias m) is overdue when still to be done and its latest date is before the
    status date (an SQL expression or parameter): the portfolio's, never the wall clock."""
    return f"({PENDING} AND {LATEST} < {status_date})"


def score(likelihood: str, impact: str) -> str:
    """A risk's score: likelihood times impact; NULL unless both are rated."""
    return f"({likelihood} * {impact})"


def in_red_band(score_sql: str, red_min: str) -> str:
    """The matrix's Red band: a score of red_min (the portfolio's threshold) or more."""
    return f"{score_sql} >= {red_min}"


def risk_rag(score_sql: str, green_max: str, red_min: str) -> str:
    """The matrix: a score up to green_max is Green, in the Red band Red, between Amber; NULL unscored."""
    return (f"CASE WHEN {score_sql} IS NULL THEN NULL WHEN {score_sql} <= {green_max} THEN 'Green' "
            f"WHEN {in_red_band(score_sql, red_min)} THEN 'Red' ELSE 'Amber' END")


def high_risk(red_min: str) -> str:
    """An open risk (alias k) in its portfolio's Red band: what the home screen counts."""
    return f"(k.status = 'Open' AND {in_red_band(score('k.likelihood', 'k.impact'), red_min)})"


def rank_of(rag: str) -> str:
    """The roll-up rank of a RAG (an SQL expression): Red 3, Amber 2, Green 1, else NULL."""
    return f"CASE {rag} " + " ".join(f"WHEN '{word}' THEN {rank}" for word, rank in RANK.items()) + " END"


def rag_of_rank(rank: str) -> str:
    """The RAG of a roll-up rank (an SQL expression); NULL for 0 or none."""
    return f"CASE {rank} " + " ".join(f"WHEN {n} THEN '{word}'" for n, word in BY_RANK.items()) + " END"


def financial_year(date: str) -> str:
    """The UK financial year (April to March) of an ISO date (an SQL expression), as '2016/17'."""
    start = f"(CAST(substr({date}, 1, 4) AS INTEGER) - (substr({date}, 6, 2) < '04'))"
    return f"printf('%d/%02d', {start}, ({start} + 1) % 100)"


def financial_year_of(day: str) -> str:
    """The UK financial year (April to March) holding an ISO date, by the rule the queries use."""
    iso = dt.date.fromisoformat(day).isoformat()  # refuses anything but a date
    with closing(sqlite3.connect(":memory:")) as conn:
        year: str = conn.execute(f"SELECT {financial_year('?1')}", (iso,)).fetchone()[0]
    return year
