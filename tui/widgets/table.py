"""A DataTable that honours the ragboard key map (j/k as well as the arrows) and can filter."""
from __future__ import annotations

from typing import Any, Callable

from textual.binding import Binding
from textual.widgets import DataTable


class Table(DataTable):
    """Rows of records, one per key; keeps every record so a filter can narrow and restore."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.records: list = []
        self.filter_text = ""
        self._cells: Callable[[Any], tuple] = lambda record: ()
        self._match: Callable[[Any, str], bool] = lambda record, text: True
        self._flex: str | None = None
        self._flex_min = 10

    # -- focus redraws nothing ------------------------------------------------------------------
    # A DataTable drops every rendered row when its focus changes (its styles are applied again and
    # its row caches are keyed on :focus), so giving the keys to the reason line or the '/' line and
    # back redrew the whole list. ragboard's tables look the same focused or not (app.tcss), so the
    # caches are kept unless the styles really changed (a theme change, say).

    def get_pseudo_class_state(self):
        return super().get_pseudo_class_state()._replace(focus=False)

    def notify_style_update(self) -> None:
        rules = dict(self.styles.base._rules)
        if rules == getattr(self, "_applied_rules", None):
            super(DataTable, self).notify_style_update()  # the widget's own bookkeeping, caches kept
            return
        self._applied_rules = rules
        super().notify_style_update()

    def configure(self, columns: list[tuple[str, str, int | None]], cells: Callable[[Any], tuple],
                  match: Callable[[Any, str], bool], flex: str | None = None) -> None:
        """columns: (key, title, width). The flex column takes whatever width the others leave."""
        self._cells = cells
        self._match = match
        self._flex = flex
        for key, title, width in columns:
            self.add_column(title, key=key, width=width)
            if key == flex:
                self._flex_min = width or 10

    def on_resize(self) -> None:
        self._fit_flex()

    def _fit_flex(self) -> None:
        """Give the spare width to the flex column (names and descriptions read better whole)."""
        if not self._flex:
            return
        column = self.columns.get(self._flex)
        if column is None:
            return
        others = sum(c.get_render_width(self) for c in self.columns.values() if c is not column)
        spare = self.size.width - 2 - others - 2 * self.cell_padding
        width = max(self._flex_min, spare)
        if width != column.width:
            column.width = width
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()

    def show(self, records: list) -> None:
        """Show records, keeping the cursor on the same record where it still exists."""
        keep = self.selected_key
        self.records = list(records)
        self._fill(keep)

    def _fill(self, keep: str | None = None) -> None:
        self.clear()
        needle = self.filter_text.lower()
        for record in self.records:
            if needle and not self._match(record, needle):
                continue
            self.add_row(*self._cells(record), key=str(record.id))
        if keep is not None:
            self.select_key(keep)

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self._fill()
        if self.row_count:
            self.move_cursor(row=0)

    @property
    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        except Exception:
            return None

    @property
    def selected(self):
        key = self.selected_key
        if key is None:
            return None
        for record in self.records:
            if str(record.id) == key:
                return record
        return None

    def select_key(self, key: str) -> None:
        try:
            self.move_cursor(row=self.get_row_index(key))
        except Exception:
            pass

    def update_record(self, record) -> None:
        """Replace one record and redraw its row in place."""
        self.records = [record if r.id == record.id else r for r in self.records]
        key = str(record.id)
        if key not in self.rows:
            return
        self._replace_row(self.rows[key].key, self._cells(record))

    def _replace_row(self, row_key, values: tuple) -> None:
        """New cells for one row, and only that row drawn again.

        DataTable.update_cell counts every change as a change to the whole table (each visible row
        is rendered again, ~50 ms on a full screen); here only the row's own cached renders go."""
        data = self._data[row_key]
        for column_key, value in zip(self.columns, values):
            data[column_key] = value
        index = self._row_locations.get(row_key)
        for cache in (self._row_render_cache, self._cell_render_cache):
            for cache_key in [k for k in cache.keys() if k[0] == row_key]:
                cache.discard(cache_key)
        for cache_key in [k for k in self._row_renderable_cache.keys() if k[1] == index]:
            self._row_renderable_cache.discard(cache_key)
        for cache_key in list(self._line_cache.keys()):
            try:
                if self._get_offsets(cache_key[0])[0] == row_key:
                    self._line_cache.discard(cache_key)
            except LookupError:
                pass
        if index is not None:
            self.refresh_row(index)

    def add_record(self, record) -> None:
        self.records.append(record)
        self._fill(str(record.id))

    def remove_record(self, record_id: int) -> None:
        row = self.cursor_row
        self.records = [r for r in self.records if r.id != record_id]
        self._fill()
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))
