"""Which of a record's values were inferred rather than printed, and why.

A record's `inferred` column holds one line per inferred value, "field: reason", in field order as
given. The demo data sets it from what its papers print; a user who sets a field themselves makes
that value theirs, so an edit drops the field's line (undo brings it back with the value).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_LINE = re.compile(r"([a-z_]+): (.+)")


def parse(text: str | None) -> dict[str, str]:
    """field -> reason, from a stored value (lines that do not read "field: reason" are ignored)."""
    out: dict[str, str] = {}
    for line in (text or "").splitlines():
        m = _LINE.fullmatch(line.strip())
        if m:
            out[m[1]] = m[2].strip()
    return out


def written(reasons: Mapping[str, str]) -> str:
    """The stored value of field -> reason."""
    return "\n".join(f"{field}: {' '.join(reason.split())}" for field, reason in reasons.items())


def without(text: str | None, fields: Iterable[str]) -> str:
    """The stored value with the lines of these fields dropped."""
    gone = set(fields)
    return written({f: r for f, r in parse(text).items() if f not in gone})
