"""One change in full: Enter on a history row opens it, u undoes it (after asking), Escape closes.

A history row is one line; a reason, a long name or a whole added record does not fit in it. Here
every value is shown whole, wrapped: the item, the field by the name the user knows, the old and
new values, the reason, who and when.
"""
from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from store import Change, field_label
from store.fields import specs
from store.text import day, shorten
from tui import fmt, safe
from tui.app_typing import OfRagboard
from tui.screens.base import KeepsStyles

# Fields whose values are ISO dates: shown as "1 Mar 2014".
DATES = frozenset({"due", "baseline", "forecast", "actual", "status_date"})
# What a whole record (added or deleted) holds that is no one's business to read: its place and bookkeeping.
HIDDEN = frozenset({"id", "version", "position", "portfolio_id", "programme_id", "project_id"})
# A RAG set by hand returns to the one rolled up from below when it is blank.
DERIVED_RAGS = frozenset({("programme", "rag"), ("project", "rag")})


def when(at: str) -> str:
    """A change's UTC time stamp as "31 Mar 2014 09:30 UTC"."""
    date, _, time = at.removesuffix("Z").partition("T")
    # Made safe: a file written by another tool may hold anything here, and day() hands back
    # what is not a date as it is.
    return safe.plain(f"{day(date)} {time[:5]} UTC" if time else f"{day(date)} UTC")


def value_text(kind: str, field: str, value: Any) -> str:
    """One field's value as a user reads it, whole (never cut)."""
    if value is None or value == "":
        return "(derived)" if (kind, field) in DERIVED_RAGS else "(blank)"
    if field in DATES and isinstance(value, str):
        return safe.plain(day(value))
    if kind == "saving" and field == "amount" and isinstance(value, int):
        return fmt.money(value)
    return safe.plain(value, multiline=True)


def record_lines(kind: str, record: Any) -> str:
    """An added or deleted record: its fields that hold something, one a line, each with its label."""
    if not isinstance(record, dict):
        return value_text(kind, "", record)
    order = [name for name in specs(kind) if name in record] if kind in _KINDS else []
    order += [name for name in record if name not in order]
    lines = [f"{safe.plain(field_label(kind, name))}: {value_text(kind, name, record[name])}"
             for name in order if name not in HIDDEN and record[name] not in (None, "")]
    return "\n".join(lines) or "(no fields)"


_KINDS = frozenset({"portfolio", "programme", "project", "milestone", "risk", "saving"})


def rows(change: Change) -> list[tuple[str, str]]:
    """The detail's (label, value) rows, in the order read."""
    kind = change.item_kind
    item = f"{safe.plain(kind).capitalize()} {safe.plain(change.item_label, multiline=True)}"
    out = [("Item", item)]
    if change.op == "create":
        out.append(("Added", record_lines(kind, change.new)))
    elif change.op == "delete":
        out.append(("Deleted", record_lines(kind, change.old)))
    else:
        out += [("Field", safe.plain(field_label(kind, change.field))),
                ("Was", value_text(kind, change.field, change.old)),
                ("Now", value_text(kind, change.field, change.new))]
    out += [("Reason", safe.plain(change.reason, multiline=True) or "(none given)"),
            ("Who", safe.plain(change.who)),
            ("When", when(change.at))]
    return out


class ChangeDetailScreen(OfRagboard, KeepsStyles, ModalScreen):
    """One change, whole. u: undo it (anyone's, after a confirmation naming who and when), only
    while it can be undone; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "undo", "Undo", id="change.undo", tooltip="Undo this change (asks first)"),
        Binding("escape,q", "close", "Close", id="change.close"),
    ]
    DEFAULT_CSS = """
    ChangeDetailScreen #change-body { height: auto; max-height: 70vh; }
    """

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change
        self.verb = "Undo"  # or "Redo" for a change that was itself an undo
        self.why_not = "Reading whether it can be undone…"  # "" when u can undo it
        self._undo_asked = False  # u was pressed: close once the undo is saved

    @property
    def undoable(self) -> bool:
        return not self.why_not

    def compose(self):
        change = self.change
        title = f"Change to {change.item_kind} {shorten(safe.plain(change.item_label), 60)}"
        with Vertical(id="dialog", classes="change-detail"):
            yield Label(safe.literal(title), id="dialog-title")
            with VerticalScroll(id="change-body"):
                yield Static(self._table(), id="change-fields")
            yield Static(id="change-undo", classes="dialog-hint")

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column("What", style="bold", no_wrap=True)
        table.add_column("Value", overflow="fold", ratio=1)
        for label, value in rows(self.change):
            table.add_row(label, Text(value))
        return table

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#change-body").focus()  # up and down scroll a long reason or record

    def on_screen_resume(self, event) -> None:
        if self._undo_asked:  # back from the question: undone (close), or not (u stays offered)
            self.reload()

    def reload(self) -> None:
        """Whether u can undo the change now (the file may have moved on: reloads call this too)."""
        ok, group = self.app.attempt(self.app.store.change_group_info, self.change.group_id)
        if not ok:
            self.why_not = "The change could not be read again from the file."
        elif self._undo_asked and group.reverted:
            # Undone as asked: back to the history, which shows the undo on top (once: a reload
            # and the resume after the question may both get here).
            self._undo_asked = False
            if self.is_current:
                self.dismiss()
            return
        else:
            self.verb = "Redo" if group.kind == "undo" else "Undo"
            if group.kind == "import":
                self.why_not = "This change loaded a whole portfolio; it cannot be undone."
            elif group.reverted:
                self.why_not = f"This change was {'redone' if group.kind == 'undo' else 'undone'} already."
            elif self.app.store.read_only:
                self.why_not = "The file is read-only, so this change cannot be undone here."
            else:
                self.why_not = ""
        self._undo_asked = False
        if self.undoable:
            hint = f"u: {self.verb.lower()} this change (asks first).  Escape closes."
        else:
            hint = f"{self.why_not}  Escape closes."
        self.query_one("#change-undo", Static).update(Text(hint))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self.undoable
        return True

    def action_undo(self) -> None:
        if not self.undoable:
            return
        self._undo_asked = True
        self.app.offer_undo(self.change)

    def action_close(self) -> None:
        self.dismiss()
