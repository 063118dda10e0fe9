"""A project: its details and source, and tabs for milestones, risks, savings and history."""
from __future__ import annotations

from rich.text import Text

from tui import fmt
from tui.screens.owner import OwnerScreen, tab_bindings
from tui.widgets.panels import HistoryPanel, MilestonePanel, RiskPanel, SavingPanel


class ProjectScreen(OwnerScreen):
    owner_kind = "project"
    crumb = "Project"
    TABS = [
        ("milestones", "Milestones", MilestonePanel),
        ("risks", "Risks", RiskPanel),
        ("savings", "Savings", SavingPanel),
        ("history", "History", HistoryPanel),
    ]
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
        text.append(p.name, style="bold")
        if p.reference:
            text.append(f"   Ref {p.reference}")
        text.append("   RAG ")
        text.append_text(fmt.rag(p.rolled_rag, derived=p.rag_is_derived))
        if p.rag_reason:
            text.append(f"  because: {fmt.one_line(p.rag_reason, 60)}")
        sro = self.programme.sro if self.programme else ""
        text.append(f"\nLead: {p.lead or 'not recorded'}   SRO: {sro or 'not recorded'}   Stage: {p.stage}"
                    f"   Status date: {fmt.date(portfolio.status_date)}")
        source = f"{p.source} line {p.source_line}" if p.source else "entered in ragboard (no source document)"
        text.append(f"\nSource: {source}", style="dim")
        if p.description:
            text.append(f"\n{fmt.one_line(p.description, 230)}", style="italic")
        return text

    def on_data_table_row_selected(self, event) -> None:
        if not isinstance(self.active_panel(), HistoryPanel):
            self.action_edit()
