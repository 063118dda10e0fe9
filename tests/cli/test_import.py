"""ragboard import: an export brought back in is the same cell for cell; problems are all reported,
in the sheet's words, and write nothing; the spreadsheets people really keep are read."""
from __future__ import annotations

import csv
import datetime as dt
import sqlite3

import pytest
from openpyxl import Workbook, load_workbook

from ragboard_cli import main as cli
from seed.loader import write_demo_file
from store import open_store

REGISTERS = ("Portfolios", "Programmes", "Projects", "Milestones", "Risks", "Savings")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo_file(path)
    with open_store(path) as s:  # a delivery confidence and a hand RAG, so those columns hold values
        g = s.home_rows()[0].programme
        s.set_programme_dca(g.id, g.version, "Amber/Red", "funding gap")
        s.set_programme_rag(g.id, s.programme(g.id).version, "Red", "behind plan")
    return path


def cells(path, sheet):
    return [list(row) for row in load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True)]


def same_registers(first, second):
    for sheet in REGISTERS:
        a, b = cells(first, sheet), cells(second, sheet)
        assert len(a) == len(b), sheet
        for number, (x, y) in enumerate(zip(a, b, strict=True), start=1):
            assert x == y, (sheet, number)


def table(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("source", ["demo", "synthetic"])
def test_an_export_imported_into_an_empty_file_exports_the_same(source, demo_file, synthetic_file, tmp_path,
                                                                 capsys):
    db = demo_file if source == "demo" else synthetic_file
    first, second, into = tmp_path / "first.xlsx", tmp_path / "second.xlsx", tmp_path / "new.db"
    assert cli.main(["export", "--db", str(db), "--out", str(first)]) == 0
    assert cli.main(["import", "--db", str(into), str(first)]) == 0
    said = capsys.readouterr().out
    milestones = table(db, "SELECT count(*) FROM milestone")[0][0]
    assert f"Milestones: {milestones:,} added, 0 changed, 0 unchanged" in said
    assert cli.main(["export", "--db", str(into), "--out", str(second)]) == 0
    same_registers(first, second)
    # History is not imported: the new file's is the import itself, one change group.
    assert table(into, "SELECT label, kind FROM change_group") == [("Imported first.xlsx", "edit")]


def test_importing_the_same_workbook_again_changes_nothing(demo_file, tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    assert cli.main(["export", "--db", str(copy), "--out", str(out)]) == 0
    groups = table(copy, "SELECT count(*) FROM change_group")[0][0]
    assert cli.main(["import", "--db", str(copy), str(out)]) == 0
    said = capsys.readouterr().out
    assert "Milestones: 0 added, 0 changed, 139 unchanged" in said
    assert table(copy, "SELECT count(*) FROM change_group")[0][0] == groups  # nothing to log, nothing kept


def test_a_csv_folder_round_trips_as_the_workbook_does(demo_file, tmp_path):
    folder, into = tmp_path / "csv", tmp_path / "new.db"
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert cli.main(["export", "--db", str(demo_file), "--format", "csv", "--out", str(folder)]) == 0
    assert cli.main(["import", "--db", str(into), str(folder)]) == 0
    assert cli.main(["export", "--db", str(demo_file), "--out", str(first)]) == 0
    assert cli.main(["export", "--db", str(into), "--out", str(second)]) == 0
    same_registers(first, second)


def _workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _small(risks):
    return {
        "Portfolios": [["Name", "Status date"], ["Corporate", "31/03/2025"]],
        "Programmes": [["Code", "Name"], ["P1", "Estates"]],
        "Risks": [["Programme code", "Description", "Likelihood", "Impact"], *risks],
    }


def test_every_problem_is_reported_with_its_sheet_row_and_column_and_nothing_is_written(tmp_path, capsys):
    source = _workbook(tmp_path / "bad.xlsx", {
        **_small([["P1", "Supplier fails", "high", 3], ["P1", "Budget cut", 2, 9]]),
        "Milestones": [["Programme code", "Name", "Baseline"], ["P1", "Gateway", "31/02/2025"]],
    })
    db = tmp_path / "file.db"
    write_demo_file(db)
    before = db.read_bytes()
    assert cli.main(["import", "--db", str(db), str(source)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert 'Risks, row 2, Likelihood: must be a whole number from 1 to 5 (got "high")' in err
    assert 'Risks, row 3, Impact: must be a whole number from 1 to 5 (got "9")' in err
    assert any(line.startswith("Milestones, row 2, Baseline: 31/02/2025 is not a real date") for line in err)
    assert err[-1] == "ragboard: 3 problems found; nothing was imported."
    assert db.read_bytes() == before


def test_extra_columns_are_refused_by_name_or_kept_in_notes(tmp_path, capsys):
    sheets = {"Portfolios": [["Name", "Status date"], ["Corporate", "31/03/2025"]],
              "Programmes": [["Code", "Name"], ["P1", "Estates"]],
              "Milestones": [["Programme code", "Name", "Colour", "Owner"], ["P1", "Gateway", "teal", "Sam"]]}
    source = _workbook(tmp_path / "extra.xlsx", sheets)
    db = tmp_path / "file.db"
    assert cli.main(["import", "--db", str(db), str(source)]) == 2
    err = capsys.readouterr().err
    assert 'Milestones, column C "Colour": a milestone has no such field' in err
    assert 'Milestones, column D "Owner": a milestone has no such field' in err
    assert "--extra-to-notes" in err
    assert cli.main(["import", "--db", str(db), "--extra-to-notes", str(source)]) == 0
    assert table(db, "SELECT notes FROM milestone") == [("Colour: teal\nOwner: Sam",)]


def test_what_real_spreadsheets_hold_is_read(tmp_path):
    """A title merged above the headings, spaced headings in any case, blank rows, trailing spaces,
    dates as text and as a date cell with a time of day, money as text, RAG as letters and DCA in words."""
    book = Workbook()
    sheets = {}
    for name in ("Portfolios", "Programmes", "Milestones", "Savings"):
        sheets[name] = book.create_sheet(name)
    book.remove(book.active)
    sheets["Portfolios"].append(["Portfolio register (March)"])
    sheets["Portfolios"].merge_cells("A1:C1")
    sheets["Portfolios"].append(["  NAME ", "status_date", "Headline"])
    sheets["Portfolios"].append([])
    sheets["Portfolios"].append(["Corporate  ", "31 March 2016", "dca"])
    sheets["Programmes"].append(["Code", "Name", "RAG", "Delivery confidence"])
    sheets["Programmes"].append(["P1 ", "Estates", "a", "amber green"])
    sheets["Milestones"].append(["Programme code", "Name", "Baseline", "Forecast", "Status"])
    sheets["Milestones"].append(["P1", "Gateway", "2016-06-30", dt.datetime(2016, 7, 31, 17, 30), "R"])
    sheets["Savings"].append(["Programme code", "Financial year", "Amount", "Band"])
    sheets["Savings"].append(["P1", "2016/17", "£1,200,000", "GD"])
    sheets["Savings"].append(["P1", "2017/18", 250000.0, "Not Rated"])
    source = tmp_path / "real.xlsx"
    book.save(source)
    db = tmp_path / "file.db"
    assert cli.main(["import", "--db", str(db), str(source)]) == 0
    assert table(db, "SELECT name, status_date, headline FROM portfolio") == [
        ("Corporate", "2016-03-31", "DCA")]
    assert table(db, "SELECT code, rag, dca FROM programme") == [("P1", "Amber", "Amber/Green")]
    assert table(db, "SELECT baseline, forecast, status FROM milestone") == [
        ("2016-06-30", "2016-07-31", "Red")]
    assert table(db, "SELECT year, amount, band FROM saving ORDER BY year") == [
        ("2016/17", 1200000, "Green Delivered"), ("2017/18", 250000, "Not rated")]


def test_shorthand_money_is_refused_in_words(tmp_path, capsys):
    source = _workbook(tmp_path / "money.xlsx", {
        "Portfolios": [["Name", "Status date"], ["Corporate", "31/03/2025"]],
        "Programmes": [["Code", "Name"], ["P1", "Estates"]],
        "Savings": [["Programme code", "Financial year", "Amount"], ["P1", "2024/25", "£1.2m"]]})
    assert cli.main(["import", "--db", str(tmp_path / "f.db"), str(source)]) == 2
    assert ('Savings, row 2, Amount: £1.2m is shorthand; ragboard keeps whole pounds, so write the amount '
            'in full, such as 1200000 or £1,200,000') in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_utf8_with_or_without_a_bom_or_in_windows_1252(encoding, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Portfolios.csv").write_text("Name,Status date\nCorporate,31/03/2025\n", encoding=encoding)
    (folder / "Programmes.csv").write_text("Code,Name\nP1,Café – “Estates”\n", encoding=encoding)
    (folder / "Savings.csv").write_text('Programme code,Financial year,Amount\nP1,2024/25,"£1,250"\n',
                                        encoding=encoding)
    db = tmp_path / "file.db"
    assert cli.main(["import", "--db", str(db), str(folder)]) == 0
    assert table(db, "SELECT name FROM programme") == [("Café – “Estates”",)]
    assert table(db, "SELECT amount FROM saving") == [(1250,)]


def test_one_csv_file_is_its_register_by_name(tmp_path, demo_file, capsys):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    code = table(copy, "SELECT code FROM programme WHERE id = (SELECT min(id) FROM programme)")[0][0]
    portfolio = table(copy, "SELECT f.name FROM portfolio f JOIN programme p ON p.portfolio_id = f.id "
                            "WHERE p.code = ?", code)[0][0]
    path = tmp_path / "milestones.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["Portfolio", "Programme code", "Name", "Baseline"],
                                  [portfolio, code, "Board sign-off", "2019-01-31"]])
    assert cli.main(["import", "--db", str(copy), str(path)]) == 0
    assert "Milestones: 1 added, 0 changed, 0 unchanged" in capsys.readouterr().out
    assert table(copy, "SELECT baseline FROM milestone WHERE name = 'Board sign-off'") == [("2019-01-31",)]


def test_a_changed_cell_is_one_logged_change_and_the_import_is_undone_as_one(demo_file, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    out = tmp_path / "demo.xlsx"
    assert cli.main(["export", "--db", str(copy), "--out", str(out)]) == 0
    book = load_workbook(out)
    sheet = book["Milestones"]
    headings = [c.value for c in sheet[1]]
    status, name = headings.index("Status") + 1, headings.index("Name") + 1
    renamed = sheet.cell(2, name).value
    sheet.cell(2, status).value = "Red" if sheet.cell(2, status).value != "Red" else "Green"
    new_status = sheet.cell(2, status).value
    sheet.append([sheet.cell(2, i).value for i in range(1, 6)] + [None, "A new milestone"])
    book.save(out)
    assert cli.main(["import", "--db", str(copy), str(out)]) == 0
    rows = table(copy, "SELECT c.op, c.field, c.new, g.label FROM change c "
                       "JOIN change_group g ON g.id = c.group_id "
                       "WHERE g.label = 'Imported demo.xlsx' ORDER BY c.id")
    assert rows[0] == ("update", "status", f'"{new_status}"', "Imported demo.xlsx")
    assert [r[0] for r in rows] == ["update", "create"]
    with open_store(copy) as s:
        group = table(copy, "SELECT id FROM change_group WHERE label = 'Imported demo.xlsx'")[0][0]
        s.undo_group(group)
    assert table(copy, "SELECT count(*) FROM milestone WHERE name = 'A new milestone'") == [(0,)]
    assert table(copy, "SELECT status FROM milestone WHERE name = ?", renamed)[0][0] != new_status


def test_dry_run_says_what_would_change_and_writes_nothing(demo_file, tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    assert cli.main(["export", "--db", str(demo_file), "--out", str(out)]) == 0
    empty = tmp_path / "none.db"
    assert cli.main(["import", "--db", str(empty), "--dry-run", str(out)]) == 0
    said = capsys.readouterr().out
    assert "(nothing written)" in said and "Milestones: 139 to add, 0 to change, 0 unchanged" in said
    assert not empty.exists()


def test_delete_missing_lists_what_would_go_and_needs_a_yes(demo_file, tmp_path, capsys):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    out = tmp_path / "demo.xlsx"
    assert cli.main(["export", "--db", str(copy), "--out", str(out)]) == 0
    book = load_workbook(out)
    gone = book["Risks"].cell(2, 8).value  # a risk's description
    book["Risks"].delete_rows(2)
    book.save(out)
    capsys.readouterr()
    assert cli.main(["import", "--db", str(copy), str(out)]) == 0  # kept without --delete-missing
    assert "1 not in the spreadsheet (kept)" in capsys.readouterr().out
    assert cli.main(["import", "--db", str(copy), "--delete-missing", str(out)]) == 2
    said = capsys.readouterr()
    assert "would be deleted" in said.out and "--yes" in said.err
    risks = table(copy, "SELECT count(*) FROM risk")[0][0]
    assert cli.main(["import", "--db", str(copy), "--delete-missing", "--yes", str(out)]) == 0
    assert table(copy, "SELECT count(*) FROM risk")[0][0] == risks - 1
    assert table(copy, "SELECT count(*) FROM risk WHERE description = ?", gone) == [(0,)]


def test_the_template_is_written_and_reads_back_once_filled_in(tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert cli.main(["import", "--template", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == list(REGISTERS)
    headings = [c.value for c in book["Milestones"][1]]
    assert headings[:4] == ["Portfolio", "Programme code", "Project reference", "Name"]
    assert book["Milestones"].cell(2, 4).value.startswith("Required.")
    # Filled in below its row of help, which an import passes over.
    book["Portfolios"].append(["Corporate", "", "31/03/2025"])
    book["Programmes"].append(["Corporate", "P1", "Estates"])
    book["Milestones"].append(["Corporate", "P1", None, "Gateway"])
    book.save(out)
    db = tmp_path / "file.db"
    assert cli.main(["import", "--db", str(db), str(out)]) == 0, capsys.readouterr().err
    assert table(db, "SELECT name FROM milestone") == [("Gateway",)]
    assert cli.main(["import", "--template", str(out)]) == 2  # not replaced without --force


def test_a_source_that_is_not_there_or_not_a_spreadsheet_is_refused(tmp_path, capsys):
    db = tmp_path / "file.db"
    assert cli.main(["import", "--db", str(db), str(tmp_path / "missing.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert cli.main(["import", "--db", str(db), str(broken)]) == 2
    assert "cannot be read as a workbook" in capsys.readouterr().err
    odd = tmp_path / "odd.txt"
    odd.write_text("x")
    assert cli.main(["import", "--db", str(db), str(odd)]) == 2
    assert not db.exists()
