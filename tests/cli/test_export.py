"""ragboard export: every register to a workbook (read back cell by cell against the store) or to CSV."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from ragboard_cli import main as cli
from ragboard_cli import workbook
from seed.loader import write_demo_file
from store import open_store
from store import registers as reg


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo_file(path)
    with open_store(path) as s:  # a period closed, a DCA set, and a name that looks like a formula
        f = s.portfolios()[0]
        g = s.home_rows()[0].programme
        s.set_programme_dca(g.id, g.version, "Amber/Red", "funding gap")
        s.close_period(f.id, s.portfolio(f.id).version)
        s.edit_programme(g.id, s.programme(g.id).version, description='=HYPERLINK("http://x","y")')
    return path



def _expected(value, column):
    """What a workbook cell holds for a register's value."""
    if value is None or value == "":
        return None
    if column.type == reg.DATE:
        return dt.datetime.fromisoformat(value)
    return value


def _check_workbook(db, out):
    book = load_workbook(out)
    with open_store(db, read_only=True) as s:
        registers = reg.registers(s)
        assert book.sheetnames == [r.sheet for r in registers]
        for register in registers:
            sheet = book[register.sheet]
            assert sheet.freeze_panes == "A2"
            assert sheet.auto_filter.ref.startswith("A1:")
            rows = list(sheet.iter_rows())
            assert [c.value for c in rows[0]][:len(register.columns)] == [c.heading for c in register.columns]
            stored = list(reg.rows(s, register))
            assert len(rows) - 1 == len(stored), register.sheet
            for cells, row in zip(rows[1:], stored, strict=True):
                for cell, column in zip(cells, register.columns, strict=False):
                    assert cell.value == _expected(row[column.name], column), (register.sheet, column.name)
                    if column.type == reg.MONEY and cell.value is not None:
                        assert cell.number_format == workbook.MONEY_FORMAT and isinstance(cell.value, int)
                    if column.type == reg.DATE and cell.value is not None:
                        assert cell.number_format == workbook.DATE_FORMAT
                    if column.type == reg.RAG and cell.value in workbook.FILLS:
                        assert cell.fill.fgColor.rgb.endswith(workbook.FILLS[cell.value])
    return book


@pytest.mark.parametrize("source", ["demo", "synthetic"])
def test_the_workbook_holds_every_register_cell_for_cell(source, demo_file, synthetic_file, tmp_path, capsys):
    db = demo_file if source == "demo" else synthetic_file
    out = tmp_path / "registers.xlsx"
    assert cli.main(["export", "--db", str(db), "--out", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    book = _check_workbook(db, out)
    if source == "demo":
        assert "Periods" in book.sheetnames
        programmes = book["Programmes"]
        # text that looks like a formula is text, as typed
        cells = [c for row in programmes.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
        assert cells and all(c.data_type == "s" for c in cells)
        red = [c for row in book["Programmes"].iter_rows() for c in row if c.value == "Amber/Red"]
        assert red and red[0].fill.fgColor.rgb.endswith(workbook.FILLS["Amber/Red"])
    else:
        assert "Periods" not in book.sheetnames  # none closed yet


def test_a_register_longer_than_a_sheet_holds_is_refused_in_words(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(workbook, "SHEET_ROWS", 100)  # the demo's 139 milestones, as if a million
    out = tmp_path / "board.xlsx"
    assert cli.main(["export", "--db", str(demo_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "a workbook sheet holds 100 rows at most, and Milestones has 139" in err
    assert "--format csv" in err and "Risks" not in err  # 95 risks fit
    assert list(tmp_path.iterdir()) == []  # nothing written, nothing left beside


def test_csv_written_a_batch_at_a_time_is_the_same_as_written_whole(synthetic_file, tmp_path):
    """Batches of 7 rows write the very bytes one frame of every row writes."""
    with open_store(synthetic_file, read_only=True) as s:
        names = {}
        for batch in (7, 10**9):
            folder = tmp_path / str(batch)
            folder.mkdir()
            names[batch] = workbook.write_csv_folder(s, folder, batch=batch)
        assert names[7] == names[10**9] and "Milestones.csv" in names[7]
        for name in names[7]:
            whole = (tmp_path / str(10**9) / name).read_bytes()
            assert (tmp_path / "7" / name).read_bytes() == whole, name
            register = next(r for r in reg.registers(s) if f"{r.sheet}.csv" == name)
            assert len(list(csv.reader(io.StringIO(whole.decode())))) == 1 + reg.count(s, register)


def test_csv_files_hold_every_register(demo_file, tmp_path):
    out = tmp_path / "csv"
    assert cli.main(["export", "--db", str(demo_file), "--out", str(out), "--format", "csv"]) == 0
    with open_store(demo_file, read_only=True) as s:
        for register in reg.registers(s):
            with open(out / f"{register.sheet}.csv", encoding="utf-8", newline="") as fh:
                got = list(csv.reader(fh))
            assert got[0] == [c.heading for c in register.columns]
            stored = list(reg.rows(s, register))
            assert len(got) - 1 == len(stored)
            for line, row in zip(got[1:], stored, strict=True):
                want = ["" if row[c.name] is None else str(row[c.name]) for c in register.columns]
                assert line == want, register.sheet
    # an existing file of the same name is refused without --force, and kept
    before = (out / "Programmes.csv").read_bytes()
    assert cli.main(["export", "--db", str(demo_file), "--out", str(out), "--format", "csv"]) == 2
    assert (out / "Programmes.csv").read_bytes() == before


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_output_is_refused_in_words_and_nothing_is_written(demo_file, tmp_path, capsys):
    cases = [
        (tmp_path / "missing" / "x.xlsx", "does not exist"),
        (tmp_path / "x.csv", "must end in .xlsx"),
    ]
    for out, words in cases:
        assert cli.main(["export", "--db", str(demo_file), "--out", str(out)]) == 2
        assert words in capsys.readouterr().err
        assert not out.exists()
    existing = tmp_path / "old.xlsx"
    existing.write_bytes(b"not touched")
    assert cli.main(["export", "--db", str(demo_file), "--out", str(existing)]) == 2
    assert "already exists; give --force" in capsys.readouterr().err
    assert existing.read_bytes() == b"not touched"
    assert cli.main(["export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "y.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "y.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx"]  # nothing half-made beside


def test_a_failure_midway_leaves_the_old_file_and_nothing_partial(demo_file, tmp_path, monkeypatch):
    out = tmp_path / "registers.xlsx"
    out.write_bytes(b"last month's")

    def fails(store, temp, **_):
        temp.write_bytes(b"half")
        raise OSError("disk unplugged")

    monkeypatch.setattr("ragboard_cli.export.write_workbook", fails)
    with pytest.raises(OSError):
        cli.main(["export", "--db", str(demo_file), "--out", str(out), "--force"])
    assert out.read_bytes() == b"last month's"
    assert [p.name for p in tmp_path.iterdir()] == ["registers.xlsx"]


def test_control_characters_another_program_wrote_become_visible_in_the_workbook(tmp_path):
    db = tmp_path / "f.db"
    with open_store(db) as s:
        f = s.add_portfolio(name="P", status_date="2025-03-31")
        s.add_programme(portfolio_id=f.id, code="C", name="Plain")
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("UPDATE programme SET name = ? WHERE code = 'C'", ("Bell\x07 and esc\x1b[2J",))
    conn.commit()
    conn.close()
    out = tmp_path / "x.xlsx"
    assert cli.main(["export", "--db", str(db), "--out", str(out)]) == 0
    names = [row[3].value for row in load_workbook(out)["Programmes"].iter_rows(min_row=2)]
    assert names == ["Bell\u2407 and esc\u241b[2J"]


def test_pandas_and_openpyxl_are_not_loaded_at_start_up():
    code = ("import sys, ragboard_cli.main, tui.app; "
            "print(sorted(m for m in ('pandas', 'openpyxl', 'weasyprint') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
