"""ragboard check: the file read whole, and each word index compared with the records it is made
from; --repair makes an index that disagrees again, leaving the records as they were."""
from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing

from ragboard_cli import main as cli
from store import open_store, schema

from ..store.conftest import state


def out_of_step(path, sql: str, *args) -> None:
    """A change made by another program with the trigger that keeps the projects' index dropped."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TRIGGER project_words_changed")
        conn.execute(sql, args)
        conn.commit()


def test_a_sound_file_is_reported_sound(demo, capsys):
    assert cli.main(["check", "--db", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "reads whole" in out and "Each of the 2 word indexes agrees with its records." in out


def test_an_index_out_of_step_is_found_and_repair_makes_it_again_leaving_the_records(demo, capsys):
    with open_store(demo) as s:
        project = next(hit for hit in s.search("", 10_000) if hit.kind == "project")
    out_of_step(demo, "UPDATE project SET name = 'Quayside regeneration' WHERE id = ?", project.id)
    with open_store(demo) as s:
        assert [hit.id for hit in s.search("Quayside")] == []  # the palette misses it: the index is stale
    records = state(demo)

    assert cli.main(["check", "--db", str(demo)]) == 1
    out = capsys.readouterr().out
    assert "the projects' names and references (the palette's search) does not match its records" in out
    assert "ragboard check --repair" in out
    assert state(demo) == records  # a check changes nothing

    assert cli.main(["check", "--db", str(demo), "--repair"]) == 0
    assert "now agrees" in capsys.readouterr().out
    assert state(demo) == records  # the records are as they were
    with open_store(demo) as s:
        assert [hit.id for hit in s.search("Quayside")] == [project.id]
        # and its trigger is back: a later rename is followed
        now = s.project(project.id)
        s.edit_project(project.id, now.version, name="Harbour regeneration")
        assert [hit.id for hit in s.search("Harbour regen")] == [project.id]
        assert s.search("Quayside") == []
    assert cli.main(["check", "--db", str(demo)]) == 0
    with open_store(demo) as s:  # nothing went into the history
        assert [c.item_label for c in s.history(limit=1)] != ["Rebuilt the word indexes"]


def test_a_milestone_index_out_of_step_is_found_by_the_store(demo):
    """Its triggers all there, the index lacks a milestone added while one was away."""
    added = next(statement for statement in schema.statements(schema.MILESTONE_WORDS)
                 if "milestone_words_added" in statement)
    with closing(sqlite3.connect(demo)) as conn:
        conn.execute("DROP TRIGGER milestone_words_added")
        conn.execute("INSERT INTO milestone (programme_id, name, position) "
                     "SELECT id, 'Unindexed gateway', 99 FROM programme LIMIT 1")
        conn.execute(added)
        conn.commit()
    with open_store(demo) as s:
        found = s.check()
        assert (found.damage, found.indexes_off, found.ok) == ([], ["milestone_words"], False)
        s.rebuild_word_indexes(found.indexes_off)
        assert s.check().ok
        assert [m.name for m, _ in s.search_milestones("Unindexed")] == ["Unindexed gateway"]


def test_a_read_only_file_is_checked_whole_and_its_indexes_said_to_be_unchecked(demo, capsys):
    os.chmod(demo, stat.S_IRUSR | stat.S_IRGRP)
    try:
        assert cli.main(["check", "--db", str(demo)]) == 0
    finally:
        os.chmod(demo, stat.S_IRUSR | stat.S_IWUSR)
    out = capsys.readouterr().out
    assert "reads whole" in out and "were not compared" in out and "read-only" in out


def test_a_missing_file_is_refused_in_words(tmp_path, capsys):
    assert cli.main(["check", "--db", str(tmp_path / "nowhere.db")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nowhere.db").exists()
