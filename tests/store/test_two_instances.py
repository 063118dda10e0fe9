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
    changes = [
        (c.who, c.old, c.new, c.reason) for c in store.history(item=("milestone", m.id)) if c.op == "update"
    ]
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
        assert [m.name for m in store.milestones(project_id=tree.project.id)] == [
            "by alice",
            "by bob",
            "alice again",
        ]


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
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
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


# -- a write over a record changed since: merged when the fields differ ----------------------


def _base(record) -> dict:
    """The record's values as the form read them (what the TUI passes as base)."""
    return record._asdict()


def _form(record, **typed) -> dict:
    """What an edit form submits: every field it shows, as read, with the user's changes."""
    return {
        k: getattr(record, k)
        for k in ("name", "due_text", "baseline", "forecast", "actual", "status", "notes")
    } | typed


def test_changes_to_different_fields_are_merged(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", status="Green", notes="first")
    with open_store(db_path, who="bob", clock=Clock()) as bob:
        bob.edit_milestone(m.id, m.version, notes="bob's notes", reason="bob's reason")
    got = store.edit_milestone(
        m.id,
        m.version,
        reason="alice's reason",
        base=_base(m),
        **_form(m, name="Go-live", forecast="2025-09-30"),
    )
    assert (got.name, got.forecast, got.notes, got.status) == (
        "Go-live",
        "2025-09-30",
        "bob's notes",
        "Green",
    )
    assert got.version == m.version + 2
    assert store.milestone(m.id) == got
    updates = [
        (c.who, c.field, c.old, c.new, c.reason)
        for c in reversed(store.history(item=("milestone", m.id)))
        if c.op == "update"
    ]
    assert updates[0] == ("bob", "notes", "first", "bob's notes", "bob's reason")
    assert sorted(updates[1:]) == [
        ("alice", "forecast", None, "2025-09-30", "alice's reason"),
        ("alice", "name", "Go live", "Go-live", "alice's reason"),
    ]  # her changes only
    # alice's undo takes back her fields only; bob's notes stay
    store.undo()
    assert (store.milestone(m.id).name, store.milestone(m.id).notes) == ("Go live", "bob's notes")


def test_the_same_field_changed_by_both_is_a_conflict_keeping_both_sides(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", status="Green", notes="first")
    when = __import__("datetime").datetime(2025, 8, 2, 14, 5, tzinfo=__import__("datetime").UTC)
    with open_store(db_path, who="bob", clock=Clock(when)) as bob:
        bob.edit_milestone(m.id, m.version, status="Amber", notes="bob's notes")
    before = state(db_path)
    with pytest.raises(ConflictError) as e:
        store.edit_milestone(m.id, m.version, base=_base(m), **_form(m, status="Red", name="Go-live"))
    err = e.value
    assert err.theirs == {"status": "Amber"}  # only the clashing field
    assert err.changed == {"status": "Amber", "notes": "bob's notes"}  # all that bob changed
    assert err.current == store.milestone(m.id) and err.current.status == "Amber"
    assert err.who == "bob" and "bob" in str(err) and "2025-08-02 14:05" in str(err) and "Go live" in str(err)
    assert "Status" in str(err)
    assert state(db_path) == before  # nothing of alice's written, not even her name change
    # saving again on top of the latest, with it as the new base, goes through
    latest = err.current
    got = store.edit_milestone(
        latest.id, latest.version, base=_base(latest), **_form(latest, status="Red", name="Go-live")
    )
    assert (got.status, got.name, got.notes) == ("Red", "Go-live", "bob's notes")


def test_the_same_value_set_by_both_is_not_a_conflict(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", status="Green")
    with open_store(db_path, who="bob") as bob:
        bob.set_milestone_status(m.id, m.version, "Red")
    got = store.set_milestone_status(m.id, m.version, "red", base=_base(m))
    assert got.status == "Red" and got.version == m.version + 1  # nothing more to write
    assert [c.who for c in store.history(item=("milestone", m.id)) if c.op == "update"] == ["bob"]


def test_without_base_any_change_since_is_a_conflict_carrying_the_latest(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", status="Green")
    with open_store(db_path, who="bob") as bob:
        bob.edit_milestone(m.id, m.version, notes="bob's notes")
    before = state(db_path)
    with pytest.raises(ConflictError) as e:
        store.edit_milestone(m.id, m.version, name="Go-live")
    assert e.value.current == store.milestone(m.id) and (e.value.theirs, e.value.changed) == ({}, {})
    assert state(db_path) == before


def test_a_record_removed_meanwhile_is_still_a_conflict(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live")
    with open_store(db_path, who="bob") as bob:
        bob.delete_milestone(m.id, m.version)
    before = state(db_path)
    with pytest.raises(ConflictError) as e:
        store.edit_milestone(m.id, m.version, base=_base(m), name="Go-live")
    assert e.value.current is None and e.value.theirs == {} and "bob" in str(e.value)
    assert state(db_path) == before


def test_a_field_missing_from_base_counts_as_changed_by_the_other_person(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", notes="first")
    with open_store(db_path, who="bob") as bob:
        bob.edit_milestone(m.id, m.version, notes="bob's notes")
    with pytest.raises(ConflictError) as e:
        store.edit_milestone(m.id, m.version, base={"name": "Go live"}, notes="alice's notes")
    assert e.value.theirs == {"notes": "bob's notes"}
    got = store.edit_milestone(m.id, m.version, base={"name": "Go live"}, name="Go-live")
    assert (got.name, got.notes) == ("Go-live", "bob's notes")


MERGES = {
    # method: (kind, bob's change to another field, alice's write given base, what alice's write set)
    "edit_milestone": ("milestone", lambda s, x: s.edit_milestone(x.id, x.version, notes="bob"),
        lambda s, x, b: s.edit_milestone(x.id, x.version, base=b, name="New"), {"name": "New"}),
    "set_milestone_status": ("milestone", lambda s, x: s.edit_milestone(x.id, x.version, notes="bob"),
        lambda s, x, b: s.set_milestone_status(x.id, x.version, "Red", base=b), {"status": "Red"}),
    "edit_risk": ("risk", lambda s, x: s.edit_risk(x.id, x.version, mitigation="bob"),
        lambda s, x, b: s.edit_risk(x.id, x.version, base=b, owner="Kim"), {"owner": "Kim"}),
    "close_risk": ("risk", lambda s, x: s.edit_risk(x.id, x.version, mitigation="bob"),
        lambda s, x, b: s.close_risk(x.id, x.version, base=b), {"status": "Closed"}),
    "reopen_risk": ("closed", lambda s, x: s.edit_risk(x.id, x.version, mitigation="bob"),
        lambda s, x, b: s.reopen_risk(x.id, x.version, base=b), {"status": "Open"}),
    "edit_saving": ("saving", lambda s, x: s.edit_saving(x.id, x.version, notes="bob"),
        lambda s, x, b: s.edit_saving(x.id, x.version, base=b, amount="1,500"), {"amount": 1500}),
    "edit_project": ("project", lambda s, x: s.edit_project(x.id, x.version, description="bob"),
        lambda s, x, b: s.edit_project(x.id, x.version, base=b, lead="Bo"), {"lead": "Bo"}),
    "set_project_rag": ("project", lambda s, x: s.edit_project(x.id, x.version, description="bob"),
        lambda s, x, b: s.set_project_rag(x.id, x.version, "Red", "why", base=b),
        {"rag": "Red", "rag_reason": "why"}),
    "edit_programme": ("programme", lambda s, x: s.edit_programme(x.id, x.version, description="bob"),
        lambda s, x, b: s.edit_programme(x.id, x.version, base=b, sro="Bo"), {"sro": "Bo"}),
    "set_programme_rag": ("programme", lambda s, x: s.edit_programme(x.id, x.version, description="bob"),
        lambda s, x, b: s.set_programme_rag(x.id, x.version, "Amber", base=b), {"rag": "Amber"}),
    "set_status_date": ("portfolio", lambda s, x: s.set_risk_thresholds(x.id, x.version, 5, 15),
        lambda s, x, b: s.set_status_date(x.id, x.version, "30/09/2025", base=b),
        {"status_date": "2025-09-30"}),
}
BOBS = {
    "milestone": ("notes", "bob"),
    "risk": ("mitigation", "bob"),
    "closed": ("mitigation", "bob"),
    "saving": ("notes", "bob"),
    "project": ("description", "bob"),
    "programme": ("description", "bob"),
    "portfolio": ("green_max", 5),
}


@pytest.mark.parametrize("method", sorted(MERGES))
def test_every_edit_merges_over_a_change_to_another_field(store, tree, db_path, method):
    kind, bobs_change, write, expected = MERGES[method]
    closed = store.add_risk(project_id=tree.project.id, description="Old")
    records = {
        "milestone": store.add_milestone(project_id=tree.project.id, name="Go live", status="Green"),
        "risk": store.add_risk(project_id=tree.project.id, description="Demand"),
        "closed": store.close_risk(closed.id, closed.version),
        "saving": store.add_saving(project_id=tree.project.id, year="2025/26", amount=10),
        "project": tree.project,
        "programme": tree.programme,
        "portfolio": tree.portfolio,
    }
    seen = records[kind]
    reader = {"closed": "risk"}.get(kind, kind)
    with open_store(db_path, who="bob") as bob:
        bobs_change(bob, getattr(bob, reader)(seen.id))
    got = write(store, seen, _base(seen))
    field, value = BOBS[kind]
    assert getattr(got, field) == value  # bob's change kept
    assert {k: getattr(got, k) for k in expected} == expected  # alice's applied
    assert got == getattr(store, reader)(seen.id)
    whose = {c.field: c.who for c in store.history(item=(reader, seen.id)) if c.op == "update"}
    assert whose[field] == "bob" and all(whose[k] == "alice" for k in expected)


def test_a_write_without_waiting_is_refused_at_once_when_the_file_is_busy_and_can_be_made_again(tmp_path):
    import sqlite3
    import time

    from store import open_store
    from store.errors import InUseError

    path = tmp_path / "busy.db"
    with open_store(path) as s:
        f = s.add_portfolio(name="P", status_date="2025-06-30")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        started = time.monotonic()
        with s.without_waiting(), pytest.raises(InUseError):
            s.set_status_date(f.id, f.version, "2025-07-31")
        assert time.monotonic() - started < 1.0, "refused at once, not after the busy timeout"
        other.execute("COMMIT")
        other.close()
        assert s.portfolio(f.id).status_date == "2025-06-30", "nothing was written"
        assert s.set_status_date(f.id, f.version, "2025-07-31").status_date == "2025-07-31"
