"""Every register as an Excel workbook (openpyxl) or as CSV files (pandas), for `ragboard export`.

The workbook is written in openpyxl's write-only mode, row by row: at 100,000 milestones it is the
only way within seconds. Dates are Excel dates, amounts numbers in a £ format, RAG cells coloured
with their word in them, the header frozen and filtered, and each column as wide as its longest
value in the first rows. Text is always text: a name beginning "=" is never a formula.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    found = reg.registers(store)
    total = sum(reg.count(store, register) for register in found)
    done = 0
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for register in found:
        sheet = book.create_sheet(register.sheet)
        styles = _styles(sheet, Font, PatternFill)
        columns = register.columns
        rows = reg.rows(store, register)
        head: list[dict[str, Any]] = []
        for row in rows:  # the first rows fit the widths, which write-only needs before any row
            head.append(row)
            if len(head) >= MEASURED:
                break
        for i, column in enumerate(columns, start=1):
            longest = max([len(column.heading), *(_width(row[column.name], column.type) for row in head)])
            sheet.column_dimensions[get_column_letter(i)].width = min(longest, WIDEST) + 2
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(columns))
        count = reg.count(store, register)
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.heading)
            cell.font = bold
            header.append(cell)
        sheet.append(header)

        cells = _Cells(sheet, columns, styles)
        for row in _chain(head, rows):
            sheet.append(cells.row(row))
            done += 1
            if progress is not None and done % 5000 == 0:
                progress(done, total)
    if progress is not None:
        progress(total, total)
    book.save(out)


def _styles(sheet: Any, font: Any, fill: Any) -> dict[str, Any]:
    """Each style a cell may take (a date, money, each RAG word), made once: openpyxl looks a style up
    in the workbook's tables each time one is set, which at a million cells took most of the time;
    a cell given a style made here takes its style array as it is."""
    from openpyxl.cell import WriteOnlyCell

    made: dict[str, Any] = {}
    for name, number_format in ((reg.DATE, DATE_FORMAT), (reg.MONEY, MONEY_FORMAT)):
        cell = WriteOnlyCell(sheet)
        cell.number_format = number_format
        made[name] = cell._style
    for word, colour in FILLS.items():
        cell = WriteOnlyCell(sheet)
        cell.fill = fill("solid", fgColor=colour)
        cell.font = font(bold=True, color="000000" if word in DARK_TEXT else "FFFFFF")
        made[word] = cell._style
    return made


class _Cells:
    """One sheet's rows as cells: a date as a date, an amount in £, a RAG coloured, text always text.

    A write-only sheet writes each row as it is appended, so the styled cells of one row are used
    again for the next: a cell a column and style, not one per value (at 100,000 rows, making a
    cell for each date and RAG cost more than writing them)."""

    def __init__(self, sheet: Any, columns: tuple[reg.Column, ...], styles: dict[str, Any]):
        self.sheet, self.columns, self.styles = sheet, columns, styles
        self.kept: dict[tuple[int, str], Any] = {}

    def _cell(self, index: int, style: str) -> Any:
        cell = self.kept.get((index, style))
        if cell is None:
            from openpyxl.cell import WriteOnlyCell

            cell = self.kept[index, style] = WriteOnlyCell(self.sheet)
            cell._style = self.styles[style]
        return cell

    def row(self, row: dict[str, Any]) -> list[Any]:
        out_row: list[Any] = []
        for index, column in enumerate(self.columns):
            value = row[column.name]
            kind = column.type
            if value is None or value == "":
                out_row.append(None)
            elif kind in (reg.DATE, reg.MONEY):
                cell = self._cell(index, kind)
                cell.value = _date(value) if kind == reg.DATE else value
                out_row.append(cell)
            elif kind == reg.RAG and value in self.styles:
                cell = self._cell(index, value)
                cell.value = value
                out_row.append(cell)
            elif isinstance(value, str) and (value.startswith("=") or _illegal().search(value)):
                from openpyxl.cell import WriteOnlyCell

                cell = WriteOnlyCell(self.sheet, value=_legal(value))
                cell.data_type = "s"  # text, as typed: never a formula
                out_row.append(cell)
            else:
                out_row.append(value)
        return out_row


@functools.cache
def _illegal() -> re.Pattern[str]:
    """openpyxl's pattern of the characters a cell may not hold (imported only when exporting)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def _legal(text: str) -> str:
    """text as a workbook may hold it: the control characters XML forbids (another program may have
    written them) as their visible pictures, ESC as U+241B; the only change an export makes."""
    return _illegal().sub(lambda found: chr(0x2400 + ord(found.group())), text)


def _chain(head: list[dict[str, Any]], rest: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
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


def write_csv_folder(store: Any, folder: Path, *, progress: Progress | None = None) -> list[str]:
    """Write each register to folder/<Sheet>.csv (UTF-8; dates ISO, amounts whole pounds); the names."""
    import pandas as pd

    found = reg.registers(store)
    total = sum(reg.count(store, register) for register in found)
    done = 0
    names = []
    for register in found:
        headings = [column.heading for column in register.columns]
        frame = pd.DataFrame.from_records(list(reg.tuples(store, register)), columns=headings)
        for column in register.columns:
            if column.type in (reg.NUMBER, reg.MONEY):  # whole numbers stay whole where a column has blanks
                frame[column.heading] = frame[column.heading].astype("Int64")
            elif column.type == reg.FLAG:  # SQLite's 1, 0 or NULL (no date to be late against)
                frame[column.heading] = frame[column.heading].fillna(0).astype(bool)
        name = f"{register.sheet}.csv"
        frame.to_csv(folder / name, index=False, encoding="utf-8", lineterminator="\n")
        names.append(name)
        done += len(frame)
        if progress is not None:
            progress(done, total)
    return names


def csv_names(store: Any) -> list[str]:
    return [f"{register.sheet}.csv" for register in reg.registers(store)]
