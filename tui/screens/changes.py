"""What changed since the last closed period: every RAG, DCA, status, date and score changed in a
portfolio (or one programme or project), with who changed it and why (w on home, a programme or a
project). Enter shows a change in full; u there undoes it.
"""
from __future__ import annotations

from typing import ClassVar

from store.text import day
from tui.screens.item_history import ItemHistoryScreen
from tui.widgets.panels import HistoryPanel
from tui.widgets.virtual_list import Column


class _SincePeriod(HistoryPanel):
    """The reported changes since the period closed: the item, the field, old and new, and why."""

    COLUMNS: ClassVar[list[Column]] = [
        Column("When (UTC)", 16), Column("Who", 8, fit=True), Column("Item", 22, grow=1, least=10),
        Column("Field", 10, fit=True), Column("Old -> new", 24, grow=1), Column("Reason", 24, grow=1),
    ]

    @classmethod
    def fetch(cls, store, owner: dict):
        return store.changes_since(owner["portfolio_id"], programme_id=owner.get("programme_id"),
                                   project_id=owner.get("project_id"))


class ChangesSinceScreen(ItemHistoryScreen):
    PANEL = _SincePeriod

    def __init__(self, portfolio_id: int, what: str, *, programme_id: int | None = None,
                 project_id: int | None = None) -> None:
        super().__init__("portfolio", portfolio_id, what)
        self.scope = {"portfolio_id": portfolio_id, "programme_id": programme_id, "project_id": project_id}
        self.since = ""

    def owner(self) -> dict:
        return self.scope

    def title_text(self) -> str:
        ok, period = self.app.attempt(self.app.store.last_period, self.scope["portfolio_id"])
        since = (f"since the period to {day(period.ends)} closed" if ok and period
                 else "so far (no period of its portfolio has been closed yet)")
        return f"What changed in {self.label} {since}"
