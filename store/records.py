"""Typed records the store returns, and the spec of every stored field (see store/fields.py).

A stored field is declared once, here, as Annotated[type, Spec]: the schema, the reads, the
validation of writes, the forms and the history's labels are all built from these declarations.
A field with no Spec is derived by the queries (score, roll-up, slippage, overdue).

Named tuples rather than dataclasses: a dozen dataclasses cost ~25 ms of start-up to define. The
annotations are evaluated (no `from __future__ import annotations`) so their Specs can be read.
"""
from typing import Annotated, NamedTuple

from store import fields as f
from store import validate as v

_DATE_HINT = "30/06/2025"


class Portfolio(NamedTuple):
    id: Annotated[int, f.KEY]
    name: Annotated[str, f.text("Name", required=True, hint="e.g. Transformation Portfolio")]
    organisation: Annotated[str, f.text("Organisation", hint="e.g. Plymouth City Council")]
    status_date: Annotated[str, f.date("Status date", required=True, hint="the 'as at' date: 31/03/2025")]
    status_date_text: Annotated[str, f.text("Status date as printed", limit=100, step=6,
                                            hint="e.g. 13 March (the report's date, as printed)")]
    savings_year: Annotated[str | None, f.later_year(
        "Savings year reported", step=6, hint="e.g. 2014/15 (blank: the status date's year)")]
    green_max: Annotated[int, f.threshold("Green up to", 6, step=2)]
    red_min: Annotated[int, f.threshold("Red from", 20, step=2)]
    headline: Annotated[str, f.choice("Headline", v.HEADLINES, default="RAG", step=7,
                                      hint="RAG or DCA: which the screens and reports lead with")]
    inferred: Annotated[str, f.inferred(step=6)]
    source: Annotated[str | None, f.SOURCE]
    source_line: Annotated[str | None, f.SOURCE_LINE]
    version: Annotated[int, f.VERSION]


class Programme(NamedTuple):
    id: Annotated[int, f.KEY]
    portfolio_id: Annotated[int, f.owner("portfolio")]
    code: Annotated[str, f.text("Code", required=True, limit=20)]
    name: Annotated[str, f.text("Name", required=True)]
    sro: Annotated[str, f.text("SRO")]
    roles: Annotated[str, f.text("Other roles", multiline=True, step=6,
                                 hint="e.g. Cabinet Member: Cllr A Smith (one per line)")]
    description: Annotated[str, f.text("Description", multiline=True)]
    rag: Annotated[str | None, f.choice("RAG", v.RAGS, form=False)]  # set by hand
    rag_reason: Annotated[str, f.text("Reason", multiline=True, form=False)]
    dca: Annotated[str | None, f.choice("Delivery confidence", v.DCAS, form=False, step=7)]  # set by hand
    dca_reason: Annotated[str, f.text("Confidence reason", multiline=True, form=False, step=7)]
    position: Annotated[int, f.POSITION]
    inferred: Annotated[str, f.inferred(step=6)]
    source: Annotated[str | None, f.SOURCE]
    source_line: Annotated[str | None, f.SOURCE_LINE]
    version: Annotated[int, f.VERSION]
    rolled_rag: str | None = None  # the hand RAG, else derived_rag
    derived_rag: str | None = None  # the worst of its projects' rolled RAGs and its own open milestones
    rag_is_derived: bool = True  # no hand RAG: rolled_rag is derived_rag


class Project(NamedTuple):
    id: Annotated[int, f.KEY]
    programme_id: Annotated[int, f.owner("programme")]
    reference: Annotated[str, f.text("Reference", limit=50)]
    name: Annotated[str, f.text("Name", required=True)]
    lead: Annotated[str, f.text("Lead")]
    roles: Annotated[str, f.text("Other roles", multiline=True, step=6,
                                 hint="e.g. Head of Service: B Jones (one per line)")]
    stage: Annotated[str, f.choice("Stage", v.STAGES, default="Concept", checked=False)]
    description: Annotated[str, f.text("Description", multiline=True)]
    rag: Annotated[str | None, f.choice("RAG", v.RAGS, form=False)]
    rag_reason: Annotated[str, f.text("Reason", multiline=True, form=False)]
    dca: Annotated[str | None, f.choice("Delivery confidence", v.DCAS, form=False, step=7)]  # set by hand
    dca_reason: Annotated[str, f.text("Confidence reason", multiline=True, form=False, step=7)]
    position: Annotated[int, f.POSITION]
    inferred: Annotated[str, f.inferred(step=6)]
    source: Annotated[str | None, f.SOURCE]
    source_line: Annotated[str | None, f.SOURCE_LINE]
    version: Annotated[int, f.VERSION]
    rolled_rag: str | None = None  # the hand RAG, else derived_rag
    derived_rag: str | None = None  # the worst of its open milestones, whatever the hand RAG
    rag_is_derived: bool = True


class Milestone(NamedTuple):
    id: Annotated[int, f.KEY]
    project_id: Annotated[int | None, f.owner("project", required=False)]
    programme_id: Annotated[int | None, f.owner("programme", required=False)]
    name: Annotated[str, f.text("Name", required=True)]
    due_text: Annotated[str, f.text("Due (as written)", hint="as the paper prints it: Q4 2014, June 2016")]
    # The approved (planned) date: what slippage is measured from. (Until schema step 5 a separate
    # due date held the paper's date; step 5 made it the baseline: see fields.DROPPED.)
    baseline: Annotated[str | None, f.date("Baseline", hint=_DATE_HINT)]
    forecast: Annotated[str | None, f.date("Forecast", hint=_DATE_HINT)]
    actual: Annotated[str | None, f.date("Actual", hint=f"{_DATE_HINT} once done")]
    actual_text: Annotated[str, f.text("Actual (as written)", limit=100, step=6, form=False)]
    status: Annotated[str, f.choice("Status", v.MILESTONE_STATUSES, default="Not rated")]
    notes: Annotated[str, f.text("Notes", multiline=True)]
    position: Annotated[int, f.POSITION]
    inferred: Annotated[str, f.inferred(step=6)]
    source: Annotated[str | None, f.SOURCE]
    source_line: Annotated[str | None, f.SOURCE_LINE]
    version: Annotated[int, f.VERSION]
    expected: str | None = None  # when it happened, else when now expected: actual, forecast, baseline
    slippage_days: int | None = None  # forecast (or actual) minus baseline
    overdue: bool = False  # against the portfolio's status date


class Risk(NamedTuple):
    id: Annotated[int, f.KEY]
    project_id: Annotated[int | None, f.owner("project", required=False)]
    programme_id: Annotated[int | None, f.owner("programme", required=False)]
    reference: Annotated[str, f.text("Reference", limit=50)]
    description: Annotated[str, f.text("Description", required=True, multiline=True)]
    owner: Annotated[str, f.text("Owner")]
    likelihood: Annotated[int | None, f.rating("Likelihood", hint="1-5")]
    impact: Annotated[int | None, f.rating("Impact", hint="1-5")]
    residual_likelihood: Annotated[int | None, f.rating("Residual likelihood", hint="1-5 after mitigation")]
    residual_impact: Annotated[int | None, f.rating("Residual impact", hint="1-5 after mitigation")]
    mitigation: Annotated[str, f.text("Mitigation", multiline=True)]
    status: Annotated[str, f.choice("Status", v.RISK_STATUSES, default="Open")]
    rating_text: Annotated[str, f.text("Rating as printed", limit=50, form=False)]
    position: Annotated[int, f.POSITION]
    inferred: Annotated[str, f.inferred(step=6)]
    source: Annotated[str | None, f.SOURCE]
    source_line: Annotated[str | None, f.SOURCE_LINE]
    version: Annotated[int, f.VERSION]
    score: int | None = None
    rag: str | None = None
    residual_score: int | None = None
    residual_rag: str | None = None


class Saving(NamedTuple):
    id: Annotated[int, f.KEY]
    project_id: Annotated[int | None, f.owner("project", required=False)]
    programme_id: Annotated[int | None, f.owner("programme", required=False)]
    year: Annotated[str, f.financial_year("Financial year", hint="2016/17")]
    amount: Annotated[int, f.amount("Amount", hint="whole pounds: 250000")]
    amount_text: Annotated[str, f.text("Amount as printed", hint="£250K")]
    kind: Annotated[str, f.choice("Kind", v.SAVING_KINDS, default="saving")]
    band: Annotated[str, f.choice("Band", v.SAVING_BANDS, default="Not rated")]
    notes: Annotated[str, f.text("Notes", multiline=True)]
    position: Annotated[int, f.POSITION]
    inferred: Annotated[str, f.inferred(step=6)]
    source: Annotated[str | None, f.SOURCE]
    source_line: Annotated[str | None, f.SOURCE_LINE]
    version: Annotated[int, f.VERSION]


# Each record kind a user edits, by the name of its table.
RECORDS: dict[str, type[Portfolio | Programme | Project | Milestone | Risk | Saving]] = {
    "portfolio": Portfolio, "programme": Programme, "project": Project,
    "milestone": Milestone, "risk": Risk, "saving": Saving,
}


class Period(NamedTuple):
    """A closed reporting period of a portfolio: what stood at its status date is kept (PeriodItem)."""
    id: int
    portfolio_id: int
    starts: str | None  # the previous period's end (ISO date), None for the first one closed
    ends: str  # the status date it closed (ISO date)
    closed_at: str  # when it was closed (UTC)
    who: str


class PeriodItem(NamedTuple):
    """One item as it stood when its period closed."""
    period_id: int
    item_kind: str
    item_id: int
    label: str
    rag: str | None  # programme, project: rolled RAG; milestone: status; risk: RAG; saving: band
    dca: str | None  # programme, project
    score: int | None  # risk
    residual_score: int | None  # risk
    amount: int | None  # saving
    baseline: str | None  # milestone
    forecast: str | None
    actual: str | None


class Change(NamedTuple):
    id: int
    group_id: int
    at: str
    who: str
    op: str
    item_kind: str
    item_id: int
    item_label: str
    field: str
    old: object
    new: object
    reason: str


class ProgrammeSummary(NamedTuple):
    """One row of the home screen."""
    programme: Programme
    portfolio_name: str
    projects: int
    red_milestones: int
    overdue_milestones: int
    high_risks: int  # open risks in their portfolio's Red band (score >= red_min)
    # financial_year's savings of the programme and its projects (its savings_by_year row)
    savings_gross: int  # saved, earned or avoided
    savings_cost: int  # spent
    savings_net: int  # gross - cost
    financial_year: str  # that of the portfolio's status date
    was: PeriodItem | None = None  # the programme when its portfolio's last period closed


class ProjectSummary(NamedTuple):
    """One row of a programme's project list."""
    project: Project
    next_milestone: str | None
    next_due: str | None
    open_risks: int
    savings_gross: int = 0  # financial_year's, as ProgrammeSummary's
    savings_cost: int = 0
    savings_net: int = 0
    financial_year: str = ""
    red_milestones: int = 0  # as home counts them for a programme
    overdue_milestones: int = 0
    high_risks: int = 0
    was: PeriodItem | None = None  # the project when its portfolio's last period closed


class SavingsYear(NamedTuple):
    """A project's or programme's savings in one financial year (a programme's include its projects')."""
    year: str  # 2016/17
    gross: int  # saved, earned or avoided: every kind but cost
    cost: int
    net: int  # gross - cost


class Hit(NamedTuple):
    """A search result for the palette: a programme or a project."""
    kind: str
    id: int
    label: str
    detail: str
    programme_id: int = 0


class UndoResult(NamedTuple):
    label: str
    kind: str  # 'undo' or 'redo'


class ChangeGroup(NamedTuple):
    """One user action in the change log: the unit undo and redo work on."""
    id: int
    at: str
    who: str
    label: str
    kind: str  # 'edit', 'undo', 'redo' or 'import'
    reverted: bool  # undone (or, for an undo, redone) since
    reverts: int | None = None  # for an undo or redo: the group it reverted
    reverted_by: int | None = None
    mine: bool = False  # made through this store instance (what undo and redo work on)
