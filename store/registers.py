"""Whole registers, for export: every record of a kind, with its owner's keys and the figures the
screens derive, each row read by name. One query per register, streamed, in the screens' order.

Each register is a list of Column: the name a row holds, the heading a user reads (a stored field's
label from the field spec; a derived figure says so), and its type, which decides how a workbook
writes it (a date as a date, an amount as money).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from store import fields, queries, rules

# What a column holds, for a workbook: text, a whole number, an ISO date, whole pounds, a RAG-like
# word (coloured), or true/false.
TEXT, NUMBER, DATE, MONEY, RAG, FLAG = "text", "number", "date", "money", "rag", "flag"
_DATES = {"status_date", "baseline", "forecast", "actual", "starts", "ends"}
_RAGS = {"rag", "dca", "status", "band"}
# Bookkeeping a reader of the register has no use for (its order is the row order).
_LEFT_OUT = {"version"}


class Column(NamedTuple):
    name: str  # the key in each row
    heading: str
    type: str


class Register(NamedTuple):
    kind: str  # the table, or 'change' or 'period'
    sheet: str  # its sheet's (or CSV file's) name
    columns: tuple[Column, ...]
    sql: str


def _stored(kind: str, alias: str) -> list[tuple[Column, str]]:
    out = []
    for name, spec in fields.specs(kind).items():
        if name in _LEFT_OUT or name.endswith("_id"):
            continue
        kind_of = (DATE if name in _DATES else MONEY if (kind, name) == ("saving", "amount")
                   else RAG if name in _RAGS and spec.options
                   else NUMBER if spec.sql_type == "INTEGER" else TEXT)
        out.append((Column(name, spec.label, kind_of), f"{alias}.{name}"))
    return out


def _owners(alias: str, *, project: bool) -> list[tuple[Column, str]]:
    """The keys a user knows an item's owner by, and the owner's id (for matching on import)."""
    out = [(Column("portfolio", "Portfolio", TEXT), "f.name"),
           (Column("programme_code", "Programme code", TEXT), "p.code"),
           (Column("programme_id", "Programme id", NUMBER), f"{alias}.programme_id" if project else "p.id")]
    if project:
        out += [(Column("project_reference", "Project reference", TEXT), "j.reference"),
                (Column("project_id", "Project id", NUMBER), f"{alias}.project_id")]
    return out


def _register(kind: str, sheet: str, columns: list[tuple[Column, str]], source: str, order: str) -> Register:
    select = ", ".join(f"{sql} AS {column.name}" for column, sql in columns)
    sql = f"SELECT {select} {source} ORDER BY {order}"
    return Register(kind, sheet, tuple(column for column, _ in columns), sql)


_ITEM = ("LEFT JOIN project j ON j.id = {a}.project_id "
         "JOIN programme p ON p.id = COALESCE(j.programme_id, {a}.programme_id) "
         "JOIN portfolio f ON f.id = p.portfolio_id")
_ITEM_ORDER = "f.id, p.position, p.id, j.position IS NOT NULL, j.position, j.id, {a}.position, {a}.id"
_PROGRAMME = dict(queries._PROGRAMME)
_PROJECT = dict(queries._PROJECT)
_MILESTONE = dict(queries._milestone("f.status_date"))
_RISK = dict(queries._risk("f.green_max", "f.red_min"))


def _derived(name: str, heading: str, type_: str, sql: str) -> tuple[Column, str]:
    return Column(name, f"{heading} (derived)", type_), sql


REGISTERS = (
    _register("portfolio", "Portfolios", _stored("portfolio", "f"), "FROM portfolio f", "f.id"),
    _register("programme", "Programmes",
              [(Column("portfolio", "Portfolio", TEXT), "f.name"), *_stored("programme", "p"),
               _derived("rolled_rag", "RAG shown", RAG, _PROGRAMME["rolled_rag"])],
              "FROM programme p JOIN portfolio f ON f.id = p.portfolio_id", "f.id, p.position, p.id"),
    _register("project", "Projects",
              [(Column("portfolio", "Portfolio", TEXT), "f.name"),
               (Column("programme_code", "Programme code", TEXT), "p.code"),
               (Column("programme_id", "Programme id", NUMBER), "j.programme_id"), *_stored("project", "j"),
               _derived("rolled_rag", "RAG shown", RAG, _PROJECT["rolled_rag"])],
              "FROM project j JOIN programme p ON p.id = j.programme_id "
              "JOIN portfolio f ON f.id = p.portfolio_id",
              "f.id, p.position, p.id, j.position, j.id"),
    _register("milestone", "Milestones",
              [*_owners("m", project=True), *_stored("milestone", "m"),
               _derived("expected", "Expected", DATE, rules.EXPECTED),
               _derived("slippage_days", "Slippage days", NUMBER, rules.SLIPPAGE),
               _derived("overdue", "Overdue", FLAG, _MILESTONE["overdue"])],
              f"FROM milestone m {_ITEM.format(a='m')}", _ITEM_ORDER.format(a="m")),
    _register("risk", "Risks",
              [*_owners("k", project=True), *_stored("risk", "k"),
               _derived("score", "Score", NUMBER, _RISK["score"]),
               _derived("risk_rag", "RAG", RAG, _RISK["rag"]),
               _derived("residual_score", "Residual score", NUMBER, _RISK["residual_score"]),
               _derived("residual_rag", "Residual RAG", RAG, _RISK["residual_rag"])],
              f"FROM risk k {_ITEM.format(a='k')}", _ITEM_ORDER.format(a="k")),
    _register("saving", "Savings", [*_owners("s", project=True), *_stored("saving", "s")],
              f"FROM saving s {_ITEM.format(a='s')}", _ITEM_ORDER.format(a="s")),
    _register("change", "Changes",
              [(Column("id", "Id", NUMBER), "c.id"), (Column("at", "When (UTC)", TEXT), "c.at"),
               (Column("who", "Who", TEXT), "c.who"), (Column("action", "Action", TEXT), "g.label"),
               (Column("op", "Operation", TEXT), "c.op"),
               (Column("item_kind", "Item kind", TEXT), "c.item_kind"),
               (Column("item_id", "Item id", NUMBER), "c.item_id"),
               (Column("item_label", "Item", TEXT), "c.item_label"),
               (Column("field", "Field", TEXT), "c.field"),
               (Column("old", "Old", TEXT), "c.old"), (Column("new", "New", TEXT), "c.new"),
               (Column("reason", "Reason", TEXT), "c.reason")],
              "FROM change c JOIN change_group g ON g.id = c.group_id", "c.id"),
    _register("period", "Periods",
              [(Column("id", "Id", NUMBER), "pe.id"), (Column("portfolio", "Portfolio", TEXT), "f.name"),
               (Column("starts", "From (after)", DATE), "pe.starts"), (Column("ends", "To", DATE), "pe.ends"),
               (Column("closed_at", "Closed (UTC)", TEXT), "pe.closed_at"),
               (Column("who", "Closed by", TEXT), "pe.who"),
               (Column("items", "Items kept", NUMBER),
                "(SELECT count(*) FROM period_item i WHERE i.period_id = pe.id)")],
              "FROM period pe JOIN portfolio f ON f.id = pe.portfolio_id", "pe.id"),
)
BY_KIND = {register.kind: register for register in REGISTERS}


def registers(store: Any) -> list[Register]:
    """The registers this file has to give: Periods only once a period has been closed."""
    with store.lock:
        closed = store.conn.execute("SELECT EXISTS (SELECT 1 FROM period)").fetchone()[0]
    return [r for r in REGISTERS if r.kind != "period" or closed]


def count(store: Any, register: Register) -> int:
    """How many rows a register has (its kind names its table: one of REGISTERS, never data)."""
    assert register in REGISTERS
    with store.lock:
        found: int = store.conn.execute(f"SELECT count(*) FROM {register.kind}").fetchone()[0]
    return found


def tuples(store: Any, register: Register, *, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """The register's rows as tuples in its columns' order (the quickest way through a large one),
    a batch read under the store's lock at a time (the screen's reads go between batches)."""
    with store.lock:
        cursor = store.conn.execute(register.sql)
    while True:
        with store.lock:
            chunk = cursor.fetchmany(batch)
        if not chunk:
            return
        yield from chunk


def rows(store: Any, register: Register) -> Iterator[dict[str, Any]]:
    """The register's rows, by column name (see tuples). A change's old and new values are their
    JSON text; a flag is True or False."""
    names = [column.name for column in register.columns]
    flags = [column.name for column in register.columns if column.type == FLAG]
    for values in tuples(store, register):
        row = dict(zip(names, values, strict=True))
        for name in flags:
            row[name] = bool(row[name])
        yield row
