"""A virtualised list: only the rows in view are rendered, and rows are fetched a page at a time.

It draws through the Line API (render_line), so its cost does not grow with the number of rows.
Pages come from a fetch(offset, limit, text) callable run in a thread worker; rows not yet
fetched show as a placeholder until their page arrives. The '/' filter is passed to fetch and
count(text) as text, so the store narrows the rows in SQL: typing is debounced, and the count
and first page of the narrowed list come from a worker.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui import compat, safe
from tui.app_typing import OfRagboard


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    cell: Callable[[Any, Any], str | Text] | None = None  # (row, previous row or None) -> cell
    justify: str = "left"
    grow: int = 0  # this column's share of the width the list has beyond the columns' own


class VirtualList(OfRagboard, compat.OwnFocusRedraw, ScrollView, can_focus=True):
    """Rows from fetch(offset, limit, text), count(text) of them, drawn one line each, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", id="list.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--header",
        "virtual-list--cursor",
        "virtual-list--cursor-focused",
        "virtual-list--placeholder",
    }
    DEFAULT_CSS = """
    VirtualList { height: 1fr; }
    VirtualList > .virtual-list--header { text-style: bold; background: $panel; }
    VirtualList > .virtual-list--cursor { background: $block-cursor-blurred-background; }
    VirtualList > .virtual-list--cursor-focused {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    VirtualList > .virtual-list--placeholder { color: $text-muted; }
    """

    cursor = reactive(
        0, always_update=True, init=False, repaint=False
    )  # watch_cursor redraws only what changed

    class Selected(Message):
        def __init__(self, vlist: VirtualList, row: Any) -> None:
            super().__init__()
            self.vlist = vlist
            self.row = row

        @property
        def control(self):
            return self.vlist

    class Highlighted(Selected):
        pass

    FILTER_DELAY = 0.04  # seconds of no typing before the store is asked for the narrowed list

    def __init__(
        self,
        columns: list[Column],
        fetch: Callable[[int, int, str], list],
        count: Callable[[str], int],
        *,
        page_size: int = 100,
        on_count: Callable[[int, str], Any] | None = None,
        empty_text: str = "Nothing to show.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = columns
        self._fetch = fetch
        self._count = count
        self._filter_timer: Timer | None = None
        self._styles: dict[str, Style] | None = None  # component styles, worked out once (_style)
        self._on_count = on_count  # told (total, filter text) in the same frame as the rows it counts
        self.page_size = page_size
        self.empty_text = empty_text
        self.total = 0
        self._pages: dict[int, list] = {}
        self._pending: set[int] = set()
        self._generation = 0  # bumps on reload so late pages from before it are dropped
        self.filter_text = ""
        self.loaded = False
        self._after_load: list[Callable[[], Any]] = []
        # Drawn rows, unstyled, by (row index, names its group): a scroll redraws every line in view,
        # and drawing a row's cells costs far more than styling a drawn one.
        self._drawn: dict[tuple[int, bool], list[Segment]] = {}
        # The same rows as finished lines, in the list's own style (not the cursor's), by (row index,
        # names its group, width): a scroll then draws the rows still in view for nothing.
        self._strips: dict[tuple[int, bool, int], Strip] = {}
        self._widths: dict[Column, int] = {}

    # -- data ---------------------------------------------------------------------------------

    def reload(self, *, at_once: bool = False) -> None:
        """Forget every fetched page and count again (another window may have changed the file).

        at_once fetches the count and the first page now (one page costs a few milliseconds),
        so the first screen shows rows without waiting for a worker; later pages come from one.
        """
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        self._forget_drawn()
        if at_once:
            text = self.filter_text
            first = self._fetch(0, self.page_size, text)
            total = len(first) if len(first) < self.page_size else self._count(text)
            self._count_loaded(self._generation, total, first)
        else:
            self._load_count(self._generation, self.filter_text)

    @work(thread=True, exclusive=True, group="virtual-list-count")
    def _load_count(self, generation: int, text: str) -> None:
        # The first page, then the count only when that page is full (a short page is the count):
        # one query per keystroke for a narrow filter, two for a wide one.
        first = self._fetch(0, self.page_size, text)
        if len(first) < self.page_size:
            self.app.call_from_thread(self._count_loaded, generation, len(first), first)
            return
        total = self._count(text)
        self.app.call_from_thread(self._count_loaded, generation, total, first)

    def _count_loaded(self, generation: int, total: int, first: list) -> None:
        if generation != self._generation:
            return
        self.total = total
        self._pages[0] = first
        self._forget_drawn()
        self.loaded = True
        if self._on_count is not None:
            self._on_count(total, self.filter_text)
        self._resize()
        self.cursor = min(self.cursor, max(0, self.row_count - 1))
        callbacks, self._after_load = self._after_load, []
        for callback in callbacks:
            callback()

    def _page_for(self, index: int) -> list | None:
        page = index // self.page_size
        rows = self._pages.get(page)
        if rows is None and page not in self._pending:
            self._pending.add(page)
            self._load_page(self._generation, page)
        return rows

    @work(thread=True, group="virtual-list-pages")
    def _load_page(self, generation: int, page: int) -> None:
        if generation != self._generation:
            return
        rows = self._fetch(page * self.page_size, self.page_size, self.filter_text)
        self.app.call_from_thread(self._page_loaded, generation, page, rows)

    def _page_loaded(self, generation: int, page: int, rows: list) -> None:
        if generation != self._generation:
            return
        self._pages[page] = rows
        self._pending.discard(page)
        # Rows drawn already never depend on a page still loading (see render_line): only a page
        # in view, whose placeholders it replaces, is a reason to draw again.
        top = round(self.scroll_offset.y)
        start = page * self.page_size
        if start <= top + self.scrollable_content_region.height and start + len(rows) >= top:
            self.refresh()
        if self.cursor // self.page_size == page:
            self._post_highlight()

    def row_at(self, index: int) -> Any | None:
        """The row shown at a position in the list (None if its page is still loading)."""
        if not 0 <= index < self.total:
            return None
        rows = self._page_for(index)
        if rows is None:
            return None
        offset = index - (index // self.page_size) * self.page_size
        return rows[offset] if offset < len(rows) else None

    def _previous(self, index: int) -> Any | None:
        if index <= 0:
            return None
        prev = index - 1
        rows = self._pages.get(prev // self.page_size)
        if rows is None:
            return None
        offset = prev % self.page_size
        return rows[offset] if offset < len(rows) else None

    @property
    def row_count(self) -> int:
        return self.total

    @property
    def selected(self) -> Any | None:
        return self.row_at(self.cursor) if self.row_count else None

    def replace_row(self, predicate: Callable[[Any], bool], make: Callable[[Any], Any]) -> bool:
        """Swap a fetched row in place (after an edit) without fetching again: make(old) -> new."""
        for rows in self._pages.values():
            for i, row in enumerate(rows):
                if predicate(row):
                    rows[i] = make(row)
                    self._forget_drawn()
                    self.refresh()
                    self._post_highlight()
                    return True
        return False

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        """Move the cursor to the first row already fetched that satisfies predicate."""
        for page in sorted(self._pages):
            for offset, row in enumerate(self._pages[page]):
                if predicate(row):
                    self.cursor = page * self.page_size + offset
                    return True
        return False

    def loaded_then(self, callback: Callable[[], Any]) -> None:
        """Run callback once the count and first page of the current load have arrived."""
        self._after_load.append(callback)

    # -- filter -------------------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Narrow the list to the rows the store finds for text (after a pause in the typing)."""
        text = text.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        delay = getattr(self.app, "filter_delay", self.FILTER_DELAY) if text else 0
        if delay:
            self._filter_timer = self.set_timer(delay, self._apply_filter)
        else:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self._filter_timer = None
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.reload()

    # -- drawing ------------------------------------------------------------------------------

    def _resize(self) -> None:
        width = sum(c.width + 1 for c in self.columns)
        self.virtual_size = Size(width, self.row_count + 1)
        self.refresh()

    def on_resize(self) -> None:
        """Share out the spare width among the growing columns, so names are not cut short."""
        spare = self.scrollable_content_region.width - sum(c.width + 1 for c in self.columns)
        shares = sum(c.grow for c in self.columns)
        widths = {}
        if spare > 0 and shares:
            for column in self.columns:
                if column.grow:
                    widths[column] = column.width + spare * column.grow // shares
        if widths != self._widths:
            self._widths = widths
            self._forget_drawn()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()  # finished lines hold the list's own style, which may have changed
        # Drawn rows hold only the cells' own colours: they are drawn again after a theme change, not
        # when focus moves to the reason or '/' line and back (that would redraw every row in view).
        css = compat.css_generation(self.app)
        if css != getattr(self, "_drawn_css", None):
            self._drawn_css = css
            self._forget_drawn()

    def _forget_drawn(self, index: int | None = None) -> None:
        """Draw every row again (or only this one) when it is next in view."""
        if index is None:
            self._drawn.clear()
            self._strips.clear()
            return
        for grouped in (True, False):
            self._drawn.pop((index, grouped), None)
        for key in [key for key in self._strips if key[0] == index]:
            del self._strips[key]

    def _style(self, name: str) -> Style:
        """A component's style, or "" for the list's own: worked out once until the styles change
        (the list's own style is composed from every container's background, ~0.1 ms a time)."""
        styles = self._styles
        if styles is None:
            styles = self._styles = {c: self.get_component_rich_style(c) for c in self.COMPONENT_CLASSES}
            styles[""] = self.rich_style
        return styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        base = self._style("")
        if y == 0:
            segments = []
            for column in self.columns:
                segments.extend(self._cell(column.title, column))
            return self._strip(segments, width, scroll_x, base + self._style("virtual-list--header"))
        index = scroll_y + y - 1
        if index >= self.row_count:
            if index == 0 and self.loaded:
                return self._strip(
                    [Segment(self.empty_text)],
                    width,
                    scroll_x,
                    base + self._style("virtual-list--placeholder"),
                )
            return Strip.blank(width, base)
        row = self.row_at(index)
        style = base + self._cursor_style() if index == self.cursor else base
        if row is None:
            return self._strip(
                [Segment("  loading…")], width, scroll_x, style + self._style("virtual-list--placeholder")
            )
        real = index
        # The first row in view always names its group, so a scrolled list still says where it is.
        grouped = y > 1
        plain = index != self.cursor and not scroll_x
        if plain:
            strip = self._strips.get((real, grouped, width))
            if strip is not None:
                return strip
        drawn = self._drawn.get((real, grouped))
        if drawn is not None:
            segments = drawn
        else:
            previous = self._previous(real) if grouped else None
            segments = []
            for column, cell in zip(self.columns, self.row_cells(row, previous), strict=True):
                segments.extend(self._cell(cell, column))
            if previous is not None or not grouped:
                self._drawn[(real, grouped)] = segments
        strip = self._strip(segments, width, scroll_x, style)
        if plain and (real, grouped) in self._drawn:
            self._strips[(real, grouped, width)] = strip
        return strip

    def _cursor_style(self) -> Style:
        return self._style("virtual-list--cursor-focused" if self.has_focus else "virtual-list--cursor")

    def focus_changed(self, focused: bool) -> None:
        """Focus changes only the cursor row's look (a style chosen in render_line, not a :focus rule,
        which would redraw every line): Textual's own handlers redraw the whole list (OwnFocusRedraw)."""
        self.refresh_line(self.cursor + 1)

    def row_cells(self, row: Any, previous: Any) -> Sequence[Any]:
        """The cells of one row, a column at a time (a list whose columns have no cell function
        overrides this)."""
        cells = []
        for column in self.columns:
            if column.cell is None:
                raise TypeError(
                    f"column {column.title!r} has no cell function: give it one, or override row_cells"
                )
            cells.append(column.cell(row, previous))
        return cells

    _GAP = Segment(" ")

    def _cell(self, cell, column: Column) -> list[Segment]:
        """One cell fitted to its column's width, then a gap."""
        width = self._widths.get(column, column.width)
        if isinstance(cell, str):
            cell = safe.plain(cell)
            length = cell_len(cell)
            if length > width:
                text = Text(cell)
                text.truncate(width, overflow="ellipsis")
                cell, length = text.plain, text.cell_len
            pad = " " * (width - length)
            return [Segment(pad + cell if column.justify == "right" else cell + pad), self._GAP]
        cell = safe.made_safe(cell, multiline=False)
        # The cell's own style is applied here: Text.render leaves it to its caller.
        style = cell.style if isinstance(cell.style, Style) else self._parsed(cell.style)
        if (
            not cell.spans and cell_len(cell.plain) <= width
        ):  # one style throughout: no need for Rich to render it
            pad = " " * (width - cell_len(cell.plain))
            padded = pad + cell.plain if column.justify == "right" else cell.plain + pad
            return [Segment(padded, style), self._GAP]
        text = cell.copy()
        text.no_wrap = True
        if text.cell_len > width:
            text.truncate(width, overflow="ellipsis")
        if column.justify == "right":
            text.pad_left(width - text.cell_len)
        else:
            text.pad_right(width - text.cell_len)
        return [*Segment.apply_style(text.render(self.app.console), style), self._GAP]

    _PARSED: ClassVar[dict[str, Style]] = {}

    def _parsed(self, style: str) -> Style:
        parsed = self._PARSED.get(style)
        if parsed is None:
            parsed = self._PARSED[style] = self.app.console.get_style(style) if style else Style()
        return parsed

    @staticmethod
    def _strip(segments: list[Segment], width: int, scroll_x: int, style: Style) -> Strip:
        strip = Strip(segments)
        if scroll_x:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip.crop_extend(0, width, None).apply_style(style)

    # -- cursor -------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        count = self.row_count
        if count and not 0 <= new < count:
            self.cursor = max(0, min(new, count - 1))
            return
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
            self.refresh()
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False, immediate=True)
            self.refresh()
        else:
            # Only the two rows whose highlight changed are drawn again (row i sits on line i + 1).
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        self._post_highlight()
        # The pages a screenful above and below are fetched ahead, so scrolling rarely waits on one.
        top = round(self.scroll_offset.y)
        for index in (top - visible, top + 2 * visible):
            if 0 <= index < count:
                self._page_for(index)

    def _post_highlight(self) -> None:
        row = self.selected
        if row is not None:
            self.post_message(self.Highlighted(self, row))

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor_up(self) -> None:
        self.cursor = max(0, self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.cursor = min(max(0, self.row_count - 1), self.cursor + 1)

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - self._page_height())

    def action_page_down(self) -> None:
        self.cursor = min(max(0, self.row_count - 1), self.cursor + self._page_height())

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, self.row_count - 1)

    def action_select(self) -> None:
        row = self.selected
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event) -> None:
        event.prevent_default()  # a double click opens the row; it does not select the list's text
        index = round(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= index < self.row_count:
            if self.cursor == index and event.chain >= 2:
                self.action_select()
            self.cursor = index
