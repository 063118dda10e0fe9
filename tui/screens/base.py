"""What every ragboard screen shares: the top lines, the filter line, back, and read-only guards."""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from tui.app_typing import OfRagboard
from tui.compat import FocusWithoutRepaint, KeepsStyles
from tui.widgets.keybar import KeyBar
from tui.widgets.reason_bar import ReasonBar
from tui.widgets.safe_input import SafeInput
from tui.widgets.topbar import TopBar

__all__ = ["FilterInput", "KeepsStyles", "RagScreen", "status_bindings"]


def status_bindings(
    prefix: str, what: str, complete: str, *, action: str = "set_status",
    c_does: tuple[str, str, str] = ("'Complete'", "Complete", "complete"),
) -> list[BindingType]:
    """r, a, g and c: set the selected item's status (what), each asking for an optional reason.
    c_does: c's argument to action, its footer word and its id (complete: its tooltip)."""
    argument, word, c_id = c_does
    return [*(Binding(key, f"{action}('{status}')", status, id=f"{prefix}.{status.lower()}",
                      tooltip=f"Set {what} to {status}, with an optional reason")
              for key, status in (("r", "Red"), ("a", "Amber"), ("g", "Green"))),
            Binding("c", f"{action}({argument})", word, id=f"{prefix}.{c_id}", tooltip=complete)]


class FilterInput(OfRagboard, SafeInput):
    """The '/' line: filters the list in view as you type."""

    def on_mount(self) -> None:
        self.cursor_blink = self.app.cursor_blink


class RagScreen(OfRagboard, KeepsStyles, FocusWithoutRepaint, Screen):
    """A screen with a top bar, a list that '/' filters, and the shared key map.

    Moving the keys to the reason or '/' line and back repaints only the lines that change
    (FocusWithoutRepaint), and a screen shown again keeps its styles (KeepsStyles)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="screen.back"),
        Binding("slash", "filter", "Filter", key_display="/", id="screen.filter"),
    ]
    crumb = ""

    def __init__(self) -> None:
        super().__init__()
        self.stale = False  # set when the file changed while another screen was on top
        # The store's write count when this screen last read the file: a write made on another
        # screen (a milestone's RAG changes its project's and programme's) makes it read again.
        self.read_at = -1
        self._hidden_lines: dict = {}  # the reason and '/' lines once made (a query walks every widget)

    def compose_top(self):
        yield TopBar(self.crumb, id="topbar")

    def compose_bottom(self):
        yield KeyBar()

    def on_mount(self) -> None:
        self.read_at = self.app.store.writes
        # The '/' line is mounted, hidden, once the screen has shown (it opens faster without it), so
        # '/' can give it focus at once: keys typed straight after '/' go to the filter, not the list.
        self.call_after_refresh(self._build_hidden_lines)

    def _build_hidden_lines(self) -> None:
        self.filter_box(True)
        self.reason_bar(True)

    def reason_bar(self, create: bool = False) -> ReasonBar | None:
        """The reason line (created hidden when first asked for with create=True)."""
        return self._hidden_line("reason-bar", ReasonBar, lambda: ReasonBar(id="reason-bar"), create)

    def _hidden_line(self, widget_id: str, kind, make, create: bool):
        """The line with this id, or (with create) a new one from make(), mounted hidden above the keys."""
        lines = self._hidden_lines
        line = lines.get(widget_id)
        if line is not None:
            return line
        if not create:
            return None
        line = make()
        line.display = False
        try:
            self.mount(line, before=self.query_one(KeyBar))
        except Exception:  # noqa: BLE001 - the screen is closing
            return None
        lines[widget_id] = line
        return line

    def ask_reason(self, title: str, done) -> None:
        """Ask for an optional one-line reason at the foot of this screen; done(reason or None)."""
        bar = self.reason_bar(create=True)
        if bar is None:
            return
        if bar.is_mounted:
            bar.ask(title, done)
        else:
            self.call_after_refresh(bar.ask, title, done)

    def selected_to_change(self, missing: str, doing: str) -> Any:
        """The selected row, if there is one and the file can be changed; otherwise say why (missing,
        or that the file is read-only) and None."""
        row = getattr(self, "selected", None)
        if row is None:
            self.notify(missing)
            return None
        return row if self.app.writable(doing) else None

    def set_with_reason(self, title: str, method: Callable, record: Any, value: str | None, base: dict,
                        then: Callable[[Any], None]) -> None:
        """Ask for an optional reason (title), then write method(record.id, record.version, value,
        reason, base=base) off the loop; then(saved) once it is saved. Escape writes nothing."""

        def done(reason: str | None) -> None:
            if reason is not None:
                self.app.write(method, record.id, record.version, value, reason, base=base, then=then)

        self.ask_reason(title, done)

    def choose_dca(self, record: Any, what: str, method: Callable, then: Callable[[Any], None]) -> None:
        """Pick a programme's or project's delivery confidence (tui/screens/dca.py), then ask for the
        reason and write method(record.id, record.version, dca, reason, base=...) as set_with_reason."""
        from tui.screens.dca import CANCELLED, DcaChooser

        def chosen(dca: str | None) -> None:
            if dca == CANCELLED:
                return
            base = {"dca": record.dca, "dca_reason": record.dca_reason}
            self.set_with_reason(f"Set the delivery confidence of {what} to {dca or 'not assessed'}",
                                 method, record, dca, base, then)

        self.app.push_screen(DcaChooser(what, record.dca), chosen)

    def filter_box(self, create: bool = False) -> Input | None:
        """The '/' line (created hidden when first asked for with create=True)."""
        return self._hidden_line(
            "filter",
            Input,
            lambda: FilterInput(
                placeholder="Filter: type to narrow the list; Enter keeps it, Escape clears it", id="filter"
            ),
            create,
        )

    def on_screen_suspend(self) -> None:
        # A dialog opened over this screen leaves this footer in view: it lists the dialog's keys.
        if isinstance(self.app.screen, ModalScreen):
            with contextlib.suppress(NoMatches):
                self.query_one(KeyBar).show_dialog(self.app.screen)

    def on_screen_resume(self, event) -> None:
        # Subclasses override resumed(), not this: Textual would call both handlers.
        with contextlib.suppress(NoMatches):
            self.query_one(KeyBar).show_dialog(None)
        self.resumed()

    def resumed(self) -> None:
        """This screen is in view again (pushed, or the screen above it closed)."""
        if self.stale or self.behind():
            self.stale = False
            self.read_at = self.app.store.writes
            self.reload()
        else:
            self.refresh_top()

    def behind(self) -> bool:
        """True if this window has written to the file since this screen last read it."""
        return self.read_at != self.app.store.writes

    def refresh_top(self, crumb: str | None = None) -> None:
        with contextlib.suppress(NoMatches):  # a screen without the top lines
            self.query_one(TopBar).refresh_info(crumb)

    # -- to fill in ------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch this screen's data again (the file changed)."""

    def list_widget(self):
        """The list the filter applies to and focus returns to."""
        raise NotImplementedError

    def apply_filter(self, text: str) -> None:
        self.list_widget().set_filter(text)

    def filter_text(self) -> str:
        return self.list_widget().filter_text

    # -- filter and back ---------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.filter_box(create=True)
        if box is None:
            return
        box.display = True
        self.refresh_bindings()  # Escape now clears the filter: the footer says so
        box.value = self.filter_text()
        box.cursor_position = len(box.value)
        if box.is_mounted:
            self.set_focus(box)  # now, not after the next frame: the next key is already on its way
        else:
            self.call_after_refresh(box.focus)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            event.stop()
            self.apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            event.stop()
            event.input.display = bool(event.value.strip())
            self.refresh_bindings()
            self.set_focus(self.list_widget())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape is a key of the footer only where it does something: a filter to clear, or a
        screen to go back from (home, unfiltered, has neither)."""
        if action == "back" and len(self.app.screen_stack) <= 1:
            return self._narrowed()
        return True

    def _narrowed(self) -> bool:
        """A '/' filter is open or set, or a quick filter (f) narrows the list: Escape clears them."""
        box = self.filter_box()
        only = getattr(self.list_widget(), "only", None)
        return bool((box is not None and box.display) or self.filter_text() or only)

    def action_back(self) -> None:
        if self._narrowed():
            vlist = self.list_widget()
            quick = getattr(vlist, "only", None)
            if quick:
                vlist.only = None  # the query below, or the one here, reads every row again
            box = self.filter_box()
            if (box is not None and box.display) or self.filter_text():
                if box is None:
                    box = self.filter_box(create=True)
                if box is not None:
                    box.value = ""
                    box.display = False
                self.apply_filter("")
            elif quick:
                vlist.requery()
            self.refresh_bindings()
            self.set_focus(vlist)  # at once: a key typed next goes to the list
            return
        self.go_back()

    def go_back(self) -> None:
        """Back one level of the breadcrumb: usually the screen below; a project opened from the
        palette (straight from home) goes back to its programme, with the project selected."""
        app = self.app
        if len(app.screen_stack) <= 1:
            return
        up = self.breadcrumb_up()
        app.pop_screen()
        below = app.screen
        shows = (getattr(below, "owner_kind", None), getattr(below, "owner_id", None))
        if up is not None and shows != up[:2]:
            app.open_owner(*up)

    def breadcrumb_up(self) -> tuple[str, int, tuple[str, int]] | None:
        """The screen one level up the breadcrumb when it is a programme: (kind, id, what to select
        there); None when it is home."""
        record = getattr(self, "record", None)
        if getattr(self, "owner_kind", None) == "project" and record is not None:
            return ("programme", record.programme_id, ("projects", record.id))
        return None
