"""Start-up: the home screen's first page is read on the integrity check's thread, and served only
while it still describes the file."""
from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest

from store import CorruptFileError, open_store
from store.store import open_store_checking_later

from .conftest import programmes_file


def _make(path, programmes: int = 5) -> None:
    with open_store(path, who="maker") as s:
        f = s.add_portfolio(name="P", status_date="2025-06-30")
        for i in range(programmes):
            g = s.add_programme(portfolio_id=f.id, code=f"G{i}", name=f"Programme {i}")
            j = s.add_project(programme_id=g.id, name=f"Project {i}")
            s.add_milestone(project_id=j.id, name="Late", status="Red", baseline="2025-01-31")
            s.add_risk(project_id=j.id, description="High", likelihood=5, impact=4)
            s.add_saving(project_id=j.id, year="2025/26", amount=100 * (i + 1))


def _opened(path, page: int = 3):
    store, check = open_store_checking_later(path, home_page=page)
    check.confirm()
    return store


def _home_queries(store) -> list[str]:
    """Records the home-row queries the store's own connection runs from now on."""
    seen: list[str] = []
    store.conn.set_trace_callback(lambda sql: seen.append(sql) if "FROM programme p JOIN" in sql else None)
    return seen


def test_first_page_is_served_once_and_equals_a_fresh_read(tmp_path):
    path = tmp_path / "board.db"
    _make(path)
    with open_store(path) as plain:
        expected = plain.home_rows(0, 3)
    with _opened(path) as store:
        queries = _home_queries(store)
        assert store.home_rows(0, 3) == expected
        assert queries == []  # read ahead: no query on the store's connection
        assert store.home_rows(0, 3) == expected
        assert len(queries) == 1  # once only: the next call reads the file


def test_a_request_within_the_page_is_served_one_beyond_it_is_read(tmp_path):
    path = tmp_path / "board.db"
    _make(path)
    with open_store(path) as plain:
        everything = plain.home_rows(0, 10)
    with _opened(path, page=3) as store:
        queries = _home_queries(store)
        assert store.home_rows(1, 2) == everything[1:3]
        assert queries == []
    with _opened(path, page=3) as store:
        queries = _home_queries(store)
        assert store.home_rows(0, 4) == everything[:4]
        assert len(queries) == 1
    with _opened(path, page=40) as store:  # a short page is the whole list: any page of it is served
        queries = _home_queries(store)
        assert store.home_rows(0, 200) == everything
        assert queries == []


def test_a_filtered_request_is_read(tmp_path):
    path = tmp_path / "board.db"
    _make(path)
    with _opened(path) as store:
        queries = _home_queries(store)
        assert [r.programme.code for r in store.home_rows(0, 3, "G4")] == ["G4"]
        assert len(queries) == 1


def _rename_g0_elsewhere(path) -> None:
    """Another connection commits a change to programme G0."""
    with closing(sqlite3.connect(path)) as other, other:
        other.execute("UPDATE programme SET name = 'Renamed' WHERE code = 'G0'")


def test_a_commit_by_another_connection_after_opening_is_seen(tmp_path):
    path = tmp_path / "board.db"
    _make(path)
    with _opened(path) as store:
        _rename_g0_elsewhere(path)
        first = store.home_rows(0, 3)[0]
        assert first.programme.name == "Renamed"


def test_a_write_through_the_store_after_opening_is_seen(tmp_path):
    path = tmp_path / "board.db"
    _make(path)
    with _opened(path) as store:
        g0 = store.programme(1)
        store.edit_programme(g0.id, g0.version, name="Edited")
        assert store.home_rows(0, 3)[0].programme.name == "Edited"


def test_a_change_seen_by_the_poll_is_not_hidden(tmp_path):
    """changed_elsewhere() takes in the new data version: rows read before it must not be served."""
    path = tmp_path / "board.db"
    _make(path)
    with _opened(path) as store:
        _rename_g0_elsewhere(path)
        assert store.changed_elsewhere()
        assert store.home_rows(0, 3)[0].programme.name == "Renamed"


def test_a_damaged_file_is_refused_and_nothing_is_read_ahead(tmp_path):
    path = tmp_path / "board.db"
    programmes_file(path, damaged=True)
    store, check = open_store_checking_later(path, home_page=40)
    try:
        with pytest.raises(CorruptFileError):
            check.confirm()
        assert store._ahead is None
    finally:
        store.close()


def test_a_read_only_file_is_not_read_ahead_but_reads(tmp_path):
    import os

    path = tmp_path / "board.db"
    _make(path)
    os.chmod(path, 0o444)
    try:
        store = _opened(path)
        with store:
            assert store.read_only and store._ahead is None
            assert [r.programme.code for r in store.home_rows(0, 3)] == ["G0", "G1", "G2"]
    finally:
        os.chmod(path, 0o644)


def test_no_page_asked_for_reads_nothing_ahead(tmp_path):
    path = tmp_path / "board.db"
    _make(path)
    store, check = open_store_checking_later(path)
    check.confirm()
    with store:
        assert store._ahead is None
        assert len(store.home_rows(0, 3)) == 3


def test_the_page_read_in_one_step_is_the_page(tmp_path):
    """Same rows, same order (portfolio, position, id), same types, as home_rows, at any offset."""
    path = tmp_path / "board.db"
    with open_store(path) as s:
        assert s.home_rows_in_one_step(0, 40) == [] == s.home_rows(0, 40)
        for name in ("B", "A"):
            f = s.add_portfolio(name=name, status_date="2025-06-30")
            for i in range(6):
                g = s.add_programme(portfolio_id=f.id, code=f"{name}{i}",
                                    name=f"Programme {name}{i} \"quoted\" ü")
                j = s.add_project(programme_id=g.id, name="J")
                s.add_milestone(
                    project_id=j.id, name="M", status=("Red", "Amber", "Green")[i % 3], baseline="2025-01-31"
                )
                s.add_milestone(programme_id=g.id, name="Own", status="Complete")
                s.add_risk(programme_id=g.id, description="R", likelihood=5, impact=5)
                s.add_saving(project_id=j.id, year="2025/26", amount=9_999_999_990 + i)
            if name == "B":
                s.set_programme_rag(1, s.programme(1).version, "Green")
        # positions out of id order
        s.conn.execute("UPDATE programme SET position = 100 - id")
        for offset, limit in ((0, 40), (0, 5), (3, 4), (10, 40), (40, 5)):
            assert s.home_rows_in_one_step(offset, limit) == s.home_rows(offset, limit), (offset, limit)
        assert [r.programme.code for r in s.home_rows_in_one_step(0, 3)] == ["B5", "B4", "B3"]


def test_a_large_file_has_its_first_page_read_ahead_while_its_check_waits(tmp_path, monkeypatch):
    from store import store as store_module

    monkeypatch.setattr(store_module, "CHECK_LATER_BYTES", 0)  # every file counts as large
    path = tmp_path / "board.db"
    _make(path)
    with open_store(path) as plain:
        expected = plain.home_rows(0, 3)
    store, check = open_store_checking_later(path, home_page=3)
    with store:
        for thread in threading.enumerate():
            if thread.name == "read-ahead":
                thread.join(10)
        assert check.later and not check.started  # the check waits for the first screen
        queries = _home_queries(store)
        assert store.home_rows(0, 3) == expected
        assert queries == []  # read ahead all the same
