"""For the type checker: ragboard's screens and widgets see their app as a RagboardApp.

Textual's documented way is `app = getters.app(RagboardApp)` in each class; declared here once,
for the type checker only, so no module imports the app at run time (tui.app loads the screens).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual import getters
    from textual.message_pump import MessagePump

    from tui.app import RagboardApp

    class OfRagboard(MessagePump):
        """Mixed into a screen or widget of ragboard's: self.app is a RagboardApp."""

        app = getters.app(RagboardApp)
else:
    class OfRagboard:
        """Mixed into a screen or widget of ragboard's (for the type checker only)."""
