"""The command palette's jump: any programme or project by name, code or reference."""
from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on
from textual.command import CommandInput, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.widgets import Input

from tui import safe
from tui.app_typing import OfRagboard
from tui.compat import PaletteHooks

if TYPE_CHECKING:
    from tui.app import RagboardApp

LIMIT = 30  # hits listed at most
INLINE_SECONDS = 0.008  # a store.search slower than this sends the next one to a thread


class JumpProvider(Provider):
    """Programmes and projects found by store.search."""

    # How long the last store.search took. While it is short, the search is called right here on
    # the loop: a millisecond or two even at thousands of projects, less than the hop to a thread
    # and back (which also has the thread and the loop take turns at the GIL). A slow one, or a
    # store busy in a worker, sends the search to a thread instead.
    last_seconds = 0.0

    @property
    def ragboard(self) -> RagboardApp:
        return cast("RagboardApp", self.app)

    async def search(self, query: str) -> Hits:
        query = query.strip()
        if not query:
            return
        app = self.ragboard
        try:
            hits = await self._find(query)
        except Exception:  # noqa: BLE001 - an unreadable file lists no hits; the palette stays open
            return
        matcher = self.matcher(query)
        style = matcher.match_style
        for hit in hits:
            text = safe.plain(hit.label)
            # Names are plain text, never markup: "[2]" or "[/]" in a name shows as typed.
            yield Hit(matcher.match(text) or 0.5, _highlight(text, query, style),
                      partial(app.open_hit, hit.kind, hit.id, hit.programme_id),
                      text=text, help=escape(safe.plain(f"Open {hit.detail}")))

    async def discover(self) -> Hits:
        return
        yield  # no suggestions until something is typed

    async def _find(self, query: str):
        app = self.ragboard
        lock = app.store_lock
        if JumpProvider.last_seconds <= INLINE_SECONDS and lock.acquire(blocking=False):
            try:
                return self._search_store(query)
            finally:
                lock.release()
        return await asyncio.to_thread(app.locked, self._search_store, query)

    def _search_store(self, query: str):
        """store.search, timed (the caller holds the store's lock)."""
        started = time.perf_counter()
        try:
            return self.ragboard.store.search(query, LIMIT)
        finally:
            JumpProvider.last_seconds = time.perf_counter() - started


def _highlight(text: str, query: str, style) -> Content:
    """The text with the query's letters marked where store.search found it (a substring)."""
    content = Content(text)
    lowered = text.lower()
    start = lowered.find(query.lower()) if len(lowered) == len(text) else -1
    if start < 0 or not query:
        return content
    end = start + len(query)
    i = start
    while i < end:  # mark the runs between spaces, as Textual's matcher does
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < end and not text[j].isspace():
            j += 1
        content = content.stylize(style, i, j)
        i = j
    return content


class JumpPalette(OfRagboard, PaletteHooks):
    """Textual's command palette, painting the typed text and its hits together, at once.

    The stock palette (textual 8.2.8) paints the typed text first; the hits, listed a few ms
    later, then wait for the screen's 60 Hz update timer, which after a pause skips to the
    next-but-one tick (timer.py, Timer._run) and so paints 17 to 33 ms after the first frame.
    Here, while the input holds text whose hits are not listed yet, painting waits (at most
    HOLD_SECONDS); once they are listed, the screen is painted at once.
    """

    HOLD_SECONDS = 0.05  # the typed text is painted by then, hits or not
    QUIET_SECONDS = 1 / 60  # no other paint this soon after the hits' one

    _paint_soon = False  # the list changed: paint on the next idle, not on the timer's tick
    _searching = ""  # the text of the latest Input.Changed ("" when the palette opens)
    _listed: str | None = None  # the text whose hits the list shows
    _hold_until = 0.0
    _quiet_until = 0.0
    _typed: Input | None = None

    def on_mount(self) -> None:
        self._typed = self.query_one(CommandInput)
        # Input.validate adds -valid at the first key, restyling the input (2 ms) while the user
        # waits for the hits. No style uses -valid: add it now, after the palette's first paint.
        self.call_after_refresh(self._typed.add_class, "-valid")

    @on(Input.Changed)
    def _note_query(self, event: Input.Changed) -> None:
        # Runs before CommandPalette._input, which starts a search for the text (cancelling the
        # one before). Keys that come faster than they are handled (a fast typist, a paste)
        # arrive together: search only the last text, the others are stale already.
        if not event.value.isprintable():
            # Pasted control characters: shown as pictures (tui/safe.py), searched for as shown.
            # The palette holds its painting until this text's hits are listed, so none is drawn raw.
            event.input.value = safe.plain(event.value)
        if event.input.value != event.value:
            event.stop()
            event.prevent_default()  # CommandPalette._input is not called
            return
        self._searching = event.value.strip()

    def commands_listed(self) -> None:
        self._listed = self._searching
        self._paint_soon = True

    def paint_on_idle(self) -> str:
        now = time.monotonic()
        if self._holding(now) or now < self._quiet_until:
            return "wait"
        if not self._paint_soon:
            return "tick"
        self._paint_soon = False
        return "now"

    def painted(self) -> None:
        # Textual's writer thread sends the frame, and needs the GIL between chunks of a large
        # one: the list's follow-up repaint (its highlight, after the layout) waits a tick.
        self._quiet_until = time.monotonic() + self.QUIET_SECONDS
        self.set_timer(self.QUIET_SECONDS, self.check_idle)

    def _holding(self, now: float) -> bool:
        """True while the typed text waits for its hits (HOLD_SECONDS at most)."""
        typed = self._typed.value.strip() if self._typed is not None else None
        if self._listed is None or typed is None or typed == self._listed:
            self._hold_until = 0.0
            return False
        if not self._hold_until:
            self._hold_until = now + self.HOLD_SECONDS
            self.set_timer(self.HOLD_SECONDS, self.check_idle)
        return now < self._hold_until
