"""The lists inside a programme or a project: projects, milestones, risks, savings, history.

Each panel knows how to fetch its records (called in a worker, under the store lock), how to
show a record as a row, and how a filter matches it.
"""
from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from rich.table import Table as RichTable
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from store import field_label
from tui import fmt, safe
from tui.app_typing import OfRagboard
from tui.widgets.heatmap import HeatMap
from tui.widgets.record_list import RecordList
from tui.widgets.virtual_list import Column


def _has(needle: str, *values) -> bool:
    return any(needle in (v or "").lower() for v in values)


class Panel(OfRagboard, Vertical):
    """One list of records belonging to a programme or a project."""

    kind, noun, plural = "", "", ""
    COLUMNS: ClassVar[list[Column]] = []  # cells come from cells(record); grow takes the spare width
    EMPTY = ""  # shown when there are none (default: "No <plural> yet. Press n to add one.")

    def __init__(self, owner: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        self.owner = owner  # {"project_id": n} or {"programme_id": n}

    def compose(self):
        yield self.make_list()

    def make_list(self) -> RecordList:
        return RecordList(self.COLUMNS, self.cells, self.match, id=f"{self.kind}-table",
                          empty_text=self.EMPTY or f"No {self.plural} yet. Press n to add one.",
                          filtered_text=f"No {self.noun} matches the filter.")

    def on_mount(self) -> None:
        # A list built on the first visit to its tab shows what its screen has already fetched.
        data = getattr(self.screen, "data", {}).get((self.id or "").removeprefix("panel-"))
        if data is not None:
            self.show(data)
            self.table.focus()
            select = getattr(self.screen, "select_pending", None)
            if select is not None:
                select(self)

    @property
    def table(self) -> RecordList:
        return self.query_one(RecordList)

    @property
    def selected(self):
        return self.table.selected

    @classmethod
    def fetch(cls, store, owner: dict):
        """The records to show (called in a worker, under the store lock)."""
        raise NotImplementedError

    def show(self, data) -> None:
        self.table.show(data)

    def records_changed(self) -> None:
        """A row was edited, added or removed in place: bring any figures beside the list up to date."""

    def cells(self, record) -> tuple:
        raise NotImplementedError

    def match(self, record, needle: str) -> bool:
        raise NotImplementedError


class ProjectsPanel(Panel):
    kind, noun, plural = "project", "project", "projects"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Reference", 10), Column("Project", 19, grow=1), Column("Lead", 12), Column("Stage", 8),
        Column("RAG", 13), Column("Next milestone", 14), Column("Due", 11),
        Column("Risks", 5, justify="right"), Column("Savings FY", 10, justify="right")
    ]

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.project_rows(owner["programme_id"])

    def show(self, data) -> None:
        # ProjectSummary rows are keyed by the project's id.
        self.table.show([_Keyed(row.project.id, row) for row in data])

    @property
    def selected(self):
        keyed = self.table.selected
        return keyed.row if keyed else None

    def cells(self, keyed) -> tuple:
        row = keyed.row
        p = row.project
        return (p.reference, fmt.one_line(p.name, 60), p.lead, p.stage,
                fmt.rag(p.rolled_rag, derived=p.rag_is_derived), fmt.one_line(row.next_milestone or "", 40),
                fmt.date(row.next_due), str(row.open_risks), fmt.money(row.savings))

    def match(self, keyed, needle: str) -> bool:
        p = keyed.row.project
        return _has(needle, p.reference, p.name, p.lead, p.stage)


class _Keyed:
    """A summary row carrying the id of the record it summarises."""

    __slots__ = ("id", "row")

    def __init__(self, id: int, row) -> None:
        self.id, self.row = id, row


class MilestonePanel(Panel):
    kind, noun, plural = "milestone", "milestone", "milestones"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Milestone", 24, grow=1), Column("Due (printed)", 13), Column("Baseline", 11),
        Column("Forecast", 11), Column("Actual", 11), Column("Slippage", 9), Column("Status", 12),
        Column("", 7)
    ]

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.milestones(**owner)

    def cells(self, m) -> tuple:
        return (fmt.one_line(m.name, 70), fmt.one_line(m.due_text, 30), fmt.date(m.baseline),
                fmt.date(m.forecast), fmt.date(m.actual), fmt.slippage(m.slippage_days), fmt.rag(m.status),
                Text("overdue", style="bold") if m.overdue else "")

    def match(self, m, needle: str) -> bool:
        return _has(needle, m.name, m.due_text, m.status, m.notes)


class RiskPanel(Panel):
    kind, noun, plural = "risk", "risk", "risks"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Ref", 5), Column("Risk", 24, grow=1), Column("Owner", 9), Column("L x I = score", 16),
        Column("Residual", 16), Column("Status", 6)
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_heatmap", "Residual", id="risks.toggle_heatmap")]

    def compose(self):
        with Horizontal(id="risk-row"):
            yield self.make_list()
            yield HeatMap(id="heatmap")

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.risks(**owner), store.portfolio_of(**owner)

    def show(self, data) -> None:
        risks, portfolio = data
        self.table.show(risks)
        self.query_one(HeatMap).show(risks, portfolio.green_max, portfolio.red_min)

    def records_changed(self) -> None:
        portfolio = getattr(self.screen, "portfolio", None)
        if portfolio is not None:
            self.query_one(HeatMap).show(self.table.records, portfolio.green_max, portfolio.red_min)

    def action_toggle_heatmap(self) -> None:
        self.query_one(HeatMap).toggle()

    def cells(self, k) -> tuple:
        status = Text(k.status, style="dim") if k.status == "Closed" else k.status
        return (k.reference, fmt.one_line(k.description, 80), k.owner,
                fmt.score(k.likelihood, k.impact, k.score, k.rag),
                fmt.score(k.residual_likelihood, k.residual_impact, k.residual_score, k.residual_rag),
                status)

    def match(self, k, needle: str) -> bool:
        return _has(needle, k.reference, k.description, k.owner, k.status, k.mitigation)


class SavingPanel(Panel):
    kind, noun, plural = "saving", "saving", "savings"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Year", 7), Column("Kind", 14), Column("Band", 19), Column("Amount", 12, justify="right"),
        Column("As printed", 16), Column("Notes", 34, grow=1)
    ]

    def compose(self):
        yield from super().compose()
        yield Static(id="saving-totals")

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.savings(**owner)

    def show(self, data) -> None:
        super().show(data)
        self.query_one("#saving-totals", Static).update(self._totals(data))

    def records_changed(self) -> None:
        self.query_one("#saving-totals", Static).update(self._totals(self.table.records))

    @staticmethod
    def _totals(savings: list):
        if not savings:
            return Text("No savings recorded. Press n to add one.", style="dim")
        bands = ["Green Delivered", "Green On Target", "Amber", "Red", "Not rated"]
        by: defaultdict[tuple[str | None, str | None], int] = defaultdict(int)
        years = sorted({s.year for s in savings})
        for s in savings:
            sign = -1 if s.kind == "cost" else 1
            by[(s.year, s.band)] += sign * s.amount
            by[(s.year, None)] += sign * s.amount
            by[(None, s.band)] += sign * s.amount
            by[(None, None)] += sign * s.amount
        grid = RichTable(
            title="Totals by financial year and band (costs subtracted)",
            title_justify="left",
            box=None,
            padding=(0, 1),
            show_edge=False,
            header_style="bold",
        )
        grid.add_column("Year")
        for b in bands:
            grid.add_column(fmt.band(b), justify="right")
        grid.add_column("Total", justify="right")
        for year in [*years, None]:
            cells = [fmt.money(by[(year, b)]) if (year, b) in by else "" for b in bands]
            grid.add_row(
                "All years" if year is None else safe.literal(year),
                *cells,
                fmt.money(by[(year, None)]),
                style="bold" if year is None else "",
            )
        return grid

    def cells(self, s) -> tuple:
        return (s.year, s.kind, fmt.band(s.band), fmt.money(s.amount), fmt.one_line(s.amount_text, 30),
                fmt.one_line(s.notes, 60))

    def match(self, s, needle: str) -> bool:
        return _has(needle, s.year, s.kind, s.band, s.amount_text, s.notes)


class HistoryPanel(Panel):
    kind, noun, plural = "history", "change", "changes"
    EMPTY = "No changes recorded yet: each edit made in ragboard is listed here."
    COLUMNS: ClassVar[list[Column]] = [
        Column("When (UTC)", 16), Column("Who", 8), Column("Item", 22), Column("Field", 10),
        Column("Old -> new", 32, grow=1), Column("Reason", 16)
    ]

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.history(**owner)

    def cells(self, c) -> tuple:
        when = c.at.replace("T", " ").removesuffix("Z")[:16]
        if c.op == "create":
            change = Text(f"added {fmt.change_value(c.new)}")
        elif c.op == "delete":
            change = Text(f"deleted {fmt.change_value(c.old)}")
        else:
            change = Text(f"{fmt.change_value(c.old)} -> {fmt.change_value(c.new)}")
        return (when, c.who, f"{c.item_kind} {fmt.one_line(c.item_label, 40)}",
                field_label(c.item_kind, c.field), change, fmt.one_line(c.reason, 60))

    def match(self, c, needle: str) -> bool:
        return _has(
            needle,
            c.who,
            c.item_label,
            c.field,
            field_label(c.item_kind, c.field),
            c.reason,
            str(c.old),
            str(c.new),
        )
