"""A programme: its projects, and its own milestones, risks and savings, and its history."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from tui.safe import plain
from tui.screens.owner import ITEM_TABS, OwnerScreen, tab_bindings
from tui.widgets.panels import Panel, ProjectsPanel


class ProgrammeScreen(OwnerScreen):
    owner_kind = "programme"
    crumb = "Programme"
    TABS: ClassVar[list[tuple[str, str, type[Panel]]]] = [("projects", "Projects", ProjectsPanel), *ITEM_TABS]
    BINDINGS = tab_bindings(TABS)

    def fetch_record(self, store):
        return store.programme(self.owner_id)

    def crumb_for(self, programme) -> str:
        return f"Programmes > {programme.code} {programme.name}"

    def header(self, p, portfolio) -> Text:
        text = Text()
        text.append(f"{plain(p.code)}  {plain(p.name)}", style="bold")
        self.append_rag(text, p, portfolio)
        organisation = f" ({plain(portfolio.organisation)})" if portfolio.organisation else ""
        text.append(f"\nSRO: {plain(p.sro) or 'not recorded'}   "
                    f"Portfolio: {plain(portfolio.name)}{organisation}")
        self.append_status_date(text, portfolio)
        self.append_roles(text, p)
        self.append_source(text, p, 150, "entered in ragboard")
        return text
