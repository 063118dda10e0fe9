"""What the programme and project screens share: a header, tabs of lists, and the edit keys.

The keys act on the list in the active tab: r/a/g set a milestone's status (or a project's
RAG on the Projects tab), c marks a milestone Complete on a date (or returns a project's RAG to
the derived one), e edits, n adds, x closes a risk or deletes a milestone or saving, t switches
the risks' heat map. A key that does nothing in the tab in view is not listed and does nothing;
each listed key is named for what it does there. Enter on a change in the History tab shows it
in full, where u undoes it. Every confirmed edit is one store call; the row changes in place,
then the screen refreshes its roll-ups in a worker.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from store.text import day
from tui import fmt, forms, safe
from tui.screens.base import RagScreen, status_bindings
from tui.screens.tab_lists import TabLists
from tui.widgets.heatmap import HeatMap
from tui.widgets.keybar import KeyWords
from tui.widgets.panels import HistoryPanel, MilestonePanel, Panel, ProjectsPanel, RiskPanel, SavingPanel
from tui.widgets.tab_bar import TabBar
from tui.widgets.virtual_list import VirtualList

# The tabs of a project, and of a programme after its Projects: (id, title, panel class).
ITEM_TABS = [
    ("milestones", "Milestones", MilestonePanel),
    ("risks", "Risks", RiskPanel),
    ("savings", "Savings", SavingPanel),
    ("history", "History", HistoryPanel),
]


# Where each of the screen's actions acts: the kinds of list (Panel.kind) it does something in. In
# any other tab its key is not listed and does nothing (check_action).
ACTS_IN = {
    "set_status": frozenset({"project", "milestone"}),
    "edit": frozenset({"project", "milestone", "risk", "saving"}),
    "new": frozenset({"project", "milestone", "risk", "saving"}),
    "close_item": frozenset({"milestone", "risk", "saving"}),
    "toggle_heatmap": frozenset({"risk"}),
}


def tab_bindings(tabs: list[tuple[str, str, type[Panel]]]) -> list[BindingType]:
    return [Binding(str(i + 1), f"tab({i})", title, show=False, id=f"owner.tab{i + 1}",
                    tooltip=f"Show the {title} tab")
            for i, (_, title, _) in enumerate(tabs)]


def ask_completion(app: Any, milestone: Any, status_date: str | None, then: Callable[[Any], None]) -> None:
    """c on a milestone: ask for the date it was done (its actual date if it has one, else the
    portfolio's status date) and an optional reason, then save status Complete and that date as
    one change; then(saved milestone) once written. Escape saves nothing."""
    from store import ValidationError
    from store.fields import specs
    from tui.screens.form import Field

    spec = specs("milestone")["actual"]
    # A date ("1 Mar 2014"), and here a required one: its help does not offer blank.
    actual = replace(forms.field_of("milestone", "actual", spec),
                     help=forms.date_help(spec.hint, required=True))
    fields = [actual, Field("reason", "Reason", placeholder="optional, one line")]
    values = {"actual": milestone.actual or status_date or "", "reason": ""}

    def submit(values: dict[str, str]) -> Any:
        if not values["actual"].strip():
            raise ValidationError(actual.label, "cannot be blank: enter the date it was done.")
        if milestone.status == "Complete" and values["actual"] == milestone.actual:
            return None  # as it was: nothing to save
        return app.locked(app.store.edit_milestone, milestone.id, milestone.version, values["reason"].strip(),
                          base={"status": milestone.status, "actual": milestone.actual},
                          status="Complete", actual=values["actual"])

    def preview(values: dict[str, str]) -> list[str]:
        """The store's warnings as the date is typed (the form asks under the store's lock)."""
        typed = {"status": "Complete", "actual": values["actual"]}
        return list(app.store.preview_warnings("milestone", typed, item_id=milestone.id))

    submit.preview = preview  # type: ignore[attr-defined]  # the form's way to show warnings (tui/forms.py)

    def done(saved: Any) -> None:
        if saved is not None and saved is not True:
            then(saved)

    app.open_form(f"Complete milestone {fmt.one_line(milestone.name, 50)}", fields, values, submit, done,
                  note="Marks it Complete (Blue) on the date it was done. Enter saves, Escape cancels.")


class OwnerScreen(RagScreen):
    """A programme or project: header lines and a tab per list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *status_bindings("owner", "the selected milestone (or project)",
                         "Mark the selected milestone Complete (on a project: back to its derived RAG)"),
        Binding("e", "edit", "Edit", id="owner.edit", tooltip="Edit the selected item in a form"),
        Binding("n", "new", "New", id="owner.new", tooltip="Add a new item to the list in view"),
        Binding("x", "close_item", "Close", id="owner.close",
                tooltip="Close the selected risk, or delete the selected milestone or saving (asks first)"),
        # Ahead of the risk list's own t, so the footer's word for it follows each press (priority:
        # a key typed into the '/' or reason line still goes there, as those lines take t as text).
        Binding("t", "toggle_heatmap", "Residual", id="owner.heat_map", priority=True,
                tooltip="Switch the heat map between inherent and residual scores"),
        Binding("d", "set_dca", "Confidence", id="owner.dca", show=False,
                tooltip="Set the delivery confidence (DCA) of the selected project, or of this programme "
                        "or project, with an optional reason"),
        Binding("w", "changes", "What changed", id="owner.changes", show=False,
                tooltip="What changed here since the portfolio's last closed period, with who and why"),
        Binding("tab", "next_tab(1)", "Next tab", show=False, id="owner.next_tab"),
        Binding("shift+tab", "next_tab(-1)", "Previous tab", show=False, id="owner.previous_tab"),
    ]
    TABS: ClassVar[list[tuple[str, str, type[Panel]]]] = []  # (id, title, panel class)
    owner_kind = ""

    def __init__(self, owner_id: int | None, select: tuple[str, int] | None = None) -> None:
        super().__init__()
        self.owner_id = owner_id
        # (tab id, record id): the tab to open at and the record to select once its list is shown.
        self.pending_select = select
        self.record: Any = None  # the programme or project shown, and its portfolio
        self.portfolio: Any = None
        self.was: Any = None  # the record when its portfolio's last period closed (store.PeriodItem)
        self.loaded = self.shown_fresh = False  # fetched once; just fetched (the next resume need not)
        self.lists = TabLists([tab_id for tab_id, _, _ in self.TABS])
        self.active_tab = self.TABS[0][0]
        # Each tab's list once found or built (a query walks every widget).
        self._panels: dict[str, Panel] = {}

    @property
    def data(self) -> dict:
        """Each tab's records as last fetched (a list built on its tab's first visit shows them)."""
        return self.lists.data

    @property
    def owner(self) -> dict:
        return {f"{self.owner_kind}_id": self.owner_id}

    def compose(self):
        yield from self.compose_top()
        yield Static(id="owner-header")
        yield TabBar([title for _, title, _ in self.TABS], id="tab-bar")
        # Only the first tab's list is built now; the others when first shown (a screen opens faster).
        # Each tab's list sits below the tab bar, the one in view the only one displayed (no
        # container around them: every container is drawn, line by line, when a screen opens).
        tab_id, _, panel_class = self.TABS[0]
        yield panel_class(self.owner, id=f"panel-{tab_id}")
        yield Static(f"{fmt.LEGEND}.", id="legend")
        yield from self.compose_bottom()

    def on_mount(self) -> None:
        super().on_mount()
        if self.owner_id is None:
            return  # built ahead, empty: show_owner fills it before it is shown
        # The first load is a handful of indexed queries (a few milliseconds): done at once so the
        # screen opens complete. Reloads (after edits, or changes from another window) use a worker.
        try:
            fetched = self._fetch_all(self._opening_tabs(self.pending_select))
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so (or keep the screen shown)
            self._load_failed(exc)
            return
        self._loaded(*fetched)
        self.shown_fresh = True  # just fetched: the resume that follows need not fetch again

    def show_owner(self, owner_id: int, select: tuple[str, int] | None = None) -> bool:
        """Show another programme or project in this (already built) screen, before it is pushed
        again: its first tab, no filter, lists filled from the file now. False if it cannot be read."""
        previous = self.owner_id
        self.owner_id = owner_id
        try:
            fetched = self._fetch_all(self._opening_tabs(select))
        except Exception:  # noqa: BLE001 - an unreadable file: say so (or keep the screen shown)
            self.owner_id = previous
            return False
        self.pending_select = select
        self.stale = False
        self.shown_fresh = True  # the resume that follows the push need not fetch again
        box = self.filter_box()
        if box is not None:
            with box.prevent(Input.Changed):
                box.value = ""
            box.display = False
        first = self.TABS[0][0]
        built = []
        for panel in self.query(Panel):
            panel.owner = self.owner
            panel.table.filter_text = ""
            built.append((panel.id or "").removeprefix("panel-"))
            if panel.id == f"panel-{first}":  # the list shown first; the others are emptied as shown
                panel.table.clear()
                panel.table.scroll_to(0, 0, animate=False, immediate=True)
        self.lists.new_owner(first, built)
        if self.active_tab != first:
            self._show_tab(first)
        self._loaded(*fetched)
        panel = self.active_panel()
        if panel.is_mounted:  # a list built just now takes the focus itself when mounted
            self.set_focus(panel.table)
        return True

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    def _opening_tabs(self, select: tuple[str, int] | None) -> set[str]:
        """The tabs whose lists a screen opens on: the first, and the one holding a record to select."""
        return {self.TABS[0][0], *([select[0]] if select else [])}

    def _fetch_all(self, tabs: set[str]):
        """The record, its portfolio, and the lists of these tabs (the others are fetched as shown)."""
        app = self.app
        with app.store_lock:
            record = self.fetch_record(app.store)
            portfolio = app.store.portfolio_of(**self.owner)
            self.was = app.store.previous(self.owner_kind, [record.id]).get(record.id)
            data = {
                tab_id: panel_class.fetch(app.store, self.owner)
                for tab_id, _, panel_class in self.TABS
                if tab_id in tabs
            }
        return record, portfolio, data

    @work(thread=True, exclusive=True, group="owner-load")
    def _load(self) -> None:
        app = self.app
        try:
            fetched = self._fetch_all({self.active_tab})
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so (or keep the screen shown)
            app.call_from_thread(self._load_failed, exc)
            return
        app.call_from_thread(self._loaded, *fetched)

    def _load_failed(self, exc: Exception) -> None:
        from store.errors import NotFoundError

        if isinstance(exc, NotFoundError):
            self.notify(
                f"This {self.owner_kind} no longer exists; it was removed in another window.",
                severity="warning",
            )
            self.go_back()
            return
        self.notify(f"Cannot read the file: {exc}", severity="error")

    def _loaded(self, record, portfolio, data) -> None:
        self.record = record
        self.portfolio = portfolio
        self.query_one("#owner-header", Static).update(safe.made_safe(self.header(record, portfolio)))
        # Only the list in view is filled now; the other tabs' lists when they are shown.
        active = self.active_tab
        self.lists.fetched(data, active)
        for panel in self.query(Panel):
            if panel.id == f"panel-{active}":
                panel.show(data[active])
        self.refresh_top(self.crumb_for(record))
        self.loaded = True
        if self.pending_select is not None:
            tab_id = self.pending_select[0]
            if self.active_tab != tab_id:
                self.action_tab(self._tab_index(tab_id))  # its list selects the record
                return
            self.select_pending(self.active_panel())
        if self.focused is None:
            self.active_panel().table.focus()

    def select_pending(self, panel: Panel) -> None:
        """Select the record this screen was opened for, once its tab's list shows it."""
        if self.pending_select is None or panel.id != f"panel-{self.pending_select[0]}":
            return
        _, record_id = self.pending_select
        self.pending_select = None
        panel.table.select_key(str(record_id))
        panel.table.focus()

    def fetch_record(self, store):
        raise NotImplementedError

    def header(self, record, portfolio):
        raise NotImplementedError

    def append_rag(self, text, record, portfolio) -> None:
        """The header's RAG, marked derived or set by hand, and its delivery confidence, each with its
        trend against the last closed period and the reason given for it; the portfolio's headline
        first."""
        rag = Text("   RAG ")
        rag.append_text(fmt.rag_with_trend(record, self.was))
        if record.rag_reason:
            rag.append(f"  because: {fmt.one_line(record.rag_reason, 50)}")
        dca = Text("   DCA ")
        dca.append_text(fmt.dca_with_trend(record, self.was, short=False))
        if record.dca_reason:
            dca.append(f"  because: {fmt.one_line(record.dca_reason, 50)}")
        for part in (dca, rag) if getattr(portfolio, "headline", "RAG") == "DCA" else (rag, dca):
            text.append_text(part)

    @staticmethod
    def append_status_date(text, portfolio) -> None:
        """'   Status date: 31 Mar 2014', marked ≈ when the paper prints no such date."""
        text.append("   Status date: ")
        text.append_text(fmt.inferred(portfolio, "status_date", fmt.date(portfolio.status_date)))

    @staticmethod
    def append_roles(text, record) -> None:
        """Every other role its paper names for the record, as printed: 'Also: Cabinet Member: ...'."""
        roles = [fmt.one_line(line, 80) for line in (record.roles or "").splitlines() if line.strip()]
        if roles:
            text.append(f"\nAlso: {'; '.join(roles)}")

    @staticmethod
    def append_source(text, record, description_width: int, unsourced: str) -> None:
        """The header's source document and line (or unsourced), then the description's first line."""
        source = (
            f"{safe.plain(record.source)} line {safe.plain(record.source_line)}"
            if record.source
            else unsourced
        )
        text.append(f"\nSource: {source}", style="dim")
        if record.description:
            text.append(f"\n{fmt.one_line(record.description, description_width)}", style="italic")

    def crumb_for(self, record) -> str:
        raise NotImplementedError

    # -- tabs -------------------------------------------------------------------------------

    def active_panel(self) -> Panel:
        panels = self._panels
        panel = panels.get(self.active_tab)
        if panel is None:
            found = self.query(f"#panel-{self.active_tab}")
            if found:
                panel = found.first(Panel)
            else:  # first visit to this tab: build its list now, from the data already fetched
                panel_class = self._panel_class(self.active_tab)
                panel = panel_class(self.owner, id=f"panel-{self.active_tab}")
                self.mount(panel, after=self.query_one(TabBar))  # it shows self.data when mounted
            panels[self.active_tab] = panel
        return panel

    def list_widget(self):
        return self.active_panel().table

    def _fill_tab(self, tab_id: str) -> None:
        """Give a built list the data fetched for this screen, if it has not had it yet."""
        panels = [panel for panel in self.query(f"#panel-{tab_id}").results(Panel) if panel.is_mounted]
        if not panels:
            return  # not built yet, or built just now: a list shows self.data when mounted
        fill = self.lists.take_fill(tab_id)
        if fill is None:
            return
        data, from_top = fill
        for panel in panels:
            if from_top:  # it showed another programme or project
                panel.table.clear()
                panel.table.scroll_to(0, 0, animate=False, immediate=True)
            panel.show(data)

    def _tab_index(self, tab_id: str) -> int:
        return next(i for i, (t, _, _) in enumerate(self.TABS) if t == tab_id)

    def _panel_class(self, tab_id: str) -> type[Panel]:
        return self.TABS[self._tab_index(tab_id)][2]

    def _show_tab(self, tab_id: str) -> Panel:
        """Put this tab's list in view (building it on the first visit) and mark its title."""
        self.active_tab = tab_id
        panel = self.active_panel()
        for other in self.query(Panel):
            other.display = other is panel
        self.query_one(TabBar).show_active(self._tab_index(tab_id))
        self.refresh_bindings()  # the keys that act, and what they do, follow the tab
        return panel

    def action_tab(self, index: int) -> None:
        if index >= len(self.TABS) or self.TABS[index][0] == self.active_tab:
            return
        tab_id = self.TABS[index][0]
        self._fill_tab(tab_id)  # before it shows: never a frame of the last one's rows
        panel = self._show_tab(tab_id)
        self._refresh_stale_tab(tab_id)
        if panel.is_mounted:  # (a list built just now takes the focus, and selects, when mounted)
            panel.table.focus()
            self.select_pending(panel)
        box = self.filter_box()
        if box is not None and box.display:
            box.value = ""
            box.display = False

    def action_next_tab(self, step: int) -> None:
        self.action_tab((self._tab_index(self.active_tab) + step) % len(self.TABS))

    def on_tab_bar_chosen(self, event: TabBar.Chosen) -> None:
        self.action_tab(event.index)

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """Enter on a row: a project opens; a milestone, risk or saving opens in its form."""
        panel = self.active_panel()
        if event.vlist is not panel.table:
            return
        if isinstance(panel, HistoryPanel):
            if panel.selected is not None:
                from tui.screens.change_detail import ChangeDetailScreen

                self.app.push_screen(ChangeDetailScreen(panel.selected))
        elif isinstance(panel, ProjectsPanel):
            self.app.open_owner("project", panel.selected.project.id)
        else:
            self.action_edit()

    def resumed(self) -> None:
        if self.shown_fresh:
            self.shown_fresh = False
            self.refresh_top()
            return
        if self.stale:
            self.stale = False
            self.reload()
        elif self.loaded:
            self.reload()  # a project below a programme may have changed its roll-up

    def selection_for_history(self):
        panel = self.active_panel()
        record = panel.selected
        if isinstance(panel, HistoryPanel) or record is None:
            if self.record is None:
                return None
            return (self.owner_kind, self.owner_id, self.crumb_for(self.record))
        if isinstance(panel, ProjectsPanel):
            return ("project", record.project.id, record.project.name)
        label = (
            getattr(record, "name", None)
            or getattr(record, "reference", None)
            or getattr(record, "description", None)
            or f"{getattr(record, 'year', '')} {getattr(record, 'kind', '')}"
        )
        return (panel.kind, record.id, fmt.one_line(label, 50))

    # -- after a save -----------------------------------------------------------------------

    def saved(self, panel: Panel, record, message: str, warnings: list[str] | None = None) -> None:
        """Show the saved record in its row at once, say so (with what now looks wrong, if anything:
        the save went through all the same), then refresh the roll-ups."""
        if isinstance(panel, ProjectsPanel):
            from tui.widgets.panels import _Keyed

            old = panel.selected
            if old is not None and old.project.id == record.id:
                panel.table.update_record(_Keyed(record.id, old._replace(project=record)))
        else:
            panel.table.update_record(record)
        if warnings:
            self.notify(f"{message} ⚠ {' '.join(warnings)}", title="Saved, with a warning",
                        severity="warning")
        else:
            self.notify(message, title="Saved")
        self.edited(panel)

    def edited(self, panel: Panel) -> None:
        """After an edit shown in its row: the header's roll-up is fetched again in a worker, and the
        other tabs' lists (the history above all) when next shown. The list in view is not rebuilt."""
        shown = (panel.id or "").removeprefix("panel-")
        panel.records_changed()
        self.lists.edited(shown)
        self.call_after_refresh(
            self._refresh_header
        )  # after the row is painted: the worker competes for the GIL

    @work(thread=True, exclusive=True, group="owner-header")
    def _refresh_header(self) -> None:
        app = self.app
        try:
            with app.store_lock:
                record = self.fetch_record(app.store)
                portfolio = app.store.portfolio_of(**self.owner)
                self.was = app.store.previous(self.owner_kind, [record.id]).get(record.id)
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so (or keep the screen shown)
            app.call_from_thread(self._load_failed, exc)
            return
        app.call_from_thread(self._header_loaded, record, portfolio)

    def _header_loaded(self, record, portfolio) -> None:
        self.record = record
        self.portfolio = portfolio
        self.query_one("#owner-header", Static).update(safe.made_safe(self.header(record, portfolio)))
        self.refresh_top(self.crumb_for(record))

    def _refresh_stale_tab(self, tab_id: str) -> None:
        """A list not fetched yet, or changed by an edit made on another tab: fetched as it is shown."""
        if not self.lists.take_stale(tab_id):
            return
        panel_class = self._panel_class(tab_id)
        try:
            data = self.app.locked(panel_class.fetch, self.app.store, self.owner)
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so (or keep the screen shown)
            self._load_failed(exc)
            return
        self.lists.refetched(tab_id, data)
        self._fill_tab(tab_id)

    # -- keys -------------------------------------------------------------------------------

    def _tab_kind(self) -> str:
        """The kind of list in the tab in view (its class's, so no list is built to ask)."""
        return self._panel_class(self.active_tab).kind

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key acts only in the tabs where its action does something (ACTS_IN); elsewhere it is
        neither listed nor acted on."""
        if action == "tab":  # the number of the tab in view shows nothing new
            return bool(parameters) and parameters[0] != self._tab_index(self.active_tab)
        acts_in = ACTS_IN.get(action)
        return acts_in is None or self._tab_kind() in acts_in

    def describe_key(self, binding: Binding) -> KeyWords | None:
        """What a key does in the tab in view, for the footer and help (None: as bound)."""
        kind = self._tab_kind()
        noun = self._panel_class(self.active_tab).noun
        name = binding.id or ""
        if name in ("owner.red", "owner.amber", "owner.green"):
            status = name.removeprefix("owner.").capitalize()
            if kind == "project":
                return KeyWords(status, f"Set the selected project's RAG to {status} by hand, "
                                        "with an optional reason")
            return KeyWords(status, f"Set the selected milestone to {status}, with an optional reason")
        if name == "owner.complete":
            if kind == "project":
                return KeyWords("Derive RAG", "Return the selected project's RAG to the one derived "
                                              "from its milestones, with an optional reason")
            return KeyWords("Complete", "Mark the selected milestone Complete: asks for its actual date "
                                        "and an optional reason")
        if name == "owner.edit":
            return KeyWords("Edit", f"Edit the selected {noun} in a form")
        if name == "owner.new":
            return KeyWords("New", f"Add a {noun} to this list")
        if name == "owner.close":
            if kind == "risk":
                return KeyWords("Close risk", "Close the selected risk (asks first)")
            return KeyWords("Delete", f"Delete the selected {noun} (asks first; u undoes it)")
        if name == "owner.heat_map":
            shows = "Inherent" if self._heat_map_residual() else "Residual"
            return KeyWords(shows, f"Show the heat map's {shows.lower()} scores")
        if binding.key == "enter" and name.startswith(("records.", "list.")):
            if kind == "history":
                return KeyWords("Details", "Show the selected change in full; u there undoes it")
            if kind == "project":
                return KeyWords("Open", "Open the selected project")
            return KeyWords("Edit", f"Edit the selected {noun} in a form", shown=False)  # e, listed
        return None

    def _heat_map_residual(self) -> bool:
        """True while the risks tab's heat map shows residual scores (False before it is built)."""
        panel = self._panels.get("risks")
        if panel is None or not panel.is_mounted:
            return False
        maps = panel.query(HeatMap)
        return bool(maps) and maps.first().residual

    def action_toggle_heatmap(self) -> None:
        panel = self.active_panel()
        if isinstance(panel, RiskPanel) and panel.is_mounted:
            panel.query_one(HeatMap).toggle()
            self.refresh_bindings()  # t now shows the other scores: its word says so

    # -- actions ----------------------------------------------------------------------------

    def _selected(self, panel: Panel, doing: str):
        record = panel.selected
        if record is None:
            self.notify(f"There is no {panel.noun} selected to {doing}.")
        return record

    def action_set_status(self, status: str) -> None:
        panel = self.active_panel()
        if isinstance(panel, ProjectsPanel):
            self._set_project_rag(panel, None if status == "Complete" else status)
            return
        if not isinstance(panel, MilestonePanel):
            return  # (check_action keeps r, a, g and c to the tabs where they act)
        milestone = self._selected(panel, "set")
        if milestone is None or not self.app.writable("set a milestone's status"):
            return
        if status == "Complete":
            status_date = self.portfolio.status_date if self.portfolio is not None else None
            ask_completion(self.app, milestone, status_date,
                           lambda saved: self._milestone_saved(panel, saved))
            return
        self.set_with_reason(f"Set '{fmt.one_line(milestone.name, 50)}' to {status}",
                             self.app.store.set_milestone_status, milestone, status,
                             {"status": milestone.status}, lambda saved: self._milestone_saved(panel, saved))

    def _milestone_saved(self, panel: Panel, saved) -> None:
        """A milestone's new status shown in its row and said, with what the store finds odd about it
        now (Green but overdue, done after the status date) as a warning."""
        from store.warnings import milestone_warnings

        message = f"{fmt.one_line(saved.name, 50)}: {saved.status}"
        if saved.status == "Complete" and saved.actual:
            message += f" on {day(saved.actual)}"
        message += "."
        warnings = milestone_warnings(saved, self.portfolio.status_date) if self.portfolio is not None else []
        self.saved(panel, saved, message, warnings)

    def action_set_dca(self) -> None:
        """d: the selected project's delivery confidence on the Projects tab, else this screen's own."""
        panel = self.active_panel()
        if isinstance(panel, ProjectsPanel):
            row = self._selected(panel, "set")
            if row is None or not self.app.writable("set a delivery confidence"):
                return
            project = row.project

            def saved_row(saved) -> None:
                self.saved(panel, saved, f"{fmt.one_line(saved.name, 50)}: delivery confidence "
                                         f"{saved.dca or 'not assessed'}.")

            self.choose_dca(project, f"'{fmt.one_line(project.name, 50)}'", self.app.store.set_project_dca,
                            saved_row)
            return
        record = self.record
        if record is None or not self.app.writable("set a delivery confidence"):
            return
        method = (self.app.store.set_project_dca if self.owner_kind == "project"
                  else self.app.store.set_programme_dca)

        def saved(saved) -> None:
            self.notify(f"{fmt.one_line(saved.name, 50)}: delivery confidence {saved.dca or 'not assessed'}.",
                        title="Saved")
            self.edited(panel)

        self.choose_dca(record, f"'{fmt.one_line(record.name, 50)}'", method, saved)

    def action_changes(self) -> None:
        if self.portfolio is None or self.record is None:
            return
        scope = {f"{self.owner_kind}_id": self.record.id}
        self.app.show_changes(self.portfolio.id, fmt.one_line(self.record.name, 60), **scope)

    def _set_project_rag(self, panel: ProjectsPanel, rag: str | None) -> None:
        row = self._selected(panel, "set")
        if row is None or not self.app.writable("set a project's RAG"):
            return
        project = row.project

        def saved(saved) -> None:
            self.saved(panel, saved, f"{fmt.one_line(saved.name, 50)}: {fmt.rag_words(saved)}.")

        word = rag or "the RAG derived from its milestones"
        base = {"rag": project.rag, "rag_reason": project.rag_reason}
        self.set_with_reason(f"Set '{fmt.one_line(project.name, 50)}' to {word}",
                             self.app.store.set_project_rag, project, rag, base, saved)

    def action_edit(self) -> None:
        panel = self.active_panel()
        if isinstance(panel, HistoryPanel):
            return  # (check_action: e is not a key of the History tab)
        record = self._selected(panel, "edit")
        if record is None or not self.app.writable(f"edit the {panel.noun}"):
            return
        if isinstance(panel, ProjectsPanel):
            record = record.project
        kind = panel.kind
        fields = forms.FIELDS[kind]
        original = forms.values_of(record, fields)
        submit = forms.edit_submit(self.app, record, fields, getattr(self.app.store, f"edit_{kind}"))

        def done(saved) -> None:
            if saved is True:
                self.notify("No changes.")
            elif saved:
                self.saved(panel, saved, f"{kind.capitalize()} saved.")

        name = getattr(record, "name", "") or getattr(record, "reference", "") or ""
        title = f"Edit {kind} {fmt.one_line(name, 40)}"
        self.app.open_form(title.strip(), fields, original, submit, done, note=fmt.why_inferred(record))

    def action_new(self) -> None:
        panel = self.active_panel()
        if isinstance(panel, HistoryPanel):
            return  # (check_action: n is not a key of the History tab)
        if not self.app.writable(f"add a {panel.noun}"):
            return
        kind = panel.kind
        fields = forms.FIELDS[kind]
        values = dict(forms.DEFAULTS.get(kind, {}))
        if kind == "saving" and self.portfolio is not None:
            from store import savings_year

            values["year"] = savings_year(self.portfolio)
        store = self.app.store

        def submit(values):
            if kind == "project":
                return self.app.locked(store.add_project, programme_id=self.owner_id, **values)
            return self.app.locked(getattr(store, f"add_{kind}"), **self.owner, **values)

        if kind in ("milestone", "risk"):  # the form shows the store's warnings as it is filled in
            submit = forms.with_preview(submit, self.app, kind, fields, **self.owner)

        def done(saved) -> None:
            if saved and saved is not True:
                if kind == "project":
                    from store.records import ProjectSummary
                    from tui.widgets.panels import _Keyed

                    panel.table.add_record(_Keyed(saved.id, ProjectSummary(saved, None, None, 0, 0)))
                else:
                    panel.table.add_record(saved)
                self.notify(f"{kind.capitalize()} added.", title="Saved")
                self.edited(panel)

        self.app.open_form(f"New {kind}", fields, values, submit, done)

    def action_close_item(self) -> None:
        panel = self.active_panel()
        if isinstance(panel, (HistoryPanel, ProjectsPanel)):
            return  # (check_action: x is not a key of these tabs; a project closes by its stage)
        record = self._selected(panel, "close")
        if record is None or not self.app.writable(f"close or delete the {panel.noun}"):
            return
        store = self.app.store
        from tui.screens.confirm import ConfirmScreen

        if isinstance(panel, RiskPanel):
            if record.status == "Closed":
                self.notify("That risk is already closed. Press e to reopen it (Status: Open).")
                return
            label = record.reference or fmt.one_line(record.description, 40)
            question = ConfirmScreen(
                f"Close risk {label}?", fmt.one_line(record.description, 200), yes="Close"
            )

            def done(yes: bool | None) -> None:
                if yes:
                    self.app.write(
                        store.close_risk,
                        record.id,
                        record.version,
                        then=lambda saved: self.saved(panel, saved, f"Risk {label} closed."),
                    )
        else:
            label = (
                fmt.one_line(record.name, 50)
                if panel.kind == "milestone"
                else f"{record.year} {record.kind} {fmt.money(record.amount)}"
            )
            question = ConfirmScreen(
                f"Delete {panel.noun} {label}?", "It goes from the file; u undoes it.", yes="Delete"
            )
            method = getattr(store, f"delete_{panel.kind}")

            def done(yes: bool | None) -> None:
                if yes:
                    self.app.write(method, record.id, record.version, then=deleted)

            def deleted(_) -> None:
                panel.table.remove_record(record.id)
                self.notify(f"{panel.noun.capitalize()} {label} deleted.", title="Saved")
                self.edited(panel)

        self.app.push_screen(question, done)
