"""The lines at the top of every screen: the file, its status dates, where you are, read-only."""
from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from tui import fmt, safe
from tui.app_typing import OfRagboard


class TopBar(OfRagboard, Vertical):
    """File and status dates, the breadcrumb of the screen, and a banner when read-only."""

    def __init__(self, crumb: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.crumb = crumb

    def compose(self):
        yield Static(id="topbar-file")
        yield Static(id="topbar-crumb")
        yield Static(id="read-only-banner")

    def on_mount(self) -> None:
        self.refresh_info()

    def refresh_info(self, crumb: str | None = None) -> None:
        if crumb is not None:
            self.crumb = crumb
        app = self.app
        store = app.store
        try:
            portfolios = app.locked(store.portfolios)
        except Exception:  # noqa: BLE001 - an unreadable file: the top line shows no dates
            portfolios = []
        line = Text()
        line.append("ragboard ", style="bold")
        line.append(safe.plain(store.path))
        if store.read_only:
            line.append("  (read-only)", style="bold")
        if portfolios:
            line.append("   status dates: ", style="dim")
            for i, p in enumerate(portfolios):
                if i:
                    line.append(" · ", style="dim")
                line.append(f"{safe.plain(p.name)} ")
                line.append(fmt.date(p.status_date), style="bold")
        # Only a line that changed is given its text again (each update is a layout and a redraw).
        shown = getattr(self, "_shown", None)
        if shown is None or shown[0] != line:
            self.query_one("#topbar-file", Static).update(line)
        if shown is None or shown[1] != self.crumb:
            self.query_one("#topbar-crumb", Static).update(safe.literal(self.crumb, style="bold"))
        self._shown = (line, self.crumb)
        banner = self.query_one("#read-only-banner", Static)
        banner.display = bool(store.read_only)
        if store.read_only:
            # Why the file opened read-only may add a warning (e.g. its -wal could not be read).
            warning = getattr(store, "open_warning", None)
            banner.update(
                safe.literal(
                    f" READ-ONLY  {store.path} cannot be changed: you can look but not edit. "
                    "Copy it somewhere writable to make changes." + (f" {warning}" if warning else "")
                )
            )
