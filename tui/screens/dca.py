"""The delivery confidence chooser: the IPA's five points, each with its published definition.

d on a programme or project opens it; Enter (or 1-5, 0 for not assessed) picks, and the screen
below then asks for the reason, as a RAG set by hand does. Escape picks nothing.
"""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store import DCA_DEFINITIONS, DCAS
from tui import fmt, safe
from tui.screens.base import KeepsStyles

NOT_ASSESSED = "Not assessed"
# What the chooser hands back when Escape closes it: distinct from None, which clears the DCA.
CANCELLED = ""


def option_text(value: str | None) -> Text:
    """A point of the scale as the chooser lists it: its colour and letters, then its definition."""
    text = fmt.dca(value)
    definition = DCA_DEFINITIONS.get(value or "", "No assessment recorded; the RAG alone is reported.")
    text.append(f"\n{definition}\n", style="")
    return text


class DcaChooser(KeepsStyles, ModalScreen[str | None]):
    """Pick a delivery confidence: dismissed with one of DCAS, None (not assessed) or CANCELLED."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dca.cancel"),
        *(Binding(str(i), f"pick({i})", value, show=False, id=f"dca.pick{i}")
          for i, value in enumerate((NOT_ASSESSED, *DCAS))),
    ]

    def __init__(self, what: str, current: str | None) -> None:
        super().__init__()
        self.what = what
        self.current = current

    def compose(self):
        with Vertical(id="dialog", classes="dca"):
            yield Label(safe.literal(f"Delivery confidence of {self.what}"), id="dialog-title")
            yield OptionList(*(Option(option_text(v), id=v or NOT_ASSESSED) for v in (*DCAS, None)),
                             id="dca-options")
            yield Label("The IPA's definitions. Enter picks (or 1-5; 0: not assessed); a reason is "
                        "asked next. Escape: no change.", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = DCAS.index(self.current) if self.current in DCAS else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.dismiss(None if chosen == NOT_ASSESSED else chosen)

    def action_pick(self, number: int) -> None:
        self.dismiss(DCAS[number - 1] if number else None)

    def action_cancel(self) -> None:
        self.dismiss(CANCELLED)
