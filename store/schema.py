"""The schema, as numbered steps: a new file runs them all, an older file the ones it lacks.

PRAGMA user_version holds the last step applied; PRAGMA application_id marks the file as ours.
"""
from __future__ import annotations

APPLICATION_ID = 0x52616762  # "Ragb"

_PROVENANCE = "source TEXT, source_line TEXT, version INTEGER NOT NULL DEFAULT 1"
_OWNER = """project_id INTEGER REFERENCES project(id),
    programme_id INTEGER REFERENCES programme(id)"""
# Milestones, risks and savings belong to exactly one project or programme.
_ONE_OWNER = "CHECK ((project_id IS NULL) <> (programme_id IS NULL))"

STEPS: dict[int, str] = {
    1: f"""
CREATE TABLE portfolio (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    status_date TEXT NOT NULL,
    {_PROVENANCE}
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
    {_PROVENANCE}
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
    {_PROVENANCE}
);
CREATE INDEX project_by_programme ON project(programme_id, position);
CREATE TABLE milestone (
    id INTEGER PRIMARY KEY,
    {_OWNER},
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
    {_PROVENANCE},
    {_ONE_OWNER}
);
CREATE INDEX milestone_by_project ON milestone(project_id, status);
CREATE INDEX milestone_by_programme ON milestone(programme_id, status);
CREATE TABLE risk (
    id INTEGER PRIMARY KEY,
    {_OWNER},
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
    {_PROVENANCE},
    {_ONE_OWNER}
);
CREATE INDEX risk_by_project ON risk(project_id, status);
CREATE INDEX risk_by_programme ON risk(programme_id, status);
CREATE TABLE saving (
    id INTEGER PRIMARY KEY,
    {_OWNER},
    year TEXT NOT NULL,
    amount INTEGER NOT NULL,
    amount_text TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'saving' CHECK (kind IN ('saving', 'income', 'cost avoidance', 'cost')),
    band TEXT NOT NULL DEFAULT 'Not rated'
        CHECK (band IN ('Green Delivered', 'Green On Target', 'Amber', 'Red', 'Not rated')),
    notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    {_PROVENANCE},
    {_ONE_OWNER}
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
    # Step 2: each portfolio may set its own risk-matrix thresholds.
    2: """
ALTER TABLE portfolio ADD COLUMN green_max INTEGER NOT NULL DEFAULT 6;
ALTER TABLE portfolio ADD COLUMN red_min INTEGER NOT NULL DEFAULT 20;
""",
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
    4: """
DROP INDEX milestone_by_programme;
DROP INDEX risk_by_programme;
DROP INDEX saving_by_programme;
CREATE INDEX milestone_by_programme ON milestone(programme_id, status, actual, forecast, baseline, due)
    WHERE programme_id IS NOT NULL;
CREATE INDEX risk_by_programme ON risk(programme_id, status, likelihood, impact) WHERE programme_id IS NOT NULL;
CREATE INDEX saving_by_programme ON saving(programme_id, year, kind, amount) WHERE programme_id IS NOT NULL;
""",
}

SCHEMA_VERSION = max(STEPS)
TABLES = ("portfolio", "programme", "project", "milestone", "risk", "saving", "change_group", "change")


def apply_steps(conn, from_version: int, to_version: int = SCHEMA_VERSION) -> None:
    """Run the steps after from_version inside the caller's transaction."""
    for step in range(from_version + 1, to_version + 1):
        for statement in _statements(STEPS[step]):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {to_version}")


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    import sqlite3

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
