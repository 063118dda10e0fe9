"""Builds the demo portfolios into a store, through the store's public API only."""
from __future__ import annotations

import os
from pathlib import Path

from seed.files import load_portfolios


def load_demo(store, data_dir: Path | None = None) -> list[int]:
    """Load every demo portfolio; returns their ids."""
    return [store.import_portfolio(p, label=f"Loaded demo portfolio {p['name']!r}")
            for p in load_portfolios(data_dir)]


def write_demo_file(path: Path, data_dir: Path | None = None) -> int:
    """Create a new file holding the demo portfolios, all or nothing; returns the programme count.

    The portfolios are built in a file beside the target and renamed onto it at the end, so a
    crash part-way leaves no half-seeded file behind.
    """
    from store import open_store

    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with open_store(partial) as store:
            load_demo(store, data_dir)
            count = store.programme_count()
        os.replace(partial, path)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-wal"), partial.with_name(partial.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return count
