"""A one-line input whose text is always safe to show (see tui/safe.py).

What is pasted or put in may hold control or bidi characters: they become visible pictures as the
value is set, before the line is drawn, so the terminal never receives them.
"""
from __future__ import annotations

from textual.widgets import Input

from tui import safe


class SafeInput(Input):
    def validate_value(self, value: str) -> str:
        # Textual calls validate_<reactive> on every assignment, typing and pasting included.
        return safe.plain(value)
