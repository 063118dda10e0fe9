"""Portfolios: a new one with its first programme in one step, and every field of one edited."""
from __future__ import annotations

import datetime as dt

import pytest

from store import ConflictError, StoreError, ValidationError, open_store
from store.fields import field_label

from .conftest import Clock, count, dump, state

PORTFOLIO = {"name": "Transformation Portfolio", "organisation": "Plymouth City Council",
             "status_date": "31/03/2014"}
PROGRAMME = {"code": "CCO", "name": "Co-operative Centre of Operations", "sro": "Giles Perritt"}


def _groups(store):
    return store.conn.execute("SELECT label, kind FROM change_group ORDER BY id").fetchall()


# -- a portfolio and its first programme ------------------------------------------------------


def test_a_portfolio_and_its_programme_are_added_as_one_change(store, db_path):
    portfolio, programme = store.add_portfolio_with_programme(PORTFOLIO, PROGRAMME)
    assert (portfolio.name, portfolio.organisation, portfolio.status_date) == (
        "Transformation Portfolio", "Plymouth City Council", "2014-03-31")
    assert (programme.portfolio_id, programme.code, programme.sro, programme.position) == (
        portfolio.id, "CCO", "Giles Perritt", 1)
    assert store.portfolio(portfolio.id) == portfolio and store.programme(programme.id) == programme
    label = "Added portfolio Transformation Portfolio and programme Co-operative Centre of Operations"
    assert _groups(store) == [(label, "edit")]
    assert store.can_undo() == label
    with open_store(db_path) as fresh:  # on the file, through another connection
        assert [p.name for p in fresh.portfolios()] == ["Transformation Portfolio"]
        assert fresh.programme(programme.id).name == "Co-operative Centre of Operations"


def test_undo_removes_both_in_one_step_and_redo_puts_both_back(store, db_path):
    before = state(db_path)
    portfolio, programme = store.add_portfolio_with_programme(PORTFOLIO, PROGRAMME)
    after = state(db_path)
    assert store.undo().label.startswith("Added portfolio Transformation Portfolio and programme")
    assert state(db_path) == before
    assert store.can_undo() is None
    store.redo()
    assert state(db_path) == after
    assert store.programme(programme.id).portfolio_id == portfolio.id


@pytest.mark.parametrize(("portfolio", "programme", "field"), [
    ({}, {"code": ""}, "Code"),  # the file users found holding a portfolio and no programme
    ({}, {"code": "   "}, "Code"),
    ({}, {"name": ""}, "Name"),
    ({}, {"code": "C" * 21}, "Code"),
    ({}, {"description": "bad \x1b[31m"}, "Description"),
    ({"name": ""}, {}, "Portfolio name"),
    ({"name": "x" * 201}, {}, "Portfolio name"),
    ({"organisation": "two\nlines"}, {}, "Organisation"),
    ({"status_date": ""}, {}, "Status date"),
    ({"status_date": "31/02/2014"}, {}, "Status date"),
    ({"name": ""}, {"code": ""}, "Portfolio name"),  # the form's first field in error
])
def test_any_field_refused_writes_nothing_and_names_the_field(store, db_path, portfolio, programme, field):
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.add_portfolio_with_programme({**PORTFOLIO, **portfolio}, {**PROGRAMME, **programme})
    assert e.value.field == field
    assert str(e.value).startswith(f"{field}: ")
    assert dump(db_path) == before
    assert count(db_path, "portfolio") == 0 and store.can_undo() is None


def test_a_portfolio_name_already_taken_is_refused_as_the_portfolio_name(store, db_path):
    store.add_portfolio(name="Transformation Portfolio", status_date="2014-03-31")
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.add_portfolio_with_programme({**PORTFOLIO, "name": " transformation portfolio"}, PROGRAMME)
    assert str(e.value) == ("Portfolio name: transformation portfolio is already the name of another "
                            "portfolio.")
    assert dump(db_path) == before


def test_an_unknown_field_is_a_mistake_and_writes_nothing(store, db_path):
    before = dump(db_path)
    with pytest.raises(StoreError):
        store.add_portfolio_with_programme(PORTFOLIO, {**PROGRAMME, "colour": "blue"})
    assert dump(db_path) == before


# -- editing a portfolio ---------------------------------------------------------------------


def test_every_field_of_a_portfolio_is_edited_in_one_change(store, tree, db_path):
    f = tree.portfolio
    got = store.edit_portfolio(f.id, f.version, "Board asked", name="  People's Portfolio ",
                               organisation="Plymouth", status_date="30 Sep 2025", green_max="5", red_min=15)
    assert (got.name, got.organisation, got.status_date, got.green_max, got.red_min, got.version) == (
        "People's Portfolio", "Plymouth", "2025-09-30", 5, 15, f.version + 1)
    assert store.portfolio(f.id) == got
    changes = store.history(item=("portfolio", f.id))[:5]
    assert {field_label("portfolio", c.field) for c in changes} == {
        "Name", "Organisation", "Status date", "Green up to", "Red from"}
    assert {c.reason for c in changes} == {"Board asked"} and len({c.group_id for c in changes}) == 1
    assert store.can_undo() == "Edited portfolio Transformation"
    store.undo()
    assert store.portfolio(f.id)._replace(version=0) == f._replace(version=0)


@pytest.mark.parametrize(("values", "field"), [
    ({"green_max": 20}, "Red from"),  # against the red limit already stored (20)
    ({"red_min": 6}, "Red from"),
    ({"green_max": 10, "red_min": 9}, "Red from"),
    ({"green_max": 0}, "Green up to"),
    ({"red_min": 26}, "Red from"),
    ({"green_max": "six"}, "Green up to"),
    ({"green_max": 6.5}, "Green up to"),
    ({"green_max": True}, "Green up to"),
    ({"red_min": None}, "Red from"),
    ({"name": ""}, "Name"),
    ({"status_date": ""}, "Status date"),
    ({"status_date": "2025-13-01"}, "Status date"),
])
def test_a_portfolio_edit_refused_writes_nothing(store, tree, db_path, values, field):
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.edit_portfolio(tree.portfolio.id, tree.portfolio.version, **values)
    assert e.value.field == field
    assert dump(db_path) == before


def test_the_limits_are_checked_together_so_both_may_move_past_each_other(store, tree):
    f = store.edit_portfolio(tree.portfolio.id, tree.portfolio.version, green_max=21, red_min=24)
    assert (f.green_max, f.red_min) == (21, 24)
    f = store.edit_portfolio(f.id, f.version, green_max=2, red_min=3)
    assert (f.green_max, f.red_min) == (2, 3)


def test_set_status_date_and_set_risk_thresholds_still_work(store, tree):
    f = store.set_status_date(tree.portfolio.id, tree.portfolio.version, "1 march 2026")
    f = store.set_risk_thresholds(f.id, f.version, 4, 12)
    assert (f.status_date, f.green_max, f.red_min) == ("2026-03-01", 4, 12)


def _bob(db_path):
    return open_store(db_path, who="bob", clock=Clock(dt.datetime(2025, 8, 2, 14, 5, tzinfo=dt.UTC)))


def test_a_stale_edit_is_refused_naming_who_and_when(store, tree, db_path):
    f = tree.portfolio
    with _bob(db_path) as bob:
        bob.edit_portfolio(f.id, f.version, organisation="Bob's council")
    before = dump(db_path)
    with pytest.raises(ConflictError) as e:
        store.edit_portfolio(f.id, f.version, name="Mine")
    assert e.value.who == "bob" and "2025-08-02 14:05" in str(e.value)
    assert str(e.value).startswith('Portfolio "Transformation" was changed by bob')
    assert e.value.current == store.portfolio(f.id)
    assert dump(db_path) == before


def test_a_stale_edit_given_base_merges_other_fields_and_refuses_the_same_one(store, tree, db_path):
    f = tree.portfolio
    base = f._asdict()
    with _bob(db_path) as bob:
        bob.edit_portfolio(f.id, f.version, organisation="Bob's council", red_min=18)
    got = store.edit_portfolio(f.id, f.version, base=base, name="Mine", green_max=7)
    assert (got.name, got.organisation, got.green_max, got.red_min) == ("Mine", "Bob's council", 7, 18)
    with pytest.raises(ConflictError) as e:
        store.edit_portfolio(f.id, f.version, base=base, red_min=19)
    assert e.value.theirs == {"red_min": 18}


def test_merged_limits_are_checked_as_they_would_stand(store, tree, db_path):
    f = tree.portfolio
    base = f._asdict()
    with _bob(db_path) as bob:
        bob.edit_portfolio(f.id, f.version, red_min=10)
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:  # 12 was fine beside 20, not beside bob's 10
        store.edit_portfolio(f.id, f.version, base=base, green_max=12)
    assert e.value.field == "Red from"
    assert dump(db_path) == before


# -- a new portfolio's risk matrix -------------------------------------------------------------


def test_a_new_portfolio_may_be_given_its_matrix_as_a_form_types_it(store, db_path):
    f = store.add_portfolio(name="A", status_date="2014-03-31", green_max="4", red_min="15")
    assert (f.green_max, f.red_min) == (4, 15)
    f = store.add_portfolio(name="B", status_date="2014-03-31")
    assert (f.green_max, f.red_min) == (6, 20)
    f, _ = store.add_portfolio_with_programme({**PORTFOLIO, "red_min": 16}, PROGRAMME)
    assert (f.green_max, f.red_min) == (6, 16)


@pytest.mark.parametrize(("limits", "field"), [
    ({"green_max": "20"}, "Red from"),  # one alone is checked against the other's default (20)
    ({"green_max": 10, "red_min": 9}, "Red from"),
    ({"red_min": ""}, "Red from"),
    ({"green_max": "²"}, "Green up to"),
])
def test_a_new_portfolios_matrix_refused_writes_nothing(store, db_path, limits, field):
    before = dump(db_path)
    with pytest.raises(ValidationError) as e:
        store.add_portfolio(name="A", status_date="2014-03-31", **limits)
    assert e.value.field == field
    with pytest.raises(ValidationError) as e:
        store.add_portfolio_with_programme({**PORTFOLIO, **limits}, PROGRAMME)
    assert e.value.field == field
    assert dump(db_path) == before
