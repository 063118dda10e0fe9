"""A project: its details and source, and tabs for milestones, risks, savings and history."""
from __future__ import annotations

from rich.text import Text

from tui import fmt
from tui.safe import plain
from tui.screens.owner import ITEM_TABS, OwnerScreen, tab_bindings


class ProjectScreen(OwnerScreen):
    owner_kind = "project"
    crumb = "Project"
    TABS = ITEM_TABS
    BINDINGS = tab_bindings(TABS)

    def __init__(self, owner_id: int, select: tuple[str, int] | None = None) -> None:
        super().__init__(owner_id, select)
        self.programme = None

    def fetch_record(self, store):
        project = store.project(self.owner_id)
        self.programme = store.programme(project.programme_id)
        return project

    def crumb_for(self, project) -> str:
        programme = self.programme
        where = f"{programme.code} {fmt.one_line(programme.name, 30)} > " if programme else ""
        return f"Programmes > {where}{project.reference + ' ' if project.reference else ''}{project.name}"

    def header(self, p, portfolio) -> Text:
        text = Text()
        text.append(plain(p.name), style="bold")
        if p.reference:
            text.append(f"   Ref {plain(p.reference)}")
        self.append_rag(text, p, portfolio)
        sro = self.programme.sro if self.programme else ""
        text.append(f"\nLead: {plain(p.lead) or 'not recorded'}   SRO: {plain(sro) or 'not recorded'}   "
                    "Stage: ")
        text.append_text(fmt.inferred(p, "stage", plain(p.stage)))
        self.append_status_date(text, portfolio)
        self.append_roles(text, p)
        self.append_source(text, p, 230, "entered in ragboard (no source document)")
        return text
