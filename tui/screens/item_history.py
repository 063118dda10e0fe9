"""Every change to one item, newest first (from the palette's "History of the selection")."""
from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui import safe
from tui.app_typing import OfRagboard
from tui.screens.base import KeepsStyles
from tui.widgets.panels import HistoryPanel


class _ItemHistory(HistoryPanel):
    @classmethod
    def fetch(cls, store, owner: dict):
        return store.history(item=(owner["kind"], owner["id"]))


class ItemHistoryScreen(OfRagboard, KeepsStyles, ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close", id="item_history.close")]

    def __init__(self, kind: str, item_id: int, label: str) -> None:
        super().__init__()
        self.kind, self.item_id, self.label = kind, item_id, label

    def compose(self):
        with Vertical(id="dialog", classes="history"):
            yield Label(safe.literal(f"History of {self.kind} {self.label}"), id="dialog-title")
            yield _ItemHistory({"kind": self.kind, "id": self.item_id})
            yield Static(
                "Enter undoes the selected change (after asking). Escape closes.", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        panel = self.query_one(_ItemHistory)
        _, changes = self.app.attempt(panel.fetch, self.app.store, panel.owner)
        panel.show(changes or [])
        panel.table.focus()

    def on_virtual_list_selected(self, event) -> None:
        """Enter on a change: undo it (anyone's), after a confirmation."""
        change = self.query_one(_ItemHistory).selected
        if change is not None:
            self.app.offer_undo(change)

    def reload(self) -> None:
        panel = self.query_one(_ItemHistory)
        ok, changes = self.app.attempt(panel.fetch, self.app.store, panel.owner)
        if ok:
            panel.show(changes or [])

    def action_close(self) -> None:
        self.dismiss()
