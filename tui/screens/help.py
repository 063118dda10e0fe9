"""Help: every key of the screen underneath, from its bindings (so a remapped key shows as it is)."""
from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from tui import fmt, safe
from tui.app_typing import OfRagboard
from tui.screens.base import KeepsStyles

MOVES = [
    ("up / k, down / j", "Move the selection"),
    ("PgUp / PgDn, Home / End", "Move a page, or to the first or last row"),
    ("enter", "Open the selected programme or project; on a milestone, risk or saving, edit it"),
    ("ctrl+p", "Command palette: jump to a programme or project, status dates, theme, history"),
]


class HelpScreen(OfRagboard, KeepsStyles, ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self):
        with Vertical(id="dialog", classes="help"):
            yield Label(
                safe.literal(f"Keys: {getattr(self.under, 'crumb', '') or 'this screen'}"), id="dialog-title"
            )
            with VerticalScroll(id="help-body"):
                yield Static(self._table(), id="help-keys")
                yield Static(
                    f"RAG: R Red, A Amber, G Green, C Complete, - Not rated. {fmt.LEGEND}.",
                    classes="dialog-hint",
                )
            yield Static("Escape closes.", classes="dialog-hint")

    def _table(self) -> Table:
        table = Table(box=None, show_header=True, header_style="bold", padding=(0, 2))
        table.add_column("Key")
        table.add_column("Does")
        seen: set[tuple[str, str]] = set()
        self.rows: list[tuple[str, str]] = list(MOVES)
        ours = [
            a.binding
            for a in self.under.active_bindings.values()
            if a.binding.id and not a.binding.id.startswith(("list.", "records."))
        ]
        ours.sort(key=lambda b: (b.id or "").startswith("app."))  # this screen's keys first, then the app's
        for binding in ours:
            if not binding.description:
                continue
            display = binding.key_display or self.app.get_key_display(binding)
            entry = (display, binding.description)
            if entry in seen:
                continue
            seen.add(entry)
            self.rows.append((display, binding.tooltip or binding.description))
        for key, does in self.rows:
            table.add_row(safe.literal(key), safe.literal(does))
        return table

    def action_close(self) -> None:
        self.dismiss()
