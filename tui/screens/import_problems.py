"""Why a spreadsheet was not imported: every problem, one line each, as `ragboard import` says them."""
from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui import safe
from tui.screens.base import KeepsStyles


class ImportProblemsScreen(KeepsStyles, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "Close", id="import_problems.close"),
    ]

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__()
        self.source = source
        self.problems = problems

    def compose(self):
        count = len(self.problems)
        with Vertical(id="dialog", classes="problems"):
            yield Label(safe.literal(f"{self.source}: {count} problem{'s' if count != 1 else ''}; "
                                     "nothing was imported"), id="dialog-title")
            with VerticalScroll(id="import-problems"):
                lines = safe.literal("\n".join(self.problems), multiline=True)
                yield Static(lines, id="import-problem-lines")
            yield Static("Mend them in the spreadsheet and import it again (a dry run from the command line: "
                         "ragboard import --dry-run).", classes="dialog-hint")
            with Horizontal(id="dialog-buttons"):
                yield Button("Close (esc)", id="close")

    def on_mount(self) -> None:
        self.query_one("#import-problems", VerticalScroll).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
