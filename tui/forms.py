"""The fields of each form, matched to the store's field labels so its messages land beside them."""
from __future__ import annotations

from typing import Any, Callable

from store.errors import ConflictError
from store.validate import MILESTONE_STATUSES, RISK_STATUSES, SAVING_BANDS, SAVING_KINDS, STAGES
from tui.screens.form import Conflict, Field

MILESTONE = [
    Field("name", "Name"),
    Field("due_text", "Due (as written)", placeholder="as the paper prints it: Q4 2014, June 2016"),
    Field("due", "Due date", placeholder="30/06/2025"),
    Field("baseline", "Baseline", placeholder="30/06/2025"),
    Field("forecast", "Forecast", placeholder="30/06/2025"),
    Field("actual", "Actual", placeholder="30/06/2025 once done"),
    Field("status", "Status", options=MILESTONE_STATUSES),
    Field("notes", "Notes", multiline=True),
]
RISK = [
    Field("reference", "Reference"),
    Field("description", "Description", multiline=True),
    Field("owner", "Owner"),
    Field("likelihood", "Likelihood", placeholder="1-5"),
    Field("impact", "Impact", placeholder="1-5"),
    Field("residual_likelihood", "Residual likelihood", placeholder="1-5 after mitigation"),
    Field("residual_impact", "Residual impact", placeholder="1-5 after mitigation"),
    Field("mitigation", "Mitigation", multiline=True),
    Field("status", "Status", options=RISK_STATUSES),
]
SAVING = [
    Field("year", "Financial year", placeholder="2016/17"),
    Field("amount", "Amount", placeholder="whole pounds: 250000"),
    Field("amount_text", "Amount as printed", placeholder="£250K"),
    Field("kind", "Kind", options=SAVING_KINDS),
    Field("band", "Band", options=SAVING_BANDS),
    Field("notes", "Notes", multiline=True),
]
PROGRAMME = [
    Field("code", "Code"),
    Field("name", "Name"),
    Field("sro", "SRO"),
    Field("description", "Description", multiline=True),
]
PROJECT = [
    Field("reference", "Reference"),
    Field("name", "Name"),
    Field("lead", "Lead"),
    Field("stage", "Stage", options=STAGES),
    Field("description", "Description", multiline=True),
]
NEW_PORTFOLIO = [
    Field("portfolio_name", "Portfolio name", placeholder="e.g. Transformation Portfolio"),
    Field("organisation", "Organisation", placeholder="e.g. Plymouth City Council"),
    Field("status_date", "Status date", placeholder="the 'as at' date: 31/03/2025"),
]
FIELDS = {"milestone": MILESTONE, "risk": RISK, "saving": SAVING, "programme": PROGRAMME, "project": PROJECT}
DEFAULTS = {
    "milestone": {"status": "Not rated"},
    "risk": {"status": "Open"},
    "saving": {"kind": "saving", "band": "Not rated"},
    "project": {"stage": "Concept"},
}


def shown(value) -> str:
    return "" if value is None else str(value)


def values_of(record, fields: list[Field]) -> dict[str, str]:
    return {f.key: shown(getattr(record, f.key, "")) for f in fields}


def changed(values: dict[str, str], original: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v != original.get(k, "")}


def edit_submit(app, record, fields: list[Field], method: Callable) -> Callable[[dict[str, str]], Any]:
    """A form's submit for editing record with the store's method (edit_milestone, ...).

    The store is given the values as they were read (base): another person's change to other
    fields is not a conflict, the save goes on top. Where they changed a field the user changed
    too, the form stays open (Conflict) and the next save goes over the version now in the file.
    """
    state = {"record": record, "shown": values_of(record, fields)}

    def submit(values: dict[str, str]):
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
