"""Every change to one item, newest first (from the palette's "History of the selection").

Enter on a change shows it in full (tui/screens/change_detail.py), where u undoes it.
"""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from store import field_label
from store.text import shorten
from tui import fmt, safe
from tui.app_typing import OfRagboard
from tui.screens.base import KeepsStyles
from tui.widgets.panels import HistoryPanel
from tui.widgets.virtual_list import Column

REASON_WIDTH = 30  # the reason column: a reason is cut after a whole word, the rest read in the detail


class _ItemHistory(HistoryPanel):
    """One item's changes: no item column (it is the dialog's title), room for the reason."""

    COLUMNS: ClassVar[list[Column]] = [
        Column("When (UTC)", 16), Column("Who", 10), Column("Field", 12),
        Column("Old -> new", 28, grow=1), Column("Reason", REASON_WIDTH)
    ]

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.history(item=(owner["kind"], owner["id"]))

    def cells(self, c) -> tuple:
        when = c.at.replace("T", " ").removesuffix("Z")[:16]
        if c.op == "create":
            change = f"added {fmt.change_value(c.new)}"
        elif c.op == "delete":
            change = f"deleted {fmt.change_value(c.old)}"
        else:
            change = f"{fmt.change_value(c.old)} -> {fmt.change_value(c.new)}"
        reason = shorten(safe.plain(c.reason), REASON_WIDTH)
        return (when, c.who, field_label(c.item_kind, c.field), Text(change), reason)


class ItemHistoryScreen(OfRagboard, KeepsStyles, ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close", id="item_history.close")]
    PANEL: ClassVar[type[HistoryPanel]] = _ItemHistory  # the list of changes, and what it fetches

    def __init__(self, kind: str, item_id: int, label: str) -> None:
        super().__init__()
        self.kind, self.item_id, self.label = kind, item_id, label
        self.stale = False  # the file changed while a change's detail was on top: read again when shown

    def compose(self):
        with Vertical(id="dialog", classes="history"):
            yield Label(safe.literal(self.title_text()), id="dialog-title")
            yield self.PANEL(self.owner())
            yield Static("Enter shows the selected change in full (u there undoes it). Escape closes.",
                         classes="dialog-hint")

    def title_text(self) -> str:
        return f"History of {self.kind} {fmt.one_line(self.label, 80)}"

    def owner(self) -> dict:
        """What the panel's fetch is given."""
        return {"kind": self.kind, "id": self.item_id}

    def on_mount(self) -> None:
        panel = self.query_one(self.PANEL)
        _, changes = self.app.attempt(panel.fetch, self.app.store, panel.owner)
        panel.show(changes or [])
        panel.table.focus()

    def on_screen_resume(self, event) -> None:
        if self.stale:
            self.stale = False
            self.reload()

    def on_virtual_list_selected(self, event) -> None:
        """Enter on a change: show it whole."""
        change = self.query_one(self.PANEL).selected
        if change is not None:
            from tui.screens.change_detail import ChangeDetailScreen

            self.app.push_screen(ChangeDetailScreen(change))

    def reload(self) -> None:
        panel = self.query_one(self.PANEL)
        ok, changes = self.app.attempt(panel.fetch, self.app.store, panel.owner)
        if ok:
            panel.show(changes or [])

    def action_close(self) -> None:
        self.dismiss()
