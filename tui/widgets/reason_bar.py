"""The one-line reason asked for when a RAG is set, docked at the foot of the screen in view.

Built hidden with the screen and shown in place (no dialog screen to push and pop): Enter saves
the reason (possibly blank), Escape cancels.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from tui import safe
from tui.app_typing import OfRagboard
from tui.widgets.safe_input import SafeInput

HINT = "Why? (optional, one line). Enter saves, Escape cancels."


class ReasonInput(OfRagboard, SafeInput):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def on_mount(self) -> None:
        self.cursor_blink = self.app.cursor_blink

    def action_cancel(self) -> None:
        bar = self.parent
        if isinstance(bar, ReasonBar):
            bar.finish(None)


class ReasonBar(OfRagboard, Vertical):
    """Asks for a reason: ask(title, done) calls done(reason) on Enter, done(None) on Escape."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._done: Callable[[str | None], None] | None = None
        self._back_to: Widget | None = None  # where the keys go back to

    def compose(self):
        yield Static(id="reason-title")
        yield Static(HINT, id="reason-hint")
        yield ReasonInput(placeholder="e.g. supplier delay confirmed at board", id="reason")

    @property
    def input(self) -> ReasonInput:
        return self.query_one(ReasonInput)

    @property
    def asking(self) -> bool:
        return self.display and self._done is not None

    def ask(self, title: str, done: Callable[[str | None], None]) -> None:
        self._done = done
        self._back_to = self.screen.focused
        self.query_one("#reason-title", Static).update(safe.literal(title))
        box = self.input
        box.value = ""
        # Above the '/' line when that is showing (both sit at the foot of the screen).
        filter_box = getattr(self.screen, "filter_box", None)  # a ragboard screen's '/' line
        filter_line = filter_box() if filter_box is not None else None
        shown = [filter_line] if filter_line is not None and filter_line.display else []
        self.styles.margin = (0, 0, 1 + (shown[0].outer_size.height or 3) if shown else 1, 0)
        self.display = True
        self.screen.set_focus(box)  # now: the next key typed is already on its way

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.finish(event.value.strip())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # not the screen's '/' filter

    def finish(self, reason: str | None) -> None:
        done, self._done = self._done, None
        self.display = False
        back = self._back_to
        self._back_to = None
        if back is not None and back.is_mounted:
            self.screen.set_focus(back)
        if done is not None:
            done(reason)
