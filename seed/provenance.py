"""Checks that every demo record's key wording is printed on the line it cites."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from seed.files import KEY_FIELD, SOURCES_DIR, load_portfolios, walk

_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\uf0b7": " ",
})


def plain(text: str) -> str:
    """Text as compared: typographic quotes and dashes made plain, whitespace collapsed."""
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip()


@cache
def source_lines(source: str) -> tuple[str, ...]:
    return tuple((SOURCES_DIR / source).read_text(encoding="utf-8").splitlines())


def key_wording(kind: str, record: dict) -> str:
    if "quote" in record:
        return record["quote"]
    return record[KEY_FIELD[kind]]


def problems(data_dir: Path | None = None) -> list[str]:
    """Every record whose key wording is not on its cited line, in words naming the record."""
    found = []
    for portfolio in load_portfolios(data_dir):
        for kind, record in walk(portfolio):
            name = record.get("name") or record.get("description") or record.get("amount_text")
            label = f"{portfolio['_file']}: {kind} {name!r}"
            source, line = record.get("source"), record.get("line")
            if not source or not isinstance(line, int):
                found.append(f"{label}: no source or line")
                continue
            lines = source_lines(source)
            if not 1 <= line <= len(lines):
                found.append(f"{label}: line {line} is outside {source}")
                continue
            try:
                wording = plain(key_wording(kind, record))
            except KeyError:
                found.append(f"{label}: no key wording")
                continue
            end = record.get("line_end", line)
            cited = " ".join(lines[line - 1 : end])
            if not wording or (wording not in plain(lines[line - 1]) and wording not in plain(cited)):
                found.append(
                    f"{label}: {wording!r} is not on {source} line {line}: {lines[line - 1][:120]!r}"
                )
            found.extend(f"{label}: {problem}" for problem in _printed_beside(record, lines, source))
    return found


# Text a record keeps as printed beside a value parsed from it, and the key naming its line.
_PRINTED_AT = {"actual_text": "actual_line", "status_date_text": "status_date_line"}


def _printed_beside(record: dict, lines: tuple[str, ...], source: str) -> list[str]:
    """What is wrong with the record's printed texts (each on its own cited line) and its inferred
    values (each named field one the record holds, with a reason)."""
    out = []
    for text_key, line_key in _PRINTED_AT.items():
        text, at = record.get(text_key), record.get(line_key)
        if text is None:
            continue
        if not isinstance(at, int) or not 1 <= at <= len(lines):
            out.append(f"{text_key} {text!r} has no {line_key} inside {source}")
        elif plain(text) not in plain(lines[at - 1]):
            out.append(f"{text_key} {text!r} is not on {source} line {at}: {lines[at - 1][:120]!r}")
    for field, reason in (record.get("inferred") or {}).items():
        if not isinstance(reason, str) or not reason.strip():
            out.append(f"{field} is marked inferred with no reason")
        elif field not in record:
            out.append(f"{field} is marked inferred but the record gives no {field}")
    return out


if __name__ == "__main__":
    import sys

    found = problems()
    print("\n".join(found) or "every record is on its cited line")
    sys.exit(1 if found else 0)
