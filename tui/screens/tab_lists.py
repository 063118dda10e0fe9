"""What each tab's list of a programme or project screen holds, and what it needs when shown.

Only the list in view is filled when a screen opens or reloads; the others are filled, or fetched
again, when their tab is shown. A kept screen shown again for another programme or project starts
its other lists from the top. This bookkeeping lives here, in one place.
"""
from __future__ import annotations

from typing import Any


class TabLists:
    def __init__(self, tab_ids: list[str]) -> None:
        self.tab_ids = tab_ids
        self.data: dict[str, Any] = {}  # each tab's records as last fetched
        self._stale: set[str] = set()  # to fetch again when shown (not fetched, or edited elsewhere)
        self._unfilled: set[str] = set()  # built lists not yet given their data
        self._reset: set[str] = set()  # lists still showing the last programme or project

    def new_owner(self, first: str, built: list[str]) -> None:
        """Another programme or project: every built list but the first shows it from the top."""
        self._reset.update(tab for tab in built if tab != first)

    def fetched(self, data: dict[str, Any], active: str) -> None:
        """A load: these tabs' data is current; the active list is filled now, the others when shown."""
        self.data = data
        self._stale = {tab for tab in self.tab_ids if tab not in data}
        self._unfilled.update(tab for tab in data if tab != active)

    def edited(self, shown: str) -> None:
        """An edit shown in place in one list: every other list is fetched again when shown."""
        self._stale = {tab for tab in self.tab_ids if tab != shown}

    def take_stale(self, tab: str) -> bool:
        """True (once) if this tab's list must be fetched again before it is shown."""
        if tab not in self._stale:
            return False
        self._stale.discard(tab)
        return True

    def refetched(self, tab: str, data: Any) -> None:
        self.data[tab] = data
        self._unfilled.add(tab)

    def take_fill(self, tab: str) -> tuple[Any, bool] | None:
        """(data, from_top) once, for a built list still to be given its data; else None."""
        if tab not in self._unfilled or tab not in self.data:
            return None
        self._unfilled.discard(tab)
        from_top = tab in self._reset
        self._reset.discard(tab)
        return self.data[tab], from_top
