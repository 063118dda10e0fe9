"""The milestones' word index (schema step 8): kept by triggers through every add, edit, delete, undo
and import, it finds what reading every row would find, and an older file gets it filled."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import open_store
from store.importing import Sheet

from .conftest import estates, word_index_intact

WORDS = ("Gateway", "review", "Cabinet", "go-live", "Q4 2016", "board")
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
steps = st.lists(st.tuples(st.sampled_from(["add", "rename", "due", "delete", "undo", "import"]), names),
                 min_size=1, max_size=12)


def _intact(path) -> None:
    word_index_intact(path, "milestone_words")


def _by_reading(store, word: str) -> set[int]:
    return {i for (i,) in store.conn.execute(
        "SELECT id FROM milestone WHERE name LIKE ? OR due_text LIKE ?", (f"%{word}%", f"%{word}%"))}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_the_index_follows_every_change_and_finds_what_reading_finds(plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "f.db"
    with estates(path) as (s, g):
        for action, text in plan:
            mine = s.milestones(programme_id=g.id)
            if action == "add" or not mine:
                s.add_milestone(programme_id=g.id, name=text, due_text=text[::-1])
            elif action == "rename":
                s.edit_milestone(mine[0].id, mine[0].version, name=text)
            elif action == "due":
                s.edit_milestone(mine[-1].id, mine[-1].version, due_text=text)
            elif action == "delete":
                s.delete_milestone(mine[0].id, mine[0].version)
            elif action == "undo":
                s.undo()
            else:
                s.import_sheets([Sheet("Milestones", [(1, ["Programme code", "Name", "Due (as written)"]),
                                                      (2, ["G", text, "by " + text])])], source="x.csv")
        for word in (*WORDS, "view", "abinet"):
            found = {m.id for m, _ in s.search_milestones(word, 1000)}
            assert found == _by_reading(s, word), word
            assert s.milestone_count(word) == len(found)
    _intact(path)


def test_words_are_found_in_any_case_and_short_or_quoted_text_still_filters(tmp_path):
    with estates(tmp_path / "f.db") as (s, g):
        a = s.add_milestone(programme_id=g.id, name='The "Gateway" Review', due_text="Q4 2016")
        b = s.add_milestone(programme_id=g.id, name="Go live", due_text="spring")
        assert [m.id for m, _ in s.search_milestones("gateway review")] == []  # the quotes are in between
        assert [m.id for m, _ in s.search_milestones('"gateway" rev')] == [a.id]
        assert [m.id for m, _ in s.search_milestones("REVIEW")] == [a.id]
        assert [m.id for m, _ in s.search_milestones("q4 2")] == [a.id]  # the due date as printed
        assert [m.id for m, _ in s.search_milestones("go")] == [b.id]  # two letters: every row read
        assert [m.id for m, _ in s.search_milestones("Estates")] == [a.id, b.id]  # the owner's name


def test_an_older_file_gets_the_index_filled_when_it_is_upgraded(tmp_path):
    path = tmp_path / "f.db"
    with estates(path) as (s, g):
        m = s.add_milestone(programme_id=g.id, name="Cabinet decision")
    with closing(sqlite3.connect(path)) as conn:  # the file as step 7 left it
        for words in ("milestone_words", "project_words"):
            for trigger in ("added", "removed", "changed"):
                conn.execute(f"DROP TRIGGER {words}_{trigger}")
            conn.execute(f"DROP TABLE {words}")
        conn.execute("DROP INDEX project_by_name")
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
    with open_store(path) as s:
        assert [found.id for found, _ in s.search_milestones("cabinet")] == [m.id]
    _intact(path)


def test_every_page_of_a_word_is_the_same_however_thickly_the_first_milestones_hold_it(tmp_path):
    """A word many milestones hold has its first pages read from the first milestones alone; any
    page, of any word, thick or thin, with or without a quick filter, is the one reading every row
    in order gives."""
    with open_store(tmp_path / "f.db") as s:
        f = s.add_portfolio(name="P", status_date="2025-03-31")
        estates = s.add_programme(portfolio_id=f.id, code="E", name="Estates")
        review = s.add_programme(portfolio_id=f.id, code="R", name="Review of services")
        plain = s.add_project(programme_id=estates.id, reference="A", name="Libraries")
        named = s.add_project(programme_id=estates.id, reference="B", name="Annual review")
        for i in range(900):
            words = ["thick" if i % 2 else "Milestone", "middle" if i % 30 == 0 else "",
                     "thin" if i in (7, 650) else "", "late" if i > 800 else ""]
            owner = ({"programme_id": review.id} if i % 97 == 0 else
                     {"project_id": named.id if 300 <= i < 330 else plain.id})
            s.add_milestone(**owner, name=" ".join(w for w in words if w) + f" {i}",
                            status="Red" if i % 3 == 0 else "Green")
        every = s.search_milestones("", 10_000)
        for word in ("thick", "middle", "thin", "late", "review", "nothing"):
            for only in (None, "red"):
                held = [m.id for m, owner in every
                        if (word in m.name.casefold() or word in owner.casefold())
                        and (only is None or m.status == "Red")]
                assert bool(held) == (word != "nothing") or only, word
                assert s.milestone_count(word, only=only) == len(held), (word, only)
                for limit, offset in ((10, 0), (10, 40), (100, 0), (25, 400), (1000, 0)):
                    page = [m.id for m, _ in s.search_milestones(word, limit, offset, only=only)]
                    assert page == held[offset:offset + limit], (word, only, limit, offset)


def test_a_count_no_longer_wanted_is_given_up_and_the_store_reads_on(tmp_path):
    from store import Abandoned

    with open_store(tmp_path / "f.db") as s:
        s.import_portfolio({"name": "P", "status_date": "2025-03-31", "programme": [{
            "code": "G", "name": "Estates",
            "milestone": [{"name": f"Step {i}", "baseline": "2016-03-31"} for i in range(3000)]}]})
        asked: list[int] = []

        def stop() -> bool:
            asked.append(1)
            return len(asked) > 1  # wanted at first, then not

        with pytest.raises(Abandoned):
            s.milestone_count("2016", stop=stop)  # a date: every milestone is read
        assert s.milestone_count("2016", stop=lambda: False) == 3000
        assert s.milestone_count("2016") == 3000 and s.search_milestones("Step 1", 1)
