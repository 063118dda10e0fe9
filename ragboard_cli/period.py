"""ragboard period: close a portfolio's reporting period, or list the periods closed."""
from __future__ import annotations

import argparse

from ragboard_cli.outfile import Refused, choose, command, db_path, open_existing


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    period = sub.add_parser(
        "period",
        help="close a portfolio's reporting period, or list those closed",
        description="A portfolio's status date ends its reporting period. Closing it keeps every RAG, "
        "delivery confidence, risk score and saving as they stand (screens and reports then show the "
        "trend against them) and moves the status date on.",
    )
    actions = period.add_subparsers(dest="period_action", metavar="ACTION", required=True)
    close = command(actions, "close", "close the period at the portfolio's status date",
                    "Close the portfolio's period at its status date and move the status date on (by "
                    "default a month: 31 Mar to 30 Apr).")
    listing = command(actions, "list", "list the periods closed", "List the reporting periods closed.")
    close.add_argument("--portfolio", metavar="NAME", required=True, help="the portfolio, by name")
    close.add_argument("--next", metavar="DATE", dest="next_date",
                       help="the new status date (default: a month on), e.g. 30/04/2025")
    close.add_argument("--reason", default="", help="why, for the history")
    listing.add_argument("--portfolio", metavar="NAME", help="only this portfolio")


def run(args: argparse.Namespace) -> int:
    from store import StoreError
    from store.text import day, plain

    read_only = args.period_action == "list"
    with open_existing(db_path(args), read_only=read_only) as store:
        portfolios = {p.name: p for p in store.portfolios()}
        chosen = None
        if args.portfolio is not None:
            chosen = portfolios[choose("portfolio", args.portfolio, list(portfolios))]
        if args.period_action == "list":
            shown = store.periods(chosen.id if chosen else None)
            names = {p.id: p.name for p in portfolios.values()}
            for period in shown:
                starts = f"{day(period.starts)} to " if period.starts else "up to "
                closed = f"{day(period.closed_at[:10])} {period.closed_at[11:16]} UTC"
                print(f"{plain(names.get(period.portfolio_id, '?'))}: {starts}{day(period.ends)}, "
                      f"closed {closed} by {plain(period.who)}")
            if not shown:
                print("No period has been closed yet.")
            return 0
        assert chosen is not None  # --portfolio is required to close
        try:
            period = store.close_period(chosen.id, chosen.version, args.next_date, args.reason)
        except StoreError as exc:
            raise Refused(str(exc)) from None
        now = store.portfolio(chosen.id)
        print(f"Closed the period of {plain(chosen.name)} to {day(period.ends)}; "
              f"its status date is now {day(now.status_date)}.")
    return 0
