"""Reading the spreadsheets a PMO keeps, for `ragboard import`: a workbook's sheets, a CSV file, or
a folder of CSV files, each as rows of cells (store.importing.Sheet); and the empty template.

Workbooks are read by pandas through python-calamine: openpyxl took 26 s to read the 5,000-project
export's cells, calamine 2.6 s, which the 30 s an import may take needs. CSV is read by the csv
module, every cell as text (the store's checks read dates, amounts and ratings from text).
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ragboard_cli.outfile import Refused
from store.importing import Sheet

WORKBOOKS = (".xlsx", ".xlsm")


def read(source: Path, progress: Callable[[str], None] | None = None) -> Iterable[Sheet]:
    """Every sheet of source (a workbook, a CSV file, or a folder of them), or Refused saying why not.
    A workbook's sheets are read as they are reached (and again each time they are gone through)."""
    if not source.exists():
        raise Refused(f"{source} does not exist: give a workbook (.xlsx), a CSV file or a folder of them.")
    if source.is_dir():
        files = sorted(p for p in source.iterdir()
                       if p.suffix.lower() == ".csv" and not p.name.startswith("."))
        if not files:
            raise Refused(f"{source} holds no CSV file (.csv) to import.")
        return [read_csv(path) for path in files]
    suffix = source.suffix.lower()
    if suffix == ".csv":
        return [read_csv(source)]
    if suffix in WORKBOOKS:
        return read_workbook(source, progress)
    if suffix == ".xls":
        raise Refused(f"{source} is an Excel 97-2003 workbook; save it as .xlsx (Excel: File, Save As) "
                      "and import that.")
    raise Refused(f"{source}: ragboard imports a workbook (.xlsx), a CSV file (.csv) "
                  "or a folder of CSV files.")


class Workbook:
    """A workbook's sheets, each read as it is reached and let go once the next is: the 5,000-project
    export's Milestones sheet alone is 2 million cells, held by pandas twice while it is read."""

    def __init__(self, path: Path, progress: Callable[[str], None] | None = None):
        import pandas as pd

        self.path, self.progress = path, progress
        try:
            with pd.ExcelFile(path, engine="calamine") as book:
                self.names = [str(name) for name in book.sheet_names]
        except Exception as exc:  # noqa: BLE001 (calamine's errors name no common class: any means unreadable)
            raise Refused(f"{path} cannot be read as a workbook ({_short(exc)}).") from None

    def __iter__(self) -> Iterator[Sheet]:
        import pandas as pd

        with pd.ExcelFile(self.path, engine="calamine") as book:
            for name in self.names:
                if self.progress is not None:
                    self.progress(f"Reading {name}")
                # Every cell as written: pandas would read "null", "NA" or "None" as no value at all.
                frame = pd.read_excel(book, sheet_name=name, header=None, dtype=object, keep_default_na=False,
                                      na_values=[])
                rows = []
                # pandas keeps the sheet's rows from the first (row 1 is index 0), blank ones included.
                for number, cells in enumerate(frame.itertuples(index=False, name=None), start=1):
                    values = [None if _blank(cell) else cell for cell in cells]
                    if any(value is not None for value in values):
                        rows.append((number, values))
                del frame
                yield Sheet(name, rows)


def read_workbook(path: Path, progress: Callable[[str], None] | None = None) -> Workbook:
    return Workbook(path, progress)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or cell == ""


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def decoded(data: bytes, path: Path) -> str:
    """A CSV file's text: UTF-8, with or without its byte order mark, else Windows-1252 (Excel's
    own on Windows): the one encoding left in which £ and curly quotes are single bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise Refused(f"{path} is neither UTF-8 nor Windows-1252 text; save it from Excel as "
                      "\"CSV UTF-8\" and import that.") from None


def read_csv(path: Path) -> Sheet:
    """A CSV file as one sheet named after the file (Milestones.csv: the Milestones register)."""
    try:
        text = decoded(path.read_bytes(), path)
    except OSError as exc:
        raise Refused(f"{path} cannot be read: {exc.strerror or exc}.") from None
    # Excel writes commas, or semicolons where the comma is the decimal point, or tabs ("Unicode
    # text"): the headings line says which (a sniffer reading further is misled by long notes).
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                                       start=1):
            values: list[Any] = [cell if cell else None for cell in cells]
            if any(value is not None for value in values):
                rows.append((number, values))
    except csv.Error as exc:
        raise Refused(f"{path} is not a CSV file ragboard can read ({exc}).") from None
    return Sheet(path.stem, rows)


def write_template(out: Path) -> None:
    """An empty workbook to fill in: a sheet per register, its headings, and a row of help under
    them (an import passes that row over)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from store import intake

    book = Workbook()
    book.remove(book.active)
    for kind in intake.KINDS:
        sheet = book.create_sheet(intake.LAYOUTS[kind].sheet)
        columns = intake.template_fields(kind)
        sheet.append([field.label for field in columns])
        sheet.append([intake.help_text(kind, field) for field in columns])
        for index, field in enumerate(columns, start=1):
            letter = get_column_letter(index)
            sheet[f"{letter}1"].font = Font(bold=True)
            sheet[f"{letter}2"].font = Font(italic=True, color="666666")
            sheet[f"{letter}2"].alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[letter].width = max(len(field.label) + 2, 18)
        sheet.freeze_panes = "A2"
    book.save(out)
