"""ragboard report: a highlight report per programme in Markdown, HTML and PDF, checked against the store."""
from __future__ import annotations

import re
import sqlite3
import sys
from html import escape

import pytest

from ragboard_cli import main as cli
from ragboard_cli.report import words
from seed.loader import write_demo_file
from store import open_store

HOSTILE = "<script>alert(1)</script> | *x* \x1b[2J"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo, with a period closed and then a programme's RAG and DCA changed, and a hostile name."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo_file(path)
    with open_store(path) as s:
        g = s.home_rows()[0].programme
        s.set_programme_dca(g.id, g.version, "Amber/Green", "funding agreed")
        for f in s.portfolios():
            s.close_period(f.id, f.version)
        g = s.set_programme_dca(g.id, s.programme(g.id).version, "Amber/Red", "contractor withdrew")
        s.set_programme_rag(g.id, g.version, "Red", "behind plan")
        other = s.home_rows()[1].programme.id
    conn = sqlite3.connect(path)  # as another program might write it: the store refuses control characters
    conn.execute("UPDATE programme SET name = ? WHERE id = ?", (HOSTILE, other))
    conn.commit()
    conn.close()
    return path



def _programmes(path):
    with open_store(path, read_only=True) as s:
        return [(row, s.savings_by_year(programme_id=row.programme.id)) for row in s.home_rows(0, 10_000)]


def _written(db, out, programme_start: str):
    """The report written to out, and each programme's part of it beside the programme's home row
    and savings by year, read from the store."""
    assert cli.main(["report", "--db", str(db), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    sections = text.split(programme_start)[1:]
    programmes = _programmes(db)
    assert len(sections) == len(programmes)
    return text, zip(programmes, sections, strict=True)


@pytest.mark.parametrize("source", ["demo", "synthetic"])
def test_the_html_names_every_programme_its_rag_and_its_savings(source, demo_file, synthetic_file, tmp_path):
    db = demo_file if source == "demo" else synthetic_file
    page, parts = _written(db, tmp_path / "board.html", '<section class="programme">')
    for (row, years), section in parts:
        g = row.programme
        assert section.startswith(f"<h2>{escape(words.text(g.code))} ")
        word = g.rolled_rag or "Not rated"
        assert f"{words.letters(g.rolled_rag)} {word}" in section
        for year in years:
            assert f"<td>{year.year}</td>" in section
            for figure in (year.gross, year.cost, year.net):
                assert words.money(figure) in section
    # one self-contained file: no script, nothing fetched
    assert "<script>" not in page and not re.search(r"(src|href)\s*=", page)
    assert "<svg" in page and "Open risks by likelihood and impact" in page


def test_the_html_shows_trends_reasons_and_changes_since_the_period(demo_file, tmp_path):
    out = tmp_path / "board.html"
    assert cli.main(["report", "--db", str(demo_file), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    first = page.split('<section class="programme">')[1]
    assert "AR Amber/Red</span> ↓ was AG because: contractor withdrew" in first
    assert "R Red</span> was - (set by hand) because: behind plan" in first
    assert "Successful delivery of the project is in doubt" in first  # the IPA's definition
    assert first.count("contractor withdrew") >= 2  # in the headline, and in the changes since
    assert "\x1b" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; | *x* ␛[2J" in page


@pytest.mark.parametrize("source", ["demo", "synthetic"])
def test_the_markdown_holds_every_programme_with_its_rag_and_savings(source, demo_file, synthetic_file,
                                                                      tmp_path):
    db = demo_file if source == "demo" else synthetic_file
    text, parts = _written(db, tmp_path / "board.md", "\n## ")
    for (row, years), section in parts:
        rag = row.programme.rolled_rag
        assert f"{words.letters(rag)} {rag or 'Not rated'}" in section
        for year in years:
            assert f"| {year.year} | {words.money(year.gross)} | {words.money(year.cost)} | " \
                   f"{words.money(year.net)} |" in section
    if source == "demo":  # markup in a name is text: escaped for Markdown, no raw control character
        assert "\\<script\\>alert\\(1\\)\\</script\\> \\| \\*x\\* ␛\\[2J" in text and "\x1b" not in text


def test_a_pdf_has_a_page_for_every_programme(demo_file, tmp_path):
    import weasyprint

    out = tmp_path / "board.pdf"
    assert cli.main(["report", "--db", str(demo_file), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 20_000
    page = tmp_path / "board.html"  # the PDF is drawn from this page: its pages counted as drawn
    assert cli.main(["report", "--db", str(demo_file), "--out", str(page)]) == 0
    pages = weasyprint.HTML(string=page.read_text(encoding="utf-8")).render().pages
    assert len(pages) >= len(_programmes(demo_file)) + 1  # the summary, then each programme from a new page


def test_without_the_report_extra_a_pdf_is_refused_in_words(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if not installed
    out = tmp_path / "board.pdf"
    assert cli.main(["report", "--db", str(demo_file), "--out", str(out)]) == 2
    assert "pip install 'ragboard[report]'" in capsys.readouterr().err
    assert not out.exists()


def test_one_portfolio_or_programme_and_unknown_ones_list_the_choices(demo_file, tmp_path, capsys):
    with open_store(demo_file, read_only=True) as s:
        f = s.portfolios()[2]
        names = [p.name for p in s.portfolios()]
        codes = [row.programme.code for row in s.home_rows(0, 1000) if row.portfolio_name == f.name]
    out = tmp_path / "one.md"
    report = ["report", "--db", str(demo_file)]
    code = codes[-1].lower()  # matched as typed, case aside
    assert cli.main([*report, "--portfolio", f.name, "--programme", code, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n## ") == 1
    assert cli.main([*report, "--portfolio", "Nowhere", "--out", str(tmp_path / "n.md")]) == 2
    err = capsys.readouterr().err
    assert "no portfolio \"Nowhere\"" in err and all(name in err for name in names)
    assert cli.main(["report", "--db", str(demo_file), "--portfolio", f.name, "--programme", "ZZZ",
                     "--out", str(tmp_path / "n.md")]) == 2
    err = capsys.readouterr().err
    assert "no programme \"ZZZ\"" in err and all(code in err for code in codes), (err, codes)
    assert not (tmp_path / "n.md").exists()


def test_bad_output_is_refused_and_nothing_is_written(demo_file, tmp_path, capsys, monkeypatch):
    for out, said in ((tmp_path / "missing" / "r.html", "does not exist"),
                      (tmp_path / "r.txt", "must end in")):
        assert cli.main(["report", "--db", str(demo_file), "--out", str(out)]) == 2
        assert said in capsys.readouterr().err and not out.exists()
    old = tmp_path / "old.html"
    old.write_text("last month", encoding="utf-8")
    assert cli.main(["report", "--db", str(demo_file), "--out", str(old)]) == 2
    assert "give --force" in capsys.readouterr().err and old.read_text(encoding="utf-8") == "last month"

    def fails(*_a, **_k):
        raise RuntimeError("interrupted")

    monkeypatch.setattr("ragboard_cli.report.html.render", fails)
    with pytest.raises(RuntimeError):
        cli.main(["report", "--db", str(demo_file), "--out", str(old), "--force"])
    assert old.read_text(encoding="utf-8") == "last month"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html"]
