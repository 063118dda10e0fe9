"""Schema step 4: the by-programme indexes hold only rows a programme owns."""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing

from store import open_store
from store.schema import SCHEMA_VERSION, apply_steps

PARTIAL = ("milestone_by_programme", "risk_by_programme", "saving_by_programme")


def make_v3(path) -> None:
    """A file as ragboard wrote it before step 4: programme- and project-owned items of every kind."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN")
        apply_steps(conn, 0, 3)
        for statement in """
            INSERT INTO portfolio (name, status_date) VALUES ('Old', '2025-06-30');
            INSERT INTO programme (portfolio_id, code, name) VALUES (1, 'OLD', 'Old programme');
            INSERT INTO project (programme_id, name) VALUES (1, 'Old project');
            INSERT INTO milestone (programme_id, name, status, due)
                VALUES (1, 'Own red', 'Red', '2025-01-31');
            INSERT INTO milestone (programme_id, name, status, due)
                VALUES (1, 'Own late', 'Amber', '2025-02-28');
            INSERT INTO milestone (project_id, name, status, due)
                VALUES (1, 'Project red', 'Red', '2026-01-31');
            INSERT INTO risk (programme_id, description, likelihood, impact) VALUES (1, 'Own high', 5, 4);
            INSERT INTO risk (project_id, description, likelihood, impact) VALUES (1, 'Project high', 4, 4);
            INSERT INTO saving (programme_id, year, amount) VALUES (1, '2025/26', 1000);
            INSERT INTO saving (project_id, year, amount) VALUES (1, '2025/26', 500)
        """.strip().split(";"):
            conn.execute(statement)
        conn.execute("COMMIT")
    os.chmod(path, 0o600)


def _index_sql(path) -> dict[str, str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))


def test_v3_file_is_backed_up_then_its_programme_indexes_made_partial(tmp_path):
    assert SCHEMA_VERSION >= 4
    path = tmp_path / "old.db"
    make_v3(path)
    before = _index_sql(path)
    assert all("WHERE" not in before[name] for name in PARTIAL)
    with open_store(path) as s:
        (row,) = s.home_rows()
        # high risks: the Red band of the default matrix (20 or more): 'Own high' (20), not
        # 'Project high' (16)
        figures = (row.red_milestones, row.overdue_milestones, row.high_risks, row.savings_gross)
        assert figures == (2, 2, 1, 1500)
        assert [m.name for m in s.milestones(programme_id=1)] == ["Own red", "Own late"]
        assert [k.description for k in s.risks(programme_id=1)] == ["Own high"]
        assert [v.amount for v in s.savings(programme_id=1)] == [1000]
        assert s.programme(1).rolled_rag == "Red"
        # and a new programme-owned item goes into the index
        s.add_milestone(programme_id=1, name="Added", status="Red")
        assert s.home_rows()[0].red_milestones == 3
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("old.db.v3") and p.name.endswith(".bak")]
    assert len(backups) == 1, os.listdir(tmp_path)
    assert _index_sql(backups[0]) == before  # the backup is the file as it was
    after = _index_sql(path)
    for name in PARTIAL:
        assert after[name].endswith("WHERE programme_id IS NOT NULL"), after[name]
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # index contents match the rows
        # The programme's own items are still found through its index.
        for table, index in (
            ("milestone", "milestone_by_programme"),
            ("risk", "risk_by_programme"),
            ("saving", "saving_by_programme"),
        ):
            plan = " ".join(
                r[3]
                for r in conn.execute(
                    f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE programme_id = ?", (1,)
                )
            )
            assert index in plan, plan
        # Only the rows a programme owns are in it.
        assert (
            conn.execute(
                "SELECT count(*) FROM milestone INDEXED BY milestone_by_programme "
                "WHERE programme_id IS NOT NULL"
            ).fetchone()[0]
            == 3
        )


def test_a_new_file_has_the_partial_indexes(tmp_path):
    path = tmp_path / "new.db"
    open_store(path).close()
    sql = _index_sql(path)
    for name in PARTIAL:
        assert sql[name].endswith("WHERE programme_id IS NOT NULL"), sql[name]
