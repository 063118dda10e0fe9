"""All milestones: every milestone of every portfolio in one list, to find one wherever it sits.

The list is virtualised and paged from store.search_milestones; '/' narrows it in SQL as you
type (to the milestones holding the text in any column shown), and the store sorts it (s, or a
click on a heading) and applies the quick filters (f: Red, Amber, overdue).
Enter opens the milestone's project (or programme) with the milestone selected; r, a, g
and c set its status here, with the same optional reason as on the project screen.
"""
from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from tui import fmt, safe
from tui.screens.base import RagScreen, status_bindings
from tui.widgets.virtual_list import Column, ListQuery, VirtualList

# Each sortable column names its sort as the store knows it (store MILESTONE_SORTS).
COLUMNS = [
    Column("Milestone", 33, lambda r, p: fmt.one_line(r[0].name, 70), grow=3, sort="name"),
    Column("Project or programme", 28, lambda r, p: fmt.one_line(r[1], 60), grow=2, sort="owner"),
    Column("Due (printed)", 13, lambda r, p: fmt.one_line(r[0].due_text, 30), least=8, drop=1),
    # The date it happened, else the date now expected: actual, forecast, baseline.
    Column("Expected", 11, lambda r, p: fmt.date(r[0].expected), sort="date"),
    Column("Status", 13, lambda r, p: _status(r), keep=True, sort="status"),
    Column("Overdue", 7, lambda r, p: Text("overdue", style="bold") if r[0].overdue else "", sort="overdue",
           high_first=True),
]
QUICK = [("red", "Red"), ("amber", "Amber"), ("overdue", "Overdue")]


def _status(row) -> Text:
    """The status, with the warning mark when the milestone has a warning (the notice says which)."""
    cell = fmt.rag(row[0].status)
    if row[2]:
        cell.append(" ⚠", style="bold")
    return cell


class MilestonesScreen(RagScreen):
    crumb = "Programmes > All milestones"
    BINDINGS = status_bindings("milestones", "the selected milestone",
                               "Mark the selected milestone Complete: asks for the date it was done "
                               "and an optional reason")

    def compose(self):
        yield from self.compose_top()
        chosen = self.app.settings.lists.get("milestones")  # the user's own sort and quick filter
        milestones = VirtualList(COLUMNS, self._fetch, self._count, page_size=50, id="all-milestones",
                                 empty_text="No milestone matches the filter.", on_count=self._counted,
                                 slow_count=True,
                                 quick=QUICK, key_of=lambda row: row[0].id,
                                 sort=chosen.sort if chosen else None,
                                 descending=chosen.descending if chosen else False)
        milestones.only = chosen.only if chosen else None
        yield milestones
        notice = Static(id="milestone-notice")  # the warnings of the milestone under the cursor
        notice.display = False
        notice.styles.padding = (0, 1)  # here, not in CSS: new CSS would restyle every kept screen
        yield notice
        yield Static("Status: R Red  A Amber  G Green  C Complete  - Not rated. Expected: the actual date, "
                     "else the forecast, else the baseline. Overdue: expected before the status date and "
                     "not yet done.", id="legend")
        yield from self.compose_bottom()

    def _fetch(self, offset: int, limit: int, query: ListQuery):
        """A page of (milestone, where it sits, its warnings) (called in a worker)."""
        store = self.app.store
        with self.app.store_lock:
            rows = store.search_milestones(query.text, limit, offset, sort=query.sort,
                                           descending=query.descending, only=query.only)
            return [(m, owner, self._warnings(m)) for m, owner in rows]

    def _warnings(self, milestone) -> list[str]:
        """A milestone's warnings, as at its own portfolio's status date."""
        from store.warnings import milestone_warnings

        return milestone_warnings(milestone, self._status_date(milestone))

    def _status_date(self, milestone) -> str:
        """The status date of the milestone's portfolio (read once for each project or programme)."""
        key = ("project_id", milestone.project_id) if milestone.project_id is not None else (
            "programme_id", milestone.programme_id)
        status_date = self._status_dates.get(key)
        if status_date is None:
            portfolio = self.app.store.portfolio_of(**{key[0]: key[1]})
            status_date = self._status_dates[key] = portfolio.status_date
        return status_date

    def _count(self, query: ListQuery, stop: Callable[[], bool] | None = None) -> int:
        return self.app.locked(self.app.store.milestone_count, query.text, only=query.only, stop=stop)

    def __init__(self) -> None:
        super().__init__()
        self._status_dates: dict[tuple[str, int | None], str] = {}  # by owner: its portfolio's status date

    def on_mount(self) -> None:
        super().on_mount()
        vlist = self.list_widget()
        try:
            vlist.reload(at_once=True)
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so, keep the screen
            self.notify(f"Cannot read the file: {exc}", severity="error")
        vlist.focus()

    def _counted(self, vlist: VirtualList) -> None:
        summary = vlist.shown_summary()
        self.refresh_top(f"{self.crumb}: {summary or f'{vlist.total:,}'}")

    def list_widget(self) -> VirtualList:
        return self.query_one("#all-milestones", VirtualList)

    def reload(self) -> None:
        self._status_dates.clear()  # a status date may have changed
        self.list_widget().reload()

    def resumed(self) -> None:
        # A milestone may have changed on the project opened from here: fetch the rows in view again.
        self.stale = False
        self.reload()

    @property
    def selected(self):
        return self.list_widget().selected

    def selection_for_history(self):
        row = self.selected
        return ("milestone", row[0].id, fmt.one_line(row[0].name, 50)) if row else None

    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        notice = self.query_one("#milestone-notice", Static)
        warnings = event.row[2]
        notice.display = bool(warnings)
        if warnings:
            notice.update(safe.literal(f"⚠ {' '.join(warnings)}", style="bold"))

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        milestone = event.row[0]
        if milestone.project_id is not None:
            self.app.open_owner("project", milestone.project_id, select=("milestones", milestone.id))
        else:
            self.app.open_owner("programme", milestone.programme_id, select=("milestones", milestone.id))

    def action_set_status(self, status: str) -> None:
        row = self.selected_to_change("There is no milestone selected to set.", "set a milestone's status")
        if row is None:
            return
        milestone = row[0]

        def saved(saved) -> None:
            warnings = self.app.locked(self._warnings, saved)
            self.list_widget().replace_row(lambda r: r[0].id == saved.id,
                                           lambda old: (saved, old[1], warnings))
            message = f"{fmt.one_line(saved.name, 50)}: {saved.status}"
            if saved.status == "Complete" and saved.actual:
                message += f" on {fmt.date(saved.actual)}"
            if warnings:  # the save went through; what now looks wrong is said with it
                self.notify(f"{message}. ⚠ {' '.join(warnings)}", title="Saved, with a warning",
                            severity="warning")
            else:
                self.notify(f"{message}.", title="Saved")

        if status == "Complete":  # as on the project screen: asks for the date it was done
            from tui.screens.owner import ask_completion

            status_date = self.app.locked(self._status_date, milestone)
            ask_completion(self.app, milestone, status_date, saved)
            return
        self.set_with_reason(f"Set '{fmt.one_line(milestone.name, 50)}' to {status}",
                             self.app.store.set_milestone_status, milestone, status,
                             {"status": milestone.status}, saved)
