"""The ragboard app: handed an open store, it shows programmes, projects and their registers.

Start-up is kept light: screens other than home, and the palette's providers, are imported
when first needed.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType

from store.errors import ConflictError, InUseError, ReadOnlyError, StoreError, ValidationError
from tui import compat, fmt, safe
from tui.keeper import Keeper
from tui.settings import DEFAULT_THEME, Settings, save_theme


def _jump_provider():
    from tui.commands import JumpProvider

    return JumpProvider


class RagboardApp(App):
    """A keyboard-driven dashboard over one ragboard file."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses elsewhere still find it
    TITLE = "ragboard"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_jump_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_ctrl"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("u", "undo", "Undo", id="app.undo"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="app.undo_ctrl"),
        Binding("ctrl+y", "redo", "Redo", id="app.redo"),
    ]
    POLL_SECONDS = 0.5

    def __init__(
        self, store, *, notice: str | None = None, collect_when_idle: bool = False, build_ahead: bool = True,
        settings: Settings | None = None,
    ) -> None:
        """collect_when_idle: run Python's garbage collector while the user is idle (IdleCollector);
        the ragboard command sets it, as it owns the process (a test run does not). build_ahead: build
        the next screens while idle after start-up (most tests turn it off: it costs each ~0.2 s)."""
        super().__init__()
        compat.lines_without_self_cycles()
        self.store = store
        self.notice = notice
        # The user's settings (tui/settings.py): none given (tests), the defaults, and nothing saved.
        self.settings = settings or Settings(None)
        # The store's connection is shared by the screen and its workers: one caller at a time.
        self.store_lock = getattr(store, "lock", None) or threading.RLock()
        self._writes: deque = deque()  # (fn, args, kwargs, then, failed): the write running first
        self._waiting_timer: Any = None
        # Tests turn this off so a text cursor never blinks in a snapshot.
        self.cursor_blink = True
        self.poll_seconds = self.POLL_SECONDS
        # Seconds of no typing before a '/' filter over a long list asks the store (tests set 0).
        self.filter_delay = 0.04
        self.keeper = Keeper(self)  # screens and forms kept once built, filled again
        self.builds_ahead = build_ahead
        self._collector = None
        if collect_when_idle:
            from tui.collector import IdleCollector

            self._collector = IdleCollector()

    # -- start ---------------------------------------------------------------------------------

    def get_default_screen(self):
        from tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self.settings.theme:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        for warning in self.settings.warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=12)
        if self.notice:
            self.notify(self.notice, title="Demo data")
        self.set_interval(self.poll_seconds, self._poll, name="changed-elsewhere")
        if getattr(self.store, "checking", None) is not None:  # a test's stand-in store has no check
            self.call_after_refresh(self.store.begin_check)  # a large file's: once the screen is shown
            self._integrity_timer = self.set_interval(0.2, self._integrity_known, name="integrity")

    def _integrity_known(self) -> None:
        """Once a large file's integrity check (run on after the first screen) ends: say if it failed."""
        if self.store.checking():
            return
        self._integrity_timer.stop()
        problem = self.store.check_failed()
        if problem:
            self.notify(f"{problem} Nothing will be written to it.",
                        title="Damaged file", severity="error", timeout=3600)

    def _theme_chosen(self, theme) -> None:
        """Keep a theme the user chooses (the palette's Change theme) in the settings file."""
        settings = self.settings
        if settings.path is None or theme.name == (settings.theme or DEFAULT_THEME):
            return
        settings.theme = theme.name
        problem = save_theme(settings.path, theme.name)
        if problem:
            self.notify(problem, title="Settings", severity="warning", timeout=10)

    async def on_event(self, event) -> None:
        if self._collector is not None and isinstance(event, events.InputEvent):
            self._collector.input_seen()
        await super().on_event(event)

    # -- messages ------------------------------------------------------------------------------

    SAVED_SECONDS = 3
    # Each replaces the last of these: one notice says what just happened.
    REPLACED = ("Saved", "Saved, with a warning", "Undone", "Redone", "Writing", "Written", "Importing",
                "Imported", "Not imported")

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notice is literal text: its message usually names a record, or repeats what a user
        typed or a file held, so it is never read as markup (markup is ignored) and made safe."""
        if title in self.REPLACED and timeout is None:
            timeout = self.SAVED_SECONDS
        super().notify(safe.plain(message, multiline=True), title=safe.plain(title), severity=severity,
                       timeout=timeout, markup=False)

    def on_notify(self, event) -> None:
        """A save's (or an undo's) confirmation replaces the one before it: saves made in a row would
        otherwise pile their messages up the right of the screen, over the rows just changed."""
        if event.notification.title in self.REPLACED:
            for title in self.REPLACED:
                compat.withdraw_notices(self, title, keep=event.notification)

    # -- talking to the store ----------------------------------------------------------------

    def locked(self, fn: Callable, *args, **kwargs) -> Any:
        """Call the store under its lock; errors propagate (forms and workers handle them)."""
        with self.store_lock:
            return fn(*args, **kwargs)

    def attempt(self, fn: Callable, *args, **kwargs) -> tuple[bool, Any]:
        """Call one store read now; on refusal say why and return (False, None)."""
        try:
            with self.store_lock:
                return True, fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - said in the user's words, never a traceback
            self.refused(exc)
        return False, None

    def refused(self, exc: BaseException) -> None:
        """Say why the store refused (or failed) to do something, and reload where it helps."""
        if isinstance(exc, ValidationError):
            self.notify(exc.message and f"{exc.field}: {exc.message}", title="Not saved", severity="error")
        elif isinstance(exc, ConflictError):
            self.notify(str(exc), title="Changed elsewhere", severity="warning", timeout=10)
            self.reload_screen()
        elif isinstance(exc, ReadOnlyError):
            self.notify(str(exc), title="Read-only file", severity="warning")
        elif isinstance(exc, StoreError):
            self.notify(str(exc), title="Not saved", severity="error", timeout=8)
            self.reload_screen()
        else:
            self.log.error("store call failed", exc)
            self.notify(f"Something went wrong: {exc}", title="Error", severity="error", timeout=8)

    # Writes run off the event loop, one at a time, in the order asked: a file another program is
    # writing to (SQLite waits up to its busy timeout) never freezes the screen. A write that takes
    # longer than this says the app is waiting for the file.
    WAITING_SECONDS = 0.3

    def write(self, fn: Callable, *args, then: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], bool] | None = None, **kwargs) -> None:
        """Call one store write; then(result) on the loop once it is saved. On a refusal failed(exc) is
        asked first (True: it has dealt with it); otherwise the app says why.

        The usual case, a free file and no write queued, is written at once, on the loop, without
        waiting for the file: the row repaints in the same frame. A busy file refuses that at once
        (nothing written), and the same write goes to a thread, which waits for it."""
        job = (fn, args, kwargs, then, failed)
        if not self._writes and self.store_lock.acquire(blocking=False):
            outcome: tuple[bool, Any] | None = None
            try:
                with self.store.without_waiting():
                    outcome = (True, fn(*args, **kwargs))
            except InUseError:
                pass  # another program is writing: wait for it in a thread, below
            except Exception as exc:  # noqa: BLE001 - said in the user's words, never a traceback
                outcome = (False, exc)
            finally:
                self.store_lock.release()
            if outcome is not None:
                self._finish(job, *outcome)  # with the lock free: what follows may read in a worker
                return
        self._writes.append(job)
        if len(self._writes) == 1:
            self._start_write()

    def _start_write(self) -> None:
        fn, args, kwargs, _, _ = self._writes[0]
        self._waiting_timer = self.set_timer(self.WAITING_SECONDS, self._say_waiting)

        def run() -> None:
            try:
                with self.store_lock:
                    result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - handed to the loop, said in the user's words
                self.call_from_thread(self._written, False, exc)
            else:
                self.call_from_thread(self._written, True, result)

        self.run_worker(run, thread=True, group="store-write", exit_on_error=False)

    def _written(self, ok: bool, value: Any) -> None:
        job = self._writes.popleft()
        self._waiting_timer.stop()
        compat.withdraw_notices(self, "Waiting")
        if self._writes:
            self._start_write()
        self._finish(job, ok, value)

    def _finish(self, job: tuple, ok: bool, value: Any) -> None:
        then, failed = job[3], job[4]
        if ok:
            if then is not None:
                then(value)
        elif failed is None or not failed(value):
            self.refused(value)

    def _say_waiting(self) -> None:
        if self._writes:
            self.notify(f"Waiting for {self.store.path}: another program is writing to it. Your change is "
                        "saved as soon as it is free.", title="Waiting", timeout=30)

    def writable(self, doing: str = "change it") -> bool:
        """True if edits can be saved; otherwise say why nothing happens."""
        if self.store.read_only:
            self.notify(f"{self.store.path} is read-only, so ragboard cannot {doing}. "
                        "Copy the file somewhere writable to edit.",
                        title="Read-only file", severity="warning")
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
        if not self.store_lock.acquire(blocking=False):
            return  # a write is waiting for the file: never wait on the loop; look again next tick
        try:
            changed = self.store.changed_elsewhere()
        except Exception:  # noqa: BLE001 - an unreadable moment: look again next tick
            return
        finally:
            self.store_lock.release()
        if changed:
            self.reload_screen()

    # -- app-wide actions ----------------------------------------------------------------------

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Close once no screen is half built ahead (see Keeper.stop): quitting at once is safe."""
        built = self.keeper.stop()
        if built.done():
            super().exit(result, return_code, message)
            return

        async def when_built() -> None:
            await built
            App.exit(self, result, return_code, message)

        self.run_worker(when_built(), name="close", group="close")

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
        self.write(getattr(self.store, kind), then=lambda result: self._reverted(kind, result))

    def _reverted(self, kind: str, result) -> None:
        if result is None:
            if kind == "undo":
                self.notify(
                    "Nothing of yours to undo: this window has made no change yet. To undo someone "
                    "else's change, open the item's history (ctrl+p, History of the selection), press "
                    "Enter on the change, then u.",
                    title="Undo",
                    timeout=8,
                )
            else:
                self.notify("Nothing to redo.", title="Redo")
            return
        verb = "Undone" if kind == "undo" else "Redone"
        self.notify(f"{verb}: {result.label}", title=verb)
        self.reload_screen()

    def offer_undo(self, change) -> None:
        """From a change's detail (u): undo that change, anyone's, after a confirmation naming who
        made it and when (u elsewhere undoes only this window's own changes)."""
        if not self.writable("undo a change"):
            return
        ok, group = self.attempt(self.store.change_group_info, change.group_id)
        if not ok:
            return
        if group.kind == "import":
            self.notify("That change loaded a whole portfolio; it cannot be undone.", title="Undo")
            return
        if group.reverted:
            self.notify(
                f"That change was {'redone' if group.kind == 'undo' else 'undone'} already.", title="Undo"
            )
            return
        when = group.at.replace("T", " ").removesuffix("Z") + " UTC"
        whose = "your change" if group.who == self.store.who else f"{group.who}'s change"
        verb = "Redo" if group.kind == "undo" else "Undo"
        from tui.screens.confirm import ConfirmScreen

        def reverted(result) -> None:
            verb = "Redone" if result.kind == "redo" else "Undone"
            self.notify(f"{verb}: {result.label}", title=verb)
            self.reload_screen()

        def done(yes: bool | None) -> None:
            if yes:
                self.write(self.store.undo_group, group.id, then=reverted)

        self.push_screen(
            ConfirmScreen(
                f"{verb} {whose} of {when}?",
                f"{group.label}\nMade by {group.who} at {when}. {verb}ing it is recorded as "
                f"a change of yours, with the change it reverts.",
                yes=verb,
            ),
            done,
        )

    # -- palette -----------------------------------------------------------------------------

    def get_system_commands(self, screen):
        from textual.app import SystemCommand

        yield from super().get_system_commands(screen)
        from rich.markup import escape
        from textual.markup import escape as escape_title

        from store.text import day
        from tui import reporting

        # Textual reads a system command's title and help as markup: a name is escaped in each.
        for portfolio in self._palette_portfolios():
            name = escape_title(safe.plain(portfolio.name))
            of = escape(safe.plain(portfolio.organisation or portfolio.name))
            yield SystemCommand(
                f"Status date: {name}",
                f"Change the status date ({day(portfolio.status_date)}) of {of}",
                lambda p=portfolio: self.change_status_date(p),
            )
            yield from reporting.portfolio_commands(self, portfolio, name, of)
            yield SystemCommand(
                f"Edit portfolio: {name}",
                f"Rename this portfolio of {of}, or change its status date or risk matrix (Green up to "
                f"{portfolio.green_max}, Red from {portfolio.red_min})",
                lambda p=portfolio: self.edit_portfolio(p),
            )
        yield from reporting.file_commands(self)
        yield SystemCommand(
            "New portfolio",
            "Add a portfolio: its name, organisation, status date and risk matrix",
            self.new_portfolio,
        )
        yield SystemCommand(
            "All milestones",
            "Every milestone of every portfolio in one list, filtered with /",
            self.show_all_milestones,
        )
        selection = getattr(screen, "selection_for_history", None)
        if selection is not None:
            yield SystemCommand(
                "History of the selection",
                "Every change to the selected item, newest first",
                self.show_selection_history,
            )

    def _palette_portfolios(self) -> list:
        """Portfolios for the palette's status-date commands, never waiting on the loop for a worker
        that holds the store (the last ones read are used meanwhile)."""
        if self.store_lock.acquire(blocking=False):
            try:
                self._portfolios_seen = self.store.portfolios()
            except Exception:  # noqa: BLE001 - a busy or unreadable moment: the portfolios last read serve
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

    def open_form(
        self,
        title: str,
        fields: list,
        values: dict[str, str],
        submit: Callable,
        done: Callable | None = None,
        note: str = "",
    ) -> None:
        """Show a form (tui/screens/form.py); done(result) once it closes."""
        self.push_screen(self.keeper.form(title, fields, values, submit, note), done)

    def show_all_milestones(self) -> None:
        from tui.screens.milestones import MilestonesScreen

        if not isinstance(self.screen, MilestonesScreen):
            self.push_screen(MilestonesScreen())

    def new_portfolio(self) -> None:
        if not self.writable("add a portfolio"):
            return
        from store.fields import specs
        from tui import forms

        # The risk matrix starts as the store's default (Green up to 6, Red from 20).
        defaults = {f.key: str(specs("portfolio")[f.key].default or "") for f in forms.PORTFOLIO}

        def submit(values: dict):
            return self.locked(self.store.add_portfolio, **values)

        def done(result) -> None:
            if result:
                self.notify(f"Portfolio {result.name} added. Press n on the home screen to add its first "
                            "programme.", title="Saved", timeout=8)
                self.reload_screen()

        self.open_form("New portfolio", forms.PORTFOLIO, defaults, submit, done)

    def edit_portfolio(self, portfolio) -> None:
        if not self.writable("change a portfolio"):
            return
        from tui import forms

        submit = forms.edit_submit(self, portfolio, forms.PORTFOLIO, self.store.edit_portfolio)

        def done(result) -> None:
            if result is True:
                self.notify("No changes.")
            elif result:
                self.notify(f"Portfolio {result.name} saved.", title="Saved")
                self.reload_screen()

        self.open_form(f"Edit portfolio {portfolio.name}", forms.PORTFOLIO,
                       forms.values_of(portfolio, forms.PORTFOLIO), submit, done,
                       note=fmt.why_inferred(portfolio))

    def change_status_date(self, portfolio) -> None:
        if not self.writable("change the status date"):
            return
        from store.text import day
        from tui import forms

        def submit(values: dict):
            return self.locked(self.store.set_status_date, portfolio.id, portfolio.version,
                               values["status_date"])

        def done(result) -> None:
            if result is not None:
                self.notify(f"{portfolio.name}: status date is now {day(result.status_date)}.", title="Saved")
                self.reload_screen()

        self.open_form(f"Status date of {portfolio.name}", forms.STATUS_DATE,
                       forms.values_of(portfolio, forms.STATUS_DATE), submit, done)

    def show_changes(self, portfolio_id: int, what: str, *, programme_id: int | None = None,
                     project_id: int | None = None) -> None:
        """What changed since the portfolio's last closed period (of one programme or project)."""
        from tui.screens.changes import ChangesSinceScreen

        self.push_screen(ChangesSinceScreen(portfolio_id, what, programme_id=programme_id,
                                            project_id=project_id))

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
        """Open a programme or a project found by the palette as if reached from home, so Escape goes
        where the breadcrumb says: from a project to its programme (see RagScreen.go_back), then home."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.open_owner(kind, item_id)

    def build_ahead(self) -> None:
        """Once home is painted and the app idle: the next screens and the first form, built hidden."""
        then = self._start_collector if self._collector is not None else None
        if self.builds_ahead:
            self.keeper.build_ahead(then=then)
        elif then is not None:
            then()

    def _start_collector(self) -> None:
        collector = self._collector
        if collector is not None:
            collector.freeze_start_up()
            self.set_interval(collector.CHECK_SECONDS, collector.tick, name="idle-collector")

    def open_owner(self, kind: str, owner_id: int, select: tuple[str, int] | None = None) -> None:
        """Open a programme's or a project's screen (the kept one, shown again, where it can)."""
        self.push_screen(self.keeper.owner_screen(kind, owner_id, select))
