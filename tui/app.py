"""The ragboard app: handed an open store, it shows programmes, projects and their registers.

Start-up is kept light: screens other than home, and the palette's providers, are imported
when first needed.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from textual import events
from textual.app import App
from textual.binding import Binding

from store.errors import ConflictError, ReadOnlyError, StoreError, ValidationError
from tui import compat, safe


def _jump_provider():
    from tui.commands import JumpProvider

    return JumpProvider


class RagboardApp(App):
    """A keyboard-driven dashboard over one ragboard file."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses elsewhere still find it
    TITLE = "ragboard"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_jump_provider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_ctrl"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="app.undo_ctrl"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo"),
    ]
    POLL_SECONDS = 0.5

    def __init__(self, store, *, notice: str | None = None, collect_when_idle: bool = False) -> None:
        """collect_when_idle: run Python's garbage collector while the user is idle (IdleCollector);
        the ragboard command sets it, as it owns the process (a test run does not)."""
        super().__init__()
        self.store = store
        self.notice = notice
        # The store's connection is shared by the screen and its workers: one caller at a time.
        self.store_lock = threading.RLock()
        # Tests turn this off so a text cursor never blinks in a snapshot.
        self.cursor_blink = True
        self.poll_seconds = self.POLL_SECONDS
        # Seconds of no typing before a '/' filter over a long list asks the store (tests set 0).
        self.filter_delay = 0.04
        self._owner_screens: dict = {}  # "programme" / "project" -> the screen kept to show again
        self._forms: dict = {}  # FormScreen.layout_of(...) -> the form kept to fill again
        self._collector = None
        if collect_when_idle:
            from tui.collector import IdleCollector

            self._collector = IdleCollector()

    # -- start ---------------------------------------------------------------------------------

    def get_default_screen(self):
        from tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, title="Demo data")
        self.set_interval(self.poll_seconds, self._poll, name="changed-elsewhere")

    async def on_event(self, event) -> None:
        if self._collector is not None and isinstance(event, events.InputEvent):
            self._collector.input_seen()
        await super().on_event(event)

    # -- messages ------------------------------------------------------------------------------

    SAVED_SECONDS = 3

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notice is literal text: its message usually names a record, or repeats what a user
        typed or a file held, so it is never read as markup (markup is ignored) and made safe."""
        if title == "Saved" and timeout is None:
            timeout = self.SAVED_SECONDS
        super().notify(safe.plain(message, multiline=True), title=safe.plain(title), severity=severity,
                       timeout=timeout, markup=False)

    def on_notify(self, event) -> None:
        """A save's confirmation replaces the one before it: saves made in a row would otherwise
        pile their messages up the right of the screen, over the rows just changed."""
        if event.notification.title == "Saved":
            compat.withdraw_notices(self, "Saved", keep=event.notification)

    # -- talking to the store ----------------------------------------------------------------

    def locked(self, fn: Callable, *args, **kwargs) -> Any:
        """Call the store under its lock; errors propagate (forms and workers handle them)."""
        with self.store_lock:
            return fn(*args, **kwargs)

    def attempt(self, fn: Callable, *args, inline: bool = False, **kwargs) -> tuple[bool, Any]:
        """Call one store method; on refusal say why and return (False, None).

        inline=True lets a ValidationError through, for a form to show beside its field.
        """
        try:
            with self.store_lock:
                return True, fn(*args, **kwargs)
        except ValidationError as exc:
            if inline:
                raise
            self.notify(exc.message and f"{exc.field}: {exc.message}", title="Not saved", severity="error")
        except ConflictError as exc:
            self.notify(str(exc), title="Changed elsewhere", severity="warning", timeout=10)
            self.reload_screen()
        except ReadOnlyError as exc:
            self.notify(str(exc), title="Read-only file", severity="warning")
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=8)
            self.reload_screen()
        except Exception as exc:  # never show a traceback: say what failed and carry on
            self.log.error("store call failed", exc)
            self.notify(f"Something went wrong: {exc}", title="Error", severity="error", timeout=8)
        return False, None

    def writable(self, doing: str = "change it") -> bool:
        """True if edits can be saved; otherwise say why nothing happens."""
        if self.store.read_only:
            self.notify(f"{self.store.path} is read-only, so ragboard cannot {doing}. "
                        "Copy the file somewhere writable to edit.", title="Read-only file", severity="warning")
            return False
        return True

    def reload_screen(self) -> None:
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()
        # Screens below the top reload when they are shown again.
        for screen in self.screen_stack[:-1]:
            if hasattr(screen, "stale"):
                screen.stale = True

    def _poll(self) -> None:
        try:
            with self.store_lock:
                changed = self.store.changed_elsewhere()
        except Exception:
            return
        if changed:
            self.reload_screen()

    # -- app-wide actions ----------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_undo(self) -> None:
        self._revert("undo")

    def action_redo(self) -> None:
        self._revert("redo")

    def _revert(self, kind: str) -> None:
        if not self.writable(f"{kind} a change"):
            return
        ok, result = self.attempt(getattr(self.store, kind))
        if not ok:
            return
        if result is None:
            if kind == "undo":
                self.notify("Nothing of yours to undo: this window has made no change yet. To undo someone "
                            "else's change, open the item's history (ctrl+p, History of the selection) and "
                            "press Enter on the change.", title="Undo", timeout=8)
            else:
                self.notify("Nothing to redo.", title="Redo")
            return
        verb = "Undone" if kind == "undo" else "Redone"
        self.notify(f"{verb}: {result.label}", title="Saved")
        self.reload_screen()

    def offer_undo(self, change) -> None:
        """Enter on a history row: undo that change, anyone's, after a confirmation naming who made
        it and when (u undoes only this window's own changes)."""
        if not self.writable("undo a change"):
            return
        ok, group = self.attempt(self.store.change_group_info, change.group_id)
        if not ok:
            return
        if group.kind == "import":
            self.notify("That change loaded a whole portfolio; it cannot be undone.", title="Undo")
            return
        if group.reverted:
            self.notify(f"That change was {'redone' if group.kind == 'undo' else 'undone'} already.", title="Undo")
            return
        when = group.at.replace("T", " ").removesuffix("Z") + " UTC"
        whose = "your change" if group.who == self.store.who else f"{group.who}'s change"
        verb = "Redo" if group.kind == "undo" else "Undo"
        from tui.screens.confirm import ConfirmScreen

        def done(yes: bool) -> None:
            if yes:
                ok, result = self.attempt(self.store.undo_group, group.id)
                if ok:
                    self.notify(f"{'Redone' if result.kind == 'redo' else 'Undone'}: {result.label}", title="Saved")
                    self.reload_screen()

        self.push_screen(ConfirmScreen(f"{verb} {whose} of {when}?",
                                       f"{group.label}\nMade by {group.who} at {when}. {verb}ing it is recorded as "
                                       f"a change of yours, with the change it reverts.", yes=verb), done)

    # -- palette -----------------------------------------------------------------------------

    def get_system_commands(self, screen):
        from textual.app import SystemCommand

        yield from super().get_system_commands(screen)
        for portfolio in self._palette_portfolios():
            yield SystemCommand(f"Status date: {portfolio.name}",
                                f"Change the status date ({portfolio.status_date}) of {portfolio.organisation or portfolio.name}",
                                lambda p=portfolio: self.change_status_date(p))
        yield SystemCommand("All milestones", "Every milestone of every portfolio in one list, filtered with /",
                            self.show_all_milestones)
        selection = getattr(screen, "selection_for_history", None)
        if selection is not None:
            yield SystemCommand("History of the selection", "Every change to the selected item, newest first",
                                self.show_selection_history)

    def _palette_portfolios(self) -> list:
        """Portfolios for the palette's status-date commands, never waiting on the loop for a worker
        that holds the store (the last ones read are used meanwhile)."""
        if self.store_lock.acquire(blocking=False):
            try:
                self._portfolios_seen = self.store.portfolios()
            except Exception:
                pass
            finally:
                self.store_lock.release()
        return getattr(self, "_portfolios_seen", [])

    def action_command_palette(self) -> None:
        """ctrl+p: the palette of tui/commands.py, which paints the hits as soon as they are listed."""
        from textual.command import CommandPalette

        from tui.commands import JumpPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(JumpPalette(id="--command-palette"))

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual's palette holds the screen still for 50 ms as it closes, to hide the screens in
        between. ragboard's commands draw their screen whole, so the hold ends as soon as the
        command has run: the palette queues the command just after this, so two turns of the
        app's queue from now."""
        compat.hold_updates(self)

        def end_batch() -> None:
            if compat.release_updates(self):
                self.screen.refresh()

        self.call_later(self.call_later, end_batch)

    def open_form(self, title: str, fields: list, values: dict[str, str], submit: Callable,
                  done: Callable | None = None, note: str = "") -> None:
        """Show a form (tui/screens/form.py); done(result) once it closes. One form of each layout is
        kept and filled again for the next record: building a form's widgets takes ~70 ms."""
        from tui.screens.form import FormScreen

        layout = FormScreen.layout_of(fields, values)
        kept = self._forms.get(layout)
        if kept is not None and kept.is_mounted and kept not in self.screen_stack:
            kept.refill(title, values, submit, note)
            self.push_screen(kept, done)
            return
        form = FormScreen(title, fields, values, submit, note=note)
        if kept is None:
            self.install_screen(form, name=self._keep_form(layout, form))
        self.push_screen(form, done)

    def _keep_form(self, layout: tuple, form) -> str:
        """Keep form as the one of its layout; returns the name to install it under."""
        self._forms[layout] = form
        return f"form-{len(self._forms)}"

    def show_all_milestones(self) -> None:
        from tui.screens.milestones import MilestonesScreen

        if not isinstance(self.screen, MilestonesScreen):
            self.push_screen(MilestonesScreen())

    def change_status_date(self, portfolio) -> None:
        if not self.writable("change the status date"):
            return
        from tui.screens.form import Field

        def submit(values: dict):
            with self.store_lock:
                return self.store.set_status_date(portfolio.id, portfolio.version, values["status_date"])

        def done(result) -> None:
            if result is not None:
                self.notify(f"{portfolio.name}: status date is now {result.status_date}.", title="Saved")
                self.reload_screen()

        self.open_form(f"Status date of {portfolio.name}", [Field("status_date", "Status date", placeholder="30/06/2025")],
                       {"status_date": portfolio.status_date}, submit, done)

    def show_selection_history(self) -> None:
        selection = getattr(self.screen, "selection_for_history", None)
        item = selection() if callable(selection) else None
        if item is None:
            self.notify("Select a programme, project, milestone, risk or saving first.", title="History")
            return
        from tui.screens.item_history import ItemHistoryScreen

        kind, item_id, label = item
        self.push_screen(ItemHistoryScreen(kind, item_id, label))

    def open_hit(self, kind: str, item_id: int, programme_id: int) -> None:
        """Open a programme or a project found by the palette."""
        self.open_owner(kind, item_id)

    def prebuild_owner_screens(self, kinds: tuple[str, ...] = ("programme", "project")) -> None:
        """Build the programme and project screens, hidden and empty, while nothing else is happening
        (called once home is painted), so the first Enter only fills a screen's lists; then the
        milestone form. One per call: a key pressed meanwhile waits for one build at most."""
        if not kinds:
            return
        kind, rest = kinds[0], kinds[1:]
        if kind not in self._owner_screens and self.is_running:
            if kind == "programme":
                from tui.screens.programme import ProgrammeScreen as screen_class
            else:
                from tui.screens.project import ProjectScreen as screen_class
            screen = screen_class(None)
            self._owner_screens[kind] = screen
            self._build_hidden(screen, f"kept-{kind}")  # shown by open_owner
        if rest:
            self.set_timer(0.1, lambda: self.prebuild_owner_screens(rest))
        else:
            self.set_timer(0.1, self._build_form_ahead)

    def _build_form_ahead(self) -> None:
        """Build the milestone form, hidden, as the programme and project screens are: the first
        form of a session also loads the styles of its kinds of field (~150 ms in all)."""
        from tui import forms
        from tui.screens.form import FormScreen

        values = dict(forms.DEFAULTS["milestone"])
        layout = FormScreen.layout_of(forms.MILESTONE, values)
        if layout not in self._forms and self.is_running:
            form = FormScreen("", forms.MILESTONE, values, lambda values: None)
            self._build_hidden(form, self._keep_form(layout, form))  # shown by open_form
        if self._collector is not None:
            self.set_timer(0.1, self._start_collector)  # after _lay_out_ahead

    def _build_hidden(self, screen, name: str) -> None:
        """Install a screen under name, compose and mount it now, hidden, and lay it out shortly."""
        self.install_screen(screen, name=name)
        compat.build_hidden(self, screen)
        self.set_timer(0.05, lambda: self._lay_out_ahead(screen))

    def _start_collector(self) -> None:
        self._collector.freeze_start_up()
        self.set_interval(self._collector.CHECK_SECONDS, self._collector.tick, name="idle-collector")

    def _lay_out_ahead(self, screen) -> None:
        """Lay out and draw a built screen once while it is hidden (nothing is shown), so that its
        first showing does not also pay for each widget's first layout and first drawing; and start
        its update timer, whose first tick comes a whole frame (1/60 s) after it starts. (Textual's
        own methods, private in 8.2.8, which is pinned.)"""
        if screen.is_mounted and screen not in self.screen_stack:
            compat.lay_out_hidden(self, screen)

    def open_owner(self, kind: str, owner_id: int, select: tuple[str, int] | None = None) -> None:
        """Open a programme's or a project's screen.

        One screen of each kind is kept once built and shown again with the next programme's or
        project's data: building a screen's widgets and styles costs far more than filling its lists.
        A second one is built only when the kept one is already open underneath.
        """
        if kind == "programme":
            from tui.screens.programme import ProgrammeScreen as screen_class
        else:
            from tui.screens.project import ProjectScreen as screen_class
        kept = self._owner_screens.get(kind)
        if kept is not None and kept not in self.screen_stack and kept.is_mounted and kept.show_owner(owner_id, select):
            self.push_screen(kept)
            return
        screen = screen_class(owner_id, select)
        if kept is None:
            self._owner_screens[kind] = screen
            self.install_screen(screen, name=f"kept-{kind}")
        self.push_screen(screen)
