"""The workbook writer's cells, read back by openpyxl and by pandas (calamine): text exactly as given
(markup-like, spaced, formula-like, control characters made visible), numbers, flags, dates, £."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import load_workbook

from ragboard_cli import xlsx

TEXTS = ["<b>bold</b> & co", "  spaced  ", "=SUM(A1:A2)", "line one\nline two", "£1,200 “quoted”",
         "bell\x07", "é中文🙂"]


def test_cells_read_back_as_written(tmp_path):
    out = tmp_path / "cells.xlsx"
    money = xlsx.Style('"£"#,##0;-"£"#,##0')
    day = xlsx.Style("d mmm yyyy")
    red = xlsx.Style(bold=True, colour="FFFFFF", fill="B71C1C")
    book = xlsx.Workbook(out, [xlsx.Style(bold=True), money, day, red])
    rows = [f'<row r="{n}">{xlsx.text_cell(f"A{n}", text)}</row>' for n, text in enumerate(TEXTS, start=2)]
    rows.append('<row r="9">' + xlsx.number_cell("A9", 42) + xlsx.number_cell("B9", -1250, book.style(money))
                + xlsx.flag_cell("C9", True) + xlsx.date_cell("D9", dt.date(2025, 3, 31), book.style(day))
                + xlsx.text_cell("E9", "Red", book.style(red)) + "</row>")
    book.add_sheet(xlsx.Sheet("Things & more", [20, 10, 8, 12, 8], 8), ["Text", "£", "Flag", "Day", "RAG"],
                   rows)
    book.close()

    sheet = load_workbook(out)["Things & more"]
    assert [sheet.cell(n, 1).value for n in range(2, 9)] == [*TEXTS[:5], "bell\u2407", TEXTS[6]]
    assert all(sheet.cell(n, 1).data_type == "s" for n in range(2, 9))  # text, never a formula
    assert [c.value for c in sheet[9]] == [42, -1250, True, dt.datetime(2025, 3, 31), "Red"]
    assert sheet["B9"].number_format == money.number_format and sheet["D9"].number_format == "d mmm yyyy"
    assert sheet["E9"].fill.fgColor.rgb == "FFB71C1C" and sheet["E9"].font.b
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E9"
    assert sheet.column_dimensions["A"].width == 20

    frame = pd.read_excel(out, engine="calamine", header=None, dtype=object, keep_default_na=False)
    assert list(frame.iloc[1:8, 0]) == [*TEXTS[:5], "bell\u2407", TEXTS[6]]
    assert list(frame.iloc[8, :]) == [42, -1250, True, dt.datetime(2025, 3, 31), "Red"]
