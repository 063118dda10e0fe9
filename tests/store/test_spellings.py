"""Values as spreadsheets write them: RAG and DCA by letters or in words however spaced, a date cell
with a time of day, and amounts rounded to "£1.2m" refused in words (ragboard keeps whole pounds)."""
from __future__ import annotations

import datetime as dt

import pytest

from store import validate as v
from store.errors import ValidationError


@pytest.mark.parametrize(("given", "options", "expected"), [
    ("R", v.RAGS, "Red"), ("a", v.RAGS, "Amber"), (" g ", v.RAGS, "Green"),
    ("AG", v.DCAS, "Amber/Green"), ("amber green", v.DCAS, "Amber/Green"), ("Amber-Red", v.DCAS, "Amber/Red"),
    ("A/R", v.DCAS, "Amber/Red"), ("NR", v.MILESTONE_STATUSES, "Not rated"),
    ("c", v.MILESTONE_STATUSES, "Complete"),
    ("GD", v.SAVING_BANDS, "Green Delivered"), ("green on target", v.SAVING_BANDS, "Green On Target"),
])
def test_a_choice_written_as_spreadsheets_write_it(given, options, expected):
    assert v.choice("RAG", given, options) == expected


@pytest.mark.parametrize(("given", "options"), [
    ("C", v.STAGES),  # Concept or Closed: initials two options share name neither
    ("X", v.RAGS), ("Redd", v.RAGS), ("G", v.SAVING_BANDS),
])
def test_a_choice_no_option_is_written_as_is_refused(given, options):
    with pytest.raises(ValidationError, match="is not one of"):
        v.choice("Stage", given, options)


@pytest.mark.parametrize("given", ["£1.2m", "1.2m", "£250k", "250K", "£3bn", "2 million", "-£1.5m"])
def test_shorthand_amounts_are_refused_as_shorthand(given):
    with pytest.raises(ValidationError, match="is shorthand; ragboard keeps whole pounds"):
        v.amount("Amount", given)


def test_a_date_cell_with_a_time_of_day_is_its_day():
    assert v.parse_date("Baseline", dt.datetime(2025, 6, 30, 17, 45)) == "2025-06-30"
