"""How values read on screen: RAG letter and word with colour, money, dates, slippage.

RAG is never colour alone: every cell carries its letter and word, so it reads with NO_COLOR
and in a snapshot diff. One RAG display everywhere: a derived RAG (rolled up from milestones or
projects, or a risk's from L x I) carries the derived mark; one set by hand shows the derived
one beside it, "A Amber (set; derived R)".
"""
from __future__ import annotations

from rich.text import Text

from store import field_label
from store import text as words
from store.inferred import parse
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
INFERRED_MARK = "≈"
LEGEND = ("* = derived (from milestones and projects; a risk's from L x I); "
          "set = set by hand, the derived one beside it; ≈ = inferred, not printed (e on it says why)")


def rag(value: str | None, *, derived: bool = False, width: int = 0) -> Text:
    """'R Red', 'A Amber*', 'C Complete', '- Not rated' with the RAG's colour."""
    word = value or "Not rated"
    label = f"{RAG_LETTER.get(value, '-')} {word}"
    if derived and value:
        label += DERIVED_MARK
    text = Text(f" {label} ".ljust(width) if width else f" {label} ", style=RAG_STYLE.get(value or "", "dim"))
    return text


def rolled_rag(record) -> Text:
    """A programme's or project's RAG: derived, marked so; or set by hand, with the derived one beside
    it: 'A Amber (set; derived R)'."""
    if record.rag_is_derived:
        return rag(record.rolled_rag, derived=True)
    text = rag(record.rolled_rag)
    text.append(f"(set; derived {RAG_LETTER.get(record.derived_rag, '-')})", style="dim")
    return text


SET_NOTE = "(set; derived "


def short_rag(cell):
    """rolled_rag's cell for a narrow list: 'A Amber (set; R)', the derived one still beside it."""
    if not isinstance(cell, Text):
        return cell
    at = cell.plain.find(SET_NOTE)
    if at < 0:
        return cell
    cut = at + len(SET_NOTE) - len("derived ")
    return cell[:cut] + cell[at + len(SET_NOTE):]


def rag_words(record) -> str:
    """rolled_rag in words, for a notice: 'Amber (set by hand; derived Red)' or 'Red (derived)'."""
    word = record.rolled_rag or "Not rated"
    if record.rag_is_derived:
        return f"{word} (derived)"
    return f"{word} (set by hand; derived {record.derived_rag or 'Not rated'})"


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


def net_for_year(net: int, year: str) -> Text:
    """A net savings figure with its financial year: '£1,855,000 2014/15'."""
    return Text.assemble(money(net), (f" {plain(year)}", "dim"))


def without_year(cell):
    """net_for_year's cell for a narrow list: the figure alone (the heading and legend say the year is
    the financial year its portfolio's paper reports, else the status date's)."""
    if not isinstance(cell, Text) or " " not in cell.plain:
        return cell
    return cell[: cell.plain.index(" ")]


def date(value: str | None) -> str:
    """An ISO date as '22 Sep 2017' (the store's one style); anything else as it stands."""
    if not value:
        return ""
    return plain(words.day(value))


def slippage(days: int | None) -> Text:
    if days is None:
        return Text("")
    if days > 0:
        return Text(f"+{days}d late", style="bold")
    if days < 0:
        return Text(f"{-days}d early")
    return Text("on plan")


def score(likelihood: int | None, impact: int | None, value: int | None, rag_value: str | None,
          printed: str = "") -> Text:
    """'4x5=20 R Red' for a risk rating, or 'not rated'; with the rating as its paper printed it
    beside the RAG it maps to: '3x4=12 A Amber* (Orange)'."""
    if value is None:
        return Text("not rated", style="dim")
    text = Text(f"{likelihood}x{impact}={value:<2} ")
    text.append_text(rag(rag_value, derived=True))  # worked out from L x I, never set by hand
    if printed:
        text.append(f" ({plain(printed)})", style="italic")
    return text


def inferred(record, field: str, cell: str | Text) -> Text:
    """The cell of a record's field, marked with a dim ≈ when the value was inferred rather than
    printed (its record says why: store.inferred)."""
    cell = cell if isinstance(cell, Text) else Text(cell)
    if field not in parse(getattr(record, "inferred", "")):
        return cell
    out = Text(INFERRED_MARK, style="dim")
    out.append_text(cell)
    return out


def why_inferred(record) -> str:
    """The reasons a record's inferred values were inferred, a line each, for its form: 'Baseline ≈
    summer read as 31 Aug' ("" when every value is printed)."""
    kind = type(record).__name__.lower()
    return "\n".join(f"{field_label(kind, field)} {INFERRED_MARK} {reason}"
                     for field, reason in parse(getattr(record, "inferred", "")).items())


def one_line(value: str, limit: int = 80) -> str:
    """On one line, cut after the last whole word that fits, with '…'."""
    return words.shorten(plain(value or ""), limit)


def change_value(value, field: str = "") -> str:
    """A history value as it reads; a RAG cleared by hand is the derived one again: '(derived)'."""
    if value is None:
        return "(derived)" if field == "rag" else "(blank)"
    if isinstance(value, dict):
        if "amount" in value and "year" in value:
            return f"{value['year']} {value.get('kind', '')} {money(value['amount'])}"
        return one_line(value.get("name") or value.get("description") or value.get("code") or "record", 40)
    return one_line(str(value), 40)


# -- delivery confidence and trends ----------------------------------------------------------------

DCA_STYLE = {
    "Green": RAG_STYLE["Green"],
    "Amber/Green": "bold #000000 on #c0ca33",
    "Amber": RAG_STYLE["Amber"],
    "Amber/Red": "bold #ffffff on #e65100",
    "Red": RAG_STYLE["Red"],
}
ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def dca(value: str | None, *, short: bool = False) -> Text:
    """A delivery confidence with its letters and colour: ' AG Amber/Green ' (short: ' AG ');
    ' - Not assessed ' when none is set."""
    from store.dca import SHORT

    letters = SHORT.get(value or "", "-")
    label = letters if short else f"{letters} {value or 'Not assessed'}"
    return Text(f" {label} ", style=DCA_STYLE.get(value or "", "dim"))


def dca_letters(value: str | None) -> str:
    from store.dca import SHORT

    return SHORT.get(value or "", "-")


def trend(was: str | None, now: str | None, *, had: bool, dca: bool = False) -> Text:
    """Against the last closed period: '↑ was R' (better), '↓ was G' (worse), '→' (the same), 'was -'
    (rated since); nothing before any period is closed, or for an item added since (had: the item
    was kept when a period closed)."""
    from store import trend as compare

    if not had or (was is None and now is None):
        return Text("")
    direction = compare(was, now, dca=dca)
    if direction == "same":
        return Text(" →", style="dim")
    letter = dca_letters(was) if dca else RAG_LETTER.get(was, "-")
    if direction is None:  # rated since, or no longer: neither better nor worse
        return Text(f" was {letter}")
    return Text(f" {ARROWS[direction]} was {letter}", style="bold" if direction == "down" else "")


def rag_with_trend(record, was) -> Text:
    """rolled_rag, with its trend against the last closed period (was: that period's PeriodItem)."""
    cell = rolled_rag(record)
    cell.append_text(trend(was.rag if was else None, record.rolled_rag, had=was is not None))
    return cell


def dca_with_trend(record, was, *, short: bool = True) -> Text:
    """A delivery confidence with its trend; short: its letters alone (as is one not assessed)."""
    cell = dca(record.dca, short=short or record.dca is None)
    cell.append_text(trend(was.dca if was else None, record.dca, had=was is not None, dca=True))
    return cell


def without_trend(cell):
    """dca_with_trend's cell for a narrow list: the letters alone (' AR '), the trend left to the
    header and the report."""
    if not isinstance(cell, Text):
        return cell
    end = cell.plain.find(" ", 1)
    return cell if end < 0 else cell[: end + 1]
