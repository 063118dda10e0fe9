"""Opening files: create safely, refuse what is not ours (untouched), migrate older, respect read-only."""
from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import stat

import pytest

from store import (
    CorruptFileError,
    NewerSchemaError,
    NotRagboardError,
    ReadOnlyError,
    UnusableFileError,
    open_store,
)
from store.schema import APPLICATION_ID, SCHEMA_VERSION, STEPS, apply_steps

from .conftest import Clock


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path) -> set[str]:
    return set(os.listdir(path.parent))


def make_real(path, milestones: int = 200) -> None:
    """A real ragboard file with a few pages of data, fully checkpointed (no -wal left)."""
    with open_store(path, who="maker", clock=Clock()) as s:
        f = s.add_portfolio(name="P", status_date="2025-06-30")
        g = s.add_programme(portfolio_id=f.id, code="G", name="Programme")
        j = s.add_project(programme_id=g.id, name="Project")
        s.import_portfolio({"name": "Bulk", "status_date": "2025-06-30", "programme": [{
            "code": "B", "name": "Bulk", "milestone": [{"name": f"Milestone {i}", "notes": "n" * 150}
                                                       for i in range(milestones)]}]})
        s.add_risk(project_id=j.id, description="Risk", likelihood=2, impact=2)
    assert not path.with_name(path.name + "-wal").exists()


def assert_refused_untouched(path, error=UnusableFileError, words=()):
    before_hash = sha(path) if path.is_file() else None
    before_files = siblings(path)
    with pytest.raises(error) as e:
        open_store(path)
    message = str(e.value)
    assert str(path) in message
    for word in words:
        assert word in message.lower()
    if before_hash:
        assert sha(path) == before_hash
    assert siblings(path) == before_files  # no -wal, -shm or journal left behind
    return message


# -- a new file -----------------------------------------------------------------------------

def test_missing_file_is_created_owner_only_wal_foreign_keys(tmp_path):
    path = tmp_path / "new.db"
    with open_store(path) as s:
        assert not s.read_only and s.is_empty()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        s.add_portfolio(name="P", status_date="2025-06-30")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_foreign_keys_are_enforced(tmp_path):
    with open_store(tmp_path / "f.db") as s, pytest.raises(sqlite3.IntegrityError):
        s.conn.execute("INSERT INTO project (programme_id, name) VALUES (42, 'orphan')")


def test_an_empty_file_is_set_up(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with open_store(path) as s:
        assert s.is_empty()
        s.add_portfolio(name="P", status_date="2025-06-30")


def test_missing_folder_is_refused(tmp_path):
    path = tmp_path / "no" / "such" / "x.db"
    with pytest.raises(UnusableFileError) as e:
        open_store(path)
    assert str(path) in str(e.value)
    assert not (tmp_path / "no").exists()


def test_a_new_file_opens_again_at_once_in_a_second_window(tmp_path):
    """The schema's markers may still be in the -wal file: a second open must still see them."""
    path = tmp_path / "two.db"
    with open_store(path) as first:
        first.add_portfolio(name="P", status_date="2025-06-30")
        with open_store(path) as second:
            assert second.portfolios()[0].name == "P"


# -- files that are not ours ----------------------------------------------------------------

def test_csv_renamed_db(tmp_path):
    path = tmp_path / "export.db"
    path.write_text("programme,rag\nCCYPS,Red\n" * 20)
    assert_refused_untouched(path, NotRagboardError, words=["not a ragboard"])


@pytest.mark.parametrize("size", [1, 99, 100, 5000])
def test_random_bytes(tmp_path, size):
    path = tmp_path / "noise.db"
    path.write_bytes(random.Random(size).randbytes(size))
    assert_refused_untouched(path, NotRagboardError)


@pytest.mark.parametrize("keep", [50, 100, 512, 4096, 8192, 0.5, -4096])
def test_truncated_ragboard_file(tmp_path, keep):
    real = tmp_path / "real.db"
    make_real(real)
    data = real.read_bytes()
    size = int(len(data) * keep) if isinstance(keep, float) else (len(data) + keep if keep < 0 else keep)
    path = tmp_path / "cut.db"
    path.write_bytes(data[:size])
    assert_refused_untouched(path)


def test_another_apps_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ann')")
    conn.commit()
    conn.close()
    message = assert_refused_untouched(path, NotRagboardError, words=["another program"])
    assert "not a ragboard" in message


def test_another_apps_wal_database_with_a_live_wal(tmp_path):
    """Another program has it open, changes still in its -wal: we must not checkpoint them."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ann')")
    try:
        wal = path.with_name(path.name + "-wal")
        wal_before = sha(wal)
        assert_refused_untouched(path, NotRagboardError)
        assert sha(wal) == wal_before
    finally:
        conn.close()


def test_a_directory(tmp_path):
    path = tmp_path / "folder.db"
    path.mkdir()
    before = siblings(path)
    with pytest.raises(NotRagboardError) as e:
        open_store(path)
    assert str(path) in str(e.value) and "folder" in str(e.value)
    assert siblings(path) == before and os.listdir(path) == []


def test_corrupt_table_page(tmp_path):
    path = tmp_path / "corrupt.db"
    make_real(path, milestones=400)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = (
        conn.execute("SELECT pageno FROM dbstat WHERE name = 'milestone' AND pagetype = 'leaf'").fetchall()
        if _has_dbstat(conn)
        else None
    )
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'milestone'").fetchone()[0]
    conn.close()
    target = pages[len(pages) // 2][0] if pages else root
    data = bytearray(path.read_bytes())
    offset = (target - 1) * page_size
    data[offset : offset + 64] = b"\xff" * 64  # smash the page header and cell pointers
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, CorruptFileError, words=["damaged"])


def _has_dbstat(conn) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1")
        return True
    except sqlite3.OperationalError:
        return False


def test_newer_file(tmp_path):
    path = tmp_path / "newer.db"
    make_real(path, milestones=5)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, NewerSchemaError, words=["upgrade", "newer"])


# -- an older file --------------------------------------------------------------------------


def make_v1(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    apply_steps(conn, 0, 1)
    conn.execute("INSERT INTO portfolio (name, status_date) VALUES ('Old', '2016-03-31')")
    conn.execute("INSERT INTO programme (portfolio_id, code, name) VALUES (1, 'OLD', 'Old programme')")
    conn.execute(
        "INSERT INTO risk (programme_id, description, likelihood, impact) VALUES (1, 'Old risk', 4, 2)"
    )
    conn.execute("COMMIT")
    conn.close()
    os.chmod(path, 0o600)


def test_older_file_is_backed_up_then_migrated(tmp_path):
    assert 1 in STEPS and SCHEMA_VERSION > 1
    path = tmp_path / "old.db"
    make_v1(path)
    original = sha(path)
    with open_store(path) as s:
        f = s.portfolios()[0]
        assert (f.name, f.green_max, f.red_min) == ("Old", 6, 20)
        assert s.risks(programme_id=1)[0].rag == "Amber"
        s.set_risk_thresholds(f.id, f.version, 7, 8)
        assert s.risks(programme_id=1)[0].rag == "Red"
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("old.db.v1") and p.name.endswith(".bak")]
    assert len(backups) == 1, os.listdir(tmp_path)
    backup = backups[0]
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("SELECT name FROM portfolio").fetchall() == [("Old",)]
        cols = [row[1] for row in conn.execute("PRAGMA table_info(portfolio)")]
        assert "green_max" not in cols
    finally:
        conn.close()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()
    assert sha(path) != original
    with open_store(path) as again:  # and it opens again without a second migration
        assert again.portfolios()[0].green_max == 7
    assert len([p for p in tmp_path.iterdir() if p.name.endswith(".bak")]) == 1


def test_older_read_only_file_is_refused_untouched(tmp_path):
    path = tmp_path / "old.db"
    make_v1(path)
    os.chmod(path, 0o444)
    assert_refused_untouched(path, UnusableFileError, words=["read-only"])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]


# -- read-only ------------------------------------------------------------------------------

READ_ONLY_WRITES = [
    lambda s, x: s.set_milestone_status(x["m"].id, x["m"].version, "Red"),
    lambda s, x: s.edit_milestone(x["m"].id, x["m"].version, name="n"),
    lambda s, x: s.add_milestone(project_id=x["j"].id, name="n"),
    lambda s, x: s.delete_milestone(x["m"].id, x["m"].version),
    lambda s, x: s.add_risk(project_id=x["j"].id, description="n"),
    lambda s, x: s.edit_risk(x["r"].id, x["r"].version, owner="n"),
    lambda s, x: s.close_risk(x["r"].id, x["r"].version),
    lambda s, x: s.reopen_risk(x["r"].id, x["r"].version),
    lambda s, x: s.delete_risk(x["r"].id, x["r"].version),
    lambda s, x: s.add_saving(project_id=x["j"].id, year="2025/26", amount=1),
    lambda s, x: s.edit_saving(x["s"].id, x["s"].version, amount=2),
    lambda s, x: s.delete_saving(x["s"].id, x["s"].version),
    lambda s, x: s.set_project_rag(x["j"].id, x["j"].version, "Red"),
    lambda s, x: s.set_programme_rag(x["g"].id, x["g"].version, "Red"),
    lambda s, x: s.add_programme(portfolio_id=x["f"].id, code="N", name="n"),
    lambda s, x: s.edit_programme(x["g"].id, x["g"].version, name="n"),
    lambda s, x: s.add_project(programme_id=x["g"].id, name="n"),
    lambda s, x: s.edit_project(x["j"].id, x["j"].version, name="n"),
    lambda s, x: s.add_portfolio(name="n", status_date="2025-01-01"),
    lambda s, x: s.set_status_date(x["f"].id, x["f"].version, "2025-01-01"),
    lambda s, x: s.set_risk_thresholds(x["f"].id, x["f"].version, 5, 10),
    lambda s, x: s.undo(),
    lambda s, x: s.redo(),
    lambda s, x: s.import_portfolio({"name": "n", "status_date": "2025-01-01"}),
]


def test_read_only_file_opens_read_only_and_refuses_every_write(tmp_path):
    path = tmp_path / "ro.db"
    with open_store(path, who="maker") as s:
        f = s.add_portfolio(name="P", status_date="2025-06-30")
        g = s.add_programme(portfolio_id=f.id, code="G", name="G")
        j = s.add_project(programme_id=g.id, name="J")
        x = {
            "f": f,
            "g": g,
            "j": j,
            "m": s.add_milestone(project_id=j.id, name="M"),
            "r": s.add_risk(project_id=j.id, description="R"),
            "s": s.add_saving(project_id=j.id, year="2025/26", amount=1),
        }
        x = {
            k: getattr(
                s,
                {
                    "f": "portfolio",
                    "g": "programme",
                    "j": "project",
                    "m": "milestone",
                    "r": "risk",
                    "s": "saving",
                }[k],
            )(v.id)
            for k, v in x.items()
        }
    os.chmod(path, 0o444)
    before, files = sha(path), siblings(path)
    with open_store(path) as ro:
        assert ro.read_only
        assert ro.home_rows()[0].programme.code == "G"  # reads work
        assert ro.milestones(project_id=j.id)[0].name == "M"
        for i, write in enumerate(READ_ONLY_WRITES):
            with pytest.raises(ReadOnlyError) as e:
                write(ro, x)
            assert str(path) in str(e.value) and "read-only" in str(e.value), i
        assert not ro.changed_elsewhere()
    assert sha(path) == before
    assert siblings(path) == files


def test_read_only_can_be_asked_for(tmp_path):
    path = tmp_path / "ask.db"
    with open_store(path) as s:
        s.add_portfolio(name="P", status_date="2025-06-30")
    with open_store(path, read_only=True) as ro:
        assert ro.read_only and ro.portfolios()[0].name == "P"
        with pytest.raises(ReadOnlyError):
            ro.add_portfolio(name="Q", status_date="2025-06-30")


def test_older_file_locked_by_another_writer_is_reported_and_not_upgraded(tmp_path):
    from store import InUseError

    path = tmp_path / "old.db"
    make_v1(path)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(InUseError) as e:
            open_store(path)
        assert str(path) in str(e.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()
    # tried again at once (same second, a backup already beside it): it upgrades now
    with open_store(path) as s:
        assert s.portfolios()[0].green_max == 6
    assert len([p for p in tmp_path.iterdir() if p.name.endswith(".bak")]) == 2


def test_two_windows_opening_an_older_file_together(tmp_path):
    import threading

    path = tmp_path / "old.db"
    make_v1(path)
    results, barrier = [], threading.Barrier(2)

    def opener():
        barrier.wait()
        try:
            with open_store(path) as s:
                results.append(s.portfolios()[0].red_min)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results == [20, 20]


def test_an_sqlite_too_old_for_ragboard_is_refused_in_words():
    from store.errors import StoreError
    from store.opening import check_sqlite

    check_sqlite()  # this machine's is new enough
    with pytest.raises(StoreError) as e:
        check_sqlite((3, 31, 1))
    assert str(e.value).startswith("ragboard needs SQLite 3.35.0 or newer; this Python has SQLite 3.31.1.")
