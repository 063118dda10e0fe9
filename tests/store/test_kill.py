"""A writer killed at random points never damages the file nor loses a confirmed change."""
from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time

import pytest

from store import open_store

KILLS = 60


def write_until_killed(path: str, seed: int, log: str) -> None:
    """A writer that adds and edits milestones and loads portfolios until it is killed; after each
    commit returns, it appends a line saying what is now confirmed to the log."""
    s = open_store(path, who="writer")
    out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    rng = random.Random(seed)
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
            os.write(out, f"add {m.id} {m.version}\n".encode())
        elif roll < 0.9:
            i = rng.randrange(len(mine))
            m = s.set_milestone_status(mine[i].id, mine[i].version, rng.choice(["Red", "Amber", "Green"]),
                                       "r" * rng.randint(0, 500))
            mine[i] = m
            os.write(out, f"edit {m.id} {m.version}\n".encode())
        else:
            pid = s.import_portfolio({"name": "Bulk", "status_date": "2025-06-30", "programme": [
                {"code": "B", "name": "B", "milestone": [{"name": f"b{k}"} for k in range(200)]}]})
            os.write(out, f"import {pid} 1\n".encode())


def writers():
    """Writers as processes forked from one that has the store imported already: each starts writing
    within milliseconds, where a new interpreter took ~150 ms of CPU to get there."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["store", __name__])
    return context


@pytest.mark.slow  # 60 writers started and killed
def test_killed_writer_leaves_an_intact_file_with_every_confirmed_change(tmp_path):
    path = tmp_path / "killed.db"
    rng = random.Random(20250630)
    confirmed: dict[tuple[str, int], int] = {}
    total_lines = 0
    context = writers()
    for run in range(KILLS):
        log = tmp_path / f"confirmed-{run}.txt"
        child = context.Process(target=write_until_killed, args=(str(path), run, str(log)))
        child.start()
        time.sleep(rng.uniform(0.0, 0.2))
        child.kill()
        child.join(timeout=30)
        assert child.exitcode == -signal.SIGKILL, f"run {run}: the writer ended before it was killed"
        for line in (log.read_text() if log.exists() else "").splitlines(keepends=True):
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
