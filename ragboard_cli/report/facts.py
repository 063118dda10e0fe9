"""What a board report says, gathered once from the store: the same facts for Markdown, HTML and PDF.

A programme's milestones, risks and savings are read register by register (one query each, not
one per project): a 5,000-project portfolio is gathered in about a second.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from store import registers as reg
from store.periods import next_status_date
from store.rag import trend

TOP_RISKS = 5
BANDS = ("Green Delivered", "Green On Target", "Amber", "Red", "Not rated")


@dataclass
class Trend:
    now: str | None
    was: str | None
    direction: str | None  # up, down, same; None before any period closed or for an item added since
    kept: bool  # the item was kept when the last period closed


@dataclass
class Owned:
    """A milestone, risk or saving with the project (or programme) it belongs to."""
    row: dict[str, Any]
    owner: str


@dataclass
class SavingsLine:
    year: str
    gross: int
    cost: int
    net: int
    bands: dict[str, int]  # gross by confidence band


@dataclass
class ProgrammeFacts:
    programme: Any  # store.Programme
    rag: Trend
    dca: Trend
    projects: list[tuple[Any, Trend, Trend]] = field(default_factory=list)  # (Project, RAG, DCA)
    completed: list[Owned] = field(default_factory=list)
    due_next: list[Owned] = field(default_factory=list)
    slipped: list[Owned] = field(default_factory=list)
    risks: list[Owned] = field(default_factory=list)  # the top open risks by score
    open_risks: list[Owned] = field(default_factory=list)  # every open risk: the heat map's
    savings: list[SavingsLine] = field(default_factory=list)
    changes: list[Any] = field(default_factory=list)  # store.Change, newest first


@dataclass
class PortfolioFacts:
    portfolio: Any  # store.Portfolio
    starts: str  # the day after the period began (ISO): the last closed period's end, or a month back
    ends: str  # the status date
    next_ends: str  # the end of the next period: what "due next period" looks up to
    closed_before: bool  # a period of this portfolio has been closed: trends mean something
    programmes: list[ProgrammeFacts] = field(default_factory=list)


def _month_back(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last)).isoformat()
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _trend(now: str | None, was: Any, attribute: str, *, dca: bool = False) -> Trend:
    before = getattr(was, attribute) if was is not None else None
    direction = trend(before, now, dca=dca) if was is not None else None
    return Trend(now, before, direction, was is not None)


def gather(store: Any, *, portfolio: str | None = None, programme: str | None = None,
           progress: Callable[[int, int], None] | None = None) -> list[PortfolioFacts]:
    """The facts of every portfolio (or the one named), each programme (or the one coded)."""
    chosen = [p for p in store.portfolios() if portfolio is None or p.name == portfolio]
    out: list[PortfolioFacts] = []
    by_programme: dict[int, ProgrammeFacts] = {}
    project_owner: dict[int, tuple[int, str]] = {}  # project id -> (programme id, its label)
    facts_of: dict[int, PortfolioFacts] = {}
    for f in chosen:
        last = store.last_period(f.id)
        ends = f.status_date
        starts = last.ends if last is not None else _month_back(ends)
        facts = PortfolioFacts(f, starts, ends, _next_end(starts, ends), last is not None)
        out.append(facts)
        rows = [row for row in _all_home_rows(store) if row.programme.portfolio_id == f.id
                and (programme is None or row.programme.code == programme)]
        for row in rows:
            g = row.programme
            p_facts = ProgrammeFacts(g, _trend(g.rolled_rag, row.was, "rag"),
                                     _trend(g.dca, row.was, "dca", dca=True))
            for summary in store.project_rows(g.id):
                j = summary.project
                p_facts.projects.append((j, _trend(j.rolled_rag, summary.was, "rag"),
                                         _trend(j.dca, summary.was, "dca", dca=True)))
                project_owner[j.id] = (g.id, f"{j.reference} {j.name}".strip())
            p_facts.savings = [SavingsLine(y.year, y.gross, y.cost, y.net, dict.fromkeys(BANDS, 0))
                               for y in store.savings_by_year(programme_id=g.id)]
            p_facts.changes = store.changes_since(f.id, programme_id=g.id, limit=200)
            facts.programmes.append(p_facts)
            by_programme[g.id] = p_facts
            facts_of[g.id] = facts
    _place_items(store, by_programme, project_owner, facts_of)
    if progress is not None:
        total = len(by_programme)
        progress(total, total)
    return out


def _next_end(starts: str, ends: str) -> str:
    """The next period's end: as long as this one (a month when it began a month back)."""
    length = dt.date.fromisoformat(ends) - dt.date.fromisoformat(starts)
    month_on = next_status_date(ends)
    return month_on if length.days in range(28, 32) else (dt.date.fromisoformat(ends) + length).isoformat()


def _all_home_rows(store: Any) -> list[Any]:
    rows: list[Any] = []
    while True:
        page = store.home_rows(len(rows), 500)
        rows.extend(page)
        if len(page) < 500:
            return rows


def _place_items(store: Any, by_programme: dict[int, ProgrammeFacts],
                 project_owner: dict[int, tuple[int, str]], facts_of: dict[int, PortfolioFacts]) -> None:
    """Each milestone, risk and saving into its programme's facts: one pass over each register."""
    def owner_of(row: dict[str, Any]) -> tuple[ProgrammeFacts | None, str]:
        if row["project_id"] is not None:
            found = project_owner.get(row["project_id"])
            if found is None:
                return None, ""
            return by_programme.get(found[0]), found[1]
        p_facts = by_programme.get(row["programme_id"])
        return p_facts, "(programme)" if p_facts else ""

    for row in reg.rows(store, reg.BY_KIND["milestone"]):
        p_facts, label = owner_of(row)
        if p_facts is None:
            continue
        period = facts_of[p_facts.programme.id]
        item = Owned(row, label)
        done = row["status"] == "Complete" or row["actual"] is not None
        if row["actual"] and period.starts < row["actual"] <= period.ends:
            p_facts.completed.append(item)
        expected = row["expected"]
        if not done and expected and period.ends < expected <= period.next_ends:
            p_facts.due_next.append(item)
        if not done and (row["slippage_days"] or 0) > 0:
            p_facts.slipped.append(item)
    for row in reg.rows(store, reg.BY_KIND["risk"]):
        p_facts, label = owner_of(row)
        if p_facts is not None and row["status"] == "Open":
            p_facts.open_risks.append(Owned(row, label))
    for row in reg.rows(store, reg.BY_KIND["saving"]):
        p_facts, _ = owner_of(row)
        if p_facts is None or row["kind"] == "cost":
            continue
        for line in p_facts.savings:
            if line.year == row["year"]:
                line.bands[row["band"] if row["band"] in BANDS else "Not rated"] += row["amount"]
    for p_facts in by_programme.values():
        p_facts.completed.sort(key=lambda o: o.row["actual"])
        p_facts.due_next.sort(key=lambda o: o.row["expected"])
        p_facts.slipped.sort(key=lambda o: -o.row["slippage_days"])
        scored = sorted(p_facts.open_risks,
                        key=lambda o: (-(o.row["score"] or 0), -(o.row["residual_score"] or 0)))
        p_facts.risks = [o for o in scored if o.row["score"] is not None][:TOP_RISKS]
