"""How a report writes values: the screens' style (1 Mar 2014, £1,200,000), text made literal."""
from __future__ import annotations

from store.dca import SHORT
from store.text import day, plain

ARROWS = {"up": "↑", "down": "↓", "same": "→"}
LETTER = {"Red": "R", "Amber": "A", "Green": "G", "Complete": "C"}


def money(amount: int | None) -> str:
    if amount is None:
        return ""
    return f"-£{-amount:,}" if amount < 0 else f"£{amount:,}"


def date(iso: str | None) -> str:
    return plain(day(iso)) if iso else ""


def text(value: object) -> str:
    """A value from the file, one line, made literal (control characters shown, never acted on)."""
    return " ".join(plain(value, multiline=True).split()) if value is not None else ""


def letters(value: str | None, *, dca: bool = False) -> str:
    if value is None:
        return "-"
    return SHORT.get(value, value) if dca else LETTER.get(value, value)


def trend(t, *, dca: bool = False) -> str:  # t: facts.Trend
    """'↑ was R', '↓ was AG', '→', 'was -' or '' (no period closed, or added since)."""
    if not t.kept or (t.now is None and t.was is None):
        return ""
    if t.direction == "same":
        return "→"
    was = f"was {letters(t.was, dca=dca)}"
    return f"{ARROWS[t.direction]} {was}" if t.direction in ARROWS else was


def rag_word(value: str | None, *, derived: bool = False) -> str:
    word = value or "Not rated"
    return f"{word} (derived)" if derived and value else word


def period(facts) -> str:  # facts: PortfolioFacts
    """The period a report covers, in words."""
    if facts.closed_before:
        return f"{date(facts.starts)} to {date(facts.ends)}"
    return f"the month to {date(facts.ends)} (no period of this portfolio has been closed yet)"
