"""What a spreadsheet's register holds, read as ragboard's: which sheet is which register, which
column which field, and each cell as the value a form would have been given.

Sheets and columns are matched by name, ignoring case, spaces and underscores: the headings
`ragboard export` writes, the field names, and the template's. Cells come as a reader gives them
(a workbook's numbers, dates and text; a CSV's text), and leave as the value the field's own
check (store/fields.py) then validates, so an import and a form refuse the same things in the
same words.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import NamedTuple

from store import fields, registers

# The registers an import reads, by kind; Changes and Periods are history, which an import leaves.
KINDS = fields.KINDS
HISTORY = ("change", "period")
# The columns naming an item's owner, as `ragboard export` writes them.
OWNER_KEYS = ("portfolio", "programme_code", "programme_id", "project_reference", "project_id")
# Where --extra-to-notes keeps a column ragboard has no field for ("Heading: value" lines).
NOTES = {"programme": "description", "project": "description", "milestone": "notes",
         "risk": "description", "saving": "notes"}
# The fields holding a date (the template's help says how one may be written).
DATE_FIELDS = ("status_date", "baseline", "forecast", "actual")


def normal(heading: object) -> str:
    """A heading or sheet name as it is matched: any case, without spaces or underscores."""
    return re.sub(r"[\s_]+", "", str(heading)).casefold() if heading is not None else ""


class Field(NamedTuple):
    name: str  # the record's field, an owner key, or "" for a derived figure (read, then left)
    label: str  # the field's name to the user (the template's heading)
    spec: fields.Spec | None  # None for an owner key, an id or a derived figure


class Layout(NamedTuple):
    """One register's columns, as an import finds them: normal(heading) -> Field."""

    kind: str
    sheet: str
    by_heading: dict[str, Field]


def _layout(kind: str) -> Layout:
    register = registers.BY_KIND[kind]
    specs = fields.specs(kind)
    found: dict[str, Field] = {}
    for column in register.columns:
        derived = column.heading.endswith("(derived)")
        name = "" if derived else column.name
        field = Field(name, column.heading, None if derived else specs.get(column.name))
        found[normal(column.heading)] = field
        if not derived:
            found.setdefault(normal(column.name), field)
    return Layout(kind, register.sheet, found)


LAYOUTS = {kind: _layout(kind) for kind in KINDS}
SHEETS = {normal(layout.sheet): kind for kind, layout in LAYOUTS.items()}
SHEETS.update({normal(kind): kind for kind in KINDS})
SHEETS.update({normal(registers.BY_KIND[kind].sheet): kind for kind in HISTORY})


def template_fields(kind: str) -> list[Field]:
    """The columns of the minimal template: the owner's keys, then each field a user sets."""
    layout = LAYOUTS[kind]
    owners = [layout.by_heading[normal(key)] for key in OWNER_KEYS
              if normal(key) in layout.by_heading and not key.endswith("_id")]
    own = [Field(name, spec.label, spec) for name, spec in fields.specs(kind).items()
           if (spec.clean is not None or name in ("green_max", "red_min")) and name != "inferred"]
    return owners + own


def help_text(kind: str, field: Field) -> str:
    """One line saying what a template's column takes."""
    spec = field.spec
    if spec is None:
        owner = field.name.split("_")[0]
        return {"portfolio": "The portfolio's name (may be left blank when there is one portfolio).",
                "programme": "The programme's code.",
                "project": "The project's reference; blank for an item of the programme itself."}[owner]
    need = "Required. " if spec.required else ""
    if spec.options:
        return f"{need}One of: {', '.join(spec.options)}."
    if field.name in ("green_max", "red_min"):
        return "A risk score from 1 to 25 (Green up to, Red from)."
    if spec.sql_type == "INTEGER" and field.name in ("likelihood", "impact", "residual_likelihood",
                                                      "residual_impact"):
        return "A whole number from 1 to 5."
    if field.name == "amount":
        return "Required. Whole pounds: 1200000 or £1,200,000 (not £1.2m)."
    if field.name in ("year", "savings_year"):
        return f"{need}A financial year, such as 2016/17."
    if field.name in DATE_FIELDS:
        return f"{need}A date: 30/06/2025, 30 June 2025 or 2025-06-30."
    if spec.multiline:
        return f"{need}Text; new lines allowed."
    return f"{need}Text on one line."


def is_blank(cell: object) -> bool:
    """Nothing in the cell, or only spaces."""
    return is_empty(cell) or (isinstance(cell, str) and not cell.strip())


def is_empty(cell: object) -> bool:
    """Nothing in the cell at all (spaces are given to the field's check, which may keep them: a
    long text's non-breaking space is kept as typed)."""
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell == ""


def as_given(spec: fields.Spec | None, cell: object) -> object:
    """A cell as a form would give it to the field's check: a workbook's 3.0 as 3, a date cell as its
    day (any time of day dropped: ragboard keeps days), in a text field as its ISO date, a number in
    a text field as its digits; text as it is."""
    if is_empty(cell):
        return None
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if spec is not None and spec.sql_type == "TEXT" and not spec.options and not isinstance(cell, str):
        if isinstance(cell, bool):
            return "TRUE" if cell else "FALSE"
        return cell.isoformat() if isinstance(cell, dt.date | dt.datetime) else str(cell)
    return cell


def whole_number(cell: object) -> int | None:
    """An id or a position: a whole number, or None when it is not one."""
    value = as_given(None, cell)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,15}\s*", value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    return None


def echo(cell: object) -> str:
    """A cell as a message repeats it ("high", 3.5, 2025-06-30)."""
    value = as_given(None, cell)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"
