"""How values read on screen: RAG letter and word with colour, money, dates, slippage.

RAG is never colour alone: every cell carries its letter and word, so it reads with NO_COLOR
and in a snapshot diff.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text

from tui.safe import plain

RAG_LETTER = {"Red": "R", "Amber": "A", "Green": "G", "Complete": "C", "Not rated": "-", None: "-"}
RAG_STYLE = {
    "Red": "bold #ffffff on #b71c1c",
    "Amber": "bold #000000 on #ffb300",
    "Green": "bold #ffffff on #2e7d32",
    "Complete": "bold #ffffff on #1565c0",
}
BAND_STYLE = {
    "Green Delivered": RAG_STYLE["Green"],
    "Green On Target": "#ffffff on #43a047",
    "Amber": RAG_STYLE["Amber"],
    "Red": RAG_STYLE["Red"],
}
DERIVED_MARK = "*"
LEGEND = "* = derived from milestones and projects; no mark = set by hand"


def rag(value: str | None, *, derived: bool = False, width: int = 0) -> Text:
    """'R Red', 'A Amber*', 'C Complete', '- Not rated' with the RAG's colour."""
    word = value or "Not rated"
    label = f"{RAG_LETTER.get(value, '-')} {word}"
    if derived and value:
        label += DERIVED_MARK
    text = Text(f" {label} ".ljust(width) if width else f" {label} ", style=RAG_STYLE.get(value or "", "dim"))
    return text


def band(value: str | None) -> Text:
    word = value or "Not rated"
    letter = {"Green Delivered": "G", "Green On Target": "G", "Amber": "A", "Red": "R"}.get(word, "-")
    return Text(f" {letter} {word} ", style=BAND_STYLE.get(word, "dim"))


def money(amount: int | None) -> str:
    if amount is None:
        return ""
    if amount < 0:
        return f"-£{-amount:,}"
    return f"£{amount:,}"


def date(value: str | None) -> str:
    """An ISO date as '22 Sep 2017'; anything else as it stands."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).strftime("%d %b %Y").lstrip("0")
    except ValueError:
        return plain(value)


def slippage(days: int | None) -> Text:
    if days is None:
        return Text("")
    if days > 0:
        return Text(f"+{days}d late", style="bold")
    if days < 0:
        return Text(f"{-days}d early")
    return Text("on plan")


def score(likelihood: int | None, impact: int | None, value: int | None, rag_value: str | None) -> Text:
    """'4x5=20 R Red' for a risk rating, or 'not rated'."""
    if value is None:
        return Text("not rated", style="dim")
    text = Text(f"{likelihood}x{impact}={value:<2} ")
    text.append_text(rag(rag_value))
    return text


def one_line(value: str, limit: int = 80) -> str:
    flat = " ".join(plain(value).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def change_value(value) -> str:
    if value is None:
        return "(blank)"
    if isinstance(value, dict):
        if "amount" in value and "year" in value:
            return f"{value['year']} {value.get('kind', '')} {money(value['amount'])}"
        return one_line(value.get("name") or value.get("description") or value.get("code") or "record", 40)
    return one_line(str(value), 40)
