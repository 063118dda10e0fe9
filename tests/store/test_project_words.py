"""The projects' word index (schema step 9): the palette's search finds, in the same order, exactly
what reading every project finds, whether few projects hold the text or many; the index is kept by
triggers through every change, and an older file gets it filled."""
from __future__ import annotations

import sqlite3
from contextlib import closing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import open_store
from store.importing import Sheet
from store.queries import _FEW_PROJECTS

from .conftest import estates, word_index_intact

WORDS = ("Library", "review", "Co-location", "50%", "a_b", "Depot", "l'Hôtel")
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
steps = st.lists(st.tuples(st.sampled_from(["add", "rename", "reference", "undo", "import"]), names),
                 min_size=1, max_size=12)


def _intact(path) -> None:
    word_index_intact(path, "project_words")


def by_reading(store, text: str, limit: int = 50) -> list[int]:
    """The projects a search lists, worked out by reading every project: name or reference holds the
    text (any case of ASCII letters), by name, ties in the order the search gives them."""
    def ascii_folded(value: str) -> str:
        return "".join(c.lower() if c.isascii() else c for c in value)

    folded = ascii_folded(text.strip())

    def holds(value: str | None) -> bool:
        return value is not None and folded in ascii_folded(value)

    rows = store.conn.execute("SELECT id, name, reference, programme_id FROM project").fetchall()
    held = [row for row in rows if holds(row[1]) or holds(row[2])]
    held.sort(key=lambda row: (row[1], (row[2] is not None, row[2] or ""), row[3], row[0]))
    return [row[0] for row in held[:limit]]


def listed(store, text: str, limit: int = 50) -> list[int]:
    return [hit.id for hit in store.search(text, limit) if hit.kind == "project"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_the_index_follows_every_change_and_the_search_finds_what_reading_finds(plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "f.db"
    with estates(path) as (s, g):
        for n, (action, text) in enumerate(plan):  # n keeps references unique in the programme
            mine = s.projects(g.id)
            if action == "add" or not mine:
                s.add_project(programme_id=g.id, name=text, reference=f"{text[:3].upper()}{n}")
            elif action == "rename":
                s.edit_project(mine[0].id, mine[0].version, name=text)
            elif action == "reference":
                s.edit_project(mine[-1].id, mine[-1].version, reference=f"{text[::-1][:20]}{n}")
            elif action == "undo":  # an add undone removes the project
                s.undo()
            else:
                s.import_sheets([Sheet("Projects", [(1, ["Programme code", "Reference", "Name"]),
                                                    (2, ["G", f"IMP{n}", text])])], source="x.csv")
        for word in (*WORDS, "VIEW", "brar", "%", "_", "hôtel", "HÔTEL", "zzz"):
            assert listed(s, word) == by_reading(s, word), word
    _intact(path)


def test_few_or_many_holding_a_text_are_listed_as_reading_every_project_lists_them(tmp_path):
    """Past _FEW_PROJECTS holding it, a text is found by reading names in order; up to it, from the
    trigrams. Both give the first ones by name, as reading every project does."""
    with open_store(tmp_path / "f.db") as s:
        f = s.add_portfolio(name="P", status_date="2025-03-31")
        programmes = [s.add_programme(portfolio_id=f.id, code=code, name=code) for code in ("A", "B")]
        for i in range(_FEW_PROJECTS * 5 // 2):  # "Library": 250, "middle": 167
            words = ["Library" if i % 2 else "Depot", "rare" if i in (5, 333) else "",
                     "middle" if i % 3 == 0 else ""]
            s.add_project(programme_id=programmes[i % 2].id, name=" ".join(filter(None, words)),
                          reference=None if i % 7 == 0 else f"R{i:03d}")
        counts = {}
        for text in ("library", "depot", "rare", "middle", "Library mid", "r00", "R04", "r1", "Li", "e",
                     "none"):
            counts[text] = len(by_reading(s, text, 10_000))
            for limit in (1, 30, 50):
                assert listed(s, text, limit) == by_reading(s, text, limit), (text, limit)
        # each way was taken: texts held by more than, and by no more than, _FEW_PROJECTS
        assert counts["library"] > _FEW_PROJECTS >= counts["middle"] > counts["rare"] == 2
        assert counts["none"] == 0


def test_an_older_file_gets_the_index_filled_when_it_is_upgraded(store, tree, db_path):
    with closing(sqlite3.connect(db_path)) as conn:  # the file as step 8 left it
        for trigger in ("added", "removed", "changed"):
            conn.execute(f"DROP TRIGGER project_words_{trigger}")
        conn.execute("DROP TABLE project_words")
        conn.execute("DROP INDEX project_by_name")
        conn.execute("PRAGMA user_version = 8")
        conn.commit()
    with open_store(db_path) as s:
        assert listed(s, "early h") == listed(s, "a/r.6") == [tree.project.id]
        assert [hit.id for hit in s.search("young") if hit.kind == "programme"] == [tree.programme.id]
    _intact(db_path)
