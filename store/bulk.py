"""Loading a whole portfolio tree at once: validated like any edit, inserted in batches."""
from __future__ import annotations

import sqlite3
from typing import Any

from store import fields
from store import validate as v
from store.writes import _Tx, check_thresholds, clean, next_id

# What a record of each kind holds, in the order they are loaded (and numbered).
_CHILDREN = {"portfolio": ("programme",), "programme": ("milestone", "risk", "saving", "project"),
             "project": ("milestone", "risk", "saving")}


def _values(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    if kind == "milestone" and "due" in record:
        # Older inputs give the paper's date as due: it is the baseline now (schema step 5).
        record = dict(record)
        due = record.pop("due")
        if record.get("baseline") in (None, ""):
            record["baseline"] = due
    values = {k: record[k] for k in fields.editable(kind) if k in record}
    if isinstance(values.get("roles"), list):  # a data file lists them; the record holds a line each
        values["roles"] = "\n".join(str(role) for role in values["roles"])
    if "inferred" in values:  # {field: reason}, each field one of this record's
        values["inferred"] = v.inferred(values["inferred"], known=fields.stored(kind))
    out = clean(kind, values, new=True)
    if "source" in record:
        out["source"] = record["source"]
    if "line" in record:
        line = str(record["line"])
        if record.get("line_end") and record["line_end"] != record["line"]:
            line = f"{line}-{record['line_end']}"
        out["source_line"] = line
    if kind in ("programme", "project") and record.get("notes"):
        # Programmes and projects have no notes field: keep the paper's remarks with the description.
        described = f"{out.get('description', '')}\n\nNotes: {record['notes']}"
        out["description"] = v.text(fields.field_label(kind, "description"), described,
                                    multiline=True)
    return out


def load_tree(conn: sqlite3.Connection, tx: _Tx, portfolio: dict[str, Any]) -> int:
    """Insert a portfolio and everything under it; returns the portfolio's id."""
    values = _values("portfolio", portfolio)
    if "green_max" in portfolio or "red_min" in portfolio:
        green_max, red_min = portfolio.get("green_max", 6), portfolio.get("red_min", 20)
        check_thresholds(green_max, red_min)  # the same rules as set_risk_thresholds
        values.update(green_max=green_max, red_min=red_min)
    portfolio_id = tx.insert("portfolio", values)
    pending: dict[str, list[tuple[tuple[str, Any], ...]]] = {}

    # Fresh ids, never those of deleted records (see next_id).
    ids = {kind: next_id(conn, kind) for kind in ("programme", "project", "milestone", "risk", "saving")}

    def take(kind: str) -> int:
        ids[kind] += 1
        return ids[kind] - 1

    def add_rows(kind: str, owner_kind: str, owner_id: int, items: list[dict[str, Any]]) -> None:
        """Each item, numbered in its owner's list: a programme or a project is inserted at once (what
        it holds needs its id); the rest wait to be inserted in batches."""
        for position, item in enumerate(items, start=1):
            row = _values(kind, item)
            row.update({f"{owner_kind}_id": owner_id}, id=take(kind), position=position)
            if kind not in _CHILDREN:
                pending.setdefault(kind, []).append(tuple(sorted(row.items())))
                continue
            item_id = _insert(conn, kind, row)
            for child in _CHILDREN[kind]:
                add_rows(child, kind, item_id, item.get(child, []))

    for kind in _CHILDREN["portfolio"]:
        add_rows(kind, "portfolio", portfolio_id, portfolio.get(kind, []))
    for kind, rows in pending.items():
        # Rows of one kind can differ in which optional fields they carry: batch by shape.
        by_shape: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for pairs in rows:
            by_shape.setdefault(tuple(k for k, _ in pairs), []).append(tuple(val for _, val in pairs))
        for cols, batch in by_shape.items():
            marks = ", ".join("?" for _ in cols)
            conn.executemany(f"INSERT INTO {kind} ({', '.join(cols)}) VALUES ({marks})", batch)
    return portfolio_id


def _insert(conn: sqlite3.Connection, kind: str, row: dict[str, Any]) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    new_id = conn.execute(f"INSERT INTO {kind} ({cols}) VALUES ({marks})", tuple(row.values())).lastrowid
    assert new_id is not None  # an INSERT always sets it
    return new_id
