"""The command palette's jump: any programme or project by name, code or reference."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class JumpProvider(Provider):
    """Programmes and projects found by store.search."""

    async def search(self, query: str) -> Hits:
        query = query.strip()
        if not query:
            return
        app = self.app
        try:
            hits = await self._find(query)
        except Exception:
            return
        matcher = self.matcher(query)
        for hit in hits:
            text = f"{hit.label}"
            score = matcher.match(text) or 0.5
            yield Hit(score, matcher.highlight(text), partial(app.open_hit, hit.kind, hit.id, hit.programme_id),
                      text=text, help=f"Open {hit.detail}")

    async def discover(self) -> Hits:
        return
        yield  # no suggestions until something is typed

    async def _find(self, query: str):
        import asyncio

        app = self.app
        return await asyncio.to_thread(app.locked, app.store.search, query, 30)
