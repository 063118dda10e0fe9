"""The store owns its lock: every public method holds Store.lock while it uses the connection, so
screens and workers on several threads may call it without a lock of their own."""
from __future__ import annotations

import threading
from typing import Self

from store import Store, open_store


class SpyLock:
    """A reentrant lock that knows which thread holds it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.holder: int | None = None
        self.depth = 0
        self.taken = 0

    def __enter__(self) -> Self:
        self._lock.acquire()
        self.holder, self.depth, self.taken = threading.get_ident(), self.depth + 1, self.taken + 1
        return self

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1
        if not self.depth:
            self.holder = None
        self._lock.release()

    def held(self) -> bool:
        return self.holder == threading.get_ident()


class Watched:
    """The store's connection, refusing any use while the store's lock is not held."""

    def __init__(self, conn, lock: SpyLock) -> None:
        self._conn, self._lock = conn, lock
        self.unlocked: list[str] = []

    def _check(self, sql: str) -> None:
        if not self._lock.held():
            self.unlocked.append(sql)

    def execute(self, sql, *args):
        self._check(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql, *args):
        self._check(sql)
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def _public_methods() -> set[str]:
    return {name for name in dir(Store) if not name.startswith("_") and callable(getattr(Store, name))}


def test_every_public_method_holds_the_lock_while_it_uses_the_file(store, tree):
    spy = SpyLock()
    store.lock = spy
    real = store.conn
    watched = Watched(real, spy)
    store.conn = watched
    j, g, f = tree.project.id, tree.programme.id, tree.portfolio.id
    called: list[str] = []

    def call(method, *args, **kwargs):
        called.append(method)
        return getattr(store, method)(*args, **kwargs)

    m = call("add_milestone", project_id=j, name="Go live", baseline="2025-03-31")
    m = call("set_milestone_status", m.id, m.version, "Red", "late")
    m = call("edit_milestone", m.id, m.version, notes="n")
    k = call("add_risk", project_id=j, description="Demand", likelihood=4, impact=5)
    k = call("edit_risk", k.id, k.version, owner="Sam")
    k = call("close_risk", k.id, k.version)
    k = call("reopen_risk", k.id, k.version)
    s = call("add_saving", project_id=j, year="2025/26", amount=100)
    s = call("edit_saving", s.id, s.version, amount=200)
    p = call("add_project", programme_id=g, name="Another")
    p = call("edit_project", p.id, p.version, lead="Kim")
    p = call("set_project_rag", p.id, p.version, "Amber", "why")
    q = call("add_programme", portfolio_id=f, code="X", name="Other")
    q = call("edit_programme", q.id, q.version, sro="Jo")
    q = call("set_programme_rag", q.id, q.version, "Green")
    q = call("set_programme_dca", q.id, q.version, "Amber/Green", "why")
    p = call("set_project_dca", p.id, p.version, "Red")
    f2 = call("add_portfolio", name="Second", status_date="2025-06-30")
    f2 = call("set_status_date", f2.id, f2.version, "2025-07-31")
    f2 = call("set_risk_thresholds", f2.id, f2.version, 5, 15)
    f2 = call("edit_portfolio", f2.id, f2.version, organisation="Plymouth", red_min=16)
    period = call("close_period", f, store.portfolio(f).version)
    call("periods")
    call("last_period", f)
    call("period_items", period.id)
    call("previous", "project", [p.id])
    call("changes_since", f)
    call("add_portfolio_with_programme", {"name": "Third", "status_date": "2025-06-30"},
         {"code": "T", "name": "Third's first"})
    call("preview_warnings", "milestone", {"status": "Green"}, item_id=m.id)
    call("savings_by_year", project_id=j)
    for method in ("portfolios", "programme_count", "portfolio_programme_counts", "home_rows",
                 "home_rows_in_one_step", "search_milestones", "milestone_count", "history", "is_empty",
                 "can_undo", "can_redo", "changed_elsewhere", "now"):
        call(method)
    call("portfolio", f)
    call("portfolio_of", project_id=j)
    call("programme", g)
    call("project", j)
    call("milestone", m.id)
    call("risk", k.id)
    call("saving", s.id)
    call("milestones", project_id=j)
    call("risks", project_id=j)
    call("savings", project_id=j)
    call("project_rows", g)
    call("projects", g)
    call("search", "Early")
    last = call("last_change", "milestone", m.id)
    call("change_group_info", last.group_id)
    call("undo")
    call("redo")
    call("undo_group", last.group_id)
    call("delete_saving", s.id, store.saving(s.id).version)
    call("delete_risk", k.id, store.risk(k.id).version)
    call("delete_milestone", m.id, store.milestone(m.id).version)
    call("import_portfolio", {"name": "Loaded", "status_date": "2025-06-30",
                              "programme": [{"code": "L", "name": "Loaded programme"}]})
    from store.importing import Sheet

    call("import_sheets", [Sheet("Programmes", [(1, ["Portfolio", "Code", "Name"]),
                                                (2, ["Loaded", "L2", "Imported programme"])])],
         source="a.xlsx")
    call("checkpoint")
    call("check")
    call("rebuild_word_indexes", ["project_words"])
    call("checking")
    call("check_failed")
    from store.store import IntegrityCheck

    call("check_later", IntegrityCheck(store.path))
    call("begin_check")
    with call("without_waiting"):
        call("set_status_date", f2.id, store.portfolio(f2.id).version, "2025-08-31")
    assert watched.unlocked == []
    assert spy.taken >= len(called)
    call("close")
    assert set(called) == _public_methods()  # a new public method belongs in this test too


def test_the_lock_is_reentrant_and_one_for_the_whole_store(store, tree):
    with store.lock:  # a caller holding it may still call the store (no deadlock)
        m = store.add_milestone(project_id=tree.project.id, name="a")
        assert store.milestone(m.id) == m
    taken = threading.Event()
    release = threading.Event()
    done: list[object] = []

    def holder():
        with store.lock:
            taken.set()
            release.wait()

    def reader():
        done.append(store.milestone(m.id))

    hold = threading.Thread(target=holder)
    hold.start()
    read = threading.Thread(target=reader)
    try:
        taken.wait()
        read.start()
        # The reader is held up by the lock (not by the file): it has not read while the lock is taken.
        assert done == []
        assert store.lock.acquire(blocking=False) is False  # another thread holds it
    finally:
        release.set()
        hold.join()
    read.join()
    assert done == [m]


def test_several_threads_may_read_and_write_without_a_lock_of_their_own(db_path, clock):
    store = open_store(db_path, who="alice", clock=clock)
    f = store.add_portfolio(name="P", status_date="2025-06-30")
    g = store.add_programme(portfolio_id=f.id, code="G", name="Programme")
    projects = [store.add_project(programme_id=g.id, name=f"Project {n}").id for n in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(projects))

    def work(project_id: int) -> None:
        try:
            start.wait()
            for n in range(25):
                m = store.add_milestone(project_id=project_id, name=f"m{n}", baseline="2025-01-31")
                store.set_milestone_status(m.id, m.version, "Red")
                store.home_rows()
                store.milestones(project_id=project_id)
                store.history(project_id=project_id, limit=5)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(j,)) for j in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    row, = store.home_rows()
    assert (row.red_milestones, row.overdue_milestones) == (100, 100)
    assert all(len(store.milestones(project_id=j)) == 25 for j in projects)
    assert len(store.history(limit=10_000)) == 1 + 1 + 4 + 4 * 25 * 2  # every change logged once
    store.close()
