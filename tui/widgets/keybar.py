"""The footer: the keys that act in the screen (and the tab) in view, drawn as one line of text.

One widget rather than one per key, so a screen opens and focus moves without rebuilding
a row of widgets each time. A key whose action does nothing where the user is is not listed:
screens say so through Textual's check_action, and call refresh_bindings when that changes. A
screen may also name a key for what it does there (describe_key): c is "Complete" on a
milestone, "Derive RAG" on a project.

At 80 columns not every key fits: the screen's own keys come first, then the ones every screen
has, and a key that does not fit is left out whole, never cut; `? Help` (which lists them all)
is always shown.
"""
from __future__ import annotations

import contextlib
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

# Keys every screen has, shown after the screen's own, the most used first.
LATER = ("screen.filter", "app.undo", "screen.back", "app.quit", "app.redo")
GAP = "  "
KEY_STYLE = "bold #ffa62b"


class KeyWords(NamedTuple):
    """What a key does where it is pressed: its footer word, help's line, and whether the footer
    shows it (help lists every key that acts)."""

    label: str
    does: str
    shown: bool = True


class Key(NamedTuple):
    display: str  # as the user presses it: "?", "esc", "⏎"
    binding: Binding
    words: KeyWords
    also: tuple[str, ...] = ()  # other keys that do the same: "f1" beside "?"
    screens: bool = False  # bound by the screen itself (not by the list in it, nor the app)

    @property
    def displays(self) -> str:
        """Every key that does it, for help: "? / f1"."""
        return " / ".join((self.display, *self.also))


# Textual's scrolling containers bind these; ragboard's lists and forms never scroll sideways (they
# fit the width), so the keys move nothing and help does not offer them.
SIDEWAYS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})


def keys_in_view(screen: Any) -> list[Key]:
    """Every key that acts on screen now, with what it does there, in the order Textual finds them
    (the focused widget's, the screen's, the app's). Keys bound to the same thing are one entry,
    under the key the footer shows (q rather than ctrl+q)."""
    describe = getattr(screen, "describe_key", None)
    app = screen.app
    found: dict[tuple[str, str], Key] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or binding.action in SIDEWAYS:
            continue
        words = describe(binding) if describe is not None else None
        if words is None:
            if not binding.description:
                continue
            words = KeyWords(binding.description, binding.tooltip or binding.description, binding.show)
        display = binding.key_display or app.get_key_display(binding)
        entry = (binding.action, words.label)
        same = found.get(entry)
        if same is None:
            found[entry] = Key(display, binding, words, screens=active.node is screen)
        elif words.shown and not same.words.shown:  # the key the footer shows leads
            found[entry] = Key(display, binding, words, (same.display, *same.also), same.screens)
        else:
            found[entry] = same._replace(also=(*same.also, display))
    return list(found.values())


def footer_line(keys: list[Key], width: int, palette: bool) -> Text:
    """The footer: the shown keys, the screen's own first, as many whole ones as fit in width
    beside `? Help`."""
    # Help, by whichever of its keys acts (f1 while a line takes ? as text), is always shown.
    helps = [key for key in keys if key.binding.action == "help"]
    rest = [key for key in keys if key.words.shown and key.binding.action != "help"]
    rest.sort(key=_rank)  # stable: keys of one rank keep the order Textual found them in
    pieces = [(key.display, key.words.label) for key in rest]
    if palette:
        pieces.append(("^p", "palette"))
    end = [(key.display, key.words.label) for key in helps[:1]]
    room = width - sum(cell_len(f"{k} {label}") for k, label in end)
    text = Text(no_wrap=True, overflow="crop")
    used = 0
    for key, label in pieces:
        size = cell_len(f"{key} {label}{GAP}")
        if used + size > room:
            break  # never a key cut in half: the rest are in help
        _append(text, key, label)
        used += size
    for key, label in end:
        _append(text, key, label)
    text.rstrip()
    return text


def _rank(key: Key) -> int:
    """Which keys the footer shows first: Enter (what the row opens to), the screen's own keys,
    the list's (sorting, narrowing), then the keys every screen has, in LATER's order."""
    name = key.binding.id or ""
    if name in LATER:
        return 3 + LATER.index(name)
    if key.binding.key == "enter":
        return 0
    return 1 if key.screens else 2


def _append(text: Text, key: str, label: str) -> None:
    text.append(key, style=KEY_STYLE)
    text.append(f" {label}{GAP}")


class KeyBar(Static):
    """Shows the keys that act now (see keys_in_view), as many as fit, then `? Help`."""

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

    def on_resize(self) -> None:
        self._draw()

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._draw)

    _dialog: Any = None  # a dialog open over this footer's screen: its keys are the ones that act

    def show_dialog(self, dialog: Any) -> None:
        """List the keys of the dialog open over this screen (None: this screen's own again)."""
        self._dialog = dialog
        self.call_after_refresh(self._draw)  # once the dialog has mounted and taken the focus

    def _draw(self) -> None:
        if not self.is_attached:
            return  # the screen closed before this redraw came round
        shown = self._dialog if self._dialog is not None and self._dialog.is_attached else self.screen
        try:
            keys = keys_in_view(shown)
        except Exception:  # noqa: BLE001 - the screen is closing: nothing to draw
            return
        width = self.size.width or self.app.size.width
        text = footer_line(keys, width, self.app.ENABLE_COMMAND_PALETTE and shown is self.screen)
        if text != getattr(self, "_drawn", None):  # unchanged keys: no layout, no redraw
            self._drawn = text
            self.update(text)
