"""The demo data: each record is on its cited line, and the loader builds it through the store."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from seed.files import KEY_FIELD, load_portfolios, walk
from seed.loader import load_demo, write_demo_file
from seed.provenance import plain, problems, source_lines
from store import open_store

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


@pytest.fixture(scope="module")
def portfolios():
    return load_portfolios()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo_file(path)
    with open_store(path) as store:
        yield store


def test_every_record_is_on_its_cited_line():
    assert problems() == []


def test_provenance_check_catches_a_wrong_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    text = (SEED_DIR / "data" / "haringey.toml").read_text(encoding="utf-8")
    # Move the first milestone's citation one line down: the check must notice.
    moved = re.sub(r"(\[\[programme\.project\.milestone\]\][^\[]*?\nline = )(\d+)",
                   lambda m: f"{m[1]}{int(m[2]) + 1}", text, count=1)
    assert moved != text
    (data / "haringey.toml").write_text(moved, encoding="utf-8")
    found = problems(data)
    assert len(found) == 1 and "milestone" in found[0]


@pytest.mark.parametrize("pattern,change,says", [
    (r"\nactual_line = (\d+)", lambda m: f"\nactual_line = {int(m[1]) + 1}", "actual_text"),
    (r"\nstatus_date_line = (\d+)", lambda m: f"\nstatus_date_line = {int(m[1]) + 2}", "status_date_text"),
    (r"inferred = \{ (\w+) = \"[^\"]*\"", lambda m: f'inferred = {{ {m[1]} = " "', "no reason"),
])
def test_provenance_check_catches_printed_text_off_its_line_or_an_unexplained_inference(
        tmp_path, pattern, change, says):
    data = tmp_path / "data"
    data.mkdir()
    text = (SEED_DIR / "data" / "haringey.toml").read_text(encoding="utf-8")
    changed = re.sub(pattern, change, text, count=1)
    assert changed != text
    (data / "haringey.toml").write_text(changed, encoding="utf-8")
    found = problems(data)
    assert len(found) == 1 and says in found[0], found


def test_the_five_papers_are_all_cited(portfolios):
    cited = {rec["source"] for p in portfolios for _, rec in walk(p)}
    assert cited == {path.name for path in (SEED_DIR / "sources").glob("*.txt")}


def test_the_sources_are_copies_of_the_papers():
    shared = Path("/work/shared/seeds")
    if not shared.is_dir():
        shared = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("the shared papers are not beside this checkout")
    for path in (SEED_DIR / "sources").glob("*.txt"):
        assert path.read_bytes() == (shared / path.name).read_bytes()


def _count(portfolio: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, _ in walk(portfolio):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def test_counts_per_portfolio_match_the_data_files(portfolios, demo):
    by_name = {p.name: p for p in demo.portfolios()}
    assert set(by_name) == {p["name"] for p in portfolios}
    for data in portfolios:
        expected = _count(data)
        pid = by_name[data["name"]].id
        conn = demo.conn
        programmes = [
            row[0] for row in conn.execute("SELECT id FROM programme WHERE portfolio_id = ?", (pid,))
        ]
        assert len(programmes) == expected.get("programme", 0)
        projects = [j.id for prog in programmes for j in demo.projects(prog)]
        assert len(projects) == expected.get("project", 0)
        for kind, reader in (("milestone", demo.milestones), ("risk", demo.risks), ("saving", demo.savings)):
            found = sum(len(reader(programme_id=p)) for p in programmes)
            found += sum(len(reader(project_id=j)) for j in projects)
            assert found == expected.get(kind, 0), (data["name"], kind)


def test_plymouth_has_its_five_programmes_and_46_risks(demo):
    home = [row for row in demo.home_rows(0, 1000) if row.portfolio_name == "Transformation Portfolio"]
    assert sorted(row.programme.code for row in home) == sorted(["CCO", "CST", "GAME", "P&OD", "IHWB"])
    risks = sum(
        len(demo.risks(programme_id=row.programme.id))
        + sum(len(demo.risks(project_id=j.id)) for j in demo.projects(row.programme.id))
        for row in home
    )
    # The 46 of the transformation paper and the 6-row register of the CCYPS paper.
    assert risks == 46 + 6


def test_no_milestone_carries_a_rag_its_paper_does_not_print(portfolios):
    for portfolio in portfolios:
        for kind, rec in walk(portfolio):
            if kind != "milestone":
                continue
            status = rec.get("status", "Not rated")
            assert status in ("Not rated", "Complete"), rec["name"]
            if status == "Complete":  # printed so, or reported as done, when, as printed (on its line)
                lines = source_lines(rec["source"])
                cited = " ".join(lines[rec["line"] - 1 : rec.get("line_end", rec["line"])])
                assert "COMPLETE" in cited.upper() or rec.get("actual_text"), rec["name"]


def test_seeded_records_keep_their_source(demo):
    for table in ("programme", "project", "milestone", "risk", "saving"):
        missing = demo.conn.execute(
            f"SELECT count(*) FROM {table} WHERE source IS NULL OR source_line IS NULL"
        ).fetchone()[0]
        assert missing == 0, table


def test_seeded_milestones_are_not_rated_unless_printed(demo):
    statuses = {row[0] for row in demo.conn.execute("SELECT DISTINCT status FROM milestone")}
    assert statuses <= {"Not rated", "Complete"}


def test_saving_bands_appear_only_in_worcestershire(portfolios):
    for portfolio in portfolios:
        for kind, rec in walk(portfolio):
            if kind == "saving" and rec.get("band", "Not rated") != "Not rated":
                assert rec["source"].startswith("003_"), rec


def test_key_wording_is_real_text(portfolios):
    """The key field of every record is not blank after tidying (a typo'd quote would be)."""
    for portfolio in portfolios:
        for kind, rec in walk(portfolio):
            if kind != "portfolio":
                assert plain(rec.get("quote") or rec[KEY_FIELD[kind]])


def test_loader_uses_the_store_api_only():
    for path in (SEED_DIR).glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sqlite3" not in text and ".execute(" not in text, path.name


def test_load_demo_into_an_open_store(tmp_path):
    with open_store(tmp_path / "x.db") as store:
        ids = load_demo(store)
        assert len(ids) == len(load_portfolios())
        assert store.programme_count() > 0
        # Loading is not an edit: there is nothing to undo.
        assert store.can_undo() is None


def test_data_giving_due_dates_as_older_files_did_loads_the_same_figures(tmp_path, demo):
    """Before schema step 5 the data files gave the paper's date as `due`: read so, it is the
    baseline, and every milestone's figures are those of the data as it is now."""
    data = tmp_path / "data"
    data.mkdir()
    renamed = 0
    for path in (SEED_DIR / "data").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        old = re.sub(r"(?m)^baseline = ", "due = ", text)
        renamed += old != text
        (data / path.name).write_text(old, encoding="utf-8")
    assert renamed

    def figures(store):
        return sorted((m.name, m.due_text, m.baseline, m.expected, m.overdue, m.slippage_days, m.status)
                      for m, _owner in store.search_milestones(limit=100_000))

    with open_store(tmp_path / "old.db") as old:
        load_demo(old, data)
        assert figures(old) == figures(demo)
        assert [r[1:] for r in old.home_rows(limit=1000)] == [r[1:] for r in demo.home_rows(limit=1000)]
    assert any(m.baseline for m, _ in demo.search_milestones(limit=100_000))
