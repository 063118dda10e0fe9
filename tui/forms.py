"""The fields of each form, matched to the store's field labels so its messages land beside them."""
from __future__ import annotations

from store.validate import MILESTONE_STATUSES, RISK_STATUSES, SAVING_BANDS, SAVING_KINDS, STAGES
from tui.screens.form import Field

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
