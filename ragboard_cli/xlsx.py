"""An Excel workbook (.xlsx, Office Open XML) written as a stream: each sheet's rows go straight into
the zip file as XML, a batch at a time, in constant memory.

openpyxl's write-only mode spent three quarters of the 5,000-project export's 17 s building each
cell (a Python object and an XML element per value, 4 million of them); the export must take 10 s
at most. A sheet here is only what the registers need: inline text (never a formula), whole
numbers, true/false, dates as Excel dates and pounds in a £ format, a few filled styles, fitted
column widths, the header frozen and filtered. Reading back is left to openpyxl and pandas, whose
tests check every cell.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, NamedTuple
from xml.sax.saxutils import escape

from store.text import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Day 0 of Excel's calendar (with its leap day of 1900, correct from 1 March 1900 on).
EPOCH = dt.date(1899, 12, 30)
BATCH = 2000  # rows joined before each write into the zip
# The characters XML 1.0 cannot hold (C0 controls but tab, newline and return; two non-characters).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Style(NamedTuple):
    """A cell style: a number format, bold, a text colour and a fill colour (RRGGBB), each optional."""

    number_format: str = ""
    bold: bool = False
    colour: str = ""
    fill: str = ""


class Sheet(NamedTuple):
    name: str
    widths: Sequence[float]
    rows: int  # data rows (the header aside): the filter's extent


def visible(text: str) -> str:
    """text with the control characters XML forbids (another program may have written them) as their
    visible pictures, ESC as U+241B: the only change a workbook makes to what it is given."""
    return ILLEGAL.sub(lambda found: chr(0x2400 + ord(found.group())) if found.group() < " " else "\ufffd",
                       text)


def text_cell(ref: str, text: str, style: int = 0) -> str:
    if ILLEGAL.search(text):
        text = visible(text)
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def number_cell(ref: str, number: int | float, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{number!r}</v></c>'


def date_cell(ref: str, day: dt.date, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><v>{(day - EPOCH).days}</v></c>'


def flag_cell(ref: str, value: bool) -> str:
    return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'


class Workbook:
    """A workbook being written to path: styles given first (their index is what a cell names),
    then sheets one after another, each from an iterable of rows of cell XML."""

    def __init__(self, path: Path, styles: Sequence[Style]):
        self.styles = [Style(), *styles]  # index 0: the default
        self.sheets: list[Sheet] = []
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)

    def style(self, wanted: Style) -> int:
        return self.styles.index(wanted)

    def add_sheet(self, sheet: Sheet, header: list[str], rows: Iterable[str]) -> None:
        """A sheet: its header row (bold, frozen, filtered) and rows, each a row's cells' XML."""
        self.sheets.append(sheet)
        number = len(self.sheets)
        with self.zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
            self._write_sheet(out, sheet, header, rows)

    def _write_sheet(self, out: IO[bytes], sheet: Sheet, header: list[str], rows: Iterable[str]) -> None:
        bold = self.style(Style(bold=True))
        cols = "".join(f'<col min="{i}" max="{i}" width="{width:.1f}" customWidth="1"/>'
                       for i, width in enumerate(sheet.widths, start=1))
        head = "".join(text_cell(f"{column_letter(i)}1", text, bold) for i, text in enumerate(header))
        out.write((
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{cols}</cols><sheetData><row r="1">{head}</row>').encode())
        batch: list[str] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                out.write("".join(batch).encode())
                batch = []
        end = f'</sheetData><autoFilter ref="{self._extent(sheet)}"/></worksheet>'
        out.write(("".join(batch) + end).encode())

    @staticmethod
    def _extent(sheet: Sheet) -> str:
        return f"A1:{column_letter(len(sheet.widths) - 1)}{sheet.rows + 1}"

    def close(self) -> None:
        """Write the parts that name the sheets and styles, and finish the file."""
        names = [escape(sheet.name, {'"': "&quot;"}) for sheet in self.sheets]
        count = len(self.sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, count + 1))
        self._part("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                   f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>')
        self._part("_rels/.rels",
                   f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{RELS}/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sheets = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, name in enumerate(names, start=1))
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"'{name}'!{self._absolute(sheet)}</definedName>"
            for i, (name, sheet) in enumerate(zip(names, self.sheets, strict=True)))
        self._part("xl/workbook.xml",
                   f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
                   f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>")
        links = "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" '
                        f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
        self._part("xl/_rels/workbook.xml.rels",
                   f'<Relationships xmlns="{PACKAGE_RELS}">{links}<Relationship Id="rId{count + 1}" '
                   f'Type="{RELS}/styles" Target="styles.xml"/></Relationships>')
        self._part("xl/styles.xml", self._styles_xml())
        self.zip.close()

    def _absolute(self, sheet: Sheet) -> str:
        return f"$A$1:${column_letter(len(sheet.widths) - 1)}${sheet.rows + 1}"

    def _part(self, name: str, xml: str) -> None:
        self.zip.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)

    def _styles_xml(self) -> str:
        formats = list(dict.fromkeys(s.number_format for s in self.styles if s.number_format))
        fonts = list(dict.fromkeys((s.bold, s.colour) for s in self.styles))
        fills = list(dict.fromkeys(s.fill for s in self.styles if s.fill))
        quoted = {'"': "&quot;"}
        number_formats = "".join(f'<numFmt numFmtId="{164 + i}" formatCode="{escape(f, quoted)}"/>'
                                 for i, f in enumerate(formats))
        font_xml = "".join(
            "<font>" + ("<b/>" if bold else "") + '<sz val="11"/>'
            + (f'<color rgb="FF{colour}"/>' if colour else "")
            + '<name val="Calibri"/><family val="2"/></font>' for bold, colour in fonts)
        fill_xml = ('<fill><patternFill patternType="none"/></fill>'
                    '<fill><patternFill patternType="gray125"/></fill>'
                    + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
                              '<bgColor indexed="64"/></patternFill></fill>' for colour in fills))
        xfs = []
        for s in self.styles:
            number = 164 + formats.index(s.number_format) if s.number_format else 0
            font = fonts.index((s.bold, s.colour))
            fill = 2 + fills.index(s.fill) if s.fill else 0
            applied = (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if font else "") + (
                ' applyFill="1"' if fill else "")
            xfs.append(f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" '
                       f'xfId="0"{applied}/>')
        return (f'<styleSheet xmlns="{MAIN}"><numFmts count="{len(formats)}">{number_formats}</numFmts>'
                f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
                f'<fills count="{len(fills) + 2}">{fill_xml}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


__all__ = ["Sheet", "Style", "Workbook", "column_letter", "date_cell", "flag_cell", "number_cell",
           "text_cell", "visible"]
