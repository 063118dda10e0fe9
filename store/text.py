"""How ragboard writes dates and long names in words: one style, wherever they are shown."""
from __future__ import annotations

import datetime as dt

__all__ = ["MONTHS", "day", "shorten"]

# English month abbreviations, whatever the machine's locale (strftime's %b follows the locale).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ELLIPSIS = "…"
# What a shortened text loses before its "…": a dangling dash or comma reads as a typo.
_TRAILING = " ,;:-–—/&+"


def day(iso: str | None) -> str:
    """A stored ISO date as ragboard shows it: "1 Mar 2014" ("" for None).

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
    return f"{date.day} {MONTHS[date.month - 1]} {date.year:04d}"


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
