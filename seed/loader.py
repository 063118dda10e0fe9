"""Builds the demo portfolios into a store, through the store's public API only."""
from __future__ import annotations

import os
from pathlib import Path

from seed.files import load_portfolios


def load_demo(store, data_dir: Path | None = None) -> list[int]:
    """Load every demo portfolio; returns their ids."""
    return [store.import_portfolio(p, label=f"Loaded demo portfolio {p['name']}")
            for p in load_portfolios(data_dir)]


def write_demo_file(path: Path, data_dir: Path | None = None) -> int:
    """Create a new file holding the demo portfolios, all or nothing; returns the programme count.

    The portfolios are built in a file beside the target and renamed onto it at the end, so a
    crash part-way leaves no half-seeded file behind. A full disk raises DiskFullError naming
    the target, and leaves nothing behind either.
    """
    from store import open_store
    from store.errors import DiskFullError
    from store.opening import is_disk_full

    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with open_store(partial) as store:
            load_demo(store, data_dir)
            count = store.programme_count()
            # Every change into the file itself now: the -wal is not renamed with it, and closing
            # would not say if there were no room to copy the changes across.
            store.checkpoint()
        os.replace(partial, path)
    except Exception as exc:
        if is_disk_full(exc, partial):
            raise DiskFullError(path) from None
        raise
    finally:
        for leftover in (
            partial,
            partial.with_name(partial.name + "-wal"),
            partial.with_name(partial.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
    return count
