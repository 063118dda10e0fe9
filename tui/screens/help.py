"""Help: every key that acts on the screen underneath, where it is now (its tab, its focus), with
what it does there, from its bindings (so a remapped key shows as it is) and the screen's own
words for them (see tui/widgets/keybar.py)."""
from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from store import DCA_DEFINITIONS, DCAS
from tui import fmt, safe
from tui.app_typing import OfRagboard
from tui.screens.base import KeepsStyles
from tui.widgets.keybar import keys_in_view

MOVES = [
    ("up / k, down / j", "Move the selection"),
    ("PgUp / PgDn, Home / End", "Move a page, or to the first or last row"),
    ("enter", "Open the selected programme or project; on a milestone, risk or saving, edit it"),
    ("ctrl+p", "Command palette: jump to a programme or project, status dates, theme, history"),
]


def _confidence() -> Table:
    """The delivery confidence scale, as the IPA defines it, and how trends read."""
    table = Table(box=None, show_header=False, padding=(0, 1), title_justify="left",
                  title="Delivery confidence (DCA), the IPA's definitions; d sets it:")
    table.add_column("DCA", no_wrap=True)
    table.add_column("Means")
    for value in DCAS:
        table.add_row(fmt.dca(value), DCA_DEFINITIONS[value])
    table.add_row("↑ ↓ → was",
                  "Against the portfolio's last closed period (palette: Close period): better, worse, "
                  "the same, and what it was. w lists what changed since, with who and why.")
    return table


class HelpScreen(OfRagboard, KeepsStyles, ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self):
        with Vertical(id="dialog", classes="help"):
            yield Label(
                safe.literal(f"Keys: {getattr(self.under, 'crumb', '') or 'this screen'}"), id="dialog-title"
            )
            with VerticalScroll(id="help-body"):
                yield Static(self._table(), id="help-keys")
                yield Static(
                    f"RAG: R Red, A Amber, G Green, C Complete, - Not rated. {fmt.LEGEND}.",
                    classes="dialog-hint",
                )
                yield Static(_confidence(), classes="dialog-hint", id="help-dca")
            yield Static("Escape closes.", classes="dialog-hint")

    def _table(self) -> Table:
        """Every key that acts on the screen underneath, as it is now (its tab, its focus), each
        with what it does there: the moves, then the screen's own keys, then the app's."""
        table = Table(box=None, show_header=True, header_style="bold", padding=(0, 2))
        table.add_column("Key")
        table.add_column("Does")
        describe = getattr(self.under, "describe_key", None)
        keys = keys_in_view(self.under)
        # The moves are listed in MOVES; Enter too, unless the screen says what it does where it is.
        opens = [key for key in keys if key.binding.key == "enter"
                 and describe is not None and describe(key.binding) is not None]
        moves = [(key, does) for key, does in MOVES if key != "enter" or not opens]
        moves[2:2] = [(key.displays, key.words.does) for key in opens[:1]]
        ours = [key for key in keys if not (key.binding.id or "").startswith(("list.", "records."))
                and key.binding.action != "command_palette"]  # MOVES says what ctrl+p opens
        ours.sort(key=lambda key: (key.binding.id or "").startswith("app."))  # the screen's keys first
        self.rows: list[tuple[str, str]] = moves + [(key.displays, key.words.does) for key in ours]
        for key, does in self.rows:
            table.add_row(safe.literal(key), safe.literal(does))
        return table

    def action_close(self) -> None:
        self.dismiss()
