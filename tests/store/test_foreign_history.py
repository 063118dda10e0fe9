"""Undo replays only history ragboard wrote: names in the change log never become SQL."""
from __future__ import annotations

import json
import sqlite3

import pytest

from store import StoreError, open_store
from store.errors import ForeignHistoryError

from .conftest import dump

MESSAGE = "this file's history holds an entry ragboard did not write; it cannot be undone."
# A name only sqlite_master holds: any record holding it was filled from sqlite_master.
SCHEMA_ONLY_NAME = "change_by_group"
SQL = "(SELECT group_concat(name) FROM sqlite_master)"


def _insert_change(path, group: int, op: str, kind: str, item_id, field: str = "", old=None, new=None, *,
                   raw_old: str | None = None) -> None:
    """Append a change row as another tool could, with sqlite3 (the log allows appends)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO change (group_id, at, who, op, item_kind, item_id, item_label, field, old, new) "
                "VALUES (?, '2025-07-01T10:00:00Z', 'mallory', ?, ?, ?, 'x', ?, ?, ?)",
                (group, op, kind, item_id, field,
                 raw_old if raw_old is not None else (None if old is None else json.dumps(old)),
                 None if new is None else json.dumps(new)))
    finally:
        conn.close()


def _new_group(path) -> int:
    conn = sqlite3.connect(path)
    try:
        with conn:
            return conn.execute("INSERT INTO change_group (at, who, label, kind) "
                                "VALUES ('2025-07-01T10:00:00Z', 'mallory', 'Tidied up', 'edit')").lastrowid
    finally:
        conn.close()


def _no_record_holds_schema_names(path) -> None:
    conn = sqlite3.connect(path)
    try:
        for table in ("portfolio", "programme", "project", "milestone", "risk", "saving"):
            for row in conn.execute(f"SELECT * FROM {table}"):
                assert not any(isinstance(x, str) and SCHEMA_ONLY_NAME in x for x in row), (table, row)
    finally:
        conn.close()


def _crafted(pid: int, m_id: int) -> dict:
    """Each entry: (op, item_kind, item_id, field, old, new) as a crafted file could hold them."""
    smuggled_key = "notes) SELECT ?, ?, ?, ?, group_concat(name) || ? FROM sqlite_master --"
    return {
        "kind that is SQL": ("update", f"milestone SET notes={SQL} --", m_id, "notes", "", "x"),
        # undone first (newest), it would set name from sqlite_master and leave notes for alice's entry
        "field that is SQL": ("update", "milestone", m_id, f"name = {SQL}, notes", "edited", None),
        "old-row key that is SQL": (
            "delete",
            "milestone",
            500,
            "",
            {"id": 500, "project_id": pid, "name": "x", "version": 1, smuggled_key: ""},
            None,
        ),
        "new-row key that is SQL": (
            "create",
            "milestone",
            m_id,
            "",
            None,
            {"id": m_id, "name": "Go live", f"notes = {SQL}": ""},
        ),
        "the schema's own table": (
            "delete",
            "sqlite_master",
            1,
            "",
            {"id": 1, "type": "table", "name": "x", "sql": "CREATE TABLE x (a)"},
            None,
        ),
        "a table ragboard does not write": ("update", "change_group", 1, "label", "a", "b"),
        "a field ragboard never edits": ("update", "milestone", m_id, "id", 999, m_id),
        "a field the table lacks": ("update", "milestone", m_id, "colour", None, None),
        "a value of the wrong kind": ("update", "milestone", m_id, "notes", {"nested": SQL}, "keep"),
        "a row of another record": (
            "delete",
            "milestone",
            500,
            "",
            {"id": 501, "project_id": pid, "name": "x", "version": 1},
            None,
        ),
        "a version past the largest": (
            "delete",
            "milestone",
            500,
            "",
            {"id": 500, "project_id": pid, "name": "x", "version": 2**63 - 1},
            None,
        ),
    }


CASES = sorted(_crafted(0, 0))


@pytest.fixture
def setup(store, tree, db_path):
    """Alice's milestone and her own last change (a group in her undo list)."""
    m = store.add_milestone(project_id=tree.project.id, name="Go live", notes="keep")
    m = store.edit_milestone(m.id, m.version, notes="edited")
    group = store.history(item=("milestone", m.id))[0].group_id
    return m, group


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("how", ["undo", "undo_group"])
def test_undo_refuses_a_change_another_tool_wrote(store, tree, db_path, setup, case, how):
    m, group = setup
    op, kind, item_id, field, old, new = _crafted(tree.project.id, m.id)[case]
    _insert_change(db_path, group, op, kind, item_id, field, old, new)  # into alice's own last change
    before = dump(db_path)
    with pytest.raises(StoreError) as e:
        store.undo() if how == "undo" else store.undo_group(group)
    assert isinstance(e.value, ForeignHistoryError)
    assert str(e.value) == MESSAGE
    assert dump(db_path) == before
    _no_record_holds_schema_names(db_path)
    assert store.milestone(m.id).notes == "edited"


def test_a_group_only_another_tool_wrote_is_refused(store, tree, db_path, setup):
    m, _ = setup
    group = _new_group(db_path)
    _insert_change(
        db_path, group, "update", "milestone", m.id, "notes", "keep", "edited"
    )  # harmless, ragboard-like
    _insert_change(db_path, group, "update", "milestone", m.id, f"notes = {SQL}, name", "Go live", None)
    before = dump(db_path)
    with open_store(db_path, who="bob") as bob, pytest.raises(ForeignHistoryError):
        bob.undo_group(group)
    assert dump(db_path) == before
    _no_record_holds_schema_names(db_path)


@pytest.mark.parametrize(
    "raw_old", ["not json", '{"id": ', "NaN", str(2**70), "[" * 100_000, "9" * 5000], ids=lambda x: x[:10]
)
def test_a_value_that_is_not_ragboards_json_is_refused(store, tree, db_path, setup, raw_old):
    m, group = setup
    _insert_change(db_path, group, "update", "milestone", m.id, "notes", new="edited", raw_old=raw_old)
    before = dump(db_path)
    with pytest.raises(ForeignHistoryError):
        store.undo()
    assert dump(db_path) == before


# -- entries ragboard wrote before a schema step -------------------------------------------------

def test_an_edit_of_a_due_date_logged_before_step_5_is_not_undone_and_says_why(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", baseline="2025-02-28")
    group = _new_group(db_path)
    _insert_change(db_path, group, "update", "milestone", m.id, "due", "2025-01-31", "2025-02-28")
    before = dump(db_path)
    with pytest.raises(StoreError) as e:
        store.undo_group(group)
    assert not isinstance(e.value, ForeignHistoryError)
    assert "due date" in str(e.value) and "cannot be undone" in str(e.value)
    assert dump(db_path) == before


def test_an_old_edit_of_a_due_date_and_a_baseline_undoes_the_baseline(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", baseline="2025-02-28")
    group = _new_group(db_path)
    _insert_change(db_path, group, "update", "milestone", m.id, "due", "2025-01-31", "2025-03-31")
    _insert_change(db_path, group, "update", "milestone", m.id, "baseline", "2025-01-31", "2025-02-28")
    store.undo_group(group)
    assert store.milestone(m.id).baseline == "2025-01-31"


def test_a_deleted_milestone_logged_with_its_due_date_comes_back_with_it_as_its_baseline(
        store, tree, db_path):
    row = {"id": 900, "project_id": tree.project.id, "programme_id": None, "name": "Old one",
           "due_text": "Jan 2025", "due": "2025-01-31", "baseline": None, "status": "Red", "version": 3}
    group = _new_group(db_path)
    _insert_change(db_path, group, "delete", "milestone", 900, "", row, None)
    store.undo_group(group)
    back = store.milestone(900)
    assert (back.name, back.baseline, back.status) == ("Old one", "2025-01-31", "Red")
