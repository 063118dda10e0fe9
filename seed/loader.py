"""Builds the demo portfolios into a store, through the store's public API only."""
from __future__ import annotations

from pathlib import Path

from seed.files import load_portfolios


def load_demo(store, data_dir: Path | None = None) -> list[int]:
    """Load every demo portfolio; returns their ids."""
    return [store.import_portfolio(p, label=f"Loaded demo portfolio {p['name']!r}")
            for p in load_portfolios(data_dir)]
