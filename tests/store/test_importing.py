"""The store's import: rows matched to records on their keys within their owners, checked whole, and
written as one change a user undoes in one step."""
from __future__ import annotations

import pytest

from store import open_store
from store.importing import ImportProblems, Sheet


def sheet(name, *rows):
    return Sheet(name, [(number, list(row)) for number, row in enumerate(rows, start=1)])


BASE = [
    sheet("Portfolios", ["Name", "Status date"], ["Corporate", "31/03/2025"]),
    sheet("Programmes", ["Code", "Name"], ["EST", "Estates"], ["DIG", "Digital"]),
    sheet("Projects", ["Programme code", "Reference", "Name"], ["EST", "E1", "Depot"],
          ["EST", "E2", "Offices"]),
    sheet("Milestones", ["Programme code", "Project reference", "Name", "Status"],
          ["EST", "E1", "Gateway", "Green"], ["EST", "E1", "Gateway", "Amber"],
          ["EST", "E2", "Gateway", "Red"], ["DIG", None, "Launch", "Green"]),
]


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "file.db") as s:
        s.import_sheets(BASE, source="base.xlsx")
        yield s


def _milestones(s):
    return {(m.name, m.status) for m in s.conn.execute("SELECT name, status FROM milestone").fetchall()
            for m in [type("M", (), {"name": m[0], "status": m[1]})]}


def test_rows_are_matched_within_their_owner_and_same_names_pair_in_order(store):
    outcome = store.import_sheets([sheet(
        "Milestones", ["Programme code", "Project reference", "Name", "Status"],
        ["EST", "E1", "Gateway", "Green"], ["EST", "E1", "Gateway", "Red"], ["EST", "E2", "Gateway ", "Red"],
        ["DIG", "", "Launch", "Complete"])], source="update.xlsx")
    assert outcome.added["milestone"] == 0
    assert outcome.changed["milestone"] == 2 and outcome.unchanged["milestone"] == 2
    rows = store.conn.execute("SELECT j.reference, m.name, m.status FROM milestone m "
                              "LEFT JOIN project j ON j.id = m.project_id ORDER BY m.id").fetchall()
    assert rows == [("E1", "Gateway", "Green"), ("E1", "Gateway", "Red"), ("E2", "Gateway", "Red"),
                    (None, "Launch", "Complete")]


def test_an_id_pairs_a_record_renamed_in_the_spreadsheet(store):
    depot = store.conn.execute("SELECT id FROM project WHERE reference = 'E1'").fetchone()[0]
    store.import_sheets([sheet("Projects", ["Programme code", "Id", "Reference", "Name"],
                               ["EST", depot, "E1-NEW", "Depot rebuilt"])], source="renamed.xlsx")
    assert store.project(depot).reference == "E1-NEW" and store.project(depot).name == "Depot rebuilt"
    assert store.conn.execute("SELECT count(*) FROM project").fetchone()[0] == 2


def test_the_import_is_one_step_of_undo(store):
    before = store.conn.execute("SELECT count(*) FROM milestone").fetchone()[0]
    store.import_sheets([sheet("Milestones", ["Programme code", "Name", "Status"],
                               ["DIG", "Launch", "Red"], ["DIG", "Go live", "Green"])], source="step.xlsx")
    assert store.can_undo() == "Imported step.xlsx"
    store.undo()
    assert store.conn.execute("SELECT count(*) FROM milestone").fetchone()[0] == before
    assert store.conn.execute("SELECT status FROM milestone WHERE name = 'Launch'").fetchone()[0] == "Green"
    store.redo()
    assert store.conn.execute("SELECT count(*) FROM milestone").fetchone()[0] == before + 1


def test_keys_stay_unique_as_the_forms_keep_them(store):
    with pytest.raises(ImportProblems) as raised:
        store.import_sheets([sheet("Programmes", ["Code", "Name"], ["NEW", "One"], ["new ", "Two"]),
                             sheet("Projects", ["Programme code", "Reference", "Name"], ["EST", "E9", "X"],
                                   ["EST", "e9", "Y"])], source="twice.xlsx")
    problems = raised.value.problems
    assert 'Programmes, row 2, Code: "NEW" is also used by "Two" in its portfolio.' in problems
    assert 'Projects, row 3, Reference: "e9" is also used by "X" in its programme.' in problems
    assert store.conn.execute("SELECT count(*) FROM programme").fetchone()[0] == 2


def test_owners_sheets_and_headings_that_name_nothing_are_problems(store):
    with pytest.raises(ImportProblems) as raised:
        store.import_sheets([
            sheet("Milestones", ["Programme code", "Project reference", "Name", None],
                  ["NOPE", None, "A", None], ["EST", "E7", "B", "stray"]),
            sheet("Actions", ["Name"], ["Call"]),
            sheet("Changes", ["Id"], [1]),
        ], source="odd.xlsx")
    problems = raised.value.problems
    assert ("Milestones, column D: it holds values but has no heading; give it one ragboard knows, "
            "or remove it.") in problems
    assert any(p.startswith("Actions: not a register ragboard reads") for p in problems)
    assert 'Milestones, row 2, Programme code: no programme with the code "NOPE" in portfolio "Corporate".' \
        in problems
    assert 'Milestones, row 3, Project reference: no project with the reference "E7" in programme "EST".' \
        in problems
    assert not any(p.startswith("Changes") for p in problems)  # history: left as it is


def test_a_new_record_without_its_required_column_is_a_problem(store):
    with pytest.raises(ImportProblems) as raised:
        store.import_sheets([sheet("Savings", ["Programme code", "Financial year"], ["EST", "2024/25"])],
                            source="short.xlsx")
    assert raised.value.problems == [
        "Savings, row 2, Amount: a new saving needs one, and the sheet has no Amount column."]


def test_delete_missing_takes_what_the_spreadsheet_leaves_out_with_what_it_holds(store):
    outcome = store.import_sheets([sheet("Projects", ["Programme code", "Reference", "Name"],
                                         ["EST", "E1", "Depot"])], source="fewer.xlsx", dry_run=True)
    assert outcome.missing["project"] == ["Offices"]
    assert outcome.missing["milestone"] == ["Gateway"]  # Offices' own milestone goes with it
    store.import_sheets([sheet("Projects", ["Programme code", "Reference", "Name"], ["EST", "E1", "Depot"])],
                        source="fewer.xlsx", delete_missing=True)
    assert [p.reference for p in store.conn.execute("SELECT reference FROM project").fetchall()
            for p in [type("P", (), {"reference": p[0]})]] == ["E1"]
    store.undo()
    assert store.conn.execute("SELECT count(*) FROM project").fetchone()[0] == 2
