"""The lines at the top of every screen: the file, its status dates, where you are, read-only."""
from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from store.inferred import parse
from store.text import day
from tui import fmt, safe
from tui.app_typing import OfRagboard

APP = "ragboard"
GAP = "  │  "  # between the file and the status dates: never run together, at any width
ELLIPSIS = "…"
SHORTEST_NAME = 10  # a portfolio's name is cut to no fewer characters (its status date is kept whole)


class Dated(NamedTuple):
    name: str
    status_date: str  # ISO
    inferred: bool = False  # its paper prints no such date: shown ≈


def short_path(path: str, width: int) -> str:
    """A file's path in at most width characters: folders go first (from the left, as "…/"), then
    the file's own name is cut at its end."""
    if len(path) <= width:
        return path
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    for start in range(1, len(parts)):
        tail = ELLIPSIS + "/" + "/".join(parts[start:])
        if len(tail) <= width:
            return tail
    if len(name) <= width:
        return name
    return name[: max(width - 1, 0)] + ELLIPSIS if width > 1 else ELLIPSIS[:width]


def cut_lengths(lengths: list[int], need: int, floor: int) -> list[int]:
    """Lengths less need characters in all, taken from the longest first (of equal ones, the first
    listed first), none cut below floor: as cutting the longest by one at a time would, but in a
    step per length, not per character (80 portfolios' names took ~28 ms one at a time)."""
    def taken(cap: int) -> int:
        return sum(max(0, length - cap) for length in lengths)

    if need <= 0:
        return list(lengths)
    if taken(floor) <= need:
        return [min(length, floor) for length in lengths]
    low, high = floor, max(lengths)  # the largest cap that takes at least need
    while low < high:
        middle = (low + high + 1) // 2
        if taken(middle) >= need:
            low = middle
        else:
            high = middle - 1
    spare = taken(low) - need  # the last of those cut to low keep one more
    over = [i for i, length in enumerate(lengths) if length > low]
    kept = set(over[len(over) - spare:]) if spare else set()
    return [length if length <= low else low + (i in kept) for i, length in enumerate(lengths)]


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def file_line(path: str, read_only: bool, portfolios: list[Dated], width: int) -> Text:
    """The top line in width cells: "ragboard PATH  │  status dates: NAME 31 Mar 2014 · NAME ...".

    Where it does not fit, the path is shortened first (down to its file name, then that cut),
    then "status dates:" goes, then the portfolios' names are cut; their dates stay whole."""
    path = safe.plain(path)
    flag = "  (read-only)" if read_only else ""
    dates = [(safe.plain(p.name), (fmt.INFERRED_MARK if p.inferred else "") + day(p.status_date))
             for p in portfolios]
    label = ("status date: " if len(dates) == 1 else "status dates: ") if dates else ""

    def right(names: list[str], label: str) -> int:
        return len(label) + sum(len(n) + 1 + len(d) for n, (_, d) in zip(names, dates, strict=True)) \
            + len(" · ") * max(len(dates) - 1, 0)

    names = [n for n, _ in dates]
    gap = GAP if dates else ""
    fixed = len(APP) + 1 + len(flag) + len(gap)
    room = width - fixed - right(names, label)
    shortest = min(len(path), len(path.replace("\\", "/").rsplit("/", 1)[-1]), SHORTEST_NAME)
    if room < shortest and label:
        label = ""  # the dates say what they are by their place and form
        room = width - fixed - right(names, label)
    if room < shortest and dates:
        # cut the longest names first, down to SHORTEST_NAME
        lengths = cut_lengths([len(n) for n in names], shortest - room, SHORTEST_NAME)
        names = [cut(n, k) for n, k in zip(names, lengths, strict=True)]
        room = width - fixed - right(names, label)
    parts = [(APP, "bold"), (" ", ""), (short_path(path, max(room, 1)), "")]
    if flag:
        parts.append((flag, "bold"))
    if dates:
        parts += [(gap, "dim"), (label, "dim")]
        for i, (name, (_, date)) in enumerate(zip(names, dates, strict=True)):
            if i:
                parts.append((" · ", "dim"))
            parts += [(f"{name} ", ""), (date, "bold")]
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    for text, style in leading_spaces_kept(parts):
        line.append(text, style=style)
    line.truncate(width, overflow="ellipsis")
    return line


def leading_spaces_kept(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each part's leading spaces moved to the end of the part before it. A terminal shows them
    either way, but a picture of the screen (its SVG drawn by rsvg, as the README's is) drops the
    spaces that start a differently styled run: "ragboard.db" and "status dates" ran together."""
    out: list[tuple[str, str]] = []
    for text, style in parts:
        stripped = text.lstrip(" ")
        if out and len(stripped) < len(text):
            before, before_style = out[-1]
            out[-1] = (before + text[: len(text) - len(stripped)], before_style)
            text = stripped
        if text:
            out.append((text, style))
    return out


class FileLine(Widget):
    """The file and the status dates, laid out again for the width it is given."""

    DEFAULT_CSS = "FileLine { height: 1; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[str, bool, tuple[Dated, ...]] = ("", False, ())

    def show(self, path: str, read_only: bool, portfolios: list[Dated]) -> None:
        shown = (path, read_only, tuple(portfolios))
        if shown != self.shown:  # each update is a redraw: only a change is drawn
            self.shown = shown
            self.refresh()

    def render(self) -> Text:
        path, read_only, portfolios = self.shown
        return file_line(path, read_only, list(portfolios), self.size.width)


class TopBar(OfRagboard, Vertical):
    """File and status dates, the breadcrumb of the screen, and a banner when read-only."""

    def __init__(self, crumb: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.crumb = crumb
        self._crumb_shown: str | None = None

    def compose(self):
        yield FileLine(id="topbar-file")
        yield Static(id="topbar-crumb")
        yield Static(id="read-only-banner")

    def on_mount(self) -> None:
        self.refresh_info()

    def show_crumb(self, crumb: str | None = None) -> None:
        """The breadcrumb alone (the file's line is left as it is: a cursor move may change the crumb)."""
        if crumb is not None:
            self.crumb = crumb
        if self._crumb_shown != self.crumb:  # only a line that changed is given its text again
            self.query_one("#topbar-crumb", Static).update(safe.literal(self.crumb, style="bold"))
            self._crumb_shown = self.crumb

    def refresh_info(self, crumb: str | None = None) -> None:
        if crumb is not None:
            self.crumb = crumb
        app = self.app
        store = app.store
        try:
            portfolios = app.locked(store.portfolios)
        except Exception:  # noqa: BLE001 - an unreadable file: the top line shows no dates
            portfolios = []
        self.query_one(FileLine).show(str(store.path), bool(store.read_only),
                                      [Dated(p.name, p.status_date, "status_date" in parse(p.inferred))
                                       for p in portfolios])
        self.show_crumb()
        banner = self.query_one("#read-only-banner", Static)
        banner.display = bool(store.read_only)
        if store.read_only:
            # Why the file opened read-only may add a warning (e.g. its -wal could not be read).
            warning = getattr(store, "open_warning", None)
            banner.update(
                safe.literal(
                    f" READ-ONLY  {store.path} cannot be changed: you can look but not edit. "
                    "Copy it somewhere writable to make changes." + (f" {warning}" if warning else "")
                )
            )
