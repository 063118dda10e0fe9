"""The footer: the keys of the screen and the focused list, drawn as one line of text.

One widget rather than one per key, so a screen opens and focus moves without rebuilding
a row of widgets each time.
"""
from __future__ import annotations

import contextlib

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    """Shows every binding marked show=True that is active now, then the palette key."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()

    def on_unmount(self) -> None:
        with contextlib.suppress(Exception):  # the screen may be gone already: nothing to stop
            self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        if not self.is_attached:
            return  # the screen closed before this redraw came round
        try:
            bindings = self.screen.active_bindings.values()
        except Exception:  # noqa: BLE001 - the screen is closing: nothing to draw
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[tuple[str, str]] = set()
        key_style = "bold #ffa62b"
        for active in bindings:
            binding = active.binding
            if not binding.show or not binding.description or not active.enabled:
                continue
            entry = (binding.action, binding.description)
            if entry in seen:
                continue
            seen.add(entry)
            text.append(binding.key_display or self.app.get_key_display(binding), style=key_style)
            text.append(f" {binding.description}  ")
        if self.app.ENABLE_COMMAND_PALETTE:
            text.append("^p", style=key_style)
            text.append(" palette")
        if text != getattr(self, "_drawn", None):  # unchanged keys: no layout, no redraw
            self._drawn = text
            self.update(text)
