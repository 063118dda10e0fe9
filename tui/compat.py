"""Every use of Textual's private API, in one place. Textual is pinned (8.2.8); each use here has a
test (tests/tui/test_compat.py, tests/cli/test_fatal.py) that fails when an upgrade changes what it
relies on. Outside this module no code reaches into Textual's private attributes.

What each saves was measured with `python -m bench run` when it was added (see the git log of the
commit named beside it), and again against the plain Textual path (bench/RESULTS.md, "Textual's
private API").

Errors (no traceback with the user's data on the terminal):
- App._handle_exception(error): Textual calls it with every error nothing else caught (in an
  event handler, a screen, a worker: WorkerFailed wrapping the worker's error). It sets
  return_code to 1 and closes the app, then queues a traceback with local variables for
  printing once the terminal is restored.
- App._exit_renderables: the list of what is printed then. Emptied here, so no traceback (nor the
  values of local variables, which hold the user's data) reaches the terminal.

Notices:
- App._notifications, App._unnotify: a save's confirmation replaces the last one instead of
  piling up over the rows just changed (behaviour, not speed).

Screens built ahead, hidden (the first Enter fills a screen instead of building it):
- App._load_screen_css, App._get_screen: compose and mount an installed screen without showing it.
  (Laying it out and drawing it while hidden, through three more private names, was dropped: in four
  benchmark runs against the plain path it saved nothing measurable on Enter; bench/RESULTS.md.)

Styles:
- App._css_update_count, Screen._css_update_count: a screen styled since the CSS last changed is
  not restyled when pushed again (30-60 ms a programme screen or form, 09baea3 / 635a41e).
- Screen.focused redefined without repaint: moving the keys to the reason or '/' line and back
  does not repaint the whole screen (~20 ms, e503acf), nor does Tab in a form (a Tab's CPU ~40 -> ~18
  ms at 160x45, three runs each; tests/e2e/test_redraw.py checks the terminal against a fresh drawing).
- Widget._on_focus, Widget._on_blur replaced: a list redraws its cursor row, not every row, when
  focus moves (part of e503acf).

Memory (public methods wrapped, no private names):
- Strip.crop_extend and Strip.divide: a call whose answer is the line itself (the whole width) is
  answered without caching it. Textual caches it in the line's own cache, which makes every such
  line a reference cycle, freed only by a garbage collection instead of when the screen drops it.
  At 5,000 projects that was half of what each collection had to free (70,000 -> 38,000 objects
  over three palette opens and drills); Python's full collections in the benchmark's walk went from
  25-39 to 12-22 ms at their median, three walks each (bench/RESULTS.md, 2026-12-04 later).

Keys:
- textual.keys._normalize_key_list: a keymap's keys ("?") named as Textual names the defaults
  ("question_mark"), to find two bindings given one key (behaviour, not speed).

Palette (search + open 158 -> 45 ms, b43d4f6 / 8a1a116):
- CommandPalette._refresh_command_list: told when the hits are listed, to paint them at once.
- Screen._on_idle, Screen._dirty_widgets, _layout_required, _scroll_required, _repaint_required,
  Screen._on_timer_update: paint on the idle after the hits are listed, not on the next tick.
- App._begin_batch, App._end_batch, App._batch_count: the palette's 50 ms hold on closing ends as
  soon as its command has run (~85 -> ~55 ms).
"""
from __future__ import annotations

import traceback
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any

from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import WorkerFailed


class FatalErrors:
    """The tracebacks of the errors that ended an app, as text, for the error log."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.texts)

    def text(self) -> str:
        return "\n".join(self.texts)


def capture_fatal_errors(app: App) -> FatalErrors:
    """Keep the traceback of each error that ends app, instead of printing it; call before run().

    Textual still ends the app as it would (return_code 1, the terminal restored); the caller
    writes the log and tells the user.
    """
    errors = FatalErrors()
    handle = app._handle_exception

    def _handle_exception(error: Exception) -> None:
        errors.texts.append(_describe(error))
        handle(error)
        app._exit_renderables.clear()

    app._handle_exception = _handle_exception  # type: ignore[method-assign]
    return errors


def _describe(error: BaseException) -> str:
    if isinstance(error, WorkerFailed):  # raised by Textual, not where it went wrong: show the worker's
        return "In a worker:\n" + "".join(traceback.format_exception(error.error))
    return "".join(traceback.format_exception(error))


# -- lines that are not cycles ---------------------------------------------------------------------

TEXTUAL_CROP_EXTEND = Strip.crop_extend
TEXTUAL_DIVIDE = Strip.divide


def _crop_extend(self: Strip, start: int, end: int, style: Any) -> Strip:
    if start <= 0 and end == self.cell_length:  # the whole line: Textual's own answer is self
        return self
    return TEXTUAL_CROP_EXTEND(self, start, end, style)


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    cuts = list(cuts)  # it may be a generator, read twice here
    length = self.cell_length
    if [cut for cut in cuts if cut <= length] == [length]:  # one piece, the line itself
        return [self]
    return TEXTUAL_DIVIDE(self, cuts)


def lines_without_self_cycles() -> None:
    """Wrap Strip's two methods that cache a line in its own cache (process-wide; idempotent)."""
    Strip.crop_extend = _crop_extend  # type: ignore[method-assign]
    Strip.divide = _divide  # type: ignore[method-assign]


# -- notices ---------------------------------------------------------------------------------------

def withdraw_notices(app: App, title: str, keep: Any = None) -> None:
    """Take down the notices shown with this title, all but keep."""
    for earlier in [n for n in app._notifications if n.title == title and n is not keep]:
        app._unnotify(earlier, refresh=False)


# -- screens built ahead ---------------------------------------------------------------------------

def build_hidden(app: App, screen: Screen) -> Awaitable[None]:
    """Compose and mount an installed screen now, without showing it; awaiting the result waits until
    it and its widgets are mounted."""
    app._load_screen_css(screen)
    _, mounted = app._get_screen(screen)
    return mounted


# -- holding the screen still ------------------------------------------------------------------------

def hold_updates(app: App) -> None:
    app._begin_batch()


def release_updates(app: App) -> bool:
    """End one hold; True if none is left."""
    app._end_batch()
    return not app._batch_count


def updates_held(app: App) -> bool:
    return bool(app._batch_count)


# -- styles ------------------------------------------------------------------------------------------

def css_generation(app: App) -> int:
    """A number that changes whenever the app's CSS (its theme) changes."""
    return int(app._css_update_count)


class KeepsStyles:
    """Mixed into a Screen: Textual applies every style again to a screen pushed into view, in case
    the theme changed while it was away. A screen styled since the app's CSS last changed, as one
    just mounted is, keeps its styles.

    Textual calls the handlers of every class in a screen's MRO, so these run as well as a
    subclass's own on_mount and on_screen_resume, and before Screen's, which reads
    event.refresh_styles."""

    _css_update_count = -1

    def on_mount(self) -> None:
        self._css_update_count = self.app._css_update_count  # type: ignore[attr-defined]

    def on_screen_resume(self, event: Any) -> None:
        if self._css_update_count == self.app._css_update_count:  # type: ignore[attr-defined]
            event.refresh_styles = False
        self._css_update_count = self.app._css_update_count  # type: ignore[attr-defined]


class FocusWithoutRepaint:
    """Mixed into a Screen: Textual repaints the whole screen when focus moves; the widgets that
    gain and lose focus redraw themselves."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class OwnFocusRedraw:
    """Mixed into a widget that redraws only what focus changes: focus_changed(focused) is called
    instead of Textual's handlers (which redraw the whole widget); the parent is told as Textual
    would tell it."""

    def focus_changed(self, focused: bool) -> None:
        raise NotImplementedError

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self._told(True, events.DescendantFocus)

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self._told(False, events.DescendantBlur)

    def _told(self, focused: bool, tell_parent: Any) -> None:
        widget: Any = self
        widget.has_focus = focused
        self.focus_changed(focused)
        if widget.parent is not None:
            widget.parent.post_message(tell_parent(widget))


# -- the palette ---------------------------------------------------------------------------------------

class PaletteHooks(CommandPalette):
    """The command palette, told when its hits are listed (commands_listed) and asked, when the
    app is idle with something to paint, whether to paint now (paint_on_idle)."""

    def commands_listed(self) -> None:
        """The hit list was just filled."""

    def paint_on_idle(self) -> str:
        """'wait' (hold the paint), 'now' (paint at once) or 'tick' (Textual's own timer)."""
        return "tick"

    def painted(self) -> None:
        """Called just after a paint that paint_on_idle asked for."""

    def _refresh_command_list(self, command_list: Any, commands: Any, clear_current: bool) -> None:
        super()._refresh_command_list(command_list, commands, clear_current)
        self.commands_listed()

    async def _on_idle(self, event: events.Idle) -> None:
        # Screen._on_idle runs after this, unless prevented: it starts the update timer.
        dirty = (self._layout_required or self._scroll_required or self._repaint_required
                 or self._dirty_widgets)
        if not (dirty and self.is_current and not self.app._batch_count):
            return
        choice = self.paint_on_idle()
        if choice == "wait":
            event.prevent_default()
        elif choice == "now":
            self._on_timer_update()  # what the update timer's tick does
            self.painted()


def normal_keys(keys: str) -> str:
    """A key list as Textual compares them ("?,ctrl+r" -> "question_mark,ctrl+r"): a keymap's keys
    checked against the defaults (textual.keys._normalize_key_list, which App.set_keymap uses)."""
    from textual.keys import _normalize_key_list

    return _normalize_key_list(keys)
