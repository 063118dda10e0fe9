"""The fields of each form, built from the store's field spec: its labels, so the store's messages
land beside them, its choices, hints and which fields a form shows."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from store.errors import ConflictError, ValidationError
from store.fields import Spec, form_fields, specs
from store.text import day
from tui.screens.form import Conflict, Field, Preview

_EXAMPLE_DATE = "2025-06-30"  # a date's example where the store's hint gives none
_TYPED_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")  # 30/06/2025 in a hint
_RANGE = re.compile(r"(\d+)-(\d+)\b")  # "1-5": what a field takes, not an example of it


def is_date(spec: Spec) -> bool:
    """A field the store reads as a date: its check turns a day in words into an ISO date."""
    if spec.clean is None:
        return False
    try:
        return spec.clean("1 Mar 2014") == "2014-03-01"
    except ValidationError:
        return False


def placeholder(hint: str, *, date: bool = False) -> str:
    """The store's hint as a form shows it, read as a hint and not a value: an example follows
    "e.g." ("whole pounds: 250000" -> "whole pounds, e.g. 250000"); a date's is in words."""
    if date:
        found = _TYPED_DATE.search(hint)
        example = (f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}" if found else _EXAMPLE_DATE)
        words = (hint[:found.start()] + hint[found.end():]) if found else hint
        about = " ".join(words.replace(":", " ").split())
        return f"{about}, e.g. {day(example)}" if about else f"e.g. {day(example)}"
    if not hint or hint.startswith("e.g."):
        return hint
    if found := _RANGE.match(hint):  # what the field takes, not an example: "1 to 5"
        return f"{found[1]} to {found[2]}{hint[found.end():]}"
    about, colon, example = hint.rpartition(": ")
    return f"{about}, e.g. {example}" if colon else f"e.g. {hint}"


def date_help(hint: str, *, required: bool = False) -> str:
    """What a date field takes, said while it has the keys: every style the store reads."""
    found = _TYPED_DATE.search(hint)
    iso = f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}" if found else _EXAMPLE_DATE
    year, month, date = iso.split("-")
    styles = f"A date, as {day(iso)}, {date}/{month}/{year} or {iso}"
    return f"{styles}." if required else f"{styles}; blank if not known."


def field_of(kind: str, name: str, spec: Spec) -> Field:
    date = is_date(spec)
    return Field(name, spec.label, options=spec.options, multiline=spec.multiline,
                 placeholder=placeholder(spec.hint, date=date), date=date, kind=kind,
                 help=date_help(spec.hint, required=spec.required) if date else "")


def _form(kind: str) -> list[Field]:
    return [field_of(kind, name, spec) for name, spec in form_fields(kind)]


def _defaults(kind: str) -> dict[str, str]:
    """A new record's choices as the store would default them."""
    return {name: str(spec.default) for name, spec in form_fields(kind)
            if spec.options and spec.default is not None}


MILESTONE = _form("milestone")
RISK = _form("risk")
SAVING = _form("saving")
PROGRAMME = _form("programme")
PROJECT = _form("project")
# A new portfolio is named in the same form as its first programme: its name has a key of its own.
NEW_PORTFOLIO = [replace(f, key="portfolio_name", label="Portfolio name") if f.key == "name" else f
                 for f in _form("portfolio") if f.key not in ("status_date_text", "savings_year")]
# A portfolio on its own (the palette's Edit portfolio and New portfolio): its name, organisation
# and status date, and the risk scores its matrix calls Green (up to) and Red (from).
PORTFOLIO = [
    *_form("portfolio"),
    *(replace(field_of("portfolio", name, specs("portfolio")[name]), placeholder=hint)
      for name, hint in (("green_max", "a risk score, e.g. 6"), ("red_min", "a risk score, e.g. 20"))),
]
# The palette's status date of a portfolio, alone.
STATUS_DATE = [f for f in PORTFOLIO if f.key == "status_date"]
FIELDS = {"milestone": MILESTONE, "risk": RISK, "saving": SAVING, "programme": PROGRAMME, "project": PROJECT,
          "portfolio": PORTFOLIO}
DEFAULTS = {kind: found for kind in FIELDS if (found := _defaults(kind))}


def shown(value: object) -> str:
    return "" if value is None else str(value)


def values_of(record: Any, fields: list[Field]) -> dict[str, str]:
    return {f.key: shown(getattr(record, f.key, "")) for f in fields}


def changed(values: dict[str, str], original: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v != original.get(k, "")}


def previewer(app: Any, kind: str, fields: list[Field], **ids: int | None) -> Preview:
    """The store's warnings about a record of kind with a form's values as typed (ids: item_id of
    the record edited, or the project_id / programme_id a new one goes to). Called under the
    app's store lock by the form."""
    keys = [f.key for f in fields if f.kind == kind]

    def preview(values: dict[str, str]) -> list[str]:
        ask = getattr(app.store, "preview_warnings", None)
        if ask is None:
            return []
        return list(ask(kind, {k: values[k] for k in keys if k in values}, **ids))

    return preview


def with_preview(submit: Callable[[dict[str, str]], Any], app: Any, kind: str, fields: list[Field],
                 **ids: int | None) -> Callable[[dict[str, str]], Any]:
    """submit, carrying the store's warnings for its form (see FormScreen): for a new record's form,
    ids are where it goes (project_id=... or programme_id=...)."""
    submit.preview = previewer(app, kind, fields, **ids)  # type: ignore[attr-defined]
    return submit


def edit_submit(app: Any, record: Any, fields: list[Field],
                method: Callable[..., Any]) -> Callable[[dict[str, str]], Any]:
    """A form's submit for editing record with the store's method (edit_milestone, ...).

    The store is given the values as they were read (base): another person's change to other
    fields is not a conflict, the save goes on top. Where they changed a field the user changed
    too, the form stays open (Conflict) and the next save goes over the version now in the file.
    """
    state = {"record": record, "shown": values_of(record, fields)}

    def submit(values: dict[str, str]) -> Any:
        read, shown = state["record"], state["shown"]
        changes = changed(values, shown)
        if not changes:
            return None
        base = {f.key: getattr(read, f.key) for f in fields}
        try:
            return app.locked(method, read.id, read.version, base=base, **changes)
        except ConflictError as exc:
            if exc.current is None or not exc.theirs:
                raise  # removed meanwhile, or not about these fields: the app says so and reloads
            now = values_of(exc.current, fields)
            state["record"], state["shown"] = exc.current, now
            theirs = {k: now[k] for k in exc.theirs if k in now}
            refreshed = {k: now[k] for k in exc.changed if k in now and k not in changes}
            names = ", ".join(f.label for f in fields if f.key in theirs)
            who = f"{exc.who} at {exc.when}" if exc.who else "someone else"
            raise Conflict(f"{names} changed while you edited: by {who}. Your values are kept; the file's "
                           "are shown beside them. ctrl+s saves yours over the latest, Escape leaves theirs.",
                           theirs, refreshed) from None

    kind = next((f.kind for f in fields if f.kind), "")
    return with_preview(submit, app, kind, fields, item_id=record.id) if kind else submit
