"""How ragboard writes dates and long names in words: one style, wherever they are shown."""
from __future__ import annotations

import datetime as dt

__all__ = ["DATE_STYLES", "MONTHS", "column_letter", "day", "plain", "shorten", "use_date_style"]

# English month abbreviations, whatever the machine's locale (strftime's %b follows the locale).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ELLIPSIS = "…"
# What a shortened text loses before its "…": a dangling dash or comma reads as a typo.
_TRAILING = " ,;:-–—/&+"


# The ways a date may be shown (the user's setting: date_style in the config file), by example.
DATE_STYLES = ("1 Mar 2014", "01/03/2014", "2014-03-01")
_style = [DATE_STYLES[0]]


def use_date_style(style: str) -> None:
    """Show every date in style (one of DATE_STYLES) from now on."""
    if style not in DATE_STYLES:
        raise ValueError(f"no date style {style!r}: one of {DATE_STYLES}")
    _style[0] = style


def day(iso: str | None) -> str:
    """A stored ISO date as ragboard shows it: "1 Mar 2014" ("" for None), or in the style the user
    chose (01/03/2014, 2014-03-01).

    Text that is not an ISO date is returned as it is: a display never fails on what a file holds.
    """
    if iso is None:
        return ""
    try:
        date = dt.date.fromisoformat(iso[:10]) if len(iso) >= 10 else None
    except ValueError:
        date = None
    if date is None:
        return iso
    if _style[0] == DATE_STYLES[1]:
        return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"
    if _style[0] == DATE_STYLES[2]:
        return date.isoformat()
    return f"{date.day} {MONTHS[date.month - 1]} {date.year:04d}"


def column_letter(index: int) -> str:
    """A spreadsheet's column as people name it, from its index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def shorten(text: str, width: int) -> str:
    """text on one line, at most width characters: runs of spaces and newlines become one space,
    and a longer text is cut after its last whole word that fits, ending with "…". A first word
    longer than width is itself cut, the only time a word is."""
    if width < 1:
        raise ValueError("width must be at least 1")
    folded = " ".join(text.split())
    if len(folded) <= width:
        return folded
    room = width - len(ELLIPSIS)
    cut = folded[:room + 1]  # one more: a space just past the room means the last word fits whole
    space = cut.rfind(" ")
    kept = cut[:space] if space > 0 else folded[:room]
    kept = kept.rstrip(_TRAILING) or kept.rstrip()
    return kept + ELLIPSIS


# -- text from a user or a file, made safe to show (tui/safe.py, the reports, the command line) --
# Characters that would act on the terminal or reorder the line (C0 and C1 controls, ESC, DEL, bidi
# overrides and isolates, line and paragraph separators) are shown visibly instead: a control
# picture (ESC as U+241B), or U+FFFD where Unicode has none; one character for one, so styled spans
# stay where they were.
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
