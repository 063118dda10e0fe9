"""Text from a user or a file, made safe to show: literal, never markup, never terminal control.

Every record value reaches the screen through plain() or literal(). Markup is never parsed from
data (a name "[/]" shows as typed), and characters that would act on the terminal or reorder the
line (C0 and C1 controls, ESC, DEL, bidi overrides and isolates, line and paragraph separators;
not the direction marks LRM, RLM and ALM, which the store keeps)
are shown visibly instead: a control picture (ESC as U+241B), or U+FFFD where Unicode has none.
Each character maps to exactly one, so a Text's styled spans stay where they were.
"""
from __future__ import annotations

from rich.text import Text

from store.text import plain

__all__ = ["literal", "made_safe", "plain"]


def literal(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich Text of the value, shown exactly as written (apart from plain()'s replacements)."""
    return Text(plain(value, multiline=multiline), style=style)


def made_safe(text: Text, *, multiline: bool = True) -> Text:
    """A Text whose characters are made safe in place, its styles kept (each character maps to one)."""
    cleaned = plain(text.plain, multiline=multiline)
    if cleaned == text.plain:
        return text
    text = text.copy()
    text.plain = cleaned
    return text
