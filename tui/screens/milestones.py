"""All milestones: every milestone of every portfolio in one list, to find one wherever it sits.

The list is virtualised and paged from store.search_milestones; '/' narrows it in SQL as you
type. Enter opens the milestone's project (or programme) with the milestone selected; r, a, g
and c set its status here, with the same optional reason as on the project screen.
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui import fmt
from tui.screens.base import RagScreen, status_bindings
from tui.widgets.virtual_list import Column, VirtualList

COLUMNS = [
    Column("Milestone", 33, lambda r, p: fmt.one_line(r[0].name, 70), grow=3),
    Column("Project or programme", 28, lambda r, p: fmt.one_line(r[1], 60), grow=2),
    Column("Due (printed)", 13, lambda r, p: fmt.one_line(r[0].due_text, 30)),
    Column("Date", 11, lambda r, p: fmt.date(r[0].due)),
    Column("Status", 13, lambda r, p: fmt.rag(r[0].status)),
    Column("", 7, lambda r, p: Text("overdue", style="bold") if r[0].overdue else ""),
]


class MilestonesScreen(RagScreen):
    crumb = "Programmes > All milestones"
    BINDINGS = status_bindings("milestones", "the selected milestone",
                               "Mark the selected milestone Complete, with an optional reason")

    def compose(self):
        yield from self.compose_top()
        yield VirtualList(COLUMNS, self._fetch, self._count, page_size=50, id="all-milestones",
                          empty_text="No milestone matches the filter.", on_count=self._counted)
        yield Static("Status: R Red  A Amber  G Green  C Complete  - Not rated. "
                     "Overdue: due before the status date, not complete.", id="legend")
        yield from self.compose_bottom()

    def _fetch(self, offset: int, limit: int, text: str):
        return self.app.locked(self.app.store.search_milestones, text, limit, offset)

    def _count(self, text: str) -> int:
        return self.app.locked(self.app.store.milestone_count, text)

    def on_mount(self) -> None:
        super().on_mount()
        vlist = self.list_widget()
        try:
            vlist.reload(at_once=True)
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so, keep the screen
            self.notify(f"Cannot read the file: {exc}", severity="error")
        vlist.focus()

    def _counted(self, total: int, text: str) -> None:
        if text:
            self.refresh_top(f"{self.crumb}: {total:,} hold '{text}'")
        else:
            self.refresh_top(f"{self.crumb}: {total:,}")

    def list_widget(self) -> VirtualList:
        return self.query_one("#all-milestones", VirtualList)

    def reload(self) -> None:
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
        milestone, _ = row

        def saved(saved) -> None:
            self.list_widget().replace_row(lambda r: r[0].id == saved.id, lambda old: (saved, old[1]))
            self.notify(f"{fmt.one_line(saved.name, 50)}: {saved.status}.", title="Saved")

        self.set_with_reason(f"Set '{fmt.one_line(milestone.name, 50)}' to {status}",
                             self.app.store.set_milestone_status, milestone, status,
                             {"status": milestone.status}, saved)
