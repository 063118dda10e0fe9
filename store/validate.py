"""Checks on values a user gives, returning the clean value or raising ValidationError."""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata

from store.errors import ValidationError
from store.rules import financial_year_of  # found here by the store's callers; the rule lives in store.rules
from store.text import shorten

__all__ = [
    "AMOUNT_LIMIT", "DATE_STYLES", "DCAS", "HEADLINES", "MILESTONE_STATUSES", "NAME_MAX", "RAGS",
    "RISK_STATUSES", "SAVING_BANDS",
    "SAVING_KINDS", "STAGES", "TEXT_MAX", "amount", "choice", "financial_year", "financial_year_of",
    "has_visible_character", "parse_date", "rating", "text",
]

NAME_MAX = 200
TEXT_MAX = 10_000
AMOUNT_LIMIT = 10_000_000_000

MILESTONE_STATUSES = ("Red", "Amber", "Green", "Complete", "Not rated")
RAGS = ("Red", "Amber", "Green")
RISK_STATUSES = ("Open", "Closed")
SAVING_KINDS = ("saving", "income", "cost avoidance", "cost")
SAVING_BANDS = ("Green Delivered", "Green On Target", "Amber", "Red", "Not rated")
# The IPA's delivery confidence assessment (DCA), best first: store/dca.py gives each its definition.
DCAS = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
# What a portfolio leads with on its screens and in its reports; both are always kept.
HEADLINES = ("RAG", "DCA")
STAGES = ("Concept", "Outline Business Case", "Full Business Case", "Delivery", "Closed", "Not recorded")

# English month names, whatever the machine's locale (calendar's and strftime's follow it).
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_MONTHS = {m.lower(): i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
_MONTHS.update({m.lower(): i for i, m in enumerate(_MONTH_NAMES, start=1)})
_MONTHS["sept"] = 9
# The ways a date may be typed, each with an example: what a message about a date offers.
DATE_STYLES = "30/06/2025 (or 30/6/2025), 30 Jun 2025 (or 30 June 2025) or 2025-06-30"
# How much of a value the user typed a message repeats: enough to recognise it, on one line.
_ECHO = 40


def _echo(value: object) -> str:
    """A value the user gave, as a message repeats it: as typed, on one line, cut at a word."""
    return shorten(str(value), _ECHO) or "That"


# Bidi embeddings, overrides and isolates reorder the text that follows them, so a name can
# show as something other than what it holds (and spill into the cells beside it): refused.
# The marks LRM, RLM and ALM (U+200E, U+200F, U+061C) are kept: Arabic and Hebrew typists use
# them to place punctuation, and they move only the neutral characters next to them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line and paragraph separators break lines where a terminal and an export do not expect it.
_SEPARATORS = frozenset("\u2028\u2029")
# What a one-line value loses at its ends: spaces, tabs and newlines (a paste's leftovers).
# Not str.strip(): that would also drop separators and controls there instead of refusing them.
_EDGE = (" \t\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
         "\u202f\u205f\u3000")
# Characters that draw nothing (zero-width, joiners, marks, fillers, the blank braille cell):
# a required name made only of these, with spaces, is blank to its reader.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u00ad\u034f\u180e"
                       "\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
_BLANK_CATEGORIES = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf", "Cs"))


def _check_characters(field: str, value: str, multiline: bool) -> None:
    for ch in value:
        if "\ud800" <= ch <= "\udfff":
            raise ValidationError(field, "contains a character that cannot be stored "
                                         "(a broken emoji or symbol).")
        if ch == "\n" or ch in _SEPARATORS:
            if not multiline:
                raise ValidationError(field, "must be on one line.")
            if ch != "\n":
                raise ValidationError(field, "contains a Unicode line or paragraph separator; "
                                             "start a new line with Enter instead.")
            continue
        if ch in _BIDI_CONTROLS:
            raise ValidationError(field, f"contains an invisible character (U+{ord(ch):04X}) that reverses "
                                         "or reorders the text around it; remove it and try again.")
        if unicodedata.category(ch) == "Cc":  # C0 and C1 controls, DEL, tab
            raise ValidationError(field, "contains a control character; remove it and try again.")


def _visible(ch: str) -> bool:
    # variation selectors draw nothing either
    if ch in _INVISIBLE or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return False
    return unicodedata.category(ch) not in _BLANK_CATEGORIES


def has_visible_character(value: str) -> bool:
    return any(_visible(ch) for ch in value)


def text(field: str, value: object, *, required: bool = False, multiline: bool = False,
         limit: int | None = None) -> str:
    """A one-line name (limit 200) or, with multiline, long text (limit 10,000)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text.")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip(_EDGE) if not multiline else value.strip("\n ")
    if required and not value.strip():  # long text keeps edge spaces other than " ", but is still blank
        raise ValidationError(field, "cannot be blank.")
    limit = limit or (TEXT_MAX if multiline else NAME_MAX)
    if len(value) > limit:
        raise ValidationError(field, f"is {len(value):,} characters long; the most allowed is {limit:,}.")
    _check_characters(field, value, multiline)
    if required and not has_visible_character(value):
        raise ValidationError(field, "has no visible character; it cannot be blank.")
    return value


def choice(field: str, value: object, allowed: tuple[str, ...], *, blank_ok: bool = False) -> str | None:
    """One of a fixed list, matched without regard to case; None when blank and allowed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank_ok:
            return None
        raise ValidationError(field, f"choose one of: {', '.join(allowed)}.")
    if isinstance(value, str):
        found = _as_written(value, allowed)
        if found is not None:
            return found
    raise ValidationError(field, f"{_echo(value)} is not one of: {', '.join(allowed)}.")


def _as_written(value: str, allowed: tuple[str, ...]) -> str | None:
    """The option value names as spreadsheets write it: any case, with or without the spaces,
    slashes and dashes between words (Amber/Green, Amber Green, amber-green), or by its initials
    where no other option shares them (R, A, G; AG for Amber/Green; NR for Not rated)."""
    wanted = _squashed(value)
    for option in allowed:
        if _squashed(option) == wanted:
            return option
    initials = [option for option in allowed if _initials(option) == wanted]
    return initials[0] if len(initials) == 1 else None


def _squashed(text: str) -> str:
    return re.sub(r"[\s/_-]+", "", text).casefold()


def _initials(option: str) -> str:
    return "".join(word[0] for word in re.split(r"[\s/_-]+", option) if word).casefold()


def rating(field: str, value: object, *, blank_ok: bool = False) -> int | None:
    """A likelihood or impact: a whole number from 1 to 5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank_ok:
            return None
        raise ValidationError(field, "must be a whole number from 1 to 5.")
    if isinstance(value, bool):
        raise ValidationError(field, "must be a whole number from 1 to 5.")
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,6}\s*", value):  # int() of thousands of digits fails
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(field, "must be a whole number from 1 to 5.")
    return value


def parse_date(field: str, value: object, *, blank_ok: bool = True) -> str | None:
    """A date as UK users type it, returned as ISO: day/month/year (30/06/2025, 30/6/2025, also with
    dots), day month year (30 Jun 2025, 30 June 2025, 30th june 2025: any case) or ISO (2025-06-30)."""
    if isinstance(value, dt.datetime):  # a spreadsheet's date cell may carry a time of day
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank_ok:
            return None
        raise ValidationError(field, f"cannot be blank; enter a date as {DATE_STYLES}.")
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a date, written {DATE_STYLES}.")
    raw = value.strip()
    parts = None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", raw):
        parts = int(m[3]), int(m[2]), int(m[1])
    elif m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", raw, re.IGNORECASE):
        month = _MONTHS.get(m[2].lower())
        if month is None:
            raise ValidationError(field, f"{_echo(m[2])} is not a month; write it as Jun or June, "
                                         "as in 30 Jun 2025.")
        parts = int(m[3]), month, int(m[1])
    elif m := re.fullmatch(r"(\d{1,2})([/.])(\d{1,2})[/.](\d{2})", raw):
        raise ValidationError(field, f"{_echo(raw)} has a two-digit year; write the year in full, "
                                     f"as in {m[1]}{m[2]}{m[3]}{m[2]}20{m[4]}.")
    if parts is None:
        raise ValidationError(field, f"{_echo(raw)} is not a date; write it as {DATE_STYLES}.")
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        raise ValidationError(field, f"{_echo(raw)} is not a real date: {_why_not(*parts)}.") from None


def _why_not(year: int, month: int, day: int) -> str:
    """What makes a year, month and day that passed the pattern no date at all."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year < 1:
        return "there is no year 0"
    if day < 1:
        return "days of the month start at 1"
    return f"{_MONTH_NAMES[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days"


# Pounds as people type them: an optional minus and pound sign (either order), then digits,
# grouped in threes by commas (or spaces) if at all, and perhaps zero pence (".00").
_AMOUNT = re.compile(r"(-)?\s*£?\s*(-)?\s*(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(\.\d*)?")


# Amounts written the way a summary rounds them (£1.2m, 250k, £3bn): not whole pounds.
_SHORTHAND = re.compile(r"-?\s*£?\s*-?\s*[\d,]*\.?\d+\s*(k|m|mn|bn|million|thousand|billion)\.?",
                        re.IGNORECASE)


def amount(field: str, value: object) -> int:
    """Whole pounds, within plus or minus ten billion; accepts "£1,250", "-£1,250" and "-500"."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(field, "must be an amount in whole pounds, such as 250000.")
    if isinstance(value, str):
        raw = value.strip()
        m = _AMOUNT.fullmatch(raw)
        if m is None and _SHORTHAND.fullmatch(raw):
            raise ValidationError(field, f"{_echo(raw)} is shorthand; ragboard keeps whole pounds, so write "
                                         "the amount in full, such as 1200000 or £1,200,000.")
        if m is None or (m[1] and m[2]) or m[4] == ".":
            if re.fullmatch(r"-?\s*£?\s*-?\s*[\d, ]*\.\d+", raw) and re.search(r"\.\d*[1-9]", raw):
                raise ValidationError(field, "must be whole pounds, with no pence.")
            if "," in raw:
                raise ValidationError(field, f"{_echo(raw)} is not an amount: commas go only between "
                                             "thousands, as in 1,250,000.")
            raise ValidationError(field, f"{_echo(raw)} is not an amount; enter whole pounds, "
                                         "such as 250000.")
        if m[4] and m[4].strip(".0"):
            raise ValidationError(field, "must be whole pounds, with no pence.")
        digits = m[3].replace(",", "").replace(" ", "")
        if len(digits) > 15:  # far beyond the limit (and int() refuses thousands of digits)
            raise ValidationError(field, "must be within £10 billion either way.")
        value = -int(digits) if (m[1] or m[2]) else int(digits)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(field, "must be an amount in whole pounds, such as 250000.")
        if not value.is_integer():
            raise ValidationError(field, "must be whole pounds, with no pence.")
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError(field, "must be an amount in whole pounds, such as 250000.")
    if abs(value) > AMOUNT_LIMIT:
        raise ValidationError(field, "must be within £10 billion either way.")
    return value


def inferred(value: object, known: tuple[str, ...] = ()) -> str:
    """Which values were inferred and why: a table {field: reason} (as a data file gives it) or its
    stored text, "field: reason" per line. Each reason is said; with known, each field is one of them."""
    from store.inferred import parse, written

    field = "Inferred (why)"
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        reasons = parse(value)
        if len(reasons) != len([line for line in value.splitlines() if line.strip()]):
            raise ValidationError(field, 'must be lines of "field: reason".')
    elif isinstance(value, dict):
        reasons = {}
        for key, reason in value.items():
            if not isinstance(key, str) or not re.fullmatch(r"[a-z_]+", key):
                raise ValidationError(field, f"{_echo(key)} is not a field name.")
            if not isinstance(reason, str) or not reason.strip():
                raise ValidationError(field, f"the reason {key} was inferred is missing.")
            reasons[key] = reason
    else:
        raise ValidationError(field, 'must be lines of "field: reason".')
    unknown = [key for key in reasons if known and key not in known]
    if unknown:
        raise ValidationError(field, f"{_echo(unknown[0])} is not one of this record's fields.")
    return text(field, written(reasons), multiline=True)


def financial_year(field: str, value: object) -> str:
    """A UK financial year written 2016/17: consecutive years."""
    raw = value.strip() if isinstance(value, str) else ""
    m = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2})", raw)
    if not m and raw:
        raise ValidationError(field, f"{_echo(raw)} is not a financial year; write it like 2016/17.")
    if not m:
        raise ValidationError(field, "must be a financial year written like 2016/17.")
    start, end = int(m[1]), int(m[2])
    if (start + 1) % 100 != end:
        raise ValidationError(field, f"{_echo(raw)} is not a financial year: the second year must follow "
                                     f"the first, as in {start}/{(start + 1) % 100:02d}.")
    return f"{start}/{end:02d}"
