"""Typed records the store returns. Derived values (score, roll-up, slippage) come from queries.

Named tuples rather than dataclasses: a dozen dataclasses cost ~25 ms of start-up to define.
"""
from __future__ import annotations

from typing import NamedTuple


class Portfolio(NamedTuple):
    id: int
    name: str
    organisation: str
    status_date: str
    green_max: int
    red_min: int
    source: str | None
    source_line: str | None
    version: int


class Programme(NamedTuple):
    id: int
    portfolio_id: int
    code: str
    name: str
    sro: str
    description: str
    rag: str | None  # set by hand
    rag_reason: str
    source: str | None
    source_line: str | None
    version: int
    rolled_rag: str | None = None  # the hand RAG, else the worst of its projects and milestones
    rag_is_derived: bool = True


class Project(NamedTuple):
    id: int
    programme_id: int
    reference: str
    name: str
    lead: str
    stage: str
    description: str
    rag: str | None
    rag_reason: str
    source: str | None
    source_line: str | None
    version: int
    rolled_rag: str | None = None
    rag_is_derived: bool = True


class Milestone(NamedTuple):
    id: int
    project_id: int | None
    programme_id: int | None
    name: str
    due_text: str
    due: str | None
    baseline: str | None
    forecast: str | None
    actual: str | None
    status: str
    notes: str
    source: str | None
    source_line: str | None
    version: int
    slippage_days: int | None = None  # forecast (or actual) minus baseline
    overdue: bool = False  # against the portfolio's status date


class Risk(NamedTuple):
    id: int
    project_id: int | None
    programme_id: int | None
    reference: str
    description: str
    owner: str
    likelihood: int | None
    impact: int | None
    residual_likelihood: int | None
    residual_impact: int | None
    mitigation: str
    status: str
    rating_text: str
    source: str | None
    source_line: str | None
    version: int
    score: int | None = None
    rag: str | None = None
    residual_score: int | None = None
    residual_rag: str | None = None


class Saving(NamedTuple):
    id: int
    project_id: int | None
    programme_id: int | None
    year: str
    amount: int
    amount_text: str
    kind: str
    band: str
    notes: str
    source: str | None
    source_line: str | None
    version: int


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
    high_risks: int  # open risks scoring 15 or more
    savings: int  # this financial year: saved, earned or avoided
    financial_year: str


class ProjectSummary(NamedTuple):
    """One row of a programme's project list."""
    project: Project
    next_milestone: str | None
    next_due: str | None
    open_risks: int
    savings: int


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
