"""The lists inside a programme or a project: projects, milestones, risks, savings, history.

Each panel knows how to fetch its records (called in a worker, under the store lock), how to
show a record as a row, how each column sorts, and the quick filters its list has. '/' finds
the text of any cell as shown (and a date's ISO form too). Above the list a line says what a
filter leaves shown; below it, the warnings of the record under the cursor.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.table import Table as RichTable
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from store import DCAS, STAGES, field_label, savings_year
from tui import fmt, safe
from tui.app_typing import OfRagboard
from tui.widgets.heatmap import HeatMap
from tui.widgets.record_list import RecordList
from tui.widgets.virtual_list import Column, VirtualList

# A RAG's place when sorted: worst first.
RAG_ORDER = {"Red": 0, "Amber": 1, "Green": 2, "Complete": 3}
WARNING_MARK = "⚠"


def text_key(get: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Sorts by a text field, case aside; a blank one sorts last."""
    def key(record: Any) -> Any:
        value = get(record)
        return " ".join(str(value).split()).lower() or None if value is not None else None
    return key


def rag_key(get: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Sorts by a RAG, worst first; Not rated last."""
    return lambda record: RAG_ORDER.get(get(record))


def _isos(*values: str | None) -> str:
    """Dates as stored (ISO): '/' finds '2014-03' as well as 'Mar 2014'."""
    return " ".join(v for v in values if v)


class Panel(OfRagboard, Vertical):
    """One list of records belonging to a programme or a project."""

    kind, noun, plural = "", "", ""
    COLUMNS: ClassVar[list[Column]] = []  # cells come from cells(record); grow takes the spare width
    EMPTY = ""  # shown when there are none (default: "No <plural> yet. Press n to add one.")
    SORT: ClassVar[tuple[str | None, bool]] = (None, False)  # the sort a list opens with, and descending

    def __init__(self, owner: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        self.owner = owner  # {"project_id": n} or {"programme_id": n}

    def compose(self):
        yield self.make_caption()
        yield self.make_list()
        yield self.make_notice()

    # The lines above and below the list are styled here, not in CSS: a widget class bringing CSS of
    # its own changes the app's styles when first shown, and every kept screen is styled again.
    def make_caption(self) -> Static:
        caption = Static(id=f"{self.kind}-caption", classes="list-caption")
        caption.display = False
        caption.styles.padding = (0, 1)
        return caption

    def make_notice(self) -> Static:
        notice = Static(id=f"{self.kind}-notice", classes="list-notice")
        notice.display = False
        notice.styles.padding = (0, 1)
        return notice

    def make_list(self) -> RecordList:
        sort, descending = self.SORT
        return RecordList(self.COLUMNS, self.cells, id=f"{self.kind}-table", also=self.also,
                          quick=self.quick_filters(), sort=sort, descending=descending,
                          on_count=self._counted,
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

    @property
    def status_date(self) -> str | None:
        portfolio = getattr(self.screen, "portfolio", None)
        return portfolio.status_date if portfolio is not None else None

    @classmethod
    def fetch(cls, store, owner: dict):
        """The records to show (called in a worker, under the store lock)."""
        raise NotImplementedError

    def show(self, data) -> None:
        self.table.show(data)

    def records_changed(self) -> None:
        """A row was edited, added or removed in place: bring any figures beside the list up to date.
        (The screen's notice of the save says what now looks wrong; the line below the list too.)"""

    def cells(self, record) -> tuple:
        raise NotImplementedError

    def also(self, record) -> str:
        """Text the row shows in another form, for '/' (a date's ISO form)."""
        return ""

    def quick_filters(self) -> dict[str, tuple[str, Callable[[Any], bool]]]:
        """This list's quick filters: {name: (label, keeps(record))}."""
        return {}

    def warnings(self, record) -> list[str]:
        """What is wrong with a record, in words (none for most lists)."""
        return []

    # -- the lines around the list ----------------------------------------------------------

    def _counted(self, vlist: VirtualList) -> None:
        summary = vlist.shown_summary()
        caption = self.query(".list-caption").first(Static) if self.is_mounted else None
        if caption is None:
            return
        caption.display = bool(summary)
        if summary:
            caption.update(safe.literal(f"{self.plural.capitalize()}: {summary}", style="bold"))

    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        found = self.warnings(event.row)
        notices = self.query(".list-notice")
        if not notices:
            return
        notice = notices.first(Static)
        notice.display = bool(found)
        if found:
            notice.update(safe.literal(f"{WARNING_MARK} {' '.join(found)}", style="bold"))


def _marked(cell: Text, warned: bool) -> Text:
    """A status cell with the warning mark beside it."""
    if not warned:
        return cell
    cell = cell.copy()
    cell.append(f" {WARNING_MARK}", style="bold")
    return cell


class ProjectsPanel(Panel):
    kind, noun, plural = "project", "project", "projects"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Reference", 10, least=9, sort="reference", key=text_key(lambda k: k.row.project.reference)),
        Column("Project", 19, grow=1, sort="name", key=text_key(lambda k: k.row.project.name)),
        Column("Lead", 12, fit=True, sort="lead", key=text_key(lambda k: k.row.project.lead), drop=1),
        Column("Stage", 8, fit=True, sort="stage", drop=2,
               key=lambda k: (STAGES.index(k.row.project.stage) if k.row.project.stage in STAGES
                              else len(STAGES), k.row.project.stage.lower())),
        Column("RAG", 13, keep=True, sort="rag", key=rag_key(lambda k: k.row.project.rolled_rag),
               short=fmt.short_rag),
        Column("DCA", 4, keep=True, sort="dca", drop=1, short=fmt.without_trend,
               key=lambda k: -DCAS.index(k.row.project.dca) if k.row.project.dca in DCAS else None),
        Column("Next milestone", 14, grow=1, least=8, sort="next", drop=3,
               key=text_key(lambda k: k.row.next_milestone)),
        Column("Due", 11, sort="due", key=lambda k: k.row.next_due, drop=3),
        Column("Risks", 5, justify="right", sort="risks", high_first=True, key=lambda k: k.row.open_risks),
        Column("Net saved FY", 12, justify="right", sort="savings", high_first=True, keep=True,
               key=lambda k: k.row.savings_net, short=fmt.without_year),
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
        return (p.reference, fmt.one_line(p.name, 60), p.lead, fmt.inferred(p, "stage", p.stage),
                fmt.rag_with_trend(p, row.was), fmt.dca_with_trend(p, row.was),
                fmt.one_line(row.next_milestone or "", 40), fmt.date(row.next_due), str(row.open_risks),
                fmt.net_for_year(row.savings_net, row.financial_year) if row.financial_year else "")

    def also(self, keyed) -> str:
        return _isos(keyed.row.next_due)

    def quick_filters(self) -> dict[str, tuple[str, Callable[[Any], bool]]]:
        def overdue(keyed) -> bool:
            # Its next milestone (the first not yet done) was due before the status date.
            due, status_date = keyed.row.next_due, self.status_date
            return bool(due and status_date and due[:4].isdigit() and due < status_date)

        return {"red": ("Red", lambda k: k.row.project.rolled_rag == "Red"),
                "amber": ("Amber", lambda k: k.row.project.rolled_rag == "Amber"),
                "overdue": ("Overdue", overdue)}


class _Keyed:
    """A summary row carrying the id of the record it summarises."""

    __slots__ = ("id", "row")

    def __init__(self, id: int, row) -> None:
        self.id, self.row = id, row


class MilestonePanel(Panel):
    kind, noun, plural = "milestone", "milestone", "milestones"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Milestone", 24, grow=1, sort="name", key=text_key(lambda m: m.name)),
        Column("Due (printed)", 13, least=8, sort="due_text", key=lambda m: m.baseline, drop=1),
        Column("Baseline", 12, sort="baseline", key=lambda m: m.baseline),
        Column("Forecast", 11, sort="forecast", key=lambda m: m.forecast),
        Column("Actual", 11, sort="actual", key=lambda m: m.actual),
        Column("Slippage", 9, sort="slippage", high_first=True, key=lambda m: m.slippage_days),
        Column("Status", 12, keep=True, sort="status", key=rag_key(lambda m: m.status)),
        Column("Overdue", 7, sort="overdue", high_first=True, key=lambda m: m.overdue),
    ]

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.milestones(**owner)

    def cells(self, m) -> tuple:
        return (fmt.one_line(m.name, 70), fmt.one_line(m.due_text, 30),
                fmt.inferred(m, "baseline", fmt.date(m.baseline)),
                fmt.inferred(m, "forecast", fmt.date(m.forecast)),
                fmt.inferred(m, "actual", fmt.date(m.actual)),
                fmt.slippage(m.slippage_days),
                _marked(fmt.inferred(m, "status", fmt.rag(m.status)), bool(self.warnings(m))),
                Text("overdue", style="bold") if m.overdue else "")

    def also(self, m) -> str:
        return _isos(m.baseline, m.forecast, m.actual)

    def quick_filters(self) -> dict[str, tuple[str, Callable[[Any], bool]]]:
        return {"red": ("Red", lambda m: m.status == "Red"),
                "amber": ("Amber", lambda m: m.status == "Amber"),
                "overdue": ("Overdue", lambda m: m.overdue)}

    def warnings(self, m) -> list[str]:
        from store.warnings import milestone_warnings

        status_date = self.status_date
        return milestone_warnings(m, status_date) if status_date else []


class RiskPanel(Panel):
    kind, noun, plural = "risk", "risk", "risks"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Ref", 5, sort="reference", key=text_key(lambda k: k.reference)),
        Column("Risk", 24, grow=1, sort="description", key=text_key(lambda k: k.description)),
        Column("Owner", 9, fit=True, sort="owner", key=text_key(lambda k: k.owner)),
        Column("L x I = score", 17, sort="score", high_first=True, key=lambda k: k.score),
        Column("Residual", 17, sort="residual", high_first=True, key=lambda k: k.residual_score),
        Column("Status", 6, keep=True, sort="status", key=lambda k: (k.status != "Open", k.status)),
    ]
    SORT = ("score", True)  # the worst first; unscored last
    HEATMAP_FROM = 100  # narrower than this, the heat map gives its room to the list (t shows it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_heatmap", "Residual", id="risks.toggle_heatmap")]

    def compose(self):
        yield self.make_caption()
        with Horizontal(id="risk-row"):
            yield self.make_list()
            yield HeatMap(id="heatmap")
        yield self.make_notice()

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.risks(**owner), store.portfolio_of(**owner)

    def show(self, data) -> None:
        risks, portfolio = data
        self.table.show(risks)
        self.query_one(HeatMap).show(risks, portfolio.green_max, portfolio.red_min)

    def records_changed(self) -> None:
        super().records_changed()
        portfolio = getattr(self.screen, "portfolio", None)
        if portfolio is not None:
            self.query_one(HeatMap).show(self.table.records, portfolio.green_max, portfolio.red_min)

    def on_resize(self, event) -> None:
        # Narrow, the list keeps every column in view, its status too; the heat map waits for t.
        self.query_one(HeatMap).display = event.size.width >= self.HEATMAP_FROM

    def action_toggle_heatmap(self) -> None:
        heatmap = self.query_one(HeatMap)
        if not heatmap.display:
            heatmap.display = True  # shown on demand at a narrow width; t then toggles as usual
            return
        heatmap.toggle()

    def cells(self, k) -> tuple:
        status = Text(k.status, style="dim") if k.status == "Closed" else Text(k.status)
        return (k.reference, fmt.one_line(k.description, 80), k.owner,
                fmt.score(k.likelihood, k.impact, k.score, k.rag, k.rating_text),
                fmt.score(k.residual_likelihood, k.residual_impact, k.residual_score, k.residual_rag),
                _marked(fmt.inferred(k, "status", status), bool(self.warnings(k))))

    def quick_filters(self) -> dict[str, tuple[str, Callable[[Any], bool]]]:
        return {"red": ("Red", lambda k: k.rag == "Red"),
                "amber": ("Amber", lambda k: k.rag == "Amber"),
                "high_risks": ("High risks (open, Red)", lambda k: k.rag == "Red" and k.status == "Open")}

    def warnings(self, k) -> list[str]:
        from store.warnings import risk_warnings

        return risk_warnings(k)


class SavingPanel(Panel):
    kind, noun, plural = "saving", "saving", "savings"
    COLUMNS: ClassVar[list[Column]] = [
        Column("Year", 8, sort="year", key=lambda s: s.year),  # room for ≈ and a space after
        Column("Kind", 14, fit=True, sort="kind", key=text_key(lambda s: s.kind)),
        Column("Band", 19, keep=True, sort="band", key=text_key(lambda s: s.band)),
        Column("Amount", 12, justify="right", sort="amount", high_first=True, key=lambda s: s.amount),
        Column("As printed", 16, least=8, sort="as_printed", key=text_key(lambda s: s.amount_text)),
        Column("Notes", 34, grow=1, sort="notes", key=text_key(lambda s: s.notes)),
    ]

    def compose(self):
        yield from super().compose()
        yield Static(id="saving-totals")

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.savings(**owner), store.savings_by_year(**owner), store.portfolio_of(**owner)

    def show(self, data) -> None:
        savings, years, portfolio = data
        super().show(savings)
        self.query_one("#saving-totals", Static).update(self._totals(years, portfolio))

    def records_changed(self) -> None:
        super().records_changed()
        app = self.app
        try:
            years = app.locked(app.store.savings_by_year, **self.owner)
            portfolio = app.locked(app.store.portfolio_of, **self.owner)
        except Exception:  # noqa: BLE001 - an unreadable file: the totals stay as they were
            return
        self.query_one("#saving-totals", Static).update(self._totals(years, portfolio))

    def _totals(self, years: list, portfolio) -> Text | RichTable:
        """Gross, cost and net by financial year, as the store adds them up (home shows the same net)."""
        if not years:
            return Text("No savings recorded. Press n to add one.", style="dim")
        current = savings_year(portfolio)
        whose = ("this programme's own and its projects'" if "programme_id" in self.owner
                 else "this project's")
        grid = RichTable(title=f"Savings by financial year, {whose} (net = gross - cost)",
                         title_justify="left", box=None, padding=(0, 1), show_edge=False,
                         header_style="bold")
        grid.add_column("Year")
        grid.add_column("Gross", justify="right")
        grid.add_column("Cost", justify="right")
        grid.add_column("Net", justify="right")
        grid.add_column("")
        for year in years:
            now = year.year == current
            grid.add_row(safe.literal(year.year), fmt.money(year.gross), fmt.money(year.cost),
                         fmt.money(year.net), "◀ the year reported, as home shows" if now else "",
                         style="bold" if now else "")
        grid.add_row("All years", *(fmt.money(sum(getattr(y, part) for y in years))
                                    for part in ("gross", "cost", "net")), "", style="dim")
        return grid

    def cells(self, s) -> tuple:
        return (fmt.inferred(s, "year", s.year), s.kind, fmt.inferred(s, "band", fmt.band(s.band)),
                fmt.inferred(s, "amount", fmt.money(s.amount)), fmt.one_line(s.amount_text, 30),
                fmt.one_line(s.notes, 60))

    def quick_filters(self) -> dict[str, tuple[str, Callable[[Any], bool]]]:
        return {"red": ("Red", lambda s: s.band == "Red"), "amber": ("Amber", lambda s: s.band == "Amber")}


class HistoryPanel(Panel):
    kind, noun, plural = "history", "change", "changes"
    EMPTY = "No changes recorded yet: each edit made in ragboard is listed here."
    COLUMNS: ClassVar[list[Column]] = [
        Column("When (UTC)", 16, sort="when", key=lambda c: c.id),
        Column("Who", 8, fit=True, sort="who", key=text_key(lambda c: c.who)),
        Column("Item", 22, grow=1, least=10, sort="item",
               key=text_key(lambda c: f"{c.item_kind} {c.item_label}")),
        Column("Field", 10, fit=True, sort="field",
               key=text_key(lambda c: field_label(c.item_kind, c.field))),
        Column("Old -> new", 32, grow=2),
        Column("Reason", 16, least=8, sort="reason", key=text_key(lambda c: c.reason)),
    ]
    SORT = ("when", True)  # newest first, as the store gives them

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
            change = Text(f"{fmt.change_value(c.old, c.field)} -> {fmt.change_value(c.new, c.field)}")
        return (when, c.who, f"{c.item_kind} {fmt.one_line(c.item_label, 40)}",
                field_label(c.item_kind, c.field), change, fmt.one_line(c.reason, 60))

    def also(self, c) -> str:
        return " ".join(str(v) for v in (c.field, c.old, c.new) if v is not None)
