"""RAG arithmetic: the risk matrix and the roll-up order. Pure functions, no database.

The queries apply the same matrix in SQL (store.rules.risk_rag); a test proves the two agree.
"""
from __future__ import annotations

from collections.abc import Iterable

# Worst first: a roll-up takes the highest rank.
RANK = {"Green": 1, "Amber": 2, "Red": 3}
BY_RANK = {v: k for k, v in RANK.items()}


def risk_rag(score: int | None, green_max: int, red_min: int) -> str | None:
    """The matrix: score <= green_max is Green, >= red_min is Red, between is Amber."""
    if score is None:
        return None
    if score <= green_max:
        return "Green"
    if score >= red_min:
        return "Red"
    return "Amber"


def score(likelihood: int | None, impact: int | None) -> int | None:
    if likelihood is None or impact is None:
        return None
    return likelihood * impact


def worst(rags: Iterable[str | None]) -> str | None:
    ranks = [RANK[r] for r in rags if r in RANK]
    return BY_RANK[max(ranks)] if ranks else None


# How good each value is, best lowest, on the scale it belongs to: a trend compares two values of one
# scale (a milestone's Complete is better than Green; a DCA has five points).
_RAG_GOODNESS = {rag: i for i, rag in enumerate(("Complete", "Green", "Amber", "Red"))}
_DCA_GOODNESS = {dca: i for i, dca in enumerate(("Green", "Amber/Green", "Amber", "Amber/Red", "Red"))}


def trend(old: str | None, new: str | None, *, dca: bool = False) -> str | None:
    """"up" (better), "down" (worse) or "same" from old to new; None when either is not rated.

    dca: both are delivery confidence values, whose Green..Red have five points, not three."""
    scale = _DCA_GOODNESS if dca else _RAG_GOODNESS
    if old not in scale or new not in scale:
        return None
    if scale[new] == scale[old]:
        return "same"
    return "up" if scale[new] < scale[old] else "down"
