"""A virtualised list: only the rows in view are rendered, and rows are fetched a page at a time.

It draws through the Line API (render_line), so its cost does not grow with the number of rows.
Pages come from a fetch(offset, limit, query) callable run in a thread worker; rows not yet
fetched show as a placeholder until their page arrives. The query carries the '/' text, the sort
and the quick filter, so the store narrows and orders the rows in SQL: typing is debounced, and
the count and first page of the narrowed list come from a worker.

s chooses the column to sort by (a click on its heading does too; the same again reverses), S
reverses the sort, f steps through the list's quick filters (Red only, ...) and back to all.
The columns share the list's width: names are cut first when it is narrow, and the status,
stage and owner columns widen to their longest value when it is wide. A list still too wide for its
screen (80 columns, say) shows its RAG and figures in their short form and hides the columns the
screen says elsewhere (a project's lead, a programme's portfolio), so it never scrolls sideways.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from store import Abandoned
from store import text as words
from tui import compat, safe
from tui.app_typing import OfRagboard

UP, DOWN = "▲", "▼"


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: two columns may read alike
class Column:
    title: str
    width: int
    cell: Callable[[Any, Any], str | Text] | None = None  # (row, previous row or None) -> cell
    justify: str = "left"
    grow: int = 0  # this column's share of the width the list has beyond the columns' own
    sort: str | None = None  # the sort its heading chooses (the store's name for a paged list)
    key: Callable[[Any], Any] | None = None  # a list held in memory sorts by this (None sorts last)
    high_first: bool = False  # a figure: its first sort puts the highest first
    fit: bool = False  # widens, when there is room, to its longest value (a status, stage or owner)
    keep: bool = False  # fits its values and keeps them whole while a name can be cut (a RAG, a sum)
    least: int = 0  # the narrowest it is cut to when the list is narrow (0: a name's 8, others uncut)
    # (never narrower than its heading)
    short: Callable[[Any], Any] | None = None  # (cell) -> the same in fewer cells, for a narrow list
    drop: int = 0  # hidden, lowest first, when the list is too narrow for every column (0: never)

    @property
    def label(self) -> str:
        """The column's name in the sort chooser (a column without a heading names its sort)."""
        return self.title or (self.sort or "").replace("_", " ").capitalize()

    @property
    def narrowest(self) -> int:
        """The narrowest it is cut to: never narrower than its heading, which stays whole."""
        own = self.width if not self.grow else 8
        least = min(self.least or own, self.width)
        return max(least, min(cell_len(self.title), self.width))


class ListQuery(NamedTuple):
    """What a paged list asks its store for: the '/' text, the sort and the quick filter."""

    text: str = ""
    sort: str | None = None
    descending: bool = False
    only: str | None = None


class SortChooser(ModalScreen[str | None]):
    """A small list of the columns to sort by: arrows and Enter, or a column's first letter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="sort.cancel")]

    def __init__(self, columns: list[Column], current: str | None, descending: bool) -> None:
        super().__init__()
        self.columns = columns
        self.current, self.descending = current, descending
        self._letter = ""  # the letter last pressed, to step among the columns it starts

    def compose(self):
        options = []
        for column in self.columns:
            mark = ""
            if column.sort == self.current:
                mark = f"  {DOWN if self.descending else UP} sorted now (again reverses)"
            options.append(Option(safe.plain(column.label) + mark, id=column.sort))
        # The app's dialog styles, sized here (CSS of its own would restyle every kept screen).
        dialog = Vertical(id="dialog", classes="sort")
        dialog.styles.width = 48
        with dialog:
            yield Label("Sort by", id="dialog-title")
            chooser = OptionList(*options, id="sort-options")
            chooser.styles.height = "auto"
            chooser.styles.max_height = 16
            yield chooser
            yield Static("Enter or a column's first letter sorts; Escape cancels.", classes="dialog-hint")

    def on_mount(self) -> None:
        chooser = self.query_one(OptionList)
        sorts = [c.sort for c in self.columns]
        chooser.highlighted = sorts.index(self.current) if self.current in sorts else 0
        chooser.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        letter = (event.character or "").lower()
        if not letter.isalpha() or len(letter) != 1:
            return
        matching = [i for i, c in enumerate(self.columns) if c.label.lower().startswith(letter)]
        if not matching:
            return
        event.stop()
        event.prevent_default()
        if len(matching) == 1:
            self.dismiss(self.columns[matching[0]].sort)
            return
        # Several columns start with it: the first press moves to the first of them, each press
        # after it to the next; Enter sorts.
        chooser = self.query_one(OptionList)
        now = chooser.highlighted if self._letter == letter else None
        later = [i for i in matching if now is None or i > now]
        chooser.highlighted = (later or matching)[0]
        self._letter = letter

    def action_cancel(self) -> None:
        self.dismiss(None)


class VirtualList(OfRagboard, compat.OwnFocusRedraw, ScrollView, can_focus=True):
    """Rows from fetch(offset, limit, query), count(query) of them, drawn one line each, with a cursor.

    quick: the quick filters the store knows for this list, (name, label) each; key_of(row): what
    names a row's record, so a sort or filter keeps the cursor on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("s", "choose_sort", "Sort", id="sort.choose",
                tooltip="Sort the list by a column (a click on its heading too; the same again reverses)"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="sort.reverse",
                tooltip="Reverse the list's sort"),
        Binding("f", "quick_filter", "Only", id="filter.quick",
                tooltip="Show only Red, Amber, overdue or high risks in turn, then all again"),
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

    SEEK_PAGES = 20  # after a sort, pages searched for the record the cursor was on (then the top)
    MEASURE_ROWS = 200  # rows measured for the widths of the columns that fit their values

    def __init__(
        self,
        columns: list[Column],
        fetch: Callable[[int, int, ListQuery], list],
        count: Callable[..., int],  # count(query), or count(query, stop) if slow_count
        *,
        page_size: int = 100,
        on_count: Callable[[VirtualList], Any] | None = None,
        slow_count: bool = False,
        empty_text: str = "Nothing to show.",
        quick: Sequence[tuple[str, str]] = (),
        sort: str | None = None,
        descending: bool = False,
        key_of: Callable[[Any], Any] | None = None,
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
        self._on_count = on_count  # told in the same frame as the rows it counts
        # slow_count: counting may read every row (a date or a status at 1,000,000 milestones takes a
        # second). A filter's first page is then shown before its matches are counted (on_count is told
        # twice), and count is called as count(query, stop): a count no longer wanted (the filter typed
        # on) is given up when stop() says so, by raising store.Abandoned.
        self._slow_count = slow_count
        self.counting = False  # the rows shown are the first page; how many match is still being counted
        self.page_size = page_size
        self.empty_text = empty_text
        self.quick = list(quick)
        self.sort, self.descending = sort, descending
        self.only: str | None = None  # the quick filter shown, by name
        self._key_of = key_of or (lambda row: getattr(row, "id", row))
        self.total = 0
        self.grand_total = 0  # rows with no filter at all (counted only while one is on)
        # grand_total still holds for the file as last read: a new filter or sort need not count
        # every row again (at 1,000,000 milestones that count is 20-100 ms of each keystroke's wait).
        self._grand_known = False
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
        self._longest: dict[Column, int] = {}  # the longest value of each column that fits its values
        self._longest_short: dict[Column, int] = {}  # the same in their short form (Column.short)
        self.brief = False  # the list is narrow: cells in their short form, where a column has one
        self.hidden: frozenset[Column] = frozenset()  # the columns a narrow list leaves out

    # -- data ---------------------------------------------------------------------------------

    def reload(self, *, at_once: bool = False, same_rows: bool = False) -> None:
        """Forget every fetched page and count again (another window may have changed the file).

        at_once fetches the count and the first page now (one page costs a few milliseconds),
        so the first screen shows rows without waiting for a worker; later pages come from one.
        same_rows: only the filter or the sort changed, not the file, so the unfiltered count holds.
        """
        self._generation += 1
        self._grand_known = self._grand_known and same_rows
        grand = self.grand_total if self._grand_known else None
        self._pages.clear()
        self._pending.clear()
        self._forget_drawn()
        if at_once:
            query = self.list_query
            first = self._fetch(0, self.page_size, query)
            self._count_loaded(self._generation, *self._counts(query, first, grand))
        else:
            self._load_count(self._generation, self.list_query, grand)

    @property
    def list_query(self) -> ListQuery:
        return ListQuery(self.filter_text, self.sort, self.descending, self.only)

    def _counts(self, query: ListQuery, first: list, grand: int | None,
                stop: Callable[[], bool] | None = None) -> tuple[int, list, int]:
        """(total, first page, total with no filter). The count only when the first page is full (a
        short page is the count): one query per keystroke for a narrow filter, two for a wide one;
        the unfiltered count only while a filter is on, and only if grand (known) is None."""
        unfiltered = not (query.text or query.only)
        if len(first) < self.page_size:
            total = len(first)
        else:
            total = grand if unfiltered and grand is not None else self._count_of(query, stop)
        if unfiltered:
            grand = total
        elif grand is None:
            grand = self._count_of(ListQuery(sort=query.sort, descending=query.descending), stop)
        return total, first, grand

    @work(thread=True, exclusive=True, group="virtual-list-count")
    def _load_count(self, generation: int, query: ListQuery, grand: int | None) -> None:
        first = self._fetch(0, self.page_size, query)
        if self._slow_count and len(first) == self.page_size and (query.text or query.only):
            self.app.call_from_thread(self._first_shown, generation, first)
        try:
            counted = self._counts(query, first, grand, stop=lambda: generation != self._generation)
        except Abandoned:
            return  # a newer load is on its way
        self.app.call_from_thread(self._count_loaded, generation, *counted)

    def _count_of(self, query: ListQuery, stop: Callable[[], bool] | None) -> int:
        return self._count(query, stop) if self._slow_count and stop is not None else self._count(query)

    def _first_shown(self, generation: int, first: list) -> None:
        """The first page, shown while its matches are counted (the list ends with it until then)."""
        if generation != self._generation:
            return
        self.counting = True
        self._show_first(len(first), first)

    def _count_loaded(self, generation: int, total: int, first: list, grand: int) -> None:
        if generation != self._generation:
            return
        self.counting = False
        self.grand_total = grand
        self._grand_known = True
        self.loaded = True
        self._show_first(total, first)
        callbacks, self._after_load = self._after_load, []
        for callback in callbacks:
            callback()

    def _show_first(self, total: int, first: list) -> None:
        self.total = total
        self._pages[0] = first
        self._forget_drawn()
        if self._on_count is not None:
            self._on_count(self)
        self._measure(first)
        self._resize()
        self.cursor = min(self.cursor, max(0, self.row_count - 1))

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
        rows = self._fetch(page * self.page_size, self.page_size, self.list_query)
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
                    self.measure_again()
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
        self.reload(same_rows=True)

    # -- sort and quick filter ----------------------------------------------------------------

    @property
    def sortable(self) -> list[Column]:
        return [column for column in self.columns if column.sort]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A list without quick filters (or sortable columns) does not offer f (or s and S)."""
        if action == "quick_filter":
            return bool(self.quick)
        if action in ("choose_sort", "reverse_sort"):
            return bool(self.sortable)
        return True

    def action_choose_sort(self) -> None:
        columns = self.sortable
        if not columns:
            self.notify("This list keeps its own order.")
            return

        def chosen(name: str | None) -> None:
            if name:
                self.sort_by(name)
            self.focus()

        self.app.push_screen(SortChooser(columns, self.sort, self.descending), chosen)

    def action_reverse_sort(self) -> None:
        if self.sort is None:
            self.notify("The list is in its own order: press s to sort it by a column first.")
            return
        self.set_sort(self.sort, not self.descending)

    def sort_by(self, name: str) -> None:
        """Sort by the column whose sort is name; the column sorted now is reversed instead."""
        column = next((c for c in self.columns if c.sort == name), None)
        if column is None:
            return
        self.set_sort(name, not self.descending if name == self.sort else column.high_first)

    def set_sort(self, name: str | None, descending: bool) -> None:
        self.sort, self.descending = name, descending
        self.requery()

    def action_quick_filter(self) -> None:
        """The next quick filter this list has (Red only, Amber only, ...), then all again."""
        if not self.quick:
            self.notify("This list has no quick filters; / narrows it by any text shown.")
            return
        names = [None, *(name for name, _ in self.quick)]
        self.set_only(names[(names.index(self.only) + 1) % len(names)] if self.only in names else None)

    def set_only(self, name: str | None) -> None:
        self.only = name
        self.requery()

    def only_label(self) -> str:
        return next((label for name, label in self.quick if name == self.only), "")

    def shown_summary(self) -> str:
        """What a filter leaves shown, as "Red only: 3 of 42" ('' when nothing is filtered)."""
        parts = []
        if self.only:
            parts.append(f"{self.only_label()} only")
        if self.filter_text:
            parts.append(f"holding '{self.filter_text}'")
        if not parts:
            return ""
        if self.counting:
            return f"{', '.join(parts)}: counting…"
        return f"{', '.join(parts)}: {self.total:,} of {self.grand_total:,}"

    def requery(self) -> None:
        """Fetch again in the new order or filter, the cursor kept on the same record if still shown."""
        row = self.selected
        self.refresh()  # the heading's arrow
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.reload(same_rows=True)
        if row is not None:
            key = self._key_of(row)
            self.loaded_then(lambda: self._seek(self._generation, key))

    def _seek(self, generation: int, key: Any) -> None:
        """Put the cursor on the record named key: in the first page, or in a worker that reads the
        pages after it (up to SEEK_PAGES); not found, the cursor stays at the top."""
        if self._select_key_in(0, key) or self.total <= self.page_size:
            return
        self._seek_pages(generation, key, self.list_query)

    def _select_key_in(self, page: int, key: Any) -> bool:
        for offset, row in enumerate(self._pages.get(page, ())):
            if self._key_of(row) == key:
                self.cursor = page * self.page_size + offset
                return True
        return False

    @work(thread=True, exclusive=True, group="virtual-list-seek")
    def _seek_pages(self, generation: int, key: Any, query: ListQuery) -> None:
        last = min(self.SEEK_PAGES, (self.total - 1) // self.page_size)
        for page in range(1, last + 1):
            if generation != self._generation:
                return
            rows = self._fetch(page * self.page_size, self.page_size, query)
            if any(self._key_of(row) == key for row in rows):
                self.app.call_from_thread(self._sought, generation, page, rows, key)
                return

    def _sought(self, generation: int, page: int, rows: list, key: Any) -> None:
        if generation != self._generation or self.cursor != 0:
            return  # a newer load, or the user has moved on
        self._pages[page] = rows
        self._pending.discard(page)
        self._select_key_in(page, key)

    # -- drawing ------------------------------------------------------------------------------

    @property
    def shown_columns(self) -> list[Column]:
        """The columns drawn, left to right (a narrow list hides some)."""
        return [c for c in self.columns if c not in self.hidden]

    def _resize(self) -> None:
        self._layout()
        # The gap after the last column is blank: it may fall off the screen's edge.
        width = sum(self._widths.get(c, c.width) + 1 for c in self.shown_columns) - 1
        self.virtual_size = Size(width, self.row_count + 1)
        self.refresh()

    def on_resize(self) -> None:
        self._resize()
        # Shorter (a notice shown below it, say): the cursor's row stays in view.
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_offset.y)
        if self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _measure(self, rows: Sequence[Any]) -> None:
        """The longest value of each column that fits its values or grows, over the first rows."""
        fitting = [i for i, column in enumerate(self.columns) if column.fit or column.keep or column.grow]
        if not fitting:
            return
        longest = {self.columns[i]: cell_len(self.columns[i].title) for i in fitting}
        shortened = {c: cell_len(c.title) for c in self.columns if c.short}
        previous = None
        for row in rows[: self.MEASURE_ROWS]:
            cells = self.row_cells(row, previous)
            previous = row
            for i in fitting:
                column = self.columns[i]
                longest[column] = max(longest[column], self._length(cells[i]))
            for i, column in enumerate(self.columns):
                if column.short is not None:
                    shortened[column] = max(shortened[column], self._length(column.short(cells[i])))
        self._longest = longest
        self._longest_short = shortened

    def measure_again(self) -> None:
        """Measure the columns again after an edit (a RAG set by hand reads longer than a derived one):
        the columns are laid out again only if a longest value changed."""
        before = (self._longest, self._longest_short)
        self._measure(self._pages.get(0, []))
        if (self._longest, self._longest_short) != before:
            self._resize()

    @staticmethod
    def _length(cell) -> int:
        return cell.cell_len if isinstance(cell, Text) else cell_len(safe.plain(cell))

    FIT_MOST = 32  # a column that fits its values is widened to at most this for them
    # A RAG or figure kept whole may read longer: 'A Amber (set; derived R) ↑ was R', its trend too.
    KEEP_MOST = 40
    READABLE = 16  # a name cut no narrower than this keeps its first words, while there is a choice

    def _layout(self) -> None:
        """Each column's width at the list's width. The columns that fit their values (RAG, status,
        stage, owner) ask for their longest value; where that does not fit, the names are cut first,
        so the RAG and status stay in view at 80 columns. Width to spare goes to the names.

        Still too wide with every name at its narrowest, the list uses the gap after its last column,
        then the RAG and figures' short forms, then hides the columns that say least (Column.drop),
        lowest first; only then are the RAG and figures cut."""
        room = self.scrollable_content_region.width
        if room <= 0:
            return
        columns = self.columns
        brief, hidden = False, frozenset[Column]()
        widths, over = self._fitted(columns, room, brief)
        if over > 0:
            room += 1
            widths, over = self._fitted(columns, room, brief)
        if over > 0 and any(c.short for c in columns):
            brief = True
            widths, over = self._fitted(columns, room, brief)
        for rank in sorted({c.drop for c in columns if c.drop}):
            if over <= 0:
                break
            hidden = hidden | {c for c in columns if c.drop == rank}
            widths, over = self._fitted([c for c in columns if c not in hidden], room, brief)
        if over > 0:  # the RAG and figures are cut last, to their own width
            kept = [c for c in columns if c.keep and c not in hidden]
            self._cut(widths, {c: widths[c] - c.width for c in kept}, over)
        if (widths, brief, hidden) != (self._widths, self.brief, self.hidden):
            columns_changed = hidden != self.hidden
            self._widths, self.brief, self.hidden = widths, brief, hidden
            self._forget_drawn()
            self.refresh()
            if columns_changed:  # what the screen says of the selected row may depend on what is shown
                self._post_highlight()

    def _fitted(self, columns: list[Column], room: int, brief: bool) -> tuple[dict[Column, int], int]:
        """The widths of these columns in room (brief: the RAG and figures in their short form), and by
        how much they are still over it with every name and fitted column at its narrowest."""
        def asks(c: Column) -> int:
            longest = self._longest_short if brief and c.short else self._longest
            return max(c.width, min(longest.get(c, 0), self.KEEP_MOST if c.keep else self.FIT_MOST))

        longest = self._longest
        widths = {c: asks(c) if c.fit or c.keep else c.width for c in columns}
        over = sum(widths[c] + 1 for c in columns) - room
        if over > 0:
            # The names to a width that still reads, then what the owner and stage columns asked for
            # beyond their own, then the names to their narrowest, then those columns to theirs, and
            # only then (in _layout) what the RAG and figure columns asked for.
            names = [c for c in columns if not (c.fit or c.keep)]
            fitting = [c for c in columns if c.fit and not c.keep]
            readable = {c: max(c.narrowest, min(c.width, self.READABLE)) for c in names}
            for group, least in ((names, readable), (fitting, {c: c.width for c in fitting}),
                                 (names, {c: c.narrowest for c in names}),
                                 (fitting, {c: c.narrowest for c in fitting})):
                over = self._cut(widths, {c: widths[c] - least[c] for c in group}, over)
        elif over < 0:  # the names their longest value, as far as it goes; the rest shared among them
            spare = -over
            wants = {c: longest.get(c, 0) - widths[c] for c in columns if c.grow}
            want = sum(w for w in wants.values() if w > 0)
            if want:
                given = min(spare, want)
                for c, more in wants.items():
                    if more > 0:
                        widths[c] += given * more // want
                spare = room - sum(widths[c] + 1 for c in columns)
            shares = sum(c.grow for c in columns)
            if spare > 0 and shares:
                for c in columns:
                    if c.grow:
                        widths[c] += spare * c.grow // shares
        return widths, over

    @staticmethod
    def _cut(widths: dict[Column, int], slack: dict[Column, int], over: int) -> int:
        """Narrow the columns with slack, each in proportion to it, by over in all (or all their
        slack); what is still over."""
        slack = {c: give for c, give in slack.items() if give > 0}
        total = sum(slack.values())
        cut = min(over, total)
        if not cut:
            return over
        taken = 0
        for c, give in slack.items():
            share = cut * give // total
            widths[c] -= share
            slack[c] -= share
            taken += share
        for c in slack:  # what rounding left uncut, a cell at a time
            if taken >= cut:
                break
            if slack[c] > 0:
                widths[c] -= 1
                taken += 1
        return over - taken

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
            for column in self.shown_columns:
                segments.extend(self._cell(self._heading(column), column))
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
            hidden, brief = self.hidden, self.brief
            for column, cell in zip(self.columns, self.row_cells(row, previous), strict=True):
                if column in hidden:
                    continue
                if brief and column.short is not None:
                    cell = column.short(cell)
                segments.extend(self._cell(cell, column))
            if previous is not None or not grouped:
                self._drawn[(real, grouped)] = segments
        strip = self._strip(segments, width, scroll_x, style)
        if plain and (real, grouped) in self._drawn:
            self._strips[(real, grouped, width)] = strip
        return strip

    def _heading(self, column: Column) -> str:
        """The column's title, with the sort's arrow on the sorted column (the title cut for it)."""
        if not column.sort or column.sort != self.sort:
            return column.title
        arrow = DOWN if self.descending else UP
        room = self._widths.get(column, column.width) - 2
        title = column.title if cell_len(column.title) <= room else column.title[: max(0, room - 1)] + "…"
        return f"{title} {arrow}" if title else arrow

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
                if length == len(cell) and width > 1:  # one cell a character: cut after a whole word
                    cell = words.shorten(cell, width)
                    length = len(cell)
                else:
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

    def column_at(self, x: int) -> Column | None:
        """The column under a point x cells from the list's left edge."""
        x += round(self.scroll_offset.x)
        for column in self.shown_columns:
            x -= self._widths.get(column, column.width) + 1
            if x < 0:
                return column
        return None

    def on_click(self, event) -> None:
        event.prevent_default()  # a double click opens the row; it does not select the list's text
        if event.y == 0:  # a heading: sort by its column (the sorted one again: reversed)
            column = self.column_at(event.x)
            if column is not None and column.sort:
                self.sort_by(column.sort)
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= index < self.row_count:
            if self.cursor == index and event.chain >= 2:
                self.action_select()
            self.cursor = index
