"""Home: every programme, grouped by portfolio, with its roll-up and figures.

The list is virtualised: rows are fetched from store.home_rows a page at a time as they scroll
into view, so a file with thousands of programmes opens as fast as a small one. The store sorts
(s, or a click on a heading) and filters ('/' and the quick filters, f) in SQL.
"""
from __future__ import annotations

import contextlib
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widgets import Static

from tui import fmt
from tui.screens.base import RagScreen, status_bindings
from tui.widgets.topbar import TopBar
from tui.widgets.virtual_list import Column, ListQuery, VirtualList

WELCOME = """[b]Welcome to ragboard.[/b]

This file has no programmes yet.

  Press [b]n[/b] to add a programme. As there is no portfolio yet, the form asks for the
  portfolio's name and its status date (the "as at" date of the reporting period) too.

  Or look around the demo portfolios first: quit with [b]q[/b] and run

      ragboard seed --db demo.db
      ragboard --db demo.db

Press [b]?[/b] for every key."""


def _portfolio_cell(row, previous) -> Text:
    if previous is not None and previous.portfolio_name == row.portfolio_name:
        return Text("")
    return Text(row.portfolio_name, style="bold")


def _portfolio_unseen(vlist: VirtualList, row) -> str | None:
    """The row's portfolio, where the list is too narrow to show its Portfolio column (else None)."""
    if row is None or PORTFOLIO in vlist.shown_columns:
        return None
    return row.portfolio_name


def _count(value: int, alarm: bool = True) -> Text:
    return Text(str(value), style="bold" if value and alarm else "dim" if not value else "")


# Each sortable column names its sort as the store knows it (store HOME_SORTS).
PORTFOLIO = Column("Portfolio", 15, _portfolio_cell, grow=1, sort="portfolio", drop=1)  # hidden first
COLUMNS = [
    PORTFOLIO,
    Column("Code", 6, lambda r, p: r.programme.code, sort="code"),
    Column("Programme", 22, lambda r, p: r.programme.name, grow=3, sort="name"),
    Column("SRO", 13, lambda r, p: r.programme.sro, fit=True, least=8, sort="sro"),
    Column("RAG", 13, lambda r, p: fmt.rag_with_trend(r.programme, r.was), keep=True, sort="rag",
           short=fmt.short_rag),
    Column("DCA", 4, lambda r, p: fmt.dca_with_trend(r.programme, r.was), keep=True, drop=1,
           short=fmt.without_trend),
    Column("Proj", 4, lambda r, p: _count(r.projects, alarm=False), "right", sort="projects",
           high_first=True, drop=2),
    Column("Red", 3, lambda r, p: _count(r.red_milestones), "right", sort="red", high_first=True),
    Column("Overdue", 7, lambda r, p: _count(r.overdue_milestones), "right", sort="overdue", high_first=True),
    Column("Risks R", 7, lambda r, p: _count(r.high_risks), "right", sort="high_risks", high_first=True),
    # Net: gross (savings, income, avoided costs) less costs, for the year its paper reports savings for.
    Column("Net saved FY", 12, lambda r, p: fmt.net_for_year(r.savings_net, r.financial_year), "right",
           sort="savings", high_first=True, keep=True, short=fmt.without_year),
]
QUICK = [("red", "Red"), ("amber", "Amber"), ("overdue", "Overdue"), ("high_risks", "High risks"),
         ("changed", "Changed since the last period")]


class HomeScreen(RagScreen):
    crumb = "Programmes"
    _summary = ""  # what the list shows, when filtered (VirtualList.shown_summary)
    _portfolio_shown: str | None = None  # the selected row's portfolio, shown while its column is hidden
    BINDINGS: ClassVar[list[BindingType]] = [
        *status_bindings("home", "the programme's RAG by hand",
                         "Clear the RAG set by hand: show the one derived from its projects",
                         action="set_rag", c_does=("None", "Derive RAG", "derive")),
        Binding("e", "edit", "Edit", id="home.edit", tooltip="Edit the selected programme"),
        Binding("n", "new", "New programme", id="home.new",
                tooltip="Add a programme (and a portfolio if none)"),
        Binding("m", "all_milestones", "Milestones", id="home.milestones",
                tooltip="Every milestone of every portfolio in one list, filtered with /"),
        Binding("d", "set_dca", "Confidence", id="home.dca",
                tooltip="Set the selected programme's delivery confidence (DCA), with an optional reason"),
        Binding("w", "changes", "What changed", id="home.changes", show=False,
                tooltip="What changed in the selected programme's portfolio since its last closed period"),
        Binding("x", "close_item", "Close", show=False, id="home.close"),
    ]

    def compose(self):
        yield from self.compose_top()
        # Pages of a screenful or so: the first paint waits for one page, and a page costs the same
        # at any size.
        # The command reads this first page ahead while the app loads (ragboard_cli.main.HOME_FIRST_PAGE):
        # keep the two the same, or the first page is read again here.
        chosen = self.app.settings.lists.get("home")  # the user's own sort and quick filter
        programmes = VirtualList(
            COLUMNS,
            self._fetch,
            self._count,
            page_size=40,
            id="programmes",
            empty_text="No programme matches the filter.",
            quick=QUICK,
            key_of=lambda row: row.programme.id,
            on_count=self._counted,
            sort=chosen.sort if chosen else None,
            descending=chosen.descending if chosen else False,
        )
        programmes.only = chosen.only if chosen else None
        yield programmes
        yield Static(WELCOME, id="welcome")
        yield Static(
            f"RAG: R Red  A Amber  G Green  - Not rated.  {fmt.LEGEND}.  "
            "DCA: delivery confidence, G AG A AR R (d sets it). ↑ ↓ → was: against the last closed period. "
            "Red, Overdue: milestones (against the status date). "
            "Risks R: open risks rated Red by their portfolio's matrix. "
            "Net saved FY: savings less costs in the financial year its paper reports "
            "(else the status date's).",
            id="legend",
        )
        yield from self.compose_bottom()

    def _fetch(self, offset: int, limit: int, query: ListQuery):
        return self.app.locked(self.app.store.home_rows, offset, limit, query.text or None, sort=query.sort,
                               descending=query.descending, only=query.only)

    def _count(self, query: ListQuery) -> int:
        return self.app.locked(self.app.store.programme_count, query.text or None, only=query.only)

    def _counted(self, vlist: VirtualList) -> None:
        self._summary = vlist.shown_summary()
        self._portfolio_shown = _portfolio_unseen(vlist, vlist.selected)
        self.refresh_top(self._top_crumb())
        self.refresh_bindings()  # Escape is a key of home's footer only while the list is narrowed

    def _top_crumb(self) -> str:
        """'Programmes' (and what the list shows, if filtered); where the list is too narrow for its
        Portfolio column, the selected programme's portfolio too."""
        crumb = f"{self.crumb}: {self._summary}" if self._summary else self.crumb
        return f"{crumb} · in {self._portfolio_shown}" if self._portfolio_shown else crumb

    def on_virtual_list_highlighted(self, event: VirtualList.Highlighted) -> None:
        portfolio = _portfolio_unseen(event.vlist, event.row)
        if portfolio != self._portfolio_shown:
            self._portfolio_shown = portfolio
            with contextlib.suppress(NoMatches):
                self.query_one(TopBar).show_crumb(self._top_crumb())

    def on_mount(self) -> None:
        super().on_mount()
        self.reload(first=True)
        # Once this screen is painted and the app is idle, the next screens are built ahead.
        self.call_after_refresh(self.set_timer, 0.1, self.app.build_ahead)

    def list_widget(self) -> VirtualList:
        return self.query_one("#programmes", VirtualList)

    def reload(self, first: bool = False) -> None:
        try:
            empty = self.app.locked(self.app.store.is_empty)
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so, keep the screen
            self.notify(f"Cannot read the file: {exc}", severity="error")
            empty = False
        self.query_one("#welcome").display = empty
        self.query_one("#legend").display = not empty
        vlist = self.list_widget()
        vlist.display = not empty
        if not empty:
            try:
                vlist.reload(at_once=first)
            except Exception as exc:  # noqa: BLE001 - an unreadable file: say so, keep the screen
                self.notify(f"Cannot read the file: {exc}", severity="error")
            vlist.focus()
        self.refresh_top()

    # -- selection --------------------------------------------------------------------------

    @property
    def selected(self):
        vlist = self.list_widget()
        return vlist.selected if vlist.display else None

    def selection_for_history(self):
        row = self.selected
        return ("programme", row.programme.id, row.programme.code) if row else None

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        self.app.open_owner("programme", event.row.programme.id)

    def _replace(self, programme) -> None:
        vlist = self.list_widget()
        vlist.replace_row(
            lambda r: r.programme.id == programme.id, lambda old: old._replace(programme=programme)
        )

    # -- actions ----------------------------------------------------------------------------

    def action_all_milestones(self) -> None:
        self.app.show_all_milestones()

    def action_set_rag(self, rag: str | None) -> None:
        row = self.selected_to_change("Select a programme first.", "set a RAG")
        if row is None:
            return
        programme = row.programme
        word = rag or "derived from its projects"

        def saved(saved) -> None:
            self._replace(saved)
            self.notify(f"{programme.code} is now {fmt.rag_words(saved)}.", title="Saved")

        base = {"rag": programme.rag, "rag_reason": programme.rag_reason}
        self.set_with_reason(f"Set {programme.code} {programme.name} to {word}",
                             self.app.store.set_programme_rag, programme, rag, base, saved)

    def action_set_dca(self) -> None:
        row = self.selected_to_change("Select a programme first.", "set a delivery confidence")
        if row is None:
            return
        programme = row.programme

        def saved(saved) -> None:
            self._replace(saved)
            self.notify(f"{programme.code}'s delivery confidence is now {saved.dca or 'not assessed'}.",
                        title="Saved")

        self.choose_dca(programme, f"{programme.code} {programme.name}", self.app.store.set_programme_dca,
                        saved)

    def action_changes(self) -> None:
        row = self.selected
        if row is None:
            self.notify("Select a programme first: its portfolio's changes are shown.")
            return
        self.app.show_changes(row.programme.portfolio_id, row.portfolio_name)

    def action_edit(self) -> None:
        row = self.selected_to_change("Select a programme first.", "edit the programme")
        if row is None:
            return
        from tui import forms

        programme = row.programme
        original = forms.values_of(programme, forms.PROGRAMME)
        submit = forms.edit_submit(self.app, programme, forms.PROGRAMME, self.app.store.edit_programme)

        def done(saved) -> None:
            if saved is True:
                self.notify("No changes.")
            elif saved:
                self._replace(saved)
                self.notify(f"Programme {saved.code} saved.", title="Saved")

        self.app.open_form(f"Edit programme {programme.code}", forms.PROGRAMME, original, submit, done,
                           note=fmt.why_inferred(programme))

    def action_new(self) -> None:
        if not self.app.writable("add a programme"):
            return
        from tui import forms
        from tui.screens.form import Field

        try:
            portfolios = self.app.locked(self.app.store.portfolios)
        except Exception as exc:  # noqa: BLE001 - an unreadable file: say so, keep the screen
            self.notify(str(exc), severity="error")
            return
        if portfolios:
            fields = [
                Field("portfolio", "Portfolio", options=tuple(p.name for p in portfolios)),
                *forms.PROGRAMME,
            ]
            values = {"portfolio": portfolios[0].name}
            row = self.selected
            if row is not None:
                values["portfolio"] = row.portfolio_name
            note = ""
        else:
            fields = [*forms.NEW_PORTFOLIO, *forms.PROGRAMME]
            values = {}
            note = "There is no portfolio yet: name it and give its status date, then the programme."

        def submit(values):
            store = self.app.store
            programme_values = {f.key: values[f.key] for f in forms.PROGRAMME}
            if portfolios:
                portfolio_id = next(p.id for p in portfolios if p.name == values["portfolio"])
                return self.app.locked(store.add_programme, portfolio_id=portfolio_id, **programme_values)
            # The portfolio and its first programme are written together or not at all: a refusal of
            # either leaves the file as it was and the form open with what was typed.
            portfolio = {"name": values["portfolio_name"], "organisation": values.get("organisation", ""),
                         "status_date": values.get("status_date", "")}
            portfolio.update({f.key: values[f.key] for f in forms.NEW_PORTFOLIO
                              if f.key not in portfolio and f.key != "portfolio_name" and values.get(f.key)})
            _, programme = self.app.locked(store.add_portfolio_with_programme, portfolio, programme_values)
            return programme

        def done(saved) -> None:
            if saved and saved is not True:
                self.notify(f"Programme {saved.code} added.", title="Saved")
                self.reload()
                self.list_widget().loaded_then(
                    lambda: self.list_widget().select_where(lambda r: r.programme.id == saved.id)
                )

        self.app.open_form("New programme", fields, values, submit, done, note=note)

    def action_close_item(self) -> None:
        self.notify("Programmes are not closed or deleted here; set their projects' stage to Closed instead.")
