"""Every write: validated, one transaction, version-checked, logged, returning the new record."""
from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from store import ConflictError, NotFoundError, StoreError, ValidationError, open_store
from store.errors import DiskFullError
from store.writes import _Tx

from .conftest import Clock, count, dump, log_rows

# -- what each method does ------------------------------------------------------------------


def test_set_milestone_status(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Go live", status="Green")
    got = store.set_milestone_status(m.id, m.version, "red", "Supplier late")
    assert (got.status, got.version, got.name) == ("Red", m.version + 1, "Go live")
    assert store.milestone(m.id) == got
    _group, at, who, op, kind, item, field, old, new, reason = log_rows(db_path)[-1]
    assert (who, op, kind, item, field, json.loads(old), json.loads(new), reason) == (
        "alice", "update", "milestone", m.id, "status", "Green", "Red", "Supplier late")
    assert at.endswith("Z") and at.startswith("2025-07-01T")


def test_edit_milestone_several_fields_one_group(store, tree, db_path):
    m = store.add_milestone(
        project_id=tree.project.id, name="Go live", due_text="June 2025", baseline="30 Jun 2025"
    )
    got = store.edit_milestone(
        m.id, m.version, reason="Replanned", name="Go-live", forecast="2025-09-30", notes="Line one\nline two"
    )
    assert (got.name, got.forecast, got.notes, got.baseline) == ("Go-live", "2025-09-30",
        "Line one\nline two", "2025-06-30")
    assert got.version == m.version + 1  # one write, one version step
    rows = log_rows(db_path)[-3:]
    assert {r[6] for r in rows} == {"name", "forecast", "notes"}
    assert len({r[0] for r in rows}) == 1 and all(r[9] == "Replanned" for r in rows)


def test_add_milestone_for_project_or_programme(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="A")
    assert (m.project_id, m.programme_id, m.status, m.version) == (tree.project.id, None, "Not rated", 1)
    p = store.add_milestone(programme_id=tree.programme.id, name="B", status="Amber")
    assert (p.project_id, p.programme_id, p.status) == (None, tree.programme.id, "Amber")
    last = store.history(item=("milestone", p.id))[0]
    assert (last.op, last.new["name"], last.new["programme_id"]) == ("create", "B", tree.programme.id)
    with pytest.raises(StoreError):
        store.add_milestone(project_id=tree.project.id, programme_id=tree.programme.id, name="both")
    with pytest.raises(StoreError):
        store.add_milestone(name="neither")
    with pytest.raises(NotFoundError):
        store.add_milestone(project_id=999, name="no such project")


def test_delete_milestone(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Gone")
    assert store.delete_milestone(m.id, m.version, "Duplicate") is None
    assert store.milestones(project_id=tree.project.id) == []
    last = store.history(item=("milestone", m.id))[0]
    assert (last.op, last.old["name"], last.reason) == ("delete", "Gone", "Duplicate")


def test_risk_lifecycle(store, tree):
    r = store.add_risk(project_id=tree.project.id, reference="R1", description="Demand rises", owner="Sam",
        likelihood="4", impact=5, mitigation="Early help")
    assert (r.reference, r.likelihood, r.impact, r.status, r.score) == ("R1", 4, 5, "Open", 20)
    r = store.edit_risk(r.id, r.version, reason="Mitigated", residual_likelihood=2, residual_impact=2)
    assert (r.residual_score, r.residual_rag) == (4, "Green")
    r = store.close_risk(r.id, r.version, "Passed")
    assert r.status == "Closed"
    r = store.reopen_risk(r.id, r.version)
    assert r.status == "Open"
    assert [c.field for c in store.history(item=("risk", r.id))][:4] == [
        "status",
        "status",
        "residual_impact",
        "residual_likelihood",
    ]
    store.delete_risk(r.id, r.version)
    assert store.risks(project_id=tree.project.id) == []


def test_risk_needs_both_likelihood_and_impact(store, tree):
    with pytest.raises(ValidationError) as e:
        store.add_risk(project_id=tree.project.id, description="x", likelihood=3)
    assert e.value.field == "Impact"
    r = store.add_risk(project_id=tree.project.id, description="x", likelihood=3, impact=3)
    with pytest.raises(ValidationError):
        store.edit_risk(r.id, r.version, impact=None)
    cleared = store.edit_risk(r.id, r.version, likelihood=None, impact=None)
    assert (cleared.score, cleared.rag) == (None, None)


def test_savings(store, tree):
    s = store.add_saving(project_id=tree.project.id, year="2025-26", amount="£1,250,000", kind="Income",
        band="green on target", amount_text="£1.25m")
    assert (s.year, s.amount, s.kind, s.band, s.amount_text) == ("2025/26", 1_250_000, "income",
        "Green On Target", "£1.25m")
    s = store.edit_saving(s.id, s.version, amount=-500, band="Red")
    assert (s.amount, s.band, s.version) == (-500, "Red", 2)
    store.delete_saving(s.id, s.version, "Double counted")
    assert store.savings(project_id=tree.project.id) == []


def test_programmes_projects_portfolios(store, tree):
    f = store.add_portfolio(name="  Second  ", status_date="1 April 2025")
    assert (f.name, f.status_date, f.green_max, f.red_min, f.version) == ("Second", "2025-04-01", 6, 20, 1)
    g = store.add_programme(portfolio_id=f.id, code="P2", name="Place")
    assert (g.portfolio_id, g.rag, g.rolled_rag, g.rag_is_derived) == (f.id, None, None, True)
    g = store.edit_programme(g.id, g.version, sro="Ann", description="Roads\nand parks")
    assert (g.sro, g.description, g.version) == ("Ann", "Roads\nand parks", 2)
    j = store.add_project(programme_id=g.id, name="Potholes", stage="full business case")
    assert (j.stage, j.programme_id, j.version) == ("Full Business Case", g.id, 1)
    j = store.edit_project(j.id, j.version, lead="Bo", reference="PH/1")
    assert (j.lead, j.reference) == ("Bo", "PH/1")
    j = store.set_project_rag(j.id, j.version, "amber", "Contractor")
    assert (j.rag, j.rag_reason, j.rag_is_derived) == ("Amber", "Contractor", False)
    g = store.set_programme_rag(g.id, g.version, "Green")
    assert (g.rag, g.rag_is_derived) == ("Green", False)
    f = store.set_status_date(f.id, f.version, "30/09/2025", "Q2 report")
    assert (f.status_date, f.version) == ("2025-09-30", 2)
    f = store.set_risk_thresholds(f.id, f.version, 4, 15)
    assert (f.green_max, f.red_min, f.version) == (4, 15, 3)
    with pytest.raises(NotFoundError):
        store.add_programme(portfolio_id=999, code="X", name="X")
    with pytest.raises(NotFoundError):
        store.add_project(programme_id=999, name="X")


@pytest.mark.parametrize("green, red", [(6, 6), (10, 5), (0, 20), (6, 26), (6.0, 20), (True, 20), ("6", 20)])
def test_risk_thresholds_refused(store, tree, db_path, green, red):
    before = dump(db_path)
    with pytest.raises(ValidationError):
        store.set_risk_thresholds(tree.portfolio.id, tree.portfolio.version, green, red)
    assert dump(db_path) == before


def test_unknown_field_is_refused_and_nothing_written(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="A")
    before = dump(db_path)
    with pytest.raises(StoreError):
        store.edit_milestone(m.id, m.version, colour="blue")
    assert dump(db_path) == before


def test_setting_the_same_value_changes_nothing(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="A", status="Red")
    before = dump(db_path)
    again = store.set_milestone_status(m.id, m.version, "Red")
    assert again.version == m.version
    assert dump(db_path) == before  # no version step, no change, no empty group to undo


# -- the change log -------------------------------------------------------------------------


def test_change_log_records_when_who_item_field_old_new_reason_group(db_path):
    clock = Clock()
    with open_store(db_path, who="pmo.officer", clock=clock) as s:
        f = s.add_portfolio(name="P", status_date="2025-06-30")
        g = s.add_programme(portfolio_id=f.id, code="G", name="G")
        m = s.add_milestone(programme_id=g.id, name="M")
        s.edit_milestone(m.id, m.version, reason="why", status="Amber", notes="n")
        changes = s.history(item=("milestone", m.id))
    assert len(changes) == 3
    create = changes[2]
    assert {c.group_id for c in changes[:2]} == {changes[0].group_id} != {create.group_id}
    assert all(c.who == "pmo.officer" and c.item_kind == "milestone" and c.item_id == m.id for c in changes)
    assert all(c.at == "2025-07-01T09:03:00Z" for c in changes[:2])
    assert create.at == "2025-07-01T09:02:00Z"
    fields = {c.field: (c.old, c.new, c.reason) for c in changes[:2]}
    assert fields == {"status": ("Not rated", "Amber", "why"), "notes": ("", "n", "why")}
    assert create.op == "create" and create.new["name"] == "M"


def test_change_time_is_utc_whatever_the_clock_zone(db_path):
    import datetime as dt

    zone = dt.timezone(dt.timedelta(hours=1))
    with open_store(db_path, who="x", clock=lambda: dt.datetime(2025, 7, 1, 10, 30, tzinfo=zone)) as s:
        s.add_portfolio(name="P", status_date="2025-06-30")
        assert s.history()[0].at == "2025-07-01T09:30:00Z"


def test_change_log_is_append_only(store, tree, db_path):
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("UPDATE change SET who = 'mallory'")
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("DELETE FROM change")
    finally:
        conn.close()


# -- one transaction ------------------------------------------------------------------------


def test_a_failure_part_way_leaves_nothing(store, tree, db_path, monkeypatch):
    m = store.add_milestone(project_id=tree.project.id, name="A")
    before = dump(db_path)
    real = _Tx._log
    calls = []

    def failing_log(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:  # the second field's log entry: the first field is already written
            raise RuntimeError("disk fell off")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(_Tx, "_log", failing_log)
    with pytest.raises(RuntimeError):
        store.edit_milestone(m.id, m.version, name="B", notes="C")
    monkeypatch.undo()
    assert dump(db_path) == before
    assert store.edit_milestone(m.id, m.version, name="B").name == "B"  # and the store still works


# -- stale versions -------------------------------------------------------------------------


def _items(s, tree):
    """One of each editable thing, made fresh."""
    return {"milestone": s.add_milestone(project_id=tree.project.id, name="Go live", status="Green"),
        "risk": s.add_risk(project_id=tree.project.id, description="Demand", likelihood=2, impact=2),
        "saving": s.add_saving(project_id=tree.project.id, year="2025/26", amount=10)}


STALE_WRITES = {"set_milestone_status": ("milestone", lambda s, i, v: s.set_milestone_status(i, v, "Red")),
    "edit_milestone": ("milestone", lambda s, i, v: s.edit_milestone(i, v, name="Renamed")),
    "delete_milestone": ("milestone", lambda s, i, v: s.delete_milestone(i, v)),
    "edit_risk": ("risk", lambda s, i, v: s.edit_risk(i, v, owner="Kim")),
    "close_risk": ("risk", lambda s, i, v: s.close_risk(i, v)),
    "reopen_risk": ("risk", lambda s, i, v: s.reopen_risk(i, v)),
    "delete_risk": ("risk", lambda s, i, v: s.delete_risk(i, v)),
    "edit_saving": ("saving", lambda s, i, v: s.edit_saving(i, v, amount=20)),
    "delete_saving": ("saving", lambda s, i, v: s.delete_saving(i, v)),
    "edit_project": ("project", lambda s, i, v: s.edit_project(i, v, lead="Bo")),
    "set_project_rag": ("project", lambda s, i, v: s.set_project_rag(i, v, "Red")),
    "edit_programme": ("programme", lambda s, i, v: s.edit_programme(i, v, sro="Bo")),
    "set_programme_rag": ("programme", lambda s, i, v: s.set_programme_rag(i, v, "Red")),
    "set_status_date": ("portfolio", lambda s, i, v: s.set_status_date(i, v, "2025-09-30")),
    "set_risk_thresholds": ("portfolio", lambda s, i, v: s.set_risk_thresholds(i, v, 5, 15)),
    "edit_portfolio": ("portfolio", lambda s, i, v: s.edit_portfolio(i, v, name="Renamed", red_min=16))}
OTHER_EDIT = {"milestone": lambda s, x: s.edit_milestone(x.id, x.version, notes="bob was here"),
    "risk": lambda s, x: s.edit_risk(x.id, x.version, mitigation="bob was here"),
    "saving": lambda s, x: s.edit_saving(x.id, x.version, notes="bob was here"),
    "project": lambda s, x: s.edit_project(x.id, x.version, description="bob was here"),
    "programme": lambda s, x: s.edit_programme(x.id, x.version, description="bob was here"),
    "portfolio": lambda s, x: s.set_status_date(x.id, x.version, "2025-07-31")}


@pytest.mark.parametrize("method", sorted(STALE_WRITES))
def test_stale_version_is_refused_naming_who_and_when(store, tree, db_path, method):
    kind, write = STALE_WRITES[method]
    items = _items(store, tree)
    seen = {**items, "project": tree.project, "programme": tree.programme, "portfolio": tree.portfolio}[kind]
    bob = open_store(
        db_path,
        who="bob",
        clock=Clock(
            __import__("datetime").datetime(2025, 8, 2, 14, 5, tzinfo=__import__("datetime").timezone.utc)
        ),
    )
    try:
        OTHER_EDIT[kind](bob, getattr(bob, kind)(seen.id))
    finally:
        bob.close()
    before = dump(db_path)
    with pytest.raises(ConflictError) as e:
        write(store, seen.id, seen.version)
    assert "bob" in str(e.value) and "2025-08-02 14:05" in str(e.value)
    assert e.value.who == "bob"
    assert dump(db_path) == before
    assert e.value.current == getattr(store, kind)(seen.id)  # the latest, for the screen to show
    # with the version it now has, the same write goes through
    write(store, seen.id, getattr(store, kind)(seen.id).version)


@pytest.mark.parametrize(
    "method", sorted(m for m in STALE_WRITES if STALE_WRITES[m][0] in ("milestone", "risk", "saving"))
)
def test_write_to_an_item_removed_elsewhere_is_a_conflict(store, tree, db_path, method):
    kind, write = STALE_WRITES[method]
    seen = _items(store, tree)[kind]
    with open_store(db_path, who="bob") as bob:
        getattr(bob, f"delete_{kind}")(seen.id, seen.version)
    before = dump(db_path)
    with pytest.raises(ConflictError) as e:
        write(store, seen.id, seen.version)
    assert "bob" in str(e.value)
    assert e.value.current is None and e.value.theirs == {}
    assert dump(db_path) == before


def test_a_deleted_items_id_is_never_reused(store, tree, db_path):
    """Another window still showing a deleted risk must not edit the new one that took its id."""
    old = store.add_risk(project_id=tree.project.id, description="Old risk")
    with open_store(db_path, who="bob") as bob:
        bob.delete_risk(old.id, old.version)
        new = bob.add_risk(project_id=tree.project.id, description="New risk")
        assert new.id != old.id
    with pytest.raises(ConflictError):
        store.edit_risk(old.id, old.version, owner="alice")
    assert store.risk(new.id).owner == ""
    # a bulk load after a delete takes fresh ids too
    m = store.add_milestone(project_id=tree.project.id, name="last one")
    store.delete_milestone(m.id, m.version)
    store.import_portfolio(
        {"name": "Loaded", "status_date": "2025-06-30",
            "programme": [{"code": "L", "name": "L", "milestone": [{"name": "loaded"}]}]}
    )
    assert store.search_milestones("loaded")[0][0].id != m.id
    assert count(db_path, "milestone") == 1


# -- bulk load ------------------------------------------------------------------------------


def test_import_portfolio_loads_a_tree_as_one_group(store, db_path):
    pid = store.import_portfolio(
        {
            "name": "Worcestershire",
            "status_date": "2018-04-30",
            "green_max": 4,
            "red_min": 12,
            "source": "paper.txt",
            "line": 3,
            "programme": [
                {
                    "code": "W1",
                    "name": "Adults",
                    "sro": "Ann",
                    "line": 10,
                    "line_end": 12,
                    "milestone": [{"name": "Programme board", "due": "2018-05-01", "status": "Amber"}],
                    "project": [
                        {
                            "name": "Reablement",
                            "reference": "W1/1",
                            "stage": "Delivery",
                            "milestone": [
                                {"name": "Go live", "due": "30 June 2018", "due_text": "June 2018"}
                            ],
                            "risk": [{"description": "Demand", "likelihood": 3, "impact": 4}],
                            "saving": [{"year": "2018/19", "amount": 250000, "band": "Amber"}],
                        }
                    ],
                }
            ],
        }
    )
    f = store.portfolio(pid)
    assert (f.name, f.green_max, f.red_min, f.source, f.source_line) == ("Worcestershire", 4, 12,
        "paper.txt", "3")
    (row,) = store.home_rows()
    assert (row.programme.code, row.programme.source_line, row.projects, row.savings_gross) == ("W1", "10-12",
        1, 250000)
    assert row.programme.rolled_rag == "Amber"
    j = store.project_rows(row.programme.id)[0].project
    (m,) = store.milestones(project_id=j.id)
    assert (m.baseline, m.due_text) == ("2018-06-30", "June 2018")  # a due date loaded is the baseline
    assert store.risks(project_id=j.id)[0].rag == "Red"  # 12 under this portfolio's matrix
    groups = store.conn.execute("SELECT kind FROM change_group").fetchall()
    assert groups == [("import",)]
    assert store.can_undo() is None


@pytest.mark.parametrize(
    "limits", [{"green_max": 30}, {"green_max": 10, "red_min": 9}, {"red_min": "x"}, {"green_max": 6.5}]
)
def test_import_portfolio_checks_the_matrix(store, db_path, limits):
    before = dump(db_path)
    with pytest.raises(ValidationError):
        store.import_portfolio({"name": "Bad", "status_date": "2025-06-30", **limits})
    assert dump(db_path) == before


# -- ids no record could have ---------------------------------------------------------------

BEYOND = [2**63, 2**70, -(2**63) - 1, -(2**70)]
WRITES_BY_ID = {"set_milestone_status": lambda s, i: s.set_milestone_status(i, 1, "Red"),
    "edit_milestone": lambda s, i: s.edit_milestone(i, 1, name="x"),
    "delete_milestone": lambda s, i: s.delete_milestone(i, 1),
    "edit_risk": lambda s, i: s.edit_risk(i, 1, owner="x"), "close_risk": lambda s, i: s.close_risk(i, 1),
    "reopen_risk": lambda s, i: s.reopen_risk(i, 1), "delete_risk": lambda s, i: s.delete_risk(i, 1),
    "edit_saving": lambda s, i: s.edit_saving(i, 1, amount=1),
    "delete_saving": lambda s, i: s.delete_saving(i, 1),
    "edit_project": lambda s, i: s.edit_project(i, 1, lead="x"),
    "set_project_rag": lambda s, i: s.set_project_rag(i, 1, "Red"),
    "edit_programme": lambda s, i: s.edit_programme(i, 1, sro="x"),
    "set_programme_rag": lambda s, i: s.set_programme_rag(i, 1, "Red"),
    "set_status_date": lambda s, i: s.set_status_date(i, 1, "2025-09-30"),
    "set_risk_thresholds": lambda s, i: s.set_risk_thresholds(i, 1, 5, 15),
    "add_milestone to a project": lambda s, i: s.add_milestone(project_id=i, name="x"),
    "add_milestone to a programme": lambda s, i: s.add_milestone(programme_id=i, name="x"),
    "add_risk": lambda s, i: s.add_risk(project_id=i, description="x"),
    "add_saving": lambda s, i: s.add_saving(programme_id=i, year="2025/26", amount=1),
    "add_programme": lambda s, i: s.add_programme(portfolio_id=i, code="x", name="x"),
    "add_project": lambda s, i: s.add_project(programme_id=i, name="x"),
    "undo_group": lambda s, i: s.undo_group(i)}


@pytest.mark.parametrize("item_id", BEYOND, ids=str)
@pytest.mark.parametrize("method", sorted(WRITES_BY_ID))
def test_an_id_beyond_any_integer_is_not_found_and_writes_nothing(store, tree, db_path, method, item_id):
    before = dump(db_path)
    with pytest.raises(StoreError) as e:
        WRITES_BY_ID[method](store, item_id)
    assert isinstance(e.value, (NotFoundError, ValidationError))
    assert dump(db_path) == before


@pytest.mark.parametrize("item_id", BEYOND, ids=str)
def test_reading_an_id_beyond_any_integer_is_not_found(store, tree, item_id):
    for read in (store.milestone, store.risk, store.saving, store.project, store.programme, store.portfolio,
        store.change_group_info, lambda i: store.portfolio_of(programme_id=i),
        lambda i: store.portfolio_of(project_id=i), store.project_rows, store.projects,
        lambda i: store.milestones(project_id=i), lambda i: store.risks(programme_id=i),
        lambda i: store.savings(project_id=i)):
        with pytest.raises(NotFoundError):
            read(item_id)
    assert store.history(item=("milestone", item_id)) == [] and store.last_change("risk", item_id) is None


# -- a full disk ----------------------------------------------------------------------------


def test_a_full_disk_is_reported_and_nothing_partial_is_written(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="A")
    before = dump(db_path)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: SQLITE_FULL
    try:
        with pytest.raises(DiskFullError) as e:
            store.edit_milestone(m.id, m.version, name="B", notes="long " * 2_000)
        assert str(e.value) == f"no space left on the disk holding {db_path}; free some space and try again."
        assert dump(db_path) == before
        assert not store.conn.in_transaction
        with pytest.raises(DiskFullError):
            store.add_risk(project_id=tree.project.id, description="d" * 10_000)
        assert dump(db_path) == before
        assert store.can_undo() == "Added milestone A"  # the failed saves left nothing to undo
    finally:
        store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert (
        store.edit_milestone(m.id, m.version, name="B", notes="long " * 2_000).name == "B"
    )  # once there is room


class _FullAtCommit:
    """The store's connection, but COMMIT fails as it does when the disk fills while it writes."""

    def __init__(self, conn, error):
        self._conn, self._error = conn, error

    def execute(self, sql, *args):
        if sql == "COMMIT":
            raise self._error
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.mark.parametrize("error",
    [sqlite3.DatabaseError("database or disk is full"), sqlite3.OperationalError("database or disk is full")],
    ids=repr)
def test_a_disk_that_fills_at_commit_is_reported_and_rolled_back(store, tree, db_path, error):
    m = store.add_milestone(project_id=tree.project.id, name="A")
    before = dump(db_path)
    real = store.conn
    store.conn = _FullAtCommit(real, error)
    try:
        with pytest.raises(DiskFullError) as e:
            store.edit_milestone(m.id, m.version, name="B")
    finally:
        store.conn = real
    assert str(db_path) in str(e.value)
    assert not real.in_transaction
    assert dump(db_path) == before
    assert store.undo().label == "Added milestone A"


# -- change labels and messages name records as typed ---------------------------------------

SUPPLIER = "Supplier 'Ångström Ltd' fails to deliver the \\ new case system — costs rise"


def _label_of_last(store):
    return store.conn.execute("SELECT label FROM change_group ORDER BY id DESC LIMIT 1").fetchone()[0]


LABELLED = {
    "add_milestone": (lambda s, t, x: s.add_milestone(project_id=t.project.id, name="Children's \"hub\""),
                      'Added milestone Children\'s "hub"'),
    "set_milestone_status": (lambda s, t, x: s.set_milestone_status(x["m"].id, x["m"].version, "Red"),
                             "Set 'Ångström's go-live' to Red"),
    "edit_milestone": (lambda s, t, x: s.edit_milestone(x["m"].id, x["m"].version, notes="n"),
                       "Edited milestone Ångström's go-live"),
    "delete_milestone": (lambda s, t, x: s.delete_milestone(x["m"].id, x["m"].version),
                         "Deleted milestone Ångström's go-live"),
    "add_risk": (lambda s, t, x: s.add_risk(project_id=t.project.id, description=SUPPLIER),
                 "Added risk Supplier 'Ångström Ltd' fails to deliver the \\…"),
    "edit_risk": (lambda s, t, x: s.edit_risk(x["r"].id, x["r"].version, owner="Kim"),
                  "Edited risk Supplier 'Ångström Ltd' fails to deliver the \\…"),
    "close_risk": (lambda s, t, x: s.close_risk(x["r"].id, x["r"].version),
                   "Closed risk Supplier 'Ångström Ltd' fails to deliver the \\…"),
    "edit_saving": (lambda s, t, x: s.edit_saving(x["s"].id, x["s"].version, amount=5),
                    "Edited saving 2025/26 saving"),
    "add_programme": (lambda s, t, x: s.add_programme(portfolio_id=t.portfolio.id, code="CS",
                                                      name="Children's Services"),
                      "Added programme Children's Services"),
    "edit_programme": (lambda s, t, x: s.edit_programme(t.programme.id, t.programme.version, sro="Ann"),
                       "Edited programme CCYPS"),
    "set_programme_rag": (lambda s, t, x: s.set_programme_rag(t.programme.id, t.programme.version, "amber"),
                          "Set programme 'CCYPS' to Amber"),
    "set_project_rag": (lambda s, t, x: s.set_project_rag(t.project.id, t.project.version, "red"),
                        "Set project 'Early Help' to Red"),
    "edit_project": (lambda s, t, x: s.edit_project(t.project.id, t.project.version, lead="Bo"),
                     "Edited project Early Help"),
    "add_portfolio": (lambda s, t, x: s.add_portfolio(name="People's Portfolio", status_date="2025-06-30"),
                      "Added portfolio People's Portfolio"),
    "set_status_date": (lambda s, t, x: s.set_status_date(t.portfolio.id, t.portfolio.version, "31/3/2026"),
                        "Moved the status date of Transformation to 31 Mar 2026"),
    "set_risk_thresholds": (lambda s, t, x: s.set_risk_thresholds(t.portfolio.id, t.portfolio.version, 4, 12),
                            "Set the risk matrix of Transformation: Green up to 4, Red from 12"),
    "edit_portfolio": (lambda s, t, x: s.edit_portfolio(t.portfolio.id, t.portfolio.version, name="New"),
                       "Edited portfolio Transformation"),
}


@pytest.mark.parametrize("action", sorted(LABELLED))
def test_each_change_is_labelled_with_the_record_as_typed(store, tree, action):
    m = store.add_milestone(project_id=tree.project.id, name="Ångström's go-live", status="Green")
    r = store.add_risk(project_id=tree.project.id, description=SUPPLIER)
    s = store.add_saving(project_id=tree.project.id, year="2025/26", amount=100)
    write, label = LABELLED[action]
    write(store, tree, {"m": m, "r": r, "s": s})
    assert _label_of_last(store) == label
    assert store.can_undo() == label
    assert store.undo().label == label
    assert _label_of_last(store) == f"Undo: {label}"


def test_a_long_name_is_cut_at_a_word_in_labels_and_kept_whole_in_the_log(store, tree):
    name = "Redesign of the integrated early help front door and multi-agency safeguarding hub"
    m = store.add_milestone(project_id=tree.project.id, name=name)
    assert store.can_undo() == "Added milestone Redesign of the integrated early help front door…"
    assert store.history(item=("milestone", m.id))[0].item_label == name


def test_conflict_messages_name_the_record_in_plain_quotes(store, tree, db_path):
    m = store.add_milestone(project_id=tree.project.id, name="Ångström's \\ go-live")
    with open_store(db_path, who="bob") as bob:
        bob.edit_milestone(m.id, m.version, notes="bob's")
    with pytest.raises(ConflictError) as e:
        store.edit_milestone(m.id, m.version, notes="mine")
    assert str(e.value).startswith('Milestone "Ångström\'s \\ go-live" was changed by bob at ')
    assert "\\'" not in str(e.value) and "\\\\" not in str(e.value)


# -- unique keys ------------------------------------------------------------------------------


def test_a_programme_code_is_unique_in_its_portfolio(store, tree, db_path):
    store.add_programme(portfolio_id=tree.portfolio.id, code="PRG1", name="Children's Services")
    before = dump(db_path)
    for code in ("PRG1", " prg1 ", "Prg1"):
        with pytest.raises(ValidationError) as e:
            store.add_programme(portfolio_id=tree.portfolio.id, code=code, name="Other")
        typed = code.strip()
        assert str(e.value) == f'Code: {typed} is already used by "Children\'s Services" in this portfolio.'
        assert dump(db_path) == before
    with pytest.raises(ValidationError) as e:
        store.edit_programme(tree.programme.id, tree.programme.version, code="prg1 ")
    assert str(e.value) == 'Code: prg1 is already used by "Children\'s Services" in this portfolio.'
    assert dump(db_path) == before
    other = store.add_portfolio(name="Elsewhere", status_date="2025-06-30")
    assert store.add_programme(portfolio_id=other.id, code="PRG1", name="Same code elsewhere").code == "PRG1"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(alphabet="abcßkKÅåİi0/_-", min_size=1, max_size=8),
       pad=st.sampled_from(["", " ", "  ", "\t"]), shout=st.booleans())
def test_a_code_differing_only_in_case_or_spaces_is_the_same_code(store, tree, code, pad, shout):
    typed = code.upper() if shout else code.lower()
    assume(typed.casefold() == code.casefold())
    f = store.add_portfolio(name=f"Portfolio {store.portfolio_programme_counts()[-1][0].id + 1}",
                            status_date="2025-06-30")  # each example has a portfolio of its own
    store.add_programme(portfolio_id=f.id, code=code, name="First")
    with pytest.raises(ValidationError) as e:
        store.add_programme(portfolio_id=f.id, code=f"{pad}{typed}{pad}", name="Second")
    assert e.value.field == "Code" and '"First"' in e.value.message


def test_a_programme_keeps_its_own_code_and_may_change_its_case(store, tree):
    g = store.edit_programme(tree.programme.id, tree.programme.version, code="ccyps", sro="Ann")
    assert (g.code, g.sro) == ("ccyps", "Ann")
    g = store.edit_programme(g.id, g.version, name="Renamed")  # its code is not checked against itself
    assert g.name == "Renamed"


def test_a_project_reference_is_unique_in_its_programme_unless_blank(store, tree, db_path):
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.add_project(programme_id=tree.programme.id, reference="a/r.6.253", name="Copy")
    assert str(e.value) == 'Reference: a/r.6.253 is already used by "Early Help" in this programme.'
    with pytest.raises(ValidationError) as e:
        store.edit_project(tree.other_project.id, tree.other_project.version, reference=" A/R.6.253")
    assert e.value.field == "Reference"
    assert dump(db_path) == before
    a = store.add_project(programme_id=tree.programme.id, name="No reference")
    b = store.add_project(programme_id=tree.programme.id, reference="  ", name="Nor this")
    assert a.reference == b.reference == ""
    elsewhere = store.add_programme(portfolio_id=tree.portfolio.id, code="OTHER", name="Other")
    assert store.add_project(programme_id=elsewhere.id, reference="A/R.6.253", name="Same ref").reference


def test_a_portfolio_name_is_unique(store, tree, db_path):
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.add_portfolio(name=" transformation ", status_date="2025-06-30")
    assert str(e.value) == "Name: transformation is already the name of another portfolio."
    other = store.add_portfolio(name="Other", status_date="2025-06-30")
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.edit_portfolio(other.id, other.version, name="TRANSFORMATION")
    assert e.value.field == "Name"
    assert dump(db_path) == before


def test_a_key_taken_in_another_window_is_refused_at_save(store, tree, db_path):
    """The check is made under the write lock, against the file as it is then."""
    with open_store(db_path, who="bob") as bob:
        bob.add_programme(portfolio_id=tree.portfolio.id, code="NEW", name="Bob's")
    with pytest.raises(ValidationError) as e:
        store.add_programme(portfolio_id=tree.portfolio.id, code="new", name="Mine")
    assert "Bob's" in str(e.value)


def test_import_portfolio_refuses_keys_held_twice(store, db_path):
    before = dump(db_path)
    trees = {
        "Code": {"name": "A", "status_date": "2025-06-30",
                 "programme": [{"code": "X1", "name": "One"}, {"code": "x1 ", "name": "Two"}]},
        "Reference": {"name": "B", "status_date": "2025-06-30", "programme": [
            {"code": "X1", "name": "One", "project": [{"reference": "R", "name": "P"},
                                                       {"reference": "r", "name": "Q"}]}]},
    }
    for field, tree in trees.items():
        with pytest.raises(ValidationError) as e:
            store.import_portfolio(tree)
        assert e.value.field == field
        assert dump(db_path) == before
    with pytest.raises(ValidationError) as e:
        store.import_portfolio(trees["Code"])
    assert str(e.value) == 'Code: x1 is already used by "One" in this portfolio.'
    store.import_portfolio({"name": "C", "status_date": "2025-06-30", "programme": [
        {"code": "X1", "name": "One", "project": [{"reference": "R", "name": "P"}, {"name": "Q"},
                                                  {"name": "S"}]},
        {"code": "X2", "name": "Two", "project": [{"reference": "R", "name": "P"}]}]})


def test_a_file_loaded_twice_gives_two_portfolios_the_user_can_tell_apart(store):
    first = store.import_portfolio({"name": "Bulk", "status_date": "2025-06-30"})
    second = store.import_portfolio({"name": "Bulk", "status_date": "2025-06-30"})
    renamed = store.edit_portfolio(second, store.portfolio(second).version, name="Bulk (second copy)")
    assert [p.name for p in store.portfolios()] == ["Bulk", "Bulk (second copy)"]
    assert renamed.id != first
