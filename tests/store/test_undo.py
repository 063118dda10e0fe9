"""Undo and redo restore exact previous states, are logged, and refuse to overwrite others' work."""
from __future__ import annotations

import datetime as dt

import pytest

from store import ConflictError, NotFoundError, ReadOnlyError, StoreError, UndoResult, open_store
from store.records import ChangeGroup

from .conftest import Clock, dump, state


def _group_count(store, kind):
    return store.conn.execute("SELECT count(*) FROM change_group WHERE kind = ?", (kind,)).fetchone()[0]


ACTIONS = {
    "set_milestone_status": lambda s, t, x: s.set_milestone_status(x["m"].id, x["m"].version, "Red", "late"),
    "edit_milestone": lambda s, t, x: s.edit_milestone(
        x["m"].id, x["m"].version, name="New", forecast="2025-09-01", notes="a\nb"
    ),
    "add_milestone": lambda s, t, x: s.add_milestone(project_id=t.project.id, name="Added",
                                                     baseline="2025-08-01"),
    "delete_milestone": lambda s, t, x: s.delete_milestone(x["m"].id, x["m"].version),
    "add_risk": lambda s, t, x: s.add_risk(
        programme_id=t.programme.id, description="Added", likelihood=1, impact=2
    ),
    "edit_risk": lambda s, t, x: s.edit_risk(x["r"].id, x["r"].version, likelihood=5, impact=5, owner="Kim"),
    "close_risk": lambda s, t, x: s.close_risk(x["r"].id, x["r"].version),
    "reopen_risk": lambda s, t, x: s.reopen_risk(x["closed"].id, x["closed"].version),
    "delete_risk": lambda s, t, x: s.delete_risk(x["r"].id, x["r"].version),
    "add_saving": lambda s, t, x: s.add_saving(project_id=t.project.id, year="2026/27", amount=5),
    "edit_saving": lambda s, t, x: s.edit_saving(x["s"].id, x["s"].version, amount=7, band="Amber"),
    "delete_saving": lambda s, t, x: s.delete_saving(x["s"].id, x["s"].version),
    "set_project_rag": lambda s, t, x: s.set_project_rag(t.project.id, t.project.version, "Red", "why"),
    "set_programme_rag": lambda s, t, x: s.set_programme_rag(t.programme.id, t.programme.version, "Amber"),
    "add_programme": lambda s, t, x: s.add_programme(portfolio_id=t.portfolio.id, code="N", name="New"),
    "edit_programme": lambda s, t, x: s.edit_programme(t.programme.id, t.programme.version, sro="Ann"),
    "add_project": lambda s, t, x: s.add_project(programme_id=t.programme.id, name="New"),
    "edit_project": lambda s, t, x: s.edit_project(t.project.id, t.project.version, stage="Closed"),
    "add_portfolio": lambda s, t, x: s.add_portfolio(name="New", status_date="2025-01-01"),
    "set_status_date": lambda s, t, x: s.set_status_date(t.portfolio.id, t.portfolio.version, "2025-12-31"),
    "set_risk_thresholds": lambda s, t, x: s.set_risk_thresholds(t.portfolio.id, t.portfolio.version, 3, 10),
    "add_portfolio_with_programme": lambda s, t, x: s.add_portfolio_with_programme(
        {"name": "New", "organisation": "Council", "status_date": "1/4/2025"}, {"code": "N1", "name": "First"}
    ),
    "edit_portfolio": lambda s, t, x: s.edit_portfolio(
        t.portfolio.id, t.portfolio.version, name="Renamed", organisation="", status_date="31 March 2026",
        green_max=8, red_min=21
    ),
}


@pytest.fixture
def items(store, tree):
    m = store.add_milestone(
        project_id=tree.project.id, name="Go live", baseline="2025-07-01", status="Green", notes="keep"
    )
    r = store.add_risk(
        project_id=tree.project.id, reference="R1", description="Demand", likelihood=2, impact=3
    )
    closed = store.add_risk(project_id=tree.project.id, description="Old")
    closed = store.close_risk(closed.id, closed.version)
    s = store.add_saving(project_id=tree.project.id, year="2025/26", amount=100, notes="n")
    return {"m": m, "r": r, "closed": closed, "s": s}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_undo_restores_exactly_and_redo_reapplies(store, tree, items, db_path, action):
    before = state(db_path)
    ACTIONS[action](store, tree, items)
    after = state(db_path)
    assert after != before
    logged = len(store.history())
    result = store.undo()
    assert result.kind == "undo" and result.label
    assert state(db_path) == before
    assert len(store.history()) > logged  # the undo is itself in the change log
    assert _group_count(store, "undo") == 1
    redone = store.redo()
    assert redone.kind == "redo" and redone.label == result.label
    assert state(db_path) == after
    store.undo()
    assert state(db_path) == before


def test_undo_walks_back_through_several_changes(store, tree, items, db_path):
    states = [state(db_path)]
    m = items["m"]
    m = store.set_milestone_status(m.id, m.version, "Amber")
    states.append(state(db_path))
    m = store.set_milestone_status(m.id, m.version, "Red")
    states.append(state(db_path))
    store.delete_milestone(m.id, m.version)
    states.append(state(db_path))
    for expected in reversed(states[:-1]):
        store.undo()
        assert state(db_path) == expected
    for expected in states[1:]:
        store.redo()
        assert state(db_path) == expected
    assert store.redo() is None


def test_undo_is_logged_with_who_when_and_its_own_group(store, tree, items):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    assert store.can_undo() == "Set 'Go live' to Red"
    store.undo()
    last = store.history(item=("milestone", m.id))[0]
    assert (last.field, last.old, last.new, last.who) == ("status", "Red", "Green", "alice")
    group = store.conn.execute(
        "SELECT label, kind, reverts FROM change_group WHERE id = ?", (last.group_id,)
    ).fetchone()
    assert group[0] == "Undo: Set 'Go live' to Red" and group[1] == "undo" and group[2] is not None
    assert store.can_redo() == "Set 'Go live' to Red"  # what redo would do again


def test_a_new_edit_clears_redo(store, tree, items):
    m = items["m"]
    m = store.set_milestone_status(m.id, m.version, "Red")
    store.undo()
    assert store.can_redo()
    store.edit_milestone(m.id, store.milestone(m.id).version, notes="new")
    assert store.can_redo() is None and store.redo() is None


def test_nothing_to_undo(db_path, clock):
    with open_store(db_path, who="a", clock=clock) as s:
        assert s.can_undo() is None and s.undo() is None and s.redo() is None
        s.import_portfolio(
            {"name": "L", "status_date": "2025-06-30", "programme": [{"code": "C", "name": "N"}]}
        )
        assert s.undo() is None  # a load is not undone
        assert s.programme_count() == 1


def test_a_no_op_edit_leaves_nothing_to_undo(store, tree, items, db_path):
    m = items["m"]
    m = store.set_milestone_status(m.id, m.version, "Red")
    before = state(db_path)
    store.set_milestone_status(m.id, m.version, "Red")  # same value again
    store.undo()  # undoes the real change, not the no-op
    assert store.milestone(m.id).status == "Green"
    assert state(db_path) != before


def test_undo_after_another_instance_changed_the_item_is_refused(store, tree, items, db_path):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    with open_store(db_path, who="bob", clock=Clock()) as bob:
        seen = bob.milestone(m.id)
        bob.set_milestone_status(m.id, seen.version, "Amber")
    before = state(db_path)
    with pytest.raises(ConflictError) as e:
        store.undo()
    assert "bob" in str(e.value)
    assert state(db_path) == before
    assert store.milestone(m.id).status == "Amber"  # bob's change is kept


def test_undo_of_an_add_after_another_instance_edited_it_is_refused(store, tree, db_path):
    added = store.add_risk(project_id=tree.project.id, description="New")
    with open_store(db_path, who="bob") as bob:
        bob.edit_risk(added.id, added.version, owner="Bob")
    with pytest.raises(ConflictError):
        store.undo()
    assert store.risk(added.id).owner == "Bob"


def test_undo_of_an_add_after_another_instance_added_beneath_it_is_refused(store, tree, db_path):
    project = store.add_project(programme_id=tree.programme.id, name="New")
    with open_store(db_path, who="bob") as bob:
        bob.add_milestone(project_id=project.id, name="Bob's")
    before = state(db_path)
    with pytest.raises(ConflictError):
        store.undo()
    assert state(db_path) == before


def test_undo_does_not_revert_another_instances_change(store, tree, items, db_path):
    m, s = items["m"], items["s"]
    store.set_milestone_status(m.id, m.version, "Red")
    with open_store(db_path, who="bob") as bob:
        bob.edit_saving(s.id, s.version, amount=999)
    store.undo()  # alice's own last change
    assert store.milestone(m.id).status == "Green"
    assert store.saving(s.id).amount == 999


def test_a_new_session_has_nothing_of_its_own_to_undo(db_path, store, tree, items):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    store.close()
    before = dump(db_path)
    with open_store(db_path, who="alice") as again:
        assert again.can_undo() is None and again.can_redo() is None
        assert again.undo() is None and again.redo() is None
        assert dump(db_path) == before
        # the change is still there to undo by choosing it from the history
        change = again.history(item=("milestone", m.id))[0]
        assert again.undo_group(change.group_id) == UndoResult("Set 'Go live' to Red", "undo")
        assert again.milestone(m.id).status == "Green"


def test_undo_never_reverts_another_instances_change(store, tree, items, db_path):
    m = items["m"]
    with open_store(db_path, who="bob") as bob:
        bob.set_milestone_status(m.id, m.version, "Red")
        before = dump(db_path)
        assert store.can_undo() == "Added saving 2025/26 saving"  # alice's own last change, not bob's
        store.undo()
        assert store.milestone(m.id).status == "Red"
        assert store.savings(project_id=tree.project.id) == []
    with open_store(db_path, who="carol") as carol:  # has made no change at all
        carol_before = dump(db_path)
        assert carol.can_undo() is None and carol.undo() is None
        assert dump(db_path) == carol_before
    assert before != carol_before


def test_undo_already_done_elsewhere_moves_on_to_the_previous_change(store, tree, items, db_path):
    m, saving = items["m"], items["s"]
    store.set_milestone_status(m.id, m.version, "Red")
    group = store.history(item=("milestone", m.id))[0].group_id
    with open_store(db_path, who="bob") as bob:
        assert bob.undo() is None  # nothing of bob's
        bob.undo_group(group)  # chosen from alice's history
    assert store.milestone(m.id).status == "Green"
    assert store.can_undo() == "Added saving 2025/26 saving"
    store.undo()
    assert store.milestone(m.id).status == "Green"  # not undone twice
    assert saving.id not in [s.id for s in store.savings(project_id=tree.project.id)]


# -- undoing a chosen change group ----------------------------------------------------------


def test_change_group_info_describes_a_history_rows_group(store, tree, items, db_path):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red", "late")
    change = store.history(item=("milestone", m.id))[0]
    info = store.change_group_info(change.group_id)
    assert isinstance(info, ChangeGroup)
    assert (
        info.id,
        info.who,
        info.label,
        info.kind,
        info.reverted,
        info.reverts,
        info.reverted_by,
        info.mine,
    ) == (change.group_id, "alice", "Set 'Go live' to Red", "edit", False, None, None, True)
    assert info.at == change.at
    store.undo()
    undone = store.change_group_info(change.group_id)
    assert undone.reverted and undone.reverted_by is not None
    undo_info = store.change_group_info(undone.reverted_by)
    assert (undo_info.kind, undo_info.reverts, undo_info.label) == (
        "undo",
        change.group_id,
        "Undo: Set 'Go live' to Red",
    )
    with open_store(db_path, who="bob") as bob:
        assert bob.change_group_info(change.group_id).mine is False
    with pytest.raises(NotFoundError):
        store.change_group_info(99_999)
    with pytest.raises(NotFoundError):
        store.change_group_info(2**70)


def test_undo_group_reverts_another_persons_change_exactly(store, tree, items, db_path):
    m, s = items["m"], items["s"]
    before = state(db_path)
    with open_store(db_path, who="bob", clock=Clock()) as bob:
        bob.edit_milestone(m.id, m.version, name="Renamed", notes="bob's")
        bob.edit_saving(s.id, s.version, amount=7)  # a later change of bob's, to another item
    group = store.history(item=("milestone", m.id))[0].group_id
    result = store.undo_group(group)
    assert result == UndoResult("Edited milestone Go live", "undo")
    assert state(db_path)["milestone"] == before["milestone"]
    assert store.saving(s.id).amount == 7  # bob's other change is kept
    undo = store.history(item=("milestone", m.id))[0]
    assert undo.who == "alice" and store.change_group_info(undo.group_id).reverts == group
    # it is this instance's change now: redo puts bob's edit back, and undo takes it away again
    assert store.can_redo() == "Edited milestone Go live"
    store.redo()
    assert store.milestone(m.id).name == "Renamed"
    store.undo()
    assert store.milestone(m.id).name == "Go live"


def test_undo_group_of_an_undo_redoes_it(store, tree, items, db_path):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    store.undo()
    undo_group = store.history(item=("milestone", m.id))[0].group_id
    with open_store(db_path, who="bob") as bob:
        assert bob.undo_group(undo_group) == UndoResult("Set 'Go live' to Red", "redo")
    assert store.milestone(m.id).status == "Red"


def test_undo_group_refuses_a_change_already_undone(store, tree, items, db_path):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    group = store.history(item=("milestone", m.id))[0].group_id
    with open_store(db_path, who="bob", clock=Clock(dt.datetime(2025, 8, 2, 14, 5, tzinfo=dt.UTC))) as bob:
        bob.undo_group(group)
    before = dump(db_path)
    with pytest.raises(ConflictError) as e:
        store.undo_group(group)
    assert "already undone by bob at 2025-08-02 14:05" in str(e.value)
    assert dump(db_path) == before


def test_undo_group_refuses_when_the_item_moved_on(store, tree, items, db_path):
    m = items["m"]
    with open_store(db_path, who="bob") as bob:
        m = bob.set_milestone_status(m.id, m.version, "Red")
        group = bob.history(item=("milestone", m.id))[0].group_id
        bob.set_milestone_status(m.id, m.version, "Amber")
    before = dump(db_path)
    with pytest.raises(ConflictError) as e:
        store.undo_group(group)
    assert "bob" in str(e.value)
    assert dump(db_path) == before


def test_undo_group_refuses_a_load(store, db_path):
    store.import_portfolio(
        {"name": "L", "status_date": "2025-06-30", "programme": [{"code": "C", "name": "N"}]}
    )
    group = store.history()[0].group_id
    assert store.change_group_info(group).kind == "import"
    before = dump(db_path)
    with pytest.raises(StoreError) as e:
        store.undo_group(group)
    assert "load" in str(e.value)
    assert dump(db_path) == before
    with pytest.raises(NotFoundError):
        store.undo_group(2**70)


def test_undo_group_on_a_read_only_file(store, tree, items, db_path):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    group = store.history()[0].group_id
    with open_store(db_path, read_only=True) as ro, pytest.raises(ReadOnlyError):
        ro.undo_group(group)


# -- what an undo or a redo says it did -------------------------------------------------------


def _group_labels(store):
    return [row[0] for row in store.conn.execute("SELECT label FROM change_group ORDER BY id")]


def test_undo_and_redo_name_the_action_however_often_they_alternate(store, tree, items):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    action = "Set 'Go live' to Red"
    for _ in range(3):
        assert store.can_undo() == action
        assert store.undo() == UndoResult(action, "undo")
        assert store.can_redo() == action
        assert store.redo() == UndoResult(action, "redo")
    labels = _group_labels(store)[-6:]
    assert labels == [f"Undo: {action}", f"Redo: {action}"] * 3  # never "Undo: Redo: ..."
    assert not any(label.startswith(("Undo: Undo", "Undo: Redo", "Redo: Undo", "Redo: Redo"))
                   for label in _group_labels(store))


def test_undo_names_a_risk_as_typed(store, tree):
    r = store.add_risk(project_id=tree.project.id, description="Supplier 'Ångström Ltd' fails to deliver")
    store.edit_risk(r.id, r.version, owner="Kim")
    result = store.undo()
    assert result.label == "Edited risk Supplier 'Ångström Ltd' fails to deliver"
    assert "\\" not in result.label


def test_undo_group_of_a_redo_names_the_action(store, tree, items, db_path):
    m = items["m"]
    store.set_milestone_status(m.id, m.version, "Red")
    store.undo()
    store.redo()
    redo = store.history(item=("milestone", m.id))[0].group_id
    assert store.change_group_info(redo).label == "Redo: Set 'Go live' to Red"
    with open_store(db_path, who="bob") as bob:
        assert bob.undo_group(redo) == UndoResult("Set 'Go live' to Red", "undo")
    assert store.milestone(m.id).status == "Green"


def test_a_redo_that_would_repeat_a_key_taken_since_is_refused(store, tree, db_path):
    store.add_programme(portfolio_id=tree.portfolio.id, code="PRG1", name="Mine")
    store.undo()
    with open_store(db_path, who="bob") as bob:
        bob.add_programme(portfolio_id=tree.portfolio.id, code="prg1", name="Bob's")
    before = dump(db_path)
    with pytest.raises(StoreError) as e:
        store.redo()
    assert str(e.value) == 'Code: PRG1 is already used by "Bob\'s" in this portfolio.'
    assert dump(db_path) == before


def test_an_undo_that_would_repeat_a_key_taken_since_is_refused(store, tree, db_path):
    g = store.edit_programme(tree.programme.id, tree.programme.version, code="NEW")
    with open_store(db_path, who="bob") as bob:
        bob.add_programme(portfolio_id=tree.portfolio.id, code="CCYPS", name="Bob's")
    before = dump(db_path)
    with pytest.raises(StoreError) as e:
        store.undo()
    assert str(e.value).startswith("Code: CCYPS is already used by")
    assert dump(db_path) == before and store.programme(g.id).code == "NEW"


def test_a_load_cannot_be_undone_and_says_so_plainly(store, db_path):
    store.import_portfolio({"name": "Loaded's", "status_date": "2025-06-30"})
    group = store.history()[0].group_id
    with pytest.raises(StoreError) as e:
        store.undo_group(group)
    assert str(e.value) == "That change loaded a whole portfolio; a load cannot be undone."
    assert store.change_group_info(group).label == "Loaded portfolio Loaded's"
