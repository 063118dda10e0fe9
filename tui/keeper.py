"""Screens and forms kept once built, and filled again for the next record.

Building a programme or project screen's widgets and styles costs far more than filling its lists
(~70 ms a form), so one screen of each kind, and one form of each layout, is built ahead while the
user is idle and shown again with the next record. All of that state lives here; pushing a new
screen remains the plain path whenever nothing kept can serve.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui import compat

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.app import RagboardApp


class Keeper:
    BUILD_GAP = 0.1  # seconds between two screens built ahead (a key pressed meanwhile waits one build)
    STOP_WAIT = 2.0  # seconds closing waits at most for a screen still mounting

    def __init__(self, app: RagboardApp) -> None:
        self.app = app
        self.owner_screens: dict[str, Any] = {}  # "programme" / "project" -> the screen kept
        self.forms: dict[tuple, Any] = {}  # FormScreen.layout_of(...) -> the form kept
        self.stopped = False  # no more building ahead: the app is closing
        self.built: list[Screen] = []  # every screen built ahead, in order
        self.stopping: asyncio.Future[None] | None = None

    # -- programme and project screens ------------------------------------------------------

    def owner_screen(self, kind: str, owner_id: int, select: tuple[str, int] | None = None) -> Screen:
        """The screen to push for a programme or project: the kept one shown again with this one's
        data, or a new one (kept, if none is yet) when the kept one is open underneath or cannot
        read it."""
        screen_class = _owner_class(kind)
        kept = self.owner_screens.get(kind)
        if kept is not None and kept not in self.app.screen_stack and kept.is_mounted \
                and kept.show_owner(owner_id, select):
            return kept
        screen = screen_class(owner_id, select)
        if kept is None:
            self.owner_screens[kind] = screen
            self.app.install_screen(screen, name=f"kept-{kind}")
        return screen

    # -- forms ----------------------------------------------------------------------------------

    def form(
        self, title: str, fields: list, values: dict[str, str], submit: Callable, note: str = ""
    ) -> Screen:
        """The form to push: the kept one of this layout filled again, or a new one."""
        from tui.screens.form import FormScreen

        layout = FormScreen.layout_of(fields, values)
        kept = self.forms.get(layout)
        if kept is not None and kept.is_mounted and kept not in self.app.screen_stack:
            kept.refill(title, values, submit, note)
            return kept
        form = FormScreen(title, fields, values, submit, note=note)
        if kept is None:
            self.app.install_screen(form, name=self._keep_form(layout, form))
        return form

    def _keep_form(self, layout: tuple, form: Any) -> str:
        self.forms[layout] = form
        return f"form-{len(self.forms)}"

    # -- built ahead ------------------------------------------------------------------------------

    def build_ahead(
        self, then: Callable[[], None] | None = None, kinds: tuple[str, ...] = ("programme", "project")
    ) -> None:
        """Build the programme and project screens, hidden and empty, one per idle moment, then the
        milestone form (its first showing also loads the styles of its kinds of field); then()."""
        app = self.app
        if self.stopped:
            return
        if kinds:
            kind, rest = kinds[0], kinds[1:]
            if kind not in self.owner_screens and app.is_running:
                screen = _owner_class(kind)(None)
                self.owner_screens[kind] = screen
                self._build_hidden(screen, f"kept-{kind}")  # shown by owner_screen
            app.set_timer(self.BUILD_GAP, lambda: self.build_ahead(then, rest))
            return
        from tui import forms
        from tui.screens.form import FormScreen

        values = dict(forms.DEFAULTS["milestone"])
        layout = FormScreen.layout_of(forms.MILESTONE, values)
        if layout not in self.forms and app.is_running:
            form = FormScreen("", forms.MILESTONE, values, lambda values: None)
            self._build_hidden(form, self._keep_form(layout, form))  # shown by form()
        if then is not None:
            app.set_timer(self.BUILD_GAP, then)

    def _build_hidden(self, screen: Screen, name: str) -> None:
        """Install a screen under name and compose and mount it now, hidden: its first showing then
        fills it instead of building it."""
        app = self.app
        app.install_screen(screen, name=name)
        compat.build_hidden(app, screen)
        self.built.append(screen)

    def stop(self) -> asyncio.Future[None]:
        """Build nothing more ahead. Awaiting the result waits until the screens built ahead, and those
        open, have all their widgets mounted: Textual cannot mount once exit is called, nor tear down
        a screen whose widgets are still mounting (a Select finds its parts gone)."""
        if self.stopping is None:
            self.stopped = True
            screens = [*self.built, *self.app.screen_stack]
            self.stopping = asyncio.ensure_future(self._all_mounted(screens))
        return self.stopping

    async def _all_mounted(self, screens: list[Screen]) -> None:
        waited = 0.0
        while not all(_mounted(screen) for screen in screens) and waited < self.STOP_WAIT:
            await asyncio.sleep(0.01)  # mounting runs in each widget's own task: let it
            waited += 0.01  # past this, closing goes on: a mount so slow has failed some other way


def _mounted(screen: Screen) -> bool:
    return screen.is_mounted and all(widget.is_mounted for widget in screen.query("*"))


def _owner_class(kind: str) -> type:
    if kind == "programme":
        from tui.screens.programme import ProgrammeScreen

        return ProgrammeScreen
    from tui.screens.project import ProjectScreen

    return ProjectScreen
