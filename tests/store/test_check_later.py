"""A large file is shown while its integrity check runs on: nothing is written until the check has
passed, a damaged one is never written, and the app says so once it knows."""
from __future__ import annotations

import pytest

from store import CorruptFileError
from store import store as store_module
from store.store import open_store_checking_later

from .conftest import programmes_file


@pytest.fixture
def large(monkeypatch):
    """Every file counts as large: its check runs on after it is shown."""
    monkeypatch.setattr(store_module, "CHECK_LATER_BYTES", 0)


def test_a_small_file_is_checked_before_it_is_shown(tmp_path):
    path = tmp_path / "small.db"
    programmes_file(path, damaged=False)
    store, check = open_store_checking_later(path)
    with store:
        assert not check.later


def test_a_large_healthy_file_is_written_once_its_check_has_passed(tmp_path, large):
    path = tmp_path / "big.db"
    programmes_file(path, damaged=False)
    store, check = open_store_checking_later(path, home_page=40)
    with store:
        assert check.later
        store.check_later(check)
        programme = store.home_rows(0, 1)[0].programme
        store.set_programme_rag(programme.id, programme.version, "Red", "late")  # waits for the check
        assert not store.checking() and store.check_failed(wait=True) is None
        assert store.programme(programme.id).rag == "Red"


def test_a_large_damaged_file_is_never_written_and_says_why(tmp_path, large):
    path = tmp_path / "big.db"
    programmes_file(path, damaged=True)
    before = path.read_bytes()
    store, check = open_store_checking_later(path)
    with store:
        store.check_later(check)
        portfolio = store.portfolios()[0]  # its page is whole: shown
        with pytest.raises(CorruptFileError):
            store.set_status_date(portfolio.id, portfolio.version, "2025-02-28")
        with pytest.raises(CorruptFileError):  # and again: never once the check has failed
            store.set_status_date(portfolio.id, portfolio.version, "2025-02-28")
        assert "is damaged" in store.check_failed(wait=True)
    assert path.read_bytes() == before


async def test_the_app_says_a_large_file_is_damaged_once_its_check_fails(tmp_path, large):
    from tests.tui.conftest import notices, wait_until
    from tui.app import RagboardApp

    path = tmp_path / "big.db"
    programmes_file(path, damaged=True)
    store, check = open_store_checking_later(path)
    store.check_later(check)
    app = RagboardApp(store, build_ahead=False)
    async with app.run_test(notifications=True) as pilot:
        await wait_until(pilot, lambda: any("Damaged file" in n for n in notices(app)), "the warning")
        assert any("is damaged" in n and "Nothing will be written" in n for n in notices(app))
        await app.keeper.stop()
    store.close()


def test_a_large_files_check_waits_for_the_first_screen_or_a_write(tmp_path, large):
    """Begun only when asked (the app asks once its first screen is shown: on 2 cores a check run
    during start-up takes a core from it), or when something must wait for it."""
    path = tmp_path / "big.db"
    programmes_file(path, damaged=True)
    store, check = open_store_checking_later(path)
    with store:
        store.check_later(check)
        assert not check.started and store.checking() and store.check_failed() is None
        store.begin_check()
        assert check.started and "is damaged" in store.check_failed(wait=True)
    store, check = open_store_checking_later(path)
    with store:
        store.check_later(check)
        portfolio = store.portfolios()[0]
        with pytest.raises(CorruptFileError):  # a write starts the check, and waits for it
            store.set_status_date(portfolio.id, portfolio.version, "2025-02-28")
        assert check.started
