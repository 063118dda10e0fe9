"""The fields of each form, built from the store's field spec: its labels, so the store's messages
land beside them, its choices, hints and which fields a form shows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from store.errors import ConflictError
from store.fields import form_fields
from tui.screens.form import Conflict, Field


def _form(kind: str) -> list[Field]:
    return [Field(name, spec.label, options=spec.options, multiline=spec.multiline, placeholder=spec.hint)
            for name, spec in form_fields(kind)]


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
                 for f in _form("portfolio")]
FIELDS = {"milestone": MILESTONE, "risk": RISK, "saving": SAVING, "programme": PROGRAMME, "project": PROJECT}
DEFAULTS = {kind: found for kind in FIELDS if (found := _defaults(kind))}


def shown(value: object) -> str:
    return "" if value is None else str(value)


def values_of(record: Any, fields: list[Field]) -> dict[str, str]:
    return {f.key: shown(getattr(record, f.key, "")) for f in fields}


def changed(values: dict[str, str], original: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v != original.get(k, "")}


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

    return submit
