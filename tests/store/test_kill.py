"""A writer killed at random points never damages the file nor loses a confirmed change."""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from store import open_store

ROOT = Path(__file__).resolve().parents[2]
KILLS = 60

WRITER = textwrap.dedent("""
    import random, sys
    from store import open_store
    s = open_store(sys.argv[1], who="writer")
    rng = random.Random(int(sys.argv[2]))
    if not s.portfolios():
        f = s.add_portfolio(name="P", status_date="2025-06-30")
        s.add_programme(portfolio_id=f.id, code="G", name="G")
    g = s.home_rows()[0].programme.id
    mine = []
    while True:
        roll = rng.random()
        if roll < 0.5 or not mine:
            m = s.add_milestone(programme_id=g, name="m" * rng.randint(1, 150),
                                notes="n" * rng.randint(0, 3000))
            mine.append(m)
            print("add", m.id, m.version, flush=True)
        elif roll < 0.9:
            i = rng.randrange(len(mine))
            m = s.set_milestone_status(mine[i].id, mine[i].version, rng.choice(["Red", "Amber", "Green"]),
                                       "r" * rng.randint(0, 500))
            mine[i] = m
            print("edit", m.id, m.version, flush=True)
        else:
            pid = s.import_portfolio({"name": "Bulk", "status_date": "2025-06-30", "programme": [
                {"code": "B", "name": "B", "milestone": [{"name": f"b{k}"} for k in range(200)]}]})
            print("import", pid, 1, flush=True)
""")


@pytest.mark.slow  # 60 writers started and killed
def test_killed_writer_leaves_an_intact_file_with_every_confirmed_change(tmp_path):
    path = tmp_path / "killed.db"
    rng = random.Random(20250630)
    confirmed: dict[tuple[str, int], int] = {}
    total_lines = 0
    for run in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(run)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.0, 0.35))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err  # it was still writing, not crashed
        for line in out.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut short by the kill: not a confirmation
            what, item, version = line.split()
            kind = "portfolio" if what == "import" else "milestone"
            key = (kind, int(item))
            confirmed[key] = max(confirmed.get(key, 0), int(version))
            total_lines += 1
        if not path.exists():
            continue  # killed before the file was made
        # intact: SQLite's own check passes and the store opens it
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok", f"run {run}"
            made = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'milestone'").fetchone()[0]
            if not made:  # killed before the file's first commit: an empty file, which opens as new
                assert not confirmed, f"run {run}: confirmed changes in a file with no tables"
                continue
            for (kind, item), version in confirmed.items():
                row = conn.execute(f"SELECT version FROM {kind} WHERE id = ?", (item,)).fetchone()
                assert row is not None, f"run {run}: confirmed {kind} {item} is missing"
                assert row[0] >= version, f"run {run}: {kind} {item} lost a confirmed edit"
            imported = conn.execute("SELECT count(*) FROM milestone m "
                                    "JOIN programme p ON p.id = m.programme_id "
                                    "WHERE p.code = 'B'").fetchone()[0]
            bulk = conn.execute("SELECT count(*) FROM programme WHERE code = 'B'").fetchone()[0]
            assert imported == 200 * bulk  # a load is all or nothing
        finally:
            conn.close()
        # and the store opens it and reads every confirmed change back, at its confirmed version or later
        with open_store(path, who="checker") as s:
            if confirmed:
                assert not s.is_empty() and s.programme_count() >= 1, f"run {run}"
            for (kind, item), version in confirmed.items():
                record = getattr(s, kind)(item)
                assert record.id == item and record.version >= version, f"run {run}: {kind} {item}"
    assert total_lines > KILLS  # the writers really did confirm changes before being killed
    assert any(kind == "portfolio" and item > 1 for kind, item in confirmed)  # and loads
