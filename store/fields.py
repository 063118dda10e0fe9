"""The field spec: every stored field of every record kind, declared once.

A record (store/records.py) declares each stored field as ``Annotated[type, Spec]``: the label
the user sees, how a value they give is checked, the column that holds it, and hints for a form.
From those declarations come the schema's tables (store/schema.py), the columns each read selects
(store/queries.py), the validation of each write (store/writes.py), the TUI's forms and the
history's field names (field_label). Fields declared without a Spec are derived by the queries.

Adding a field to a record kind is one line in its record, with ``step=`` the next schema step:
the step that adds its column to older files is built from it. Dropping one moves its line from
the record to DROPPED below, with the step that drops it: the steps before still create it, as
released, and its label still names it in the history older changes wrote.
"""

import functools
from collections.abc import Callable
from typing import Any, NamedTuple, get_args

from store import validate as v

# The record kinds a user edits, in the order the schema creates their tables.
KINDS = ("portfolio", "programme", "project", "milestone", "risk", "saving")
# The columns saying where a demo record was printed, and its version: one line of the schema.
PROVENANCE = ("source", "source_line", "version")

Cleaner = Callable[[Any], object]


class Spec(NamedTuple):
    """One stored field: what the user sees, how it is checked, and its column."""

    label: str  # the field's name to the user: in forms, in messages (ValidationError.field), in history
    sql_type: str  # the column's declared type: TEXT or INTEGER
    not_null: bool = False
    default: str | int | None = None  # the column's DEFAULT (None: no default)
    check: str = ""  # a CHECK on the column, {name} standing for the column's name
    references: str = ""  # the table(id) a key points to
    primary_key: bool = False
    clean: Cleaner | None = None  # checks a value the user gives; None: not set by the user directly
    required: bool = False  # a new record must be given it
    multiline: bool = False
    options: tuple[str, ...] = ()  # the values a choice may take
    hint: str = ""  # what a form's empty input suggests
    form: bool = True  # shown in the record's edit form (when the user sets it)
    step: int = 1  # the schema step that added the column
    dropped: int = 0  # the schema step that dropped the column (0: it is still there)

    def declaration(self, name: str) -> tuple[str, str]:
        """The column's SQL after its name, and its CHECK (or ""): the schema lays them out."""
        parts = [self.sql_type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.not_null:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {sql_literal(self.default)}")
        if self.references:
            parts.append(f"REFERENCES {self.references}")
        check = f"CHECK ({self.check.format(name=name)})" if self.check else ""
        return " ".join(parts), check


def sql_literal(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


# -- the kinds of field ------------------------------------------------------------------------

KEY = Spec("Id", "INTEGER", primary_key=True, form=False)
POSITION = Spec("Position", "INTEGER", not_null=True, default=0, form=False)
SOURCE = Spec("Source", "TEXT", form=False)
SOURCE_LINE = Spec("Source line", "TEXT", form=False)
VERSION = Spec("Version", "INTEGER", not_null=True, default=1, form=False)


def owner(kind: str, *, required: bool = True) -> Spec:
    """The id of the record this one belongs to."""
    return Spec(kind.capitalize(), "INTEGER", not_null=required, references=f"{kind}(id)", form=False)


def text(label: str, *, required: bool = False, multiline: bool = False, limit: int | None = None,
         hint: str = "", form: bool = True, step: int = 1) -> Spec:
    """A name (one line, 200 characters unless limit) or, multiline, long text; never NULL."""
    def clean(value: object) -> str:
        return v.text(label, value, required=required, multiline=multiline, limit=limit)

    return Spec(label, "TEXT", not_null=True, default=None if required else "", clean=clean,
                required=required, multiline=multiline, hint=hint, form=form, step=step)


def date(label: str, *, required: bool = False, hint: str = "") -> Spec:
    """A date, stored as ISO text; NULL when not given (unless required)."""
    def clean(value: object) -> str | None:
        return v.parse_date(label, value, blank_ok=not required)

    return Spec(label, "TEXT", not_null=required, clean=clean, required=required, hint=hint)


def choice(label: str, options: tuple[str, ...], *, default: str | None = None, checked: bool = True,
           form: bool = True, hint: str = "", step: int = 1) -> Spec:
    """One of options. With a default, never blank; without one, blank (NULL) is allowed."""
    blank_ok = default is None

    def clean(value: object) -> str | None:
        return v.choice(label, value, options, blank_ok=blank_ok)

    check = "{name} IN (" + ", ".join(sql_literal(o) for o in options) + ")" if checked else ""
    return Spec(label, "TEXT", not_null=not blank_ok, default=default, check=check, clean=clean,
                options=options, form=form, hint=hint, step=step)


def rating(label: str, *, hint: str = "") -> Spec:
    """A likelihood or impact, 1 to 5, or NULL when not rated."""
    def clean(value: object) -> int | None:
        return v.rating(label, value, blank_ok=True)

    return Spec(label, "INTEGER", check="{name} BETWEEN 1 AND 5", clean=clean, hint=hint)


def amount(label: str, *, hint: str = "") -> Spec:
    """Whole pounds, always given."""
    def clean(value: object) -> int:
        return v.amount(label, value)

    return Spec(label, "INTEGER", not_null=True, clean=clean, required=True, hint=hint)


def financial_year(label: str, *, hint: str = "") -> Spec:
    """A UK financial year written 2016/17, always given."""
    def clean(value: object) -> str:
        return v.financial_year(label, value)

    return Spec(label, "TEXT", not_null=True, clean=clean, required=True, hint=hint)


def later_year(label: str, *, hint: str = "", step: int) -> Spec:
    """A UK financial year written 2016/17, or NULL when not given (a field added after step 1)."""
    def clean(value: object) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return v.financial_year(label, value)

    return Spec(label, "TEXT", clean=clean, hint=hint, step=step)


def inferred(step: int) -> Spec:
    """Which of a record's values were inferred rather than printed, and why: one line per value,
    "field: reason" (store/inferred.py reads it). Set by a load; an edit of a field drops its line."""
    def clean(value: object) -> str:
        return v.inferred(value)

    return Spec("Inferred (why)", "TEXT", not_null=True, default="", clean=clean, multiline=True,
                form=False, step=step)


def threshold(label: str, default: int, *, step: int) -> Spec:
    """A risk-matrix limit: set with its partner (Store.set_risk_thresholds), never alone."""
    return Spec(label, "INTEGER", not_null=True, default=default, form=False, step=step)


# -- fields no record has any more --------------------------------------------------------------

class Dropped(NamedTuple):
    """A column a later step dropped, as it was declared, and where it stood in its table."""

    kind: str
    name: str
    after: str  # the field it followed in its record: its place in the table that step 1 made
    spec: Spec  # its declaration, with dropped= the step that dropped it


DROPPED = (
    # Step 5: the due date was the plan a milestone is measured against: it is the baseline now.
    Dropped("milestone", "due", "due_text", date("Due date", hint="30/06/2025")._replace(dropped=5)),
)


# -- what is built from the spec ---------------------------------------------------------------

@functools.cache
def specs(kind: str) -> dict[str, Spec]:
    """A record kind's stored fields, in its record's order: name -> Spec."""
    from store.records import RECORDS

    out: dict[str, Spec] = {}
    for name, annotation in RECORDS[kind].__annotations__.items():
        spec = next((a for a in get_args(annotation)[1:] if isinstance(a, Spec)), None)
        if spec is not None:
            out[name] = spec
    return out


def ever(kind: str) -> dict[str, Spec]:
    """Every column a record kind's table has had, in its record's order, dropped ones included:
    what the schema's steps are built from (a dropped field's Spec says the step that dropped it)."""
    out: dict[str, Spec] = {}
    current = specs(kind)
    gone = [d for d in DROPPED if d.kind == kind]
    for name in ("", *current):
        if name:
            out[name] = current[name]
        for d in gone:
            if d.after == name:
                out[d.name] = d.spec
    return out


def stored(kind: str) -> tuple[str, ...]:
    """The names of a record kind's stored fields (its table's columns), in its record's order."""
    return tuple(specs(kind))


@functools.cache
def editable(kind: str) -> dict[str, Spec]:
    """The fields a user sets on a record kind (those with a cleaner)."""
    return {name: spec for name, spec in specs(kind).items() if spec.clean is not None}


@functools.cache
def required(kind: str) -> tuple[str, ...]:
    """The fields a new record of this kind must be given."""
    return tuple(name for name, spec in specs(kind).items() if spec.required)


def field_label(kind: str, field: str) -> str:
    """The name the user knows a field by ("Reason" for rag_reason); the field itself if not a stored one."""
    spec = ever(kind).get(field) if kind in KINDS else None
    return spec.label if spec is not None else field


def form_fields(kind: str) -> tuple[tuple[str, Spec], ...]:
    """The fields a record kind's edit form shows, in order."""
    return tuple((name, spec) for name, spec in editable(kind).items() if spec.form)


@functools.cache
def columns(kind: str) -> dict[str, tuple[str, bool]]:
    """A record kind's columns -> (declared type, NOT NULL), as the schema creates them."""
    return {name: (spec.sql_type, spec.not_null) for name, spec in specs(kind).items()}
