"""A form dialog for one record: a line per field, the store's message beside the field it names."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from store.errors import ValidationError
from tui import safe
from tui.app_typing import OfRagboard
from tui.screens.base import KeepsStyles
from tui.widgets.safe_input import SafeInput


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
    placeholder: str = ""


class FormScreen(OfRagboard, KeepsStyles, ModalScreen):
    """Edit or add a record. submit(values) makes ONE store call and returns the saved record;
    a ValidationError it raises is shown beside its field and the form stays open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    def __init__(self, title: str, fields: list[Field], values: dict[str, str],
                 submit: Callable[[dict[str, str]], Any], note: str = "") -> None:
        super().__init__()
        self.fields = fields
        self.title_text, self.values, self.submit, self.note = title, values, submit, note
        self.saving = False  # a save is on its way to the file

    def compose(self):
        with Vertical(id="dialog", classes="form"):
            yield Label(safe.literal(self.title_text), id="dialog-title")
            yield Static(
                safe.literal(self.note, multiline=True), id="form-note"
            )  # hidden while there is no note
            with VerticalScroll(id="form-fields"):
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(f.label, classes="form-label")
                        value = self.values.get(f.key, "")
                        if f.options:
                            yield Select(
                                [(o, o) for o in f.options],
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
                                value, placeholder=f.placeholder, id=f"field-{f.key}", classes="form-input"
                            )
                    yield Static("", id=f"error-{f.key}", classes="form-error")
            yield Static("", id="form-message", classes="form-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

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
                widget.value = value
                widget.cursor_position = len(widget.value)
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False)
        self._start()

    def _start(self) -> None:
        """No messages shown, and the keys in the first field, its text selected (typing replaces it)."""
        self.query_one("#form-note").display = bool(self.note)
        for error in self.query(".form-error"):
            error.display = False
        first = self.query(".form-input").first()
        first.focus()
        if isinstance(first, Input) and first.select_on_focus:
            first.select_all()  # a kept form's field may have the focus already: no Focus event selects it

    def collect(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.key}")
            if isinstance(widget, Select):
                value = widget.value
                out[f.key] = "" if value is Select.NULL or value is None else str(value)
            elif isinstance(widget, TextArea):
                out[f.key] = self._as_given(f.key, widget.text, multiline=True)
            elif isinstance(widget, Input):
                out[f.key] = self._as_given(f.key, widget.value)
        return out

    def _as_given(self, key: str, typed: str, multiline: bool = False) -> str:
        """A field left as shown keeps the value it was given: one whose control characters were
        shown as pictures is not changed by a save of another field."""
        given = self.values.get(key, "")
        return given if typed != given and typed == safe.plain(given, multiline=multiline) else typed

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Pasted control characters become visible pictures (tui/safe.py), as in a one-line field."""
        area = event.text_area
        if safe.plain(area.text, multiline=True) != area.text:
            area.load_text(safe.plain(area.text, multiline=True))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if self.saving:
            self.notify("Saving: the form closes once the file has answered.", title="Waiting")
            return
        self.dismiss(None)

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
                target.update(safe.literal(f"Now {conflict.theirs[f.key] or '(blank)'}: ctrl+s keeps yours"))
                target.display = True
                first = first or f
        message = self.query_one("#form-message", Static)
        message.update(safe.literal(conflict.message, multiline=True))
        message.display = True
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
            widget.value = value

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
