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

_SHOWN = "\ufffd"  # the replacement character: visible, and one cell wide

# C0 controls as their control pictures (U+2400 + code), DEL as U+2421.
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"
_TABLE[ord("\t")] = " "
_TABLE.update({code: _SHOWN for code in range(0x80, 0xA0)})  # C1, including the 8-bit CSI (0x9B)
# Bidi overrides and isolates reorder the rest of the line (a name could show as something it is
# not). The marks LRM, RLM and ALM (U+200E, U+200F, U+061C) only say which way a neutral character
# runs: Arabic and Hebrew typists use them, the store keeps them, and they are shown as typed.
_TABLE.update({code: _SHOWN for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_TABLE[0x2028] = " "  # line separator
_TABLE[0x2029] = " "  # paragraph separator
_ONE_LINE = {**_TABLE, ord("\n"): " ", ord("\r"): " "}
_LINES = {**_TABLE, ord("\n"): "\n", ord("\r"): " "}


def plain(value: object, *, multiline: bool = False) -> str:
    """The value as a string that is safe to put on screen (None is blank)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # most text: no copy (printable excludes every character in the table)
        return text
    return text.translate(_LINES if multiline else _ONE_LINE)


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
