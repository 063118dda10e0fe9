"""The rules the store derives values by, each written once, as SQL every query uses.

Nothing here is worked out again in Python: a record's overdue flag, slippage, expected date,
risk score and RAG, the derived and rolled RAGs, savings gross, cost and net, the home screen's
counts and the financial year all come from these expressions (and so do the views in the file,
schema step 5), and financial_year_of asks SQLite to apply the same one to a single date. (store.rag.risk_rag,
the matrix for a score on its own, as the heat map draws it, is tested to agree with risk_rag here.)
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

from store.rag import BY_RANK, RANK

# A milestone (alias m) still to be done: not Complete and no actual date.
PENDING = "m.status <> 'Complete' AND m.actual IS NULL"
# The date a milestone still to be done is now expected: its forecast, else its baseline (the plan).
LATEST = "COALESCE(m.forecast, m.baseline)"
# The date a milestone happened, else the date it is now expected: what its list shows and sorts by.
EXPECTED = "COALESCE(m.actual, m.forecast, m.baseline)"
# Days a milestone has slipped: its actual (or forecast) date minus its baseline; NULL without both.
SLIPPAGE = "CAST(julianday(COALESCE(m.actual, m.forecast)) - julianday(m.baseline) AS INTEGER)"
# Savings that count as gross: saved, earned or avoided (every kind but cost).
NON_COST = "kind IN ('saving', 'income', 'cost avoidance')"
# Savings that count as cost: net = gross - cost.
COST = "kind = 'cost'"


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


# -- the roll-up --------------------------------------------------------------------------------

def worst_open(condition: str) -> str:
    """The rank of the worst open milestone (alias m) meeting condition: Red, Amber or Green count
    towards a roll-up, Complete and Not rated do not; NULL if none does. Asked worst first, each an
    index seek that stops at the first found: a roll-up reads no more milestones than it must."""
    whens = " ".join(f"WHEN EXISTS (SELECT 1 FROM milestone m WHERE {condition} AND m.status = '{word}') "
                     f"THEN {rank}" for word, rank in sorted(RANK.items(), key=lambda item: -item[1]))
    return f"(CASE {whens} END)"


# A project's (alias j) derived rank: its worst open milestone, whatever its hand RAG (NULL: none).
PROJECT_DERIVED = worst_open("m.project_id = j.id")
# A project's rolled rank: its hand RAG, else its derived one.
PROJECT_ROLLED = f"COALESCE({rank_of('j.rag')}, {PROJECT_DERIVED})"
# A programme's (alias p) derived rank: the worst of its projects' rolled ranks and its own open
# milestones (0: none of them rated).
PROGRAMME_DERIVED = (f"MAX(COALESCE((SELECT MAX({PROJECT_ROLLED}) FROM project j "
                     "WHERE j.programme_id = p.id), 0), "
                     f"COALESCE({worst_open('m.programme_id = p.id')}, 0))")


# -- savings ------------------------------------------------------------------------------------

def gross(alias: str) -> str:
    """Aggregate: the gross savings among rows of saving (alias): saved, earned or avoided."""
    return f"COALESCE(sum(CASE WHEN {alias}.{NON_COST} THEN {alias}.amount END), 0)"


def cost(alias: str) -> str:
    """Aggregate: the costs among rows of saving (alias)."""
    return f"COALESCE(sum(CASE WHEN {alias}.{COST} THEN {alias}.amount END), 0)"


def net(gross_sql: str, cost_sql: str) -> str:
    """Net savings: gross less cost (SQL expressions)."""
    return f"(({gross_sql}) - ({cost_sql}))"


# -- as the screens print them ----------------------------------------------------------------

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def slashed_date(date: str) -> str:
    """An ISO date (an SQL expression) as the screens print it in the 01/03/2014 style (a setting)."""
    return f"(substr({date}, 9, 2) || '/' || substr({date}, 6, 2) || '/' || substr({date}, 1, 4))"


def shown_date(date: str) -> str:
    """An ISO date (an SQL expression) as the screens print it: '1 Mar 2014' (no leading zero)."""
    months = " ".join(f"WHEN '{n:02d}' THEN '{name}'" for n, name in enumerate(MONTHS, start=1))
    return (f"(CAST(substr({date}, 9, 2) AS INTEGER) || ' ' || CASE substr({date}, 6, 2) {months} END "
            f"|| ' ' || substr({date}, 1, 4))")


def rolled(hand_rag: str, derived_rag: str) -> str:
    """The RAG a screen shows: the one set by hand, else the derived one (both SQL expressions)."""
    return f"COALESCE({hand_rag}, {derived_rag})"


def financial_year(date: str) -> str:
    """The UK financial year (April to March) of an ISO date (an SQL expression), as '2016/17'."""
    start = f"(CAST(substr({date}, 1, 4) AS INTEGER) - (substr({date}, 6, 2) < '04'))"
    return f"printf('%d/%02d', {start}, ({start} + 1) % 100)"


def savings_year(savings_year: str, status_date: str) -> str:
    """The financial year whose savings a portfolio's screens show: the one its paper reports on
    where set, else its status date's (SQL expressions)."""
    return f"COALESCE({savings_year}, {financial_year(status_date)})"


def financial_year_of(day: str) -> str:
    """The UK financial year (April to March) holding an ISO date, by the rule the queries use."""
    iso = dt.date.fromisoformat(day).isoformat()  # refuses anything but a date
    with closing(sqlite3.connect(":memory:")) as conn:
        year: str = conn.execute(f"SELECT {financial_year('?1')}", (iso,)).fetchone()[0]
    return year


# -- reporting periods (store/periods.py) ---------------------------------------------------------

# The fields whose changes a board hears about: RAG, confidence, status, dates and scores.
REPORTED_FIELDS = ("rag", "dca", "status", "baseline", "forecast", "actual", "likelihood", "impact",
                   "residual_likelihood", "residual_impact", "band", "amount", "year", "stage")
# Records an import added are where a portfolio starts from, not changes to report; what an import
# changed in records already there is reported. (g: the change's group.)
BASELINE_LOADS = "(g.kind <> 'import' OR c.op = 'update')"


def changed_since(programme: str) -> str:
    """SQL true when a programme (an SQL expression for its id) has a reported change since its
    portfolio's last closed period: home's "changed" quick filter."""
    fields_sql = ", ".join(repr(f) for f in REPORTED_FIELDS)
    return (f"EXISTS (SELECT 1 FROM change c JOIN change_group g ON g.id = c.group_id "
            f"WHERE c.programme_id = {programme} "
            "AND c.id > COALESCE((SELECT after_change FROM period pe WHERE pe.portfolio_id = c.portfolio_id "
            "ORDER BY pe.id DESC LIMIT 1), 0) "
            f"AND (c.op <> 'update' OR c.field IN ({fields_sql})) AND {BASELINE_LOADS} "
            "AND g.kind IN ('edit', 'import', 'redo') AND g.reverted_by IS NULL)")
