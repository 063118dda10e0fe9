"""A list of records held in memory (a project's milestones, say), drawn like the paged lists.

The records of one programme or project are few and already fetched, so the '/' filter runs
here, on every keystroke, with no pause. Drawing is the virtual list's: only the rows in view
are drawn, and an edit redraws its own row alone.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from tui.widgets.virtual_list import Column, VirtualList

ALL = 1 << 30  # one page holds every record


class RecordList(VirtualList):
    """Records with an id each; cells(record) gives a row, match(record, needle) the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=False, id="records.open")
    ]

    def __init__(
        self,
        columns: list[Column],
        cells: Callable[[Any], tuple],
        match: Callable[[Any, str], bool],
        *,
        empty_text: str,
        filtered_text: str,
        id: str | None = None,
    ) -> None:
        super().__init__(columns, self._slice, self._shown_count, page_size=ALL, empty_text=empty_text, id=id)
        self.records: list = []
        self._shown: list = []  # the records that pass the filter, in order
        self._cells_of = cells
        self._match = match
        self._empty = (empty_text, filtered_text)

    def _slice(self, offset: int, limit: int, text: str) -> list:
        return self._shown  # the one page (the same list, so an edit to a shown record is seen in it)

    def _shown_count(self, text: str) -> int:
        return len(self._shown)

    def row_cells(self, row, previous) -> tuple:
        return self._cells_of(row)

    # -- records ------------------------------------------------------------------------------

    def show(self, records: list) -> None:
        """Show records, keeping the cursor on the same record where it still exists."""
        keep = self.selected
        self.records = list(records)
        self._refilter()
        if keep is not None:
            self.select_key(keep.id)

    def clear(self) -> None:
        self.records = []
        self._refilter()

    def _refilter(self) -> None:
        needle = self.filter_text.lower()
        self._shown = [r for r in self.records if self._match(r, needle)] if needle else list(self.records)
        self.empty_text = self._empty[1 if needle else 0]
        self.reload(at_once=True)

    def set_filter(self, text: str) -> None:
        text = text.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._refilter()

    def select_key(self, key) -> None:
        """Move the cursor to the record with this id, if it is shown."""
        for index, record in enumerate(self._shown):
            if str(record.id) == str(key):
                self.cursor = index
                return

    def update_record(self, record) -> None:
        """Replace one record and draw its row again, alone."""
        self.records = [record if r.id == record.id else r for r in self.records]
        for index, shown in enumerate(self._shown):
            if shown.id == record.id:
                self._shown[index] = record
                self._forget_drawn(index)
                self.refresh_line(index + 1)
                if index == self.cursor:
                    self._post_highlight()
                return

    def add_record(self, record) -> None:
        self.records.append(record)
        self._refilter()
        self.select_key(record.id)

    def remove_record(self, record_id: int) -> None:
        row = self.cursor
        self.records = [r for r in self.records if r.id != record_id]
        self._refilter()
        if self.row_count:
            self.cursor = min(row, self.row_count - 1)
