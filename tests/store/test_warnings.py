"""Warnings: odd but allowed values are named (never refused), and a form can see them before saving."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import StoreError, open_store
from store.text import day
from store.warnings import milestone_warnings, risk_warnings

from .conftest import dump

FIXTURES = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
STATUS_DATE = "2025-06-30"  # the tree's portfolio


def _milestone(store, tree, **values):
    return store.add_milestone(project_id=tree.project.id, name="Go live", **values)


# -- milestones --------------------------------------------------------------------------------


def test_an_actual_date_after_the_status_date(store, tree):
    m = _milestone(store, tree, baseline="2025-06-01", actual="3/7/2025", status="Complete")
    assert milestone_warnings(m, STATUS_DATE) == [
        "Actual date 3 Jul 2025 is after the status date 30 Jun 2025"]
    on_the_day = _milestone(store, tree, actual=STATUS_DATE, status="Complete")
    assert milestone_warnings(on_the_day, STATUS_DATE) == []


def test_the_words_of_the_brief(store):
    f = store.add_portfolio(name="Plymouth", status_date="2014-03-31")
    g = store.add_programme(portfolio_id=f.id, code="CCO", name="Customer")
    late = store.add_milestone(programme_id=g.id, name="A", actual="2014-04-03", status="Complete")
    green = store.add_milestone(programme_id=g.id, name="B", baseline="2014-03-01", status="Green")
    assert milestone_warnings(late, f.status_date) == [
        "Actual date 3 Apr 2014 is after the status date 31 Mar 2014"]
    assert milestone_warnings(green, f.status_date) == [
        "Green, but overdue: expected 1 Mar 2014, before the status date 31 Mar 2014"]


def test_green_but_overdue_names_the_date_now_expected(store, tree):
    planned = _milestone(store, tree, baseline="2025-06-01", status="Green")
    assert planned.overdue
    assert milestone_warnings(planned, STATUS_DATE) == [
        "Green, but overdue: expected 1 Jun 2025, before the status date 30 Jun 2025"]
    replanned = _milestone(store, tree, baseline="2025-05-01", forecast="2025-06-10", status="Green")
    assert milestone_warnings(replanned, STATUS_DATE) == [
        "Green, but overdue: expected 10 Jun 2025, before the status date 30 Jun 2025"]


@pytest.mark.parametrize("values", [
    {"baseline": "2025-06-01", "status": "Red"},  # overdue, but not claimed Green
    {"baseline": "2025-06-01", "forecast": "2025-07-15", "status": "Green"},  # replanned past the date
    {"baseline": "2025-06-30", "status": "Green"},  # due on the status date: not yet overdue
    {"baseline": "2025-06-01", "actual": "2025-06-02", "status": "Green"},  # done: never overdue
    {"status": "Green"},
    {"status": "Not rated"},
])
def test_nothing_odd_is_no_warning(store, tree, values):
    assert milestone_warnings(_milestone(store, tree, **values), STATUS_DATE) == []


def test_complete_with_no_actual_date(store, tree):
    m = _milestone(store, tree, baseline="2025-05-01", status="Complete")
    assert milestone_warnings(m, STATUS_DATE) == ["Complete, but no actual date is recorded"]


def test_warnings_are_words_not_refusals(store, tree, db_path):
    m = _milestone(store, tree, baseline="2025-05-01", status="Green", actual="2025-08-01")
    assert store.milestone(m.id).actual == "2025-08-01"
    assert milestone_warnings(store.milestone(m.id), STATUS_DATE) == [
        "Actual date 1 Aug 2025 is after the status date 30 Jun 2025"]


# -- risks -------------------------------------------------------------------------------------


def test_a_residual_score_above_the_inherent_one(store, tree):
    k = store.add_risk(project_id=tree.project.id, description="Demand", likelihood=3, impact=4,
                       residual_likelihood=4, residual_impact=5)
    assert risk_warnings(k) == [
        "Residual score 20 is above the inherent score 12: mitigation should not make a risk worse"]


@pytest.mark.parametrize("ratings", [
    {"likelihood": 3, "impact": 4, "residual_likelihood": 2, "residual_impact": 5},
    {"likelihood": 3, "impact": 4, "residual_likelihood": 4, "residual_impact": 3},  # equal: 12
    {"likelihood": 3, "impact": 4},
    {"residual_likelihood": 5, "residual_impact": 5},
    {},
])
def test_a_risk_mitigated_or_not_rated_has_no_warning(store, tree, ratings):
    k = store.add_risk(project_id=tree.project.id, description="Demand", **ratings)
    assert risk_warnings(k) == []


# -- before a save -----------------------------------------------------------------------------


def test_a_new_milestones_warnings_before_it_is_saved(store, tree, db_path):
    before = dump(db_path)
    values = {"name": "Go live", "baseline": "1/6/2025", "actual": "", "status": "green"}
    assert store.preview_warnings("milestone", values, project_id=tree.project.id) == [
        "Green, but overdue: expected 1 Jun 2025, before the status date 30 Jun 2025"]
    values = {"name": "Go live", "actual": "3 July 2025", "status": "Complete"}
    assert store.preview_warnings("milestone", values, programme_id=tree.programme.id) == [
        "Actual date 3 Jul 2025 is after the status date 30 Jun 2025"]
    assert dump(db_path) == before


def test_an_edited_milestones_warnings_before_it_is_saved(store, tree, db_path):
    m = _milestone(store, tree, baseline="2025-06-01", status="Amber")
    before = dump(db_path)
    assert store.preview_warnings("milestone", {}, item_id=m.id) == []
    assert store.preview_warnings("milestone", {"status": "Green"}, item_id=m.id) == [
        "Green, but overdue: expected 1 Jun 2025, before the status date 30 Jun 2025"]
    replanned = {"status": "Green", "forecast": "31/7/2025"}
    assert store.preview_warnings("milestone", replanned, item_id=m.id) == []
    assert dump(db_path) == before
    assert store.milestone(m.id) == m


def test_a_risks_warnings_before_it_is_saved(store, tree, db_path):
    before = dump(db_path)
    values = {"description": "Demand", "likelihood": "2", "impact": "2", "residual_likelihood": "3",
              "residual_impact": "3"}
    assert store.preview_warnings("risk", values, project_id=tree.project.id) == [
        "Residual score 9 is above the inherent score 4: mitigation should not make a risk worse"]
    k = store.add_risk(project_id=tree.project.id, description="Demand", likelihood=2, impact=2)
    before = dump(db_path)
    assert store.preview_warnings("risk", {"residual_likelihood": 1, "residual_impact": 5}, item_id=k.id) == [
        "Residual score 5 is above the inherent score 4: mitigation should not make a risk worse"]
    assert dump(db_path) == before


@pytest.mark.parametrize(("values", "ids"), [
    ({"name": "Go live", "actual": "31/02/2025", "status": "Complete"}, {}),  # not a real date
    ({"name": "", "baseline": "2025-06-01", "status": "Green"}, {}),  # a new one needs a name
    ({"name": "Go live", "baseline": "2025-06-01", "status": "Greenish"}, {}),
    ({"name": "Go live", "baseline": "2025-06-01", "status": "Green"}, {"project_id": 999}),  # no project
])
def test_values_that_would_not_save_have_no_warnings(store, tree, db_path, values, ids):
    before = dump(db_path)
    where = ids or {"project_id": tree.project.id}
    assert store.preview_warnings("milestone", values, **where) == []
    assert dump(db_path) == before


def test_a_risk_rated_by_halves_has_no_warnings_yet(store, tree):
    values = {"description": "Demand", "likelihood": 1, "impact": 1, "residual_likelihood": 5}
    assert store.preview_warnings("risk", values, project_id=tree.project.id) == []


def test_a_record_removed_meanwhile_has_no_warnings(store, tree, db_path):
    m = _milestone(store, tree, baseline="2025-06-01", status="Amber")
    store.delete_milestone(m.id, m.version)
    assert store.preview_warnings("milestone", {"status": "Green"}, item_id=m.id) == []


def test_kinds_without_warnings_and_kinds_ragboard_lacks(store, tree):
    saving = {"year": "2025/26", "amount": 1}
    assert store.preview_warnings("saving", saving, project_id=tree.project.id) == []
    with pytest.raises(StoreError):
        store.preview_warnings("milestones; DROP TABLE risk", {}, project_id=tree.project.id)


def test_a_read_only_file_still_previews(store, tree, db_path):
    m = _milestone(store, tree, baseline="2025-06-01", status="Amber")
    store.close()
    before = dump(db_path)
    with open_store(db_path, read_only=True) as reader:
        assert reader.preview_warnings("milestone", {"status": "Green"}, item_id=m.id) == [
            "Green, but overdue: expected 1 Jun 2025, before the status date 30 Jun 2025"]
    assert dump(db_path) == before


dates = st.one_of(st.none(), st.dates(min_value=dt.date(2025, 5, 1), max_value=dt.date(2025, 8, 31)))


@FIXTURES
@given(baseline=dates, forecast=dates, actual=dates,
       status=st.sampled_from(["Red", "Amber", "Green", "Complete", "Not rated"]))
def test_a_preview_gives_the_warnings_the_record_has_once_saved(store, tree, baseline, forecast, actual,
                                                                status):
    values = {"name": "M", "status": status, **{k: day(d.isoformat()) if d else "" for k, d in
                                                (("baseline", baseline), ("forecast", forecast),
                                                 ("actual", actual))}}
    expected = store.preview_warnings("milestone", values, project_id=tree.project.id)
    saved = store.add_milestone(project_id=tree.project.id, **values)
    assert expected == milestone_warnings(saved, STATUS_DATE)
