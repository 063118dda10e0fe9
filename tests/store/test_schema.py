"""The schema built from the field spec is the schema ragboard has always written.

RELEASED_STEPS is each step's SQL exactly as released (released_schema/step<N>.sql.txt, beside this
file): files in use ran it, so a step built from the spec must match it statement for statement,
and a new file must end up with the very schema (sqlite_master, byte for byte) that a file made
before the spec existed has. No migration needed. RELEASED_DIGESTS pins each of those files: a
released step is never edited, and changing one means changing this test too.
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from store import fields, open_store, schema
from store.fields import Spec, field_label
from store.records import RECORDS

RELEASED = Path(__file__).with_name("released_schema")
RELEASED_DIGESTS = {  # sha256 of each step's file as text (UTF-8, newlines as \n)
    1: "6dead7aacef7f6f3d83147c24d4ca5908722aba7d82be6879636f0766588b5e0",
    2: "70737193b7cb92874a632733db757809796b3f75f81a456a45d4b6b70031d136",
    3: "1c17fdc1d3b71343efa845dc8dff3d4eb5ef56b606700a7337d2f8b4ac6a3710",
    4: "9519ccf07f9d15a1d689116dc966851ab1431efa5df106e01c25af936050cc93",
    5: "1d547c71eed8e3b9f6ec772e83e3e050e495311c31d002521c89a720e5dd2a1a",
    6: "c5b377626292c5100c16b2fc1ca435b8d76594d8d1ae8f90c664331bdb8b5107",
    7: "eb1f3392594fefd5cdfda13009a7698efa0e8209cd58be777d7ab338ae68da34",
    8: "6853290988f8be8d7e398758c61f851cc2bb5b991931bfc6237d84ef0d69b861",
    9: "c09b44ff1d676511c8b6c0b5fb55b1ddee46547de5108423dc12377d9057cec3",
}
RELEASED_STEPS = {step: (RELEASED / f"step{step}.sql.txt").read_text(encoding="utf-8")
                  for step in RELEASED_DIGESTS}


def test_the_released_steps_are_as_released():
    # A new step (a field added with step=5) gets its own file and digest: from then on it never changes.
    assert {file.name for file in RELEASED.iterdir()} == {f"step{step}.sql.txt" for step in RELEASED_DIGESTS}
    for step, text in RELEASED_STEPS.items():
        assert hashlib.sha256(text.encode()).hexdigest() == RELEASED_DIGESTS[step], step


def _master(steps: dict[int, str], to: int) -> list[tuple[str, str, str, str]]:
    with closing(sqlite3.connect(":memory:")) as conn:
        for step in range(1, to + 1):
            for statement in schema.statements(steps[step]):
                conn.execute(statement)
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()


@pytest.mark.parametrize("step", sorted(RELEASED_STEPS))
def test_each_released_step_is_built_statement_for_statement(step):
    assert schema.statements(schema.STEPS[step]) == schema.statements(RELEASED_STEPS[step])


@pytest.mark.parametrize("to", sorted(RELEASED_STEPS))
def test_a_file_built_from_the_spec_has_the_released_schema_byte_for_byte(to):
    assert _master(schema.STEPS, to) == _master(RELEASED_STEPS, to)


def test_every_step_is_held_here_as_released():
    assert sorted(RELEASED_STEPS) == list(range(1, schema.SCHEMA_VERSION + 1))


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
            for statement in schema.statements(steps[step]):
                conn.execute(statement)
        assert [row[1] for row in conn.execute("PRAGMA table_info(milestone)")][-1] == "team"


# -- the names the user sees ---------------------------------------------------------------

@pytest.mark.parametrize("kind, field, label", [
    ("programme", "rag_reason", "Reason"),
    ("project", "rag", "RAG"),
    ("milestone", "due_text", "Due (as written)"),
    ("milestone", "due", "Due date"),  # dropped at step 5: older changes in the history still name it
    ("milestone", "baseline", "Baseline"),
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
        store.edit_milestone(m.id, m.version, baseline="31/02/2025")
    assert e.value.field == "Baseline"
    assert field_label("milestone", "baseline") == "Baseline"
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


def test_a_field_dropped_from_the_spec_brings_its_own_step(monkeypatch):
    """Dropping a field moves its line from the record to fields.DROPPED, with the step that drops
    it: that step drops the column, and the steps before it still create it, as released."""
    real = fields.specs
    new = schema.SCHEMA_VERSION + 1

    def without_mitigation(kind: str) -> dict[str, Spec]:
        return {k: v for k, v in real(kind).items() if (kind, k) != ("risk", "mitigation")}

    monkeypatch.setattr(fields, "specs", without_mitigation)
    monkeypatch.setattr(fields, "DROPPED", (*fields.DROPPED, fields.Dropped(
        "risk", "mitigation", "residual_impact",
        fields.text("Mitigation", multiline=True)._replace(dropped=new))))
    steps = schema._steps()
    assert sorted(steps) == [*sorted(schema.STEPS), new]
    assert steps[new].strip() == "ALTER TABLE risk DROP COLUMN mitigation;"
    assert {k: steps[k] for k in schema.STEPS} == schema.STEPS  # released steps never change
    assert field_label("risk", "mitigation") == "Mitigation"  # older changes in the history still name it


def test_step_5_drops_the_due_date_and_its_label_stays():
    assert "ALTER TABLE milestone DROP COLUMN due;" in schema.STEPS[5]
    assert "due" not in fields.specs("milestone") and "due" in fields.ever("milestone")
    assert list(fields.ever("milestone")).index("due") == list(fields.ever("milestone")).index("due_text") + 1
