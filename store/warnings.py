"""Warnings: what a record holds that is allowed but probably wrong, in the user's words.

A warning never refuses a save (the user may know better: a date is being corrected, a RAG is
about to change); a screen shows it beside the record, and a form before it saves. Each is worked
out from the record's own derived fields (overdue, expected, score), as its queries give them.
"""
from __future__ import annotations

from store.records import Milestone, Risk
from store.text import day

__all__ = ["milestone_warnings", "risk_warnings"]


def milestone_warnings(m: Milestone, status_date: str) -> list[str]:
    """What is odd about a milestone, as at its portfolio's status date (ISO)."""
    out = []
    if m.actual and m.actual > status_date:
        out.append(f"Actual date {day(m.actual)} is after the status date {day(status_date)}")
    if m.status == "Green" and m.overdue:
        out.append(f"Green, but overdue: expected {day(m.expected)}, "
                   f"before the status date {day(status_date)}")
    if m.status == "Complete" and not m.actual:
        out.append("Complete, but no actual date is recorded")
    return out


def risk_warnings(k: Risk) -> list[str]:
    """What is odd about a risk: mitigation that leaves it scoring higher than before."""
    if k.score is not None and k.residual_score is not None and k.residual_score > k.score:
        return [f"Residual score {k.residual_score} is above the inherent score {k.score}: "
                "mitigation should not make a risk worse"]
    return []
