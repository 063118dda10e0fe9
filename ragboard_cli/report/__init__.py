"""ragboard report: a board-ready highlight report of each programme, in Markdown, HTML or PDF.

It opens with each portfolio's summary (RAG and DCA counts, savings by year, the RAG/DCA grid),
then a highlight report per programme: the period covered, RAG and DCA with their trend and
reason, milestones completed this period and due next, slipped milestones, the top risks and a
heat map, savings by financial year against plan, and what changed since the last period.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ragboard_cli.outfile import Refused, beside, check_out, choose, command, db_path, open_existing

SUFFIXES = (".md", ".html", ".pdf")
PDF_MISSING = ("writing a PDF needs the report extra: pip install 'ragboard[report]' "
               "(or write .html and print it to PDF)")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = command(sub, "report", "write a board highlight report (Markdown, HTML or PDF)",
                     "Write a highlight report of each programme for a board: RAG and delivery confidence "
                     "with their trend and reason, milestones completed and due, slippage, top risks, "
                     "savings by year and what changed since the last period. OUT ends in .md, .html or "
                     ".pdf (PDF needs: pip install 'ragboard[report]').")
    report.add_argument("--portfolio", metavar="NAME", help="only this portfolio")
    report.add_argument("--programme", metavar="CODE", help="only this programme")
    report.add_argument("--out", metavar="OUT", required=True, help="the file to write: .md, .html or .pdf")
    report.add_argument("--force", action="store_true", help="replace an existing OUT")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    check_out(out, force=args.force, suffixes=SUFFIXES)
    if out.suffix.lower() == ".pdf":
        _weasyprint()  # before any work: a missing extra is said at once
    with open_existing(db_path(args)) as store:
        portfolio, programme = _scope(store, args.portfolio, args.programme)
        write_report(store, out, portfolio=portfolio, programme=programme)
    print(f"Wrote {out}")
    return 0


def _scope(store: Any, portfolio: str | None, programme: str | None) -> tuple[str | None, str | None]:
    """The portfolio and programme asked for, as the file names them, or Refused listing the choices."""
    portfolios = store.portfolios()
    if portfolio is not None:
        portfolio = choose("portfolio", portfolio, [p.name for p in portfolios])
    if programme is not None:
        rows = [row for row in _programmes(store)
                if portfolio is None or row.portfolio_name == portfolio]
        codes = sorted({row.programme.code for row in rows})
        programme = choose("programme", programme, codes)
        holders = {row.portfolio_name for row in rows if row.programme.code == programme}
        if len(holders) > 1:
            held = "; ".join(sorted(holders))
            raise Refused(f"programme {programme} is in more than one portfolio ({held}); "
                          "give --portfolio too.")
    return portfolio, programme


def _programmes(store: Any) -> list[Any]:
    from ragboard_cli.report.facts import _all_home_rows

    return _all_home_rows(store)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError):  # not installed, or its system libraries (Pango) missing
        raise Refused(PDF_MISSING) from None
    return weasyprint


def write_report(store: Any, out: Path, *, portfolio: str | None = None, programme: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
    """Write the report of store (one portfolio or programme, or all) to out, by its suffix; the
    file is written beside out and renamed, so a failure leaves nothing partial."""
    from ragboard_cli.report import facts, html, markdown

    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(f"{out}: the file name must end in .md, .html or .pdf.")
    weasyprint = _weasyprint() if suffix == ".pdf" else None
    gathered = facts.gather(store, portfolio=portfolio, programme=programme)
    with beside(out) as temp:
        if suffix == ".md":
            temp.write_text(markdown.render(gathered, progress=progress), encoding="utf-8")
            return
        page = html.render(gathered, progress=progress)
        if weasyprint is None:
            temp.write_text(page, encoding="utf-8")
        else:
            weasyprint.HTML(string=page, base_url=None).write_pdf(temp)
