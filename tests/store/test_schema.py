"""The schema built from the field spec is the schema ragboard has always written.

RELEASED_STEPS is each step's SQL exactly as released: files in use ran it, so a step built from
the spec must match it statement for statement, and a new file must end up with the very schema
(sqlite_master, byte for byte) that a file made before the spec existed has. No migration needed.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from store import fields, open_store, schema
from store.fields import Spec, field_label
from store.records import RECORDS

RELEASED_STEPS = {
    1: """
CREATE TABLE portfolio (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    status_date TEXT NOT NULL,
    source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE programme (
    id INTEGER PRIMARY KEY,
    portfolio_id INTEGER NOT NULL REFERENCES portfolio(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    sro TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    rag TEXT CHECK (rag IN ('Red', 'Amber', 'Green')),
    rag_reason TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX programme_by_portfolio ON programme(portfolio_id, position);
CREATE INDEX programme_by_name ON programme(name COLLATE NOCASE);
CREATE TABLE project (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programme(id),
    reference TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT 'Concept',
    description TEXT NOT NULL DEFAULT '',
    rag TEXT CHECK (rag IN ('Red', 'Amber', 'Green')),
    rag_reason TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX project_by_programme ON project(programme_id, position);
CREATE TABLE milestone (
    id INTEGER PRIMARY KEY,
    project_id INTEGER REFERENCES project(id),
    programme_id INTEGER REFERENCES programme(id),
    name TEXT NOT NULL,
    due_text TEXT NOT NULL DEFAULT '',
    due TEXT,
    baseline TEXT,
    forecast TEXT,
    actual TEXT,
    status TEXT NOT NULL DEFAULT 'Not rated'
        CHECK (status IN ('Red', 'Amber', 'Green', 'Complete', 'Not rated')),
    notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1,
    CHECK ((project_id IS NULL) <> (programme_id IS NULL))
);
CREATE INDEX milestone_by_project ON milestone(project_id, status);
CREATE INDEX milestone_by_programme ON milestone(programme_id, status);
CREATE TABLE risk (
    id INTEGER PRIMARY KEY,
    project_id INTEGER REFERENCES project(id),
    programme_id INTEGER REFERENCES programme(id),
    reference TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    likelihood INTEGER CHECK (likelihood BETWEEN 1 AND 5),
    impact INTEGER CHECK (impact BETWEEN 1 AND 5),
    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
    mitigation TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Closed')),
    rating_text TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1,
    CHECK ((project_id IS NULL) <> (programme_id IS NULL))
);
CREATE INDEX risk_by_project ON risk(project_id, status);
CREATE INDEX risk_by_programme ON risk(programme_id, status);
CREATE TABLE saving (
    id INTEGER PRIMARY KEY,
    project_id INTEGER REFERENCES project(id),
    programme_id INTEGER REFERENCES programme(id),
    year TEXT NOT NULL,
    amount INTEGER NOT NULL,
    amount_text TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'saving' CHECK (kind IN ('saving', 'income', 'cost avoidance', 'cost')),
    band TEXT NOT NULL DEFAULT 'Not rated'
        CHECK (band IN ('Green Delivered', 'Green On Target', 'Amber', 'Red', 'Not rated')),
    notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1,
    CHECK ((project_id IS NULL) <> (programme_id IS NULL))
);
CREATE INDEX saving_by_project ON saving(project_id, year);
CREATE INDEX saving_by_programme ON saving(programme_id, year);
-- One row per user action: undo and redo work on whole groups.
CREATE TABLE change_group (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo', 'import')),
    reverts INTEGER REFERENCES change_group(id),
    reverted_by INTEGER REFERENCES change_group(id)
);
CREATE INDEX change_group_by_kind ON change_group(kind, reverted_by);
-- Append-only: old and new are JSON; op 'create' and 'delete' carry the whole row.
CREATE TABLE change (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES change_group(id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('update', 'create', 'delete')),
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    item_label TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    old TEXT,
    new TEXT,
    reason TEXT NOT NULL DEFAULT '',
    portfolio_id INTEGER,
    programme_id INTEGER,
    project_id INTEGER
);
CREATE INDEX change_by_group ON change(group_id);
CREATE INDEX change_by_item ON change(item_kind, item_id);
CREATE INDEX change_by_project ON change(project_id);
CREATE INDEX change_by_programme ON change(programme_id);
CREATE TRIGGER change_is_append_only_u BEFORE UPDATE ON change
    BEGIN SELECT RAISE(ABORT, 'the change log cannot be altered'); END;
CREATE TRIGGER change_is_append_only_d BEFORE DELETE ON change
    BEGIN SELECT RAISE(ABORT, 'the change log cannot be altered'); END;
""",
    2: """
ALTER TABLE portfolio ADD COLUMN green_max INTEGER NOT NULL DEFAULT 6;
ALTER TABLE portfolio ADD COLUMN red_min INTEGER NOT NULL DEFAULT 20;
""",
    3: """
DROP INDEX milestone_by_project;
DROP INDEX milestone_by_programme;
DROP INDEX risk_by_project;
DROP INDEX risk_by_programme;
DROP INDEX saving_by_project;
DROP INDEX saving_by_programme;
CREATE INDEX milestone_by_project ON milestone(project_id, status, actual, forecast, baseline, due);
CREATE INDEX milestone_by_programme ON milestone(programme_id, status, actual, forecast, baseline, due);
CREATE INDEX risk_by_project ON risk(project_id, status, likelihood, impact);
CREATE INDEX risk_by_programme ON risk(programme_id, status, likelihood, impact);
CREATE INDEX saving_by_project ON saving(project_id, year, kind, amount);
CREATE INDEX saving_by_programme ON saving(programme_id, year, kind, amount);
CREATE INDEX change_group_by_reverts ON change_group(reverts);
CREATE INDEX change_by_portfolio ON change(portfolio_id);
""",
    4: ("\n"
        "DROP INDEX milestone_by_programme;\n"
        "DROP INDEX risk_by_programme;\n"
        "DROP INDEX saving_by_programme;\n"
        "CREATE INDEX milestone_by_programme "
        "ON milestone(programme_id, status, actual, forecast, baseline, due)\n"
        "    WHERE programme_id IS NOT NULL;\n"
        "CREATE INDEX risk_by_programme ON risk(programme_id, status, likelihood, impact) "
        "WHERE programme_id IS NOT NULL;\n"
        "CREATE INDEX saving_by_programme ON saving(programme_id, year, kind, amount) "
        "WHERE programme_id IS NOT NULL;\n"),
}


def _master(steps: dict[int, str], to: int) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(":memory:")) as conn:
        for step in range(1, to + 1):
            for statement in schema._statements(steps[step]):
                conn.execute(statement)
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()


@pytest.mark.parametrize("step", sorted(RELEASED_STEPS))
def test_each_released_step_is_built_statement_for_statement(step):
    assert schema._statements(schema.STEPS[step]) == schema._statements(RELEASED_STEPS[step])


@pytest.mark.parametrize("to", sorted(RELEASED_STEPS))
def test_a_file_built_from_the_spec_has_the_released_schema_byte_for_byte(to):
    assert _master(schema.STEPS, to) == _master(RELEASED_STEPS, to)


def test_every_step_is_held_here_as_released():
    # A new step (a field added with step=5) is added to RELEASED_STEPS too: from then on it never changes.
    assert max(RELEASED_STEPS) == schema.SCHEMA_VERSION


def test_a_new_file_has_the_released_schema(db_path):
    open_store(db_path).close()
    with closing(sqlite3.connect(db_path)) as conn:
        got = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    assert got == sorted(_master(RELEASED_STEPS, max(RELEASED_STEPS)), key=lambda row: row[1])


def test_each_record_lists_its_tables_columns_in_order():
    """A record's stored fields are its table's columns: those of step 1 in the table's order,
    then those added later, in the order their steps added them."""
    with closing(sqlite3.connect(":memory:")) as conn:
        schema.apply_steps(conn, 0)
        for kind, record in RECORDS.items():
            table = [row[1] for row in conn.execute(f"PRAGMA table_info({kind})")]
            specs = fields.specs(kind)
            by_step = sorted(specs, key=lambda name: specs[name].step)  # sorted() keeps the record's order
            assert table == by_step, kind
            assert set(record._fields) >= set(specs)
            # and the type and NOT NULL each write checks values against (never the open file's)
            declared = {row[1]: (row[2], bool(row[3])) for row in conn.execute(f"PRAGMA table_info({kind})")}
            assert fields.columns(kind) == declared, kind


def test_a_field_added_to_the_spec_brings_its_own_step(monkeypatch):
    """Adding a field is one line in its record, with step= the next step: the schema step that adds
    its column to older files, and the column of a new file, come from it."""
    real = fields.specs

    def with_team(kind: str) -> dict[str, Spec]:
        found = dict(real(kind))
        if kind == "milestone":
            team = fields.text("Team", hint="who delivers it")
            found["team"] = team._replace(step=schema.SCHEMA_VERSION + 1)
        return found

    monkeypatch.setattr(fields, "specs", with_team)
    steps = schema._steps()
    new = schema.SCHEMA_VERSION + 1
    assert sorted(steps) == [*sorted(schema.STEPS), new]
    assert steps[new].strip() == "ALTER TABLE milestone ADD COLUMN team TEXT NOT NULL DEFAULT '';"
    assert {k: steps[k] for k in schema.STEPS} == schema.STEPS  # released steps never change
    with closing(sqlite3.connect(":memory:")) as conn:
        for step in range(1, new + 1):
            for statement in schema._statements(steps[step]):
                conn.execute(statement)
        assert [row[1] for row in conn.execute("PRAGMA table_info(milestone)")][-1] == "team"


# -- the names the user sees ---------------------------------------------------------------

@pytest.mark.parametrize("kind, field, label", [
    ("programme", "rag_reason", "Reason"),
    ("project", "rag", "RAG"),
    ("milestone", "due_text", "Due (as written)"),
    ("milestone", "due", "Due date"),
    ("risk", "residual_likelihood", "Residual likelihood"),
    ("risk", "rating_text", "Rating as printed"),
    ("saving", "year", "Financial year"),
    ("portfolio", "red_min", "Red from"),
    ("portfolio", "status_date", "Status date"),
])
def test_field_label_is_the_name_the_user_knows(kind, field, label):
    assert field_label(kind, field) == label


@pytest.mark.parametrize("kind, field", [("milestone", ""), ("milestone", "no_such_field"),
                                         ("no_such_kind", "name"), ("change", "who")])
def test_field_label_of_anything_else_is_the_field_itself(kind, field):
    assert field_label(kind, field) == field


def test_validation_messages_name_the_field_as_its_label(store, tree):
    from store import ValidationError

    m = store.add_milestone(project_id=tree.project.id, name="Go live")
    with pytest.raises(ValidationError) as e:
        store.edit_milestone(m.id, m.version, due="31/02/2025")
    assert e.value.field == "Due date"
    assert field_label("milestone", "due") == "Due date"
    with pytest.raises(ValidationError) as e:
        store.set_risk_thresholds(tree.portfolio.id, tree.portfolio.version, 10, 9)
    assert e.value.field == field_label("portfolio", "red_min")


def test_every_field_a_user_sets_has_a_label_a_cleaner_and_a_column():
    for kind in fields.KINDS:
        for name, spec in fields.editable(kind).items():
            assert spec.label and spec.clean is not None, (kind, name)
            assert spec.sql_type in ("TEXT", "INTEGER"), (kind, name)
            if spec.options:
                assert spec.clean(spec.options[-1].upper()) == spec.options[-1]
        assert fields.required(kind), kind  # every kind has a field it cannot be without
