"""A list of records held in memory (a project's milestones, say), drawn like the paged lists.

The records of one programme or project are few and already fetched, so the '/' filter, the
quick filters and the sort run here, on every keystroke, with no pause. '/' finds the text in
any cell as shown (and in what a row shows another way, such as a date's ISO form). Drawing is
the virtual list's: only the rows in view are drawn, and an edit redraws its own row alone.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from tui import safe
from tui.widgets.virtual_list import Column, ListQuery, VirtualList

ALL = 1 << 30  # one page holds every record


def shown_text(cells) -> str:
    """A row's cells as the text a user reads, lower case, one space between them."""
    return " ".join(" ".join((cell.plain if isinstance(cell, Text) else safe.plain(cell)).split())
                    for cell in cells).lower()


class RecordList(VirtualList):
    """Records with an id each; cells(record) gives a row. also(record): text the row shows in another
    form ('/' finds it too: a date's ISO form, say). quick: {name: (label, keeps(record))}."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=False, id="records.open")
    ]

    def __init__(
        self,
        columns: list[Column],
        cells: Callable[[Any], tuple],
        *,
        empty_text: str,
        filtered_text: str,
        also: Callable[[Any], str] | None = None,
        quick: Mapping[str, tuple[str, Callable[[Any], bool]]] | None = None,
        sort: str | None = None,
        descending: bool = False,
        on_count: Callable[[VirtualList], Any] | None = None,
        id: str | None = None,
    ) -> None:
        quick = dict(quick or {})
        super().__init__(columns, self._slice, self._shown_count, page_size=ALL, empty_text=empty_text,
                         quick=[(name, label) for name, (label, _) in quick.items()], sort=sort,
                         descending=descending, on_count=on_count, id=id)
        self.records: list = []
        self._shown: list = []  # the records that pass the filters, in the order shown
        self._cells_of = cells
        self._also = also
        self._keeps = {name: keeps for name, (_, keeps) in quick.items()}
        self._empty = (empty_text, filtered_text)

    def _slice(self, offset: int, limit: int, query: ListQuery) -> list:
        return self._shown  # the one page (the same list, so an edit to a shown record is seen in it)

    def _shown_count(self, query: ListQuery) -> int:
        return len(self._shown) if query.text or query.only else len(self.records)

    def row_cells(self, row, previous) -> tuple:
        return self._cells_of(row)

    def matches(self, record, needle: str) -> bool:
        """needle (lower case) is in the row as shown, or in what it shows another way."""
        if needle in shown_text(self._cells_of(record)):
            return True
        return self._also is not None and needle in self._also(record).lower()

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
        keeps = self._keeps.get(self.only or "")
        shown = [r for r in self.records
                 if (keeps is None or keeps(r)) and (not needle or self.matches(r, needle))]
        self._shown = self._sorted(shown)
        self.empty_text = self._empty[1 if needle or keeps else 0]
        self.reload(at_once=True)

    def _sorted(self, records: list) -> list:
        """In the sort's order, records without a value last whichever way; ties keep their order."""
        column = next((c for c in self.columns if c.sort and c.sort == self.sort), None)
        if column is None or column.key is None:
            return records
        key = column.key
        valued = [(key(r), r) for r in records]
        present = [pair for pair in valued if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=self.descending)
        return [r for _, r in present] + [r for value, r in valued if value is None]

    def set_filter(self, text: str) -> None:
        text = text.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._refilter()

    def requery(self) -> None:
        """Sorted or filtered again at once, the cursor kept on the same record if still shown."""
        keep = self.selected
        self.refresh()  # the heading's arrow
        self.cursor = 0
        self._refilter()
        if keep is not None:
            self.select_key(keep.id)
        if self.cursor == 0:
            self.scroll_to(y=0, animate=False, immediate=True)

    def select_key(self, key) -> None:
        """Move the cursor to the record with this id, if it is shown."""
        for index, record in enumerate(self._shown):
            if str(record.id) == str(key):
                self.cursor = index
                return

    def update_record(self, record) -> None:
        """Replace one record and draw its row again, alone (in its place: an edit does not move it)."""
        self.records = [record if r.id == record.id else r for r in self.records]
        for index, shown in enumerate(self._shown):
            if shown.id == record.id:
                self._shown[index] = record
                self._forget_drawn(index)
                self.refresh_line(index + 1)
                self.measure_again()
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
