"""The schema, as numbered steps: a new file runs them all, an older file the ones it lacks.

PRAGMA user_version holds the last step applied; PRAGMA application_id marks the file as ours.

The record tables' columns come from the field spec (store/records.py, store/fields.py): step 1
creates each table with the fields of step 1, a later step adds the fields that name it (ALTER
TABLE ... ADD COLUMN) and drops those fields.DROPPED says it drops. Indexes, table checks and the
change log are written here. A step, once released, never changes: older files have run it
(tests/store/released_schema/ holds each as released, and tests/store/test_schema.py checks the
steps built here against them).

The views (step 5) are built from the very expressions the store's reads use (store/rules.py and
the column lists in store/queries.py), so the file's views and the screens agree. Being part of a
released step, they are frozen as released: a later change to a rule, or to a column list a view
takes from, changes step 5 as built here, which test_schema refuses. Such a change needs a new step
that drops the views and creates them again (DROP VIEW ...; then queries.views()), and step 5 keeps
the SQL it was released with (store/released_views.py).
"""
from __future__ import annotations

import sqlite3

from store import fields, periods, queries, released_views, rules

APPLICATION_ID = 0x52616762  # "Ragb"
_LINE = 110  # a column longer than this puts its CHECK on a line of its own

# Milestones, risks and savings belong to exactly one project or programme.
_ONE_OWNER = "CHECK ((project_id IS NULL) <> (programme_id IS NULL))"
_TABLE_CHECKS = {"milestone": _ONE_OWNER, "risk": _ONE_OWNER, "saving": _ONE_OWNER}

# Step 1's indexes, created after each record table.
_INDEXES_1 = {
    "programme": """
CREATE INDEX programme_by_portfolio ON programme(portfolio_id, position);
CREATE INDEX programme_by_name ON programme(name COLLATE NOCASE);""",
    "project": """
CREATE INDEX project_by_programme ON project(programme_id, position);""",
    "milestone": """
CREATE INDEX milestone_by_project ON milestone(project_id, status);
CREATE INDEX milestone_by_programme ON milestone(programme_id, status);""",
    "risk": """
CREATE INDEX risk_by_project ON risk(project_id, status);
CREATE INDEX risk_by_programme ON risk(programme_id, status);""",
    "saving": """
CREATE INDEX saving_by_project ON saving(project_id, year);
CREATE INDEX saving_by_programme ON saving(programme_id, year);""",
}

_CHANGE_LOG = """
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
"""

# What a step does before dropping the columns the spec says it drops.
_BEFORE: dict[int, str] = {
    # Step 5: one milestone date model. The due date was the plan a milestone is measured against:
    # it becomes the baseline where none was given, and the indexes naming it lose it. A due date
    # edited apart from its baseline (the figures went by the baseline) is kept in the notes.
    5: f"""
UPDATE milestone SET baseline = due WHERE baseline IS NULL AND due IS NOT NULL;
UPDATE milestone SET notes = notes || CASE WHEN notes = '' THEN '' ELSE char(10) END
    || 'Due date (before the baseline took its place): ' || {rules.shown_date('due')} || '.'
    WHERE due IS NOT NULL AND due <> baseline;
DROP INDEX milestone_by_project;
DROP INDEX milestone_by_programme;
""",
}

def _word_index(table: str, first: str, second: str) -> str:
    """An FTS5 index of trigrams over two of a table's text columns (external content: the words are
    not stored twice), case-insensitive as LIKE is, and the triggers that keep it."""
    index = f"{table}_words"
    return f"""
CREATE VIRTUAL TABLE {index} USING fts5(
    {first}, {second}, content='{table}', content_rowid='id', tokenize='trigram case_sensitive 0');
INSERT INTO {index}(rowid, {first}, {second}) SELECT id, {first}, {second} FROM {table};
CREATE TRIGGER {index}_added AFTER INSERT ON {table} BEGIN
    INSERT INTO {index}(rowid, {first}, {second}) VALUES (new.id, new.{first}, new.{second});
END;
CREATE TRIGGER {index}_removed AFTER DELETE ON {table} BEGIN
    INSERT INTO {index}({index}, rowid, {first}, {second})
        VALUES ('delete', old.id, old.{first}, old.{second});
END;
CREATE TRIGGER {index}_changed AFTER UPDATE OF {first}, {second} ON {table} BEGIN
    INSERT INTO {index}({index}, rowid, {first}, {second})
        VALUES ('delete', old.id, old.{first}, old.{second});
    INSERT INTO {index}(rowid, {first}, {second}) VALUES (new.id, new.{first}, new.{second});
END;
"""


# The milestones' words (step 8): their names and printed due dates.
MILESTONE_WORDS = _word_index("milestone", "name", "due_text")
# The projects' words (step 9): their names and references, for the palette's search, and an index
# of names in order that holds what the search reads (see Reader.search).
PROJECT_WORDS = (_word_index("project", "name", "reference")
                 + "CREATE INDEX project_by_name ON project(name, reference, programme_id);\n")

# What a step does besides adding and dropping the columns the spec gives it.
VIEWS = ("programme_summary", "project_summary", "milestone_status", "risk_scored", "savings_by_year")

_MORE: dict[int, str] = {
    # Step 2: each portfolio may set its own risk-matrix thresholds (green_max, red_min).
    2: "",
    # Step 3: the roll-up figures (red, overdue, high risks, savings) read only these indexes,
    # never the rows themselves: the home screen's cost per programme halves.
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
    # Step 4: nearly every milestone, risk and saving belongs to a project, not to a programme, so
    # the by-programme indexes held a NULL entry for almost every row: a fifth of a large file, read
    # by every start-up's integrity check. They now hold only the rows a programme owns (a query on
    # programme_id = ? still uses them: the equality implies IS NOT NULL).
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
    # Step 5: the milestone indexes of step 4 without the due date; and views of the figures the
    # screens show, for people who open the file in sqlite3 or Datasette.
    5: ("\n"
        "CREATE INDEX milestone_by_project ON milestone(project_id, status, actual, forecast, baseline);\n"
        "CREATE INDEX milestone_by_programme ON milestone(programme_id, status, actual, forecast, baseline)\n"
        "    WHERE programme_id IS NOT NULL;\n" + released_views.STEP_5.strip("\n")),
    # Step 6: what the papers print and what was inferred (fields.inferred), every named role, and
    # the financial year a portfolio's paper reports its savings for: the views' savings year is
    # that year where it is set.
    6: "\n".join(f"DROP VIEW {name};" for name in VIEWS) + "\n" + queries.views(),
    # Step 7: delivery confidence beside RAG (programme and project dca, dca_reason), each
    # portfolio's headline (RAG or DCA), and closed reporting periods (store/periods.py).
    7: periods.TABLES,
    # Step 8: the milestones' names and printed due dates as trigrams, so the filter across every
    # milestone finds a word without reading every row (at 50,000 projects, a million milestones:
    # ~250 ms for a rare word, 200-760 ms to count, read row by row). Kept by triggers.
    8: MILESTONE_WORDS,
    # Step 9: the palette's search over 50,000 projects read every project's name and reference
    # (10-14 ms a keystroke); a rare text is now found from the trigrams, a common one by reading
    # names in order until the list is full (0.3-3 ms; 5 ms for a rare text of two letters).
    9: PROJECT_WORDS,
}


def create_table(kind: str) -> str:
    """The CREATE TABLE of a record kind, with the columns of step 1, one to a line."""
    lines: list[str] = []
    provenance: list[str] = []
    for name, spec in fields.ever(kind).items():
        if spec.step != 1:
            continue
        declaration, check = spec.declaration(name)
        column = f"{name} {declaration}"
        if name in fields.PROVENANCE:  # these three share a line
            provenance.append(column)
            if len(provenance) < len(fields.PROVENANCE):
                continue
            column = ", ".join(provenance)
        if check:
            wrap = len(f"    {column} {check},") > _LINE
            column += f"\n        {check}" if wrap else f" {check}"
        lines.append(f"    {column}")
    if kind in _TABLE_CHECKS:
        lines.append(f"    {_TABLE_CHECKS[kind]}")
    return f"CREATE TABLE {kind} (\n" + ",\n".join(lines) + "\n);"


def _added_columns(step: int) -> str:
    """The ALTER TABLE statements adding the fields the spec gives this step."""
    out = []
    for kind in fields.KINDS:
        for name, spec in fields.ever(kind).items():
            if spec.step == step:
                declaration, check = spec.declaration(name)
                column = " ".join(filter(None, (declaration, check)))
                out.append(f"ALTER TABLE {kind} ADD COLUMN {name} {column};")
    return "\n".join(out)


def _dropped_columns(step: int) -> str:
    """The ALTER TABLE statements dropping the fields the spec says this step drops."""
    return "\n".join(f"ALTER TABLE {kind} DROP COLUMN {name};"
                     for kind in fields.KINDS for name, spec in fields.ever(kind).items()
                     if spec.dropped == step)


def _steps() -> dict[int, str]:
    first = "".join(f"\n{create_table(kind)}{_INDEXES_1.get(kind, '')}" for kind in fields.KINDS)
    steps = {1: first + "\n" + _CHANGE_LOG.lstrip("\n")}
    last = max([*_MORE, *_BEFORE, *(max(spec.step, spec.dropped) for kind in fields.KINDS
                                    for spec in fields.ever(kind).values())])
    for step in range(2, last + 1):
        parts = (_added_columns(step), _BEFORE.get(step, "").strip("\n"), _dropped_columns(step),
                 _MORE.get(step, "").strip("\n"))
        steps[step] = "\n" + "\n".join(filter(None, parts)) + "\n"
    return steps


STEPS: dict[int, str] = _steps()
SCHEMA_VERSION = max(STEPS)
TABLES = (*fields.KINDS, "change_group", "change", "period", "period_item")


def apply_steps(conn: sqlite3.Connection, from_version: int, to_version: int = SCHEMA_VERSION) -> None:
    """Run the steps after from_version inside the caller's transaction."""
    for step in range(from_version + 1, to_version + 1):
        for statement in statements(STEPS[step]):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {to_version}")


def statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
