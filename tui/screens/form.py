"""A form dialog for one record: a line per field, the store's message beside the field it names.

It fits the screen at any size: the title stays at the top and Save/Cancel at the foot while the
fields between them scroll, the field with the keys kept in view. Dates are shown as "1 Mar 2014"
and typed in any style the store reads. A field left as shown keeps the value it was given, so a
form left unchanged saves nothing, and Escape closes it at once; a changed one asks first.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from store.errors import ValidationError
from store.text import day
from tui import safe
from tui.app_typing import OfRagboard
from tui.compat import FocusWithoutRepaint
from tui.screens.base import KeepsStyles
from tui.widgets.safe_input import SafeInput

# What the line under the fields says while a field without help of its own has the keys.
KEYS_HINT = "Tab and shift+tab move between fields · ctrl+s saves · Esc cancels"
WARN_DELAY = 0.5  # seconds after the last key typed before the store is asked for warnings

Preview = Callable[[dict[str, str]], list[str]]


class Conflict(Exception):
    """Raised by a form's submit when the record changed elsewhere in a field the user changed too:
    the form stays open with what was typed, shows the other person's value beside each such
    field (theirs), takes their new values for fields the user left alone (refreshed), and the
    next save goes over the latest version."""

    def __init__(self, message: str, theirs: dict[str, str], refreshed: dict[str, str]) -> None:
        super().__init__(message)
        self.message, self.theirs, self.refreshed = message, theirs, refreshed


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the store's name for the field: its ValidationError.field
    options: tuple[str, ...] = ()
    multiline: bool = False
    placeholder: str = ""  # a hint, never a value: drawn dim and italic, an example starts "e.g."
    date: bool = False  # shown as "1 Mar 2014"; typed as 2014-03-01, 01/03/2014 or 1 Mar 2014
    kind: str = ""  # the record kind it belongs to: what the store's warnings are asked about
    help: str = ""  # said under the fields while this field has the keys


def subject(title: str) -> str:
    """What a form's title names, for a question about it: "Edit risk R1" -> "risk R1"."""
    if title.startswith("Edit "):
        return title[len("Edit "):]
    if title.startswith("New "):
        return "the new " + title[len("New "):]
    return "the " + title[:1].lower() + title[1:] if title else "this form"


class FormScreen(OfRagboard, KeepsStyles, FocusWithoutRepaint, ModalScreen):
    """Edit or add a record. submit(values) makes ONE store call and returns the saved record;
    a ValidationError it raises is shown beside its field and the form stays open.

    submit may carry a preview (values -> the store's warnings about them, see tui/forms.py): the
    form shows them under the fields as the user leaves a field or pauses typing. They never
    stop a save."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]
    # Under SHORT rows the fields close up (no blank line between them) and the buttons take one line.
    SHORT = 36
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT, "-tall")]  # noqa: RUF012 - Textual declares it per instance

    def __init__(self, title: str, fields: list[Field], values: dict[str, str],
                 submit: Callable[[dict[str, str]], Any], note: str = "") -> None:
        super().__init__()
        # The class for the screen's height from the start: one first set as it is shown would
        # restyle the whole form (what a form built ahead, or kept, is there to save).
        self.add_class("-short" if self.app.size.height < self.SHORT else "-tall", update=False)
        self.fields = fields
        self.title_text, self.values, self.submit, self.note = title, values, submit, note
        self.saving = False  # a save is on its way to the file
        self.clashed = False  # a conflict is shown: Escape leaves the other person's values, unasked
        self._warned: dict[str, str] | None = None  # the values the warnings shown are about
        self._warn_timer: Timer | None = None

    def compose(self):
        with Vertical(id="dialog", classes="form"):
            with Vertical(id="form-head"):  # docked at the top
                yield Label(safe.literal(self.title_text), id="dialog-title")
                yield Static(safe.literal(self.note, multiline=True), id="form-note")  # hidden without one
            with VerticalScroll(id="form-fields"):
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(f.label, classes="form-label")
                        value = self.values.get(f.key, "")
                        if f.options:
                            yield Select(  # an option may be a name: shown literally, never as markup
                                [(safe.literal(o), o) for o in f.options],
                                value=value if value in f.options else Select.NULL,
                                allow_blank=value not in f.options,
                                id=f"field-{f.key}",
                                classes="form-input",
                            )
                        elif f.multiline:
                            yield TextArea(
                                safe.plain(value, multiline=True),
                                id=f"field-{f.key}",
                                classes="form-input form-text",
                                soft_wrap=True,
                                show_line_numbers=False,
                            )
                        else:
                            yield SafeInput(
                                self.shown(f, value), placeholder=f.placeholder, id=f"field-{f.key}",
                                classes="form-input"
                            )
                    yield Static("", id=f"error-{f.key}", classes="form-error")
            # Docked at the foot, after the fields in the focus order: Tab from the last field is Save.
            with Vertical(id="form-foot"):
                yield Static("", id="form-warnings")
                yield Static("", id="form-message", classes="form-error")
                yield Static(KEYS_HINT, id="form-hint")
                with Horizontal(id="dialog-buttons"):
                    yield Button("Save (ctrl+s)", variant="primary", id="save")
                    yield Button("Cancel (esc)", id="cancel")

    @staticmethod
    def shown(f: Field, value: str) -> str:
        """A value as its field shows it: a date in words ("1 Mar 2014"), the rest as given."""
        return day(value) if f.date and value else value

    @staticmethod
    def layout_of(fields: list[Field], values: dict[str, str]) -> tuple:
        """What the form's widgets depend on: forms with the same layout can be one screen, refilled."""
        return tuple(fields), tuple(values.get(f.key, "") in f.options for f in fields if f.options)

    def on_mount(self) -> None:
        for widget in self.query(".form-input"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = self.app.cursor_blink
        self._start()

    def refill(
        self, title: str, values: dict[str, str], submit: Callable[[dict[str, str]], Any], note: str = ""
    ) -> None:
        """Show another record in this form (of the same layout), as if it were new."""
        self.title_text, self.values, self.submit, self.note = title, values, submit, note
        self.saving = False
        self.query_one("#dialog-title", Label).update(safe.literal(title))
        self.query_one("#form-note", Static).update(safe.literal(note, multiline=True))
        for f in self.fields:
            widget = self.query_one(f"#field-{f.key}")
            value = values.get(f.key, "")
            if isinstance(widget, Select):
                widget.value = value if value in f.options else Select.NULL
            elif isinstance(widget, TextArea):
                widget.load_text(safe.plain(value, multiline=True))
            elif isinstance(widget, Input):
                widget.value = self.shown(f, value)
                widget.cursor_position = len(widget.value)
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False)
        self._start()

    def _start(self) -> None:
        """No messages shown, and the keys in the first field, its text selected (typing replaces it)."""
        self.clashed = False
        self._warned = None
        self.query_one("#form-note").display = bool(self.note)
        self.query_one("#form-warnings").display = False
        for error in self.query(".form-error"):
            error.display = False
        first = self.query(".form-input").first()
        first.focus()
        if isinstance(first, Input) and first.select_on_focus:
            first.select_all()  # a kept form's field may have the focus already: no Focus event selects it
        self._say_help(first)
        if self.preview is not None:
            self.call_after_refresh(self.warn)  # what the record holds may already deserve a warning

    def collect(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.key}")
            if isinstance(widget, Select):
                value = widget.value
                out[f.key] = "" if value is Select.NULL or value is None else str(value)
            elif isinstance(widget, TextArea):
                out[f.key] = self._as_given(f, widget.text, multiline=True)
            elif isinstance(widget, Input):
                out[f.key] = self._as_given(f, widget.value)
        return out

    def _as_given(self, f: Field, typed: str, multiline: bool = False) -> str:
        """A field left as shown keeps the value it was given: a date shown in words, or one whose
        control characters were shown as pictures, is not changed by a save of another field."""
        given = self.values.get(f.key, "")
        if typed != given and typed == safe.plain(self.shown(f, given), multiline=multiline):
            return given
        return typed

    def changed(self) -> list[Field]:
        """The fields whose value differs from the one the form was given."""
        values = self.collect()
        return [f for f in self.fields if values[f.key] != self.values.get(f.key, "")]

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Pasted control characters become visible pictures (tui/safe.py), as in a one-line field."""
        area = event.text_area
        if safe.plain(area.text, multiline=True) != area.text:
            area.load_text(safe.plain(area.text, multiline=True))
        self._warn_soon()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._warn_soon()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.warn()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._say_help(event.widget)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.has_class("form-input") and self.is_current:  # not as the form closes
            self.warn()

    def _say_help(self, widget: object) -> None:
        key = getattr(widget, "id", None) or ""
        found = next((f for f in self.fields if f"field-{f.key}" == key), None)
        self.query_one("#form-hint", Static).update(found.help if found is not None and found.help
                                                    else KEYS_HINT)

    # -- warnings: the store's view of the values as typed ----------------------------------------

    @property
    def preview(self) -> Preview | None:
        return getattr(self.submit, "preview", None)

    def _warn_soon(self) -> None:
        if self.preview is None or not self.is_mounted:
            return
        if self._warn_timer is not None:
            self._warn_timer.stop()
        self._warn_timer = self.set_timer(WARN_DELAY, self.warn)

    def warn(self) -> None:
        """Ask the store what it would warn about in the values as typed, and show it under the
        fields. Advisory: a busy or unreadable file, or a value it cannot read yet, shows nothing
        new (the save says what is wrong)."""
        preview = self.preview
        if preview is None or not self.is_mounted:
            return
        try:
            values = self.collect()
        except NoMatches:  # asked after a refresh, and the form was taken down meanwhile (the app closing)
            return
        if values == self._warned:
            return
        lock = self.app.store_lock
        if not lock.acquire(blocking=False):  # a write is on its way: ask again shortly
            self._warn_soon()
            return
        try:
            found = preview(values)
        except Exception:  # noqa: BLE001 - a warning is advice: no answer is no warning
            found = []
        finally:
            lock.release()
        self._warned = values
        line = self.query_one("#form-warnings", Static)
        line.update(safe.literal("\n".join(f"Warning: {w}" for w in found), multiline=True))
        line.display = bool(found)

    # -- saving and leaving -------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close; a form with changes asks first (and keeps them if the answer is no). After a
        conflict Escape is the offered way to leave the other person's values: it asks nothing."""
        if self.saving:
            self.notify("Saving: the form closes once the file has answered.", title="Waiting")
            return
        changed = self.changed()
        if not changed or self.clashed:
            self.dismiss(None)
            return
        from tui.screens.confirm import ConfirmScreen

        names = [f.label for f in changed]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        question = ConfirmScreen(
            f"Discard your changes to {subject(self.title_text)}?",
            f"You changed {listed}. y discards your changes; n goes back to the form as you left it.",
            yes="Discard",
        )

        def answered(yes: bool | None) -> None:
            if yes and self.is_current:
                self.dismiss(None)

        self.app.push_screen(question, answered)

    def show_error(self, field: str, message: str) -> None:
        for error in self.query(".form-error"):
            error.display = False
        for f in self.fields:
            if f.label == field:
                target = self.query_one(f"#error-{f.key}", Static)
                target.update(safe.literal(f"{f.label}: {message}"))
                target.display = True
                self.query_one(f"#field-{f.key}").focus()
                return
        target = self.query_one("#form-message", Static)
        target.update(safe.literal(f"{field}: {message}"))
        target.display = True

    def show_conflict(self, conflict: Conflict) -> None:
        for error in self.query(".form-error"):
            error.display = False
        first = None
        for f in self.fields:
            if f.key in conflict.refreshed:
                self._put(f, conflict.refreshed[f.key])
            if f.key in conflict.theirs:
                target = self.query_one(f"#error-{f.key}", Static)
                theirs = self.shown(f, conflict.theirs[f.key])
                target.update(safe.literal(f"Now {theirs or '(blank)'}: ctrl+s keeps yours"))
                target.display = True
                first = first or f
        message = self.query_one("#form-message", Static)
        message.update(safe.literal(conflict.message, multiline=True))
        message.display = True
        self.clashed = True
        if first is not None:
            self.query_one(f"#field-{first.key}").focus()

    def _put(self, f: Field, value: str) -> None:
        self.values = {**self.values, f.key: value}
        widget = self.query_one(f"#field-{f.key}")
        if isinstance(widget, Select):
            widget.value = value if value in f.options else Select.NULL
        elif isinstance(widget, TextArea):
            widget.load_text(value)
        elif isinstance(widget, Input):
            widget.value = self.shown(f, value)

    def action_save(self) -> None:
        """Save through the app's write (at once, or in a thread when the file is busy): the form
        stays, and takes no second save, until the file has answered."""
        if self.saving:
            return
        self.saving = True
        self.app.write(self.submit, self.collect(), then=self._saved, failed=self._not_saved)

    def _saved(self, result: Any) -> None:
        self.saving = False
        if self.is_current:
            self.dismiss(result if result is not None else True)

    def _not_saved(self, exc: BaseException) -> bool:
        """A refusal this form shows itself (True), or one the app says after the form closes."""
        self.saving = False
        if isinstance(exc, ValidationError):
            self.show_error(exc.field, exc.message)
            return True
        if isinstance(exc, Conflict):
            self.show_conflict(exc)
            return True
        if self.is_current:
            self.dismiss(None)  # the app says why (conflict, read-only, busy...) and reloads
        return False
