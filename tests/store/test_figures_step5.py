"""Schema step 5 on a file written before it: the due date becomes the baseline where none was given,
the column goes, the figures the screens show are the ones that file showed, and the file is backed
up beside itself first. Nothing else in it changes."""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing

from store import fields, open_store
from store.schema import SCHEMA_VERSION, apply_steps

# (name, due, baseline, forecast, actual, status): status date 30 Jun 2025
MILESTONES = [
    ("due only, late", "2025-01-31", None, None, None, "Red"),
    ("due only, ahead", "2025-12-31", None, None, None, "Amber"),
    ("due and its own baseline", "2025-03-31", "2025-02-28", "2025-04-15", None, "Green"),
    ("due only, done", "2025-01-31", None, None, "2025-02-10", "Complete"),
    ("due only, forecast later", "2025-05-31", None, "2025-08-31", None, "Amber"),
    ("no date at all", None, None, None, None, "Not rated"),
]
# What each shows once upgraded: (baseline, expected, overdue, slippage_days)
UPGRADED = {
    "due only, late": ("2025-01-31", "2025-01-31", True, None),
    "due only, ahead": ("2025-12-31", "2025-12-31", False, None),
    "due and its own baseline": ("2025-02-28", "2025-04-15", True, 46),  # its forecast has passed
    "due only, done": ("2025-01-31", "2025-02-10", False, 10),
    "due only, forecast later": ("2025-05-31", "2025-08-31", False, 92),
    "no date at all": (None, None, False, None),
}


def make_v4(path) -> None:
    """A file as ragboard wrote it at step 4: milestones dated by their due date alone, and others."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN")
        apply_steps(conn, 0, 4)
        conn.execute("INSERT INTO portfolio (name, status_date) VALUES ('Old', '2025-06-30')")
        conn.execute("INSERT INTO programme (portfolio_id, code, name) VALUES (1, 'OLD', 'Old programme')")
        conn.execute("INSERT INTO project (programme_id, name) VALUES (1, 'Old project')")
        for n, (name, due, baseline, forecast, actual, status) in enumerate(MILESTONES):
            owner = "programme_id" if n % 2 else "project_id"
            conn.execute(f"INSERT INTO milestone ({owner}, name, due_text, due, baseline, forecast, actual, "
                         "status, position) VALUES (1, ?, 'as printed', ?, ?, ?, ?, ?, ?)",
                         (name, due, baseline, forecast, actual, status, n + 1))
        conn.execute("INSERT INTO risk (project_id, description, likelihood, impact) "
                     "VALUES (1, 'High', 5, 4)")
        conn.execute("INSERT INTO saving (project_id, year, amount, kind) "
                     "VALUES (1, '2025/26', 500, 'saving')")
        conn.execute("INSERT INTO change_group (at, who, label, kind) VALUES ('2025-01-01T00:00:00Z', 'bob', "
                     "'Edited', 'edit')")
        conn.execute("INSERT INTO change (group_id, at, who, op, item_kind, item_id, field, old, new) "
                     "VALUES (1, '2025-01-01T00:00:00Z', 'bob', 'update', 'milestone', 1, 'due', "
                     "'\"2025-01-01\"', '\"2025-01-31\"')")
        conn.execute("COMMIT")
    os.chmod(path, 0o600)


def _tables(path) -> dict[str, list[dict]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'milestone_words%' "
            "AND name NOT LIKE 'project_words%' ORDER BY name")]  # word indexes (steps 8, 9), made from rows
        return {n: [dict(row) for row in conn.execute(f"SELECT * FROM {n} ORDER BY rowid")] for n in names}


def test_a_step_4_files_due_dates_become_baselines(tmp_path):
    assert SCHEMA_VERSION >= 5
    path = tmp_path / "old.db"
    make_v4(path)
    before = _tables(path)
    assert "due" in before["milestone"][0]
    with open_store(path) as s:
        got = {m.name: (m.baseline, m.expected, m.overdue, m.slippage_days)
               for owner in ({"project_id": 1}, {"programme_id": 1}) for m in s.milestones(**owner)}
        assert got == UPGRADED
        (row,) = s.home_rows()
        assert (row.red_milestones, row.overdue_milestones, row.high_risks) == (1, 2, 1)
        assert (row.savings_gross, row.savings_cost, row.savings_net) == (500, 0, 500)
        # the history of the old field still reads in the user's words
        (change,) = s.history(item=("milestone", 1))
        assert (change.field, change.new) == ("due", "2025-01-31")

    after = _tables(path)
    # Later steps' columns are there at their defaults; past them, step 5 is what changed.
    for table, rows in after.items():
        later = {name: spec.default for name, spec in fields.ever(table).items() if spec.step > 5} \
            if table in fields.KINDS else {}
        for row in rows:
            assert {name: row.pop(name) for name in later} == later
    # The milestones lost their due date, gained a baseline where they had none, and nothing else.
    for old, new in zip(before["milestone"], after["milestone"], strict=True):
        assert "due" not in new
        expected = {k: v for k, v in old.items() if k != "due"}
        expected["baseline"] = old["baseline"] or old["due"]
        if old["due"] and old["baseline"] and old["due"] != old["baseline"]:
            # a due date edited apart from its baseline is kept, in words, in the notes
            expected["notes"] = "Due date (before the baseline took its place): 31 Mar 2025."
        assert new == expected
    # Every other table is as it was, row for row (the tables of later steps are empty).
    assert all(after.pop(table) == [] for table in set(after) - set(before))
    assert {k: v for k, v in after.items() if k != "milestone"} == {
        k: v for k, v in before.items() if k != "milestone"}

    backups = [p for p in tmp_path.iterdir() if p.name.startswith("old.db.v4") and p.name.endswith(".bak")]
    assert len(backups) == 1, os.listdir(tmp_path)
    assert _tables(backups[0]) == before  # the backup is the file as it was
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                    "AND tbl_name = 'milestone'"))
        assert set(indexes) == {"milestone_by_project", "milestone_by_programme"}
        assert all("due" not in sql for sql in indexes.values())
        assert indexes["milestone_by_programme"].endswith("WHERE programme_id IS NOT NULL")
        # and the views read the upgraded rows
        shown = dict(conn.execute("SELECT name, expected FROM milestone_status"))
        assert shown == {name: figures[1] for name, figures in UPGRADED.items()}
