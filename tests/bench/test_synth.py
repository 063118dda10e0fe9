"""`python -m bench synth` builds a valid portfolio through the store, with the counts it promises."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.synth import build_portfolios
from store import open_store

ROOT = Path(__file__).resolve().parents[2]


def _synth(path: Path, projects: int, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bench", "synth", "--db", str(path), "--projects", str(projects), *extra]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)


def _counts(store) -> dict:
    return {kind: store.conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
            for kind in ("programme", "project", "milestone", "risk", "saving")}


def test_synth_builds_the_promised_portfolio(tmp_path):
    path = tmp_path / "synth.db"
    done = _synth(path, 60)
    assert done.returncode == 0, done.stderr
    with open_store(path, read_only=True) as store:
        assert _counts(store) == {"programme": 3, "project": 60, "milestone": 1200, "risk": 600,
                                  "saving": 300}
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every screen's query reads it: home, a programme, a project, the palette, the filter.
        home = store.home_rows()
        assert len(home) == 3 and {row.projects for row in home} == {25, 10}
        programme = home[0].programme
        project = store.project_rows(programme.id)[0].project
        assert project.reference.startswith(programme.code)
        milestones = store.milestones(project_id=project.id)
        assert len(milestones) == 20 and all(m.due_text and m.baseline for m in milestones)
        assert len(store.risks(project_id=project.id)) == 10
        assert [s.year for s in store.savings(project_id=project.id)] == sorted(
            s.year for s in store.savings(project_id=project.id))
        assert store.search(project.reference)[0].id == project.id
        assert store.search_milestones("Cabinet")
        # A realistic spread: every status, some overdue, risks from 1 to 25.
        statuses = {row[0] for row in store.conn.execute("SELECT DISTINCT status FROM milestone")}
        assert statuses == {"Red", "Amber", "Green", "Complete", "Not rated"}
        assert any(r.red_milestones and r.overdue_milestones for r in home)
        scores = store.conn.execute(
            "SELECT min(likelihood * impact), max(likelihood * impact) FROM risk").fetchone()
        assert scores == (1, 25)
        # One change group per portfolio: the load is logged as imports.
        imports = store.conn.execute("SELECT count(*) FROM change_group WHERE kind = 'import'").fetchone()[0]
        assert imports == 1


def test_synth_is_deterministic_and_refuses_an_existing_file(tmp_path):
    assert list(build_portfolios(30, seed=5)) == list(build_portfolios(30, seed=5))
    assert list(build_portfolios(30, seed=5)) != list(build_portfolios(30, seed=6))
    path = tmp_path / "synth.db"
    assert _synth(path, 30).returncode == 0
    before = path.read_bytes()
    refused = _synth(path, 30)
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert path.read_bytes() == before


def test_portfolios_split_at_scale():
    from bench.synth import portfolio_sizes

    sizes = portfolio_sizes(5000)
    assert len(sizes) == 8 and sum(map(sum, sizes)) == 5000 and sum(map(len, sizes)) == 200
