"""The one-line reason asked for when a RAG is set: Enter saves, Escape cancels."""
from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class ReasonScreen(ModalScreen[str | None]):
    """Returns the reason (possibly blank) or None if cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, title: str, current: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.current = current

    def compose(self):
        with Vertical(id="dialog", classes="reason"):
            yield Label(self.title_text, id="dialog-title")
            yield Static("Why? (optional, one line). Enter saves, Escape cancels.", classes="dialog-hint")
            yield Input(self.current, placeholder="e.g. supplier delay confirmed at board", id="reason")

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.cursor_blink = self.app.cursor_blink
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
