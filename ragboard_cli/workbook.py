"""Every register as an Excel workbook (ragboard_cli/xlsx.py) or as CSV files (pandas), for
`ragboard export`.

The workbook is streamed, row by row, as the sheets' XML: at 100,000 milestones openpyxl's cells
took too long (see xlsx.py). Dates are Excel dates, amounts numbers in a £ format, RAG cells
coloured with their word in them, the header frozen and filtered, and each column as wide as its
longest value in the first rows. Text is always text: a name beginning "=" is never a formula.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from store import registers as reg

Progress = Callable[[int, int], None]  # (rows written, rows in all)

DATE_FORMAT = "d mmm yyyy"
MONEY_FORMAT = '"£"#,##0;-"£"#,##0'
# RAG, DCA, status and band words -> fill colour (with the word in the cell: colour is never alone).
FILLS = {"Red": "B71C1C", "Amber": "FFB300", "Green": "2E7D32", "Complete": "1565C0",
         "Amber/Green": "C0CA33", "Amber/Red": "E65100", "Green Delivered": "2E7D32",
         "Green On Target": "43A047"}
DARK_TEXT = {"Amber", "Amber/Green"}  # fills light enough for black text
WIDEST = 60  # a column is fitted to its values up to this many characters
MEASURED = 500  # rows whose values fit a column's width
SHEET_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the heading
CSV_BATCH = 20_000  # rows made into one frame and written at a time


# Excel has no date before 1 March 1900 that every reader agrees on (it counts a 29 Feb 1900):
# one before stays ISO text, which an import reads back as the same date.
EARLIEST = dt.date(1900, 3, 1)


def _date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a date after all (another tool wrote it): kept as it is
        return day if day >= EARLIEST else value
    return value


def write_workbook(store: Any, out: Path, *, progress: Progress | None = None) -> None:
    """Write every register of store to out (.xlsx), a sheet each."""
    from ragboard_cli import xlsx

    found = reg.registers(store)
    counts = {register.sheet: reg.count(store, register) for register in found}
    over = [f"{sheet} has {count:,}" for sheet, count in counts.items() if count > SHEET_ROWS]
    if over:
        from ragboard_cli.outfile import Refused

        raise Refused(f"a workbook sheet holds {SHEET_ROWS:,} rows at most, and {', '.join(over)}; "
                      "export CSV files instead (ragboard export --format csv).")
    total = sum(counts.values())
    done = 0
    everyone, named = _styles()
    book = xlsx.Workbook(out, everyone)
    styles = {name: book.style(style) for name, style in named.items()}
    try:
        for register in found:
            rows = reg.tuples(store, register)
            head: list[tuple[Any, ...]] = []
            for row in rows:  # the first rows fit the widths, which come before the rows in a sheet
                head.append(row)
                if len(head) >= MEASURED:
                    break
            widths = [min(max([len(column.heading), *(_width(row[i], column.type) for row in head)]), WIDEST)
                      + 2 for i, column in enumerate(register.columns)]
            sheet = xlsx.Sheet(register.sheet, widths, reg.count(store, register))

            def written(rows: Iterable[tuple[Any, ...]], cells: _Cells) -> Iterator[str]:
                nonlocal done
                for number, row in enumerate(rows, start=2):
                    yield cells.row(number, row)
                    done += 1
                    if progress is not None and done % 5000 == 0:
                        progress(done, total)

            headings = [column.heading for column in register.columns]
            book.add_sheet(sheet, headings, written(_chain(head, rows), _Cells(register.columns, styles)))
    finally:
        book.close()
    if progress is not None:
        progress(total, total)


def _styles() -> tuple[list[Any], dict[str, Any]]:
    from ragboard_cli.xlsx import Style

    named = {reg.DATE: Style(DATE_FORMAT), reg.MONEY: Style(MONEY_FORMAT)}
    for word, colour in FILLS.items():
        named[word] = Style(bold=True, colour="000000" if word in DARK_TEXT else "FFFFFF", fill=colour)
    return [Style(bold=True), *named.values()], named



class _Cells:
    """One register's rows as sheet XML: a date as a date, an amount in £, a RAG filled, text always
    text (inline: never a formula), true or false for a flag."""

    def __init__(self, columns: tuple[reg.Column, ...], styles: dict[str, int]):
        from ragboard_cli import xlsx

        self.xlsx = xlsx
        self.plan = [(xlsx.column_letter(i), column.type) for i, column in enumerate(columns)]
        self.styles = styles

    def row(self, number: int, values: tuple[Any, ...]) -> str:
        x = self.xlsx
        out = [f'<row r="{number}">']
        for (letter, kind), value in zip(self.plan, values, strict=True):
            ref = f"{letter}{number}"
            if kind == reg.FLAG:
                out.append(x.flag_cell(ref, bool(value)))
            elif value is None or value == "":
                continue
            elif isinstance(value, str):
                if kind == reg.DATE:
                    day = _date(value)
                    out.append(x.date_cell(ref, day, self.styles[reg.DATE]) if isinstance(day, dt.date)
                               else x.text_cell(ref, value))
                else:
                    out.append(x.text_cell(ref, value, self.styles.get(value, 0) if kind == reg.RAG else 0))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out.append(x.number_cell(ref, value, self.styles[reg.MONEY] if kind == reg.MONEY else 0))
            else:
                out.append(x.text_cell(ref, str(value)))
        out.append("</row>")
        return "".join(out)


def _chain(head: list[tuple[Any, ...]], rest: Iterable[tuple[Any, ...]]) -> Iterable[tuple[Any, ...]]:
    yield from head
    yield from rest


def _width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == reg.DATE:
        return 11  # "30 Sep 2025"
    if kind == reg.MONEY:
        return len(f"£{value:,}")
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_csv_folder(store: Any, folder: Path, *, progress: Progress | None = None,
                     batch: int = CSV_BATCH) -> list[str]:
    """Write each register to folder/<Sheet>.csv (UTF-8; dates ISO, amounts whole pounds); the names.
    Each is written a batch of rows at a time: at 50,000 projects a million milestones made into one
    frame held 1.6 GB."""
    import itertools

    import pandas as pd

    found = reg.registers(store)
    total = sum(reg.count(store, register) for register in found)
    done = 0
    names = []
    for register in found:
        headings = [column.heading for column in register.columns]
        name = f"{register.sheet}.csv"
        rows = reg.tuples(store, register)
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            for first in itertools.count():
                chunk = list(itertools.islice(rows, batch))
                if first and not chunk:
                    break
                frame = pd.DataFrame.from_records(chunk, columns=headings)
                for column in register.columns:
                    if column.type in (reg.NUMBER, reg.MONEY):  # whole numbers stay whole beside blanks
                        frame[column.heading] = frame[column.heading].astype("Int64")
                    elif column.type == reg.FLAG:  # SQLite's 1, 0 or NULL (no date to be late against)
                        frame[column.heading] = frame[column.heading].fillna(0).astype(bool)
                frame.to_csv(out, index=False, header=not first, lineterminator="\n")
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        names.append(name)
    return names


def csv_names(store: Any) -> list[str]:
    return [f"{register.sheet}.csv" for register in reg.registers(store)]
