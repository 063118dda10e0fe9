"""Two windows on one file, and another program holding the write lock."""
from __future__ import annotations

import concurrent.futures
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from store import ConflictError, InUseError, open_store

from .conftest import Clock, state

GUARD = 30  # seconds: a write that takes this long has hung


def guarded(call):
    """Run call in a thread; fail (rather than hang the suite) if it does not return in time."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(call)
        try:
            return future.result(timeout=GUARD), None
        except concurrent.futures.TimeoutError:
            pytest.fail("the write hung instead of reporting the lock")
        except Exception as exc:  # noqa: BLE001 - returned for the test to check
            return None, exc


def test_stale_write_refused_and_nothing_lost(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", status="Green")
    with open_store(db_path, who="bob", clock=Clock()) as bob:
        seen_by_bob = bob.milestone(m.id)
        bob.set_milestone_status(m.id, seen_by_bob.version, "Amber", "Bob's reason")
        with pytest.raises(ConflictError) as e:
            store.set_milestone_status(m.id, m.version, "Red", "Alice's reason")
        assert "bob" in str(e.value) and "Go live" in str(e.value)
        assert store.milestone(m.id).status == "Amber"  # bob's edit kept
        latest = store.milestone(m.id)
        store.set_milestone_status(m.id, latest.version, "Red", "Alice's reason")  # after reloading
        assert bob.milestone(m.id).status == "Red"
        with pytest.raises(ConflictError):
            bob.set_milestone_status(m.id, seen_by_bob.version, "Green")
    changes = [(c.who, c.old, c.new, c.reason) for c in store.history(item=("milestone", m.id)) if c.op == "update"]
    assert changes == [("alice", "Amber", "Red", "Alice's reason"), ("bob", "Green", "Amber", "Bob's reason")]


def test_changed_elsewhere(store, tree, db_path):
    assert store.changed_elsewhere() is False
    with open_store(db_path, who="bob") as bob:
        assert bob.changed_elsewhere() is False
        store.add_milestone(project_id=tree.project.id, name="by alice")
        assert store.changed_elsewhere() is False  # its own write is not news
        assert bob.changed_elsewhere() is True
        assert bob.changed_elsewhere() is False  # once
        bob.add_milestone(project_id=tree.project.id, name="by bob")
        assert bob.changed_elsewhere() is False
        # alice writes before she next looks: bob's change must still be reported
        store.add_milestone(project_id=tree.project.id, name="alice again")
        assert store.changed_elsewhere() is True
        assert [m.name for m in store.milestones(project_id=tree.project.id)] == ["by alice", "by bob",
                                                                                  "alice again"]


def test_simultaneous_adds_both_kept(store, tree, db_path):
    with open_store(db_path, who="bob") as bob:
        a = store.add_risk(project_id=tree.project.id, description="alice's")
        b = bob.add_risk(project_id=tree.project.id, description="bob's")
    assert a.id != b.id
    assert [r.description for r in store.risks(project_id=tree.project.id)] == ["alice's", "bob's"]


HOLDER = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN " + sys.argv[2])
    conn.execute("UPDATE portfolio SET name = 'uncommitted'")
    print("locked", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    conn.execute("ROLLBACK")
""")


@pytest.mark.parametrize("how", ["IMMEDIATE", "EXCLUSIVE"])
def test_writes_report_in_use_while_another_process_writes(store, tree, db_path, how):
    m = store.add_milestone(project_id=tree.project.id, name="Go live")
    before = state(db_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), how], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result, exc = guarded(lambda: store.set_milestone_status(m.id, m.version, "Red"))
        assert isinstance(exc, InUseError), (result, exc)
        assert str(db_path) in str(exc)
        _, exc = guarded(lambda: store.add_risk(project_id=tree.project.id, description="r"))
        assert isinstance(exc, InUseError)
        # reads keep working, and show the last committed state
        assert store.milestone(m.id).status == "Not rated"
        assert store.home_rows()[0].programme.code == "CCYPS"
        assert store.portfolio(tree.portfolio.id).name == "Transformation"
        # a second window can still open the file and read it
        opened, exc = guarded(lambda: open_store(db_path, who="carol"))
        assert exc is None
        try:
            assert opened.programme_count() == 1
        finally:
            opened.close()
    finally:
        holder.stdin.close()
        holder.wait(timeout=GUARD)
    assert state(db_path) == before
    # once the other program lets go, the same write goes through
    assert store.set_milestone_status(m.id, m.version, "Red").status == "Red"


def test_in_use_by_a_connection_in_this_process(store, tree, db_path):
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN EXCLUSIVE")
        _, exc = guarded(lambda: store.add_portfolio(name="x", status_date="2025-01-01"))
        assert isinstance(exc, InUseError)
        assert store.portfolios()[0].name == "Transformation"
        _, exc = guarded(store.undo)
        assert isinstance(exc, InUseError)
    finally:
        other.execute("ROLLBACK")
        other.close()
