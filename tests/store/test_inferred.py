"""Values inferred rather than printed: kept with their reasons, refused without one, and the user's
own once they set them."""
from __future__ import annotations

import pytest

from store import ValidationError, open_store
from store.inferred import parse, without, written


def _portfolio(**milestone) -> dict:
    return {"name": "P", "status_date": "2014-03-31", "status_date_text": "31 March 2014",
            "savings_year": "2014/15",
            "programme": [{"code": "A", "name": "Alpha",
                           "roles": ["Cabinet Member: Cllr A Smith", "Author: B Jones"],
                           "project": [{"name": "One", "stage": "Not recorded",
                                        "milestone": [{"name": "Launch", "due_text": "summer 2012",
                                                       "baseline": "2012-08-31", **milestone}]}]}]}


def test_a_load_keeps_each_inferred_value_with_its_reason_and_every_role(tmp_path):
    with open_store(tmp_path / "f.db") as s:
        pid = s.import_portfolio(_portfolio(inferred={"baseline": "'summer 2012' read as 31 Aug"}))
        (row,) = [r for r in s.home_rows() if r.programme.portfolio_id == pid]
        programme = s.programme(row.programme.id)
        assert programme.roles == "Cabinet Member: Cllr A Smith\nAuthor: B Jones"
        (project,) = s.projects(programme.id)
        assert project.stage == "Not recorded"
        (m,) = s.milestones(project_id=project.id)
        assert parse(m.inferred) == {"baseline": "'summer 2012' read as 31 Aug"}
        portfolio = s.portfolio_of(programme_id=programme.id)
        assert (portfolio.status_date_text, portfolio.savings_year) == ("31 March 2014", "2014/15")


@pytest.mark.parametrize("inferred,says", [
    ({"baseline": ""}, "reason"),
    ({"baseline": "   "}, "reason"),
    ({"nonsense": "a reason"}, "not one of this record's fields"),
    ({"Baseline!": "a reason"}, "not a field name"),
])
def test_an_inferred_value_without_its_reason_or_field_is_refused_and_nothing_loads(tmp_path, inferred, says):
    with open_store(tmp_path / "f.db") as s:
        before = s.home_rows()
        with pytest.raises(ValidationError, match=says):
            s.import_portfolio(_portfolio(inferred=inferred))
        assert s.home_rows() == before


def test_a_value_the_user_sets_is_theirs_and_undo_makes_it_inferred_again(tmp_path):
    with open_store(tmp_path / "f.db") as s:
        s.import_portfolio(_portfolio(inferred={"baseline": "summer read as 31 Aug", "status": "past tense"}))
        (m,) = s.milestones(project_id=s.projects(s.home_rows()[0].programme.id)[0].id)
        edited = s.edit_milestone(m.id, m.version, baseline="2012-07-31")
        assert parse(edited.inferred) == {"status": "past tense"}  # the baseline is the user's now
        notes_only = s.edit_milestone(edited.id, edited.version, notes="checked")
        assert notes_only.inferred == edited.inferred  # an edit of another field leaves the marks
        s.undo()
        s.undo()
        assert parse(s.milestone(m.id).inferred) == {"baseline": "summer read as 31 Aug",
                                                     "status": "past tense"}


def test_the_stored_form_reads_back_as_written():
    reasons = {"baseline": "summer read as 31 Aug", "year": "'Year 1' read as 2014/15"}
    assert parse(written(reasons)) == reasons
    assert parse(without(written(reasons), ["year"])) == {"baseline": "summer read as 31 Aug"}
