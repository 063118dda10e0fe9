"""The report's pictures, as inline SVG (no network, no script): the RAG/DCA grid and the risk heat
map. Colour is never alone: every cell carries its letter or count."""
from __future__ import annotations

from html import escape

from ragboard_cli.report import words
from store.rag import risk_rag

FILL = {"Red": "#b71c1c", "Amber": "#ffb300", "Green": "#2e7d32", "Complete": "#1565c0",
        "Amber/Green": "#c0ca33", "Amber/Red": "#e65100"}
DARK_TEXT = {"Amber", "Amber/Green"}
CELL = 28
NAME_WIDTH = 260


def _cell(x: int, y: int, value: str | None, label: str, *, width: int = CELL) -> str:
    fill = FILL.get(value or "", "#e0e0e0")
    ink = "#000" if (value in DARK_TEXT or value is None) else "#fff"
    return (f'<rect x="{x}" y="{y}" width="{width - 2}" height="{CELL - 2}" fill="{fill}" rx="3"/>'
            f'<text x="{x + (width - 2) / 2}" y="{y + CELL / 2 + 4}" text-anchor="middle" '
            f'font-size="12" font-weight="bold" fill="{ink}">{escape(label)}</text>')


def rag_grid(programmes) -> str:  # programmes: list[ProgrammeFacts]
    """Each programme a row: its RAG and DCA as coloured letters, with the trend beside each."""
    columns = [("RAG", 40), ("Trend", 70), ("DCA", 40), ("Trend", 70)]
    height = CELL * (len(programmes) + 1) + 4
    width = NAME_WIDTH + sum(w for _, w in columns) + 8
    parts = [f'<svg role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
             "<title>RAG and delivery confidence of each programme</title>"]
    x = NAME_WIDTH
    for title, w in columns:
        parts.append(f'<text x="{x + w / 2}" y="18" text-anchor="middle" font-size="12" '
                     f'font-weight="bold">{title}</text>')
        x += w
    for i, p in enumerate(programmes, start=1):
        y = i * CELL
        name = words.text(f"{p.programme.code} {p.programme.name}")
        name = name if len(name) <= 38 else name[:37] + "…"
        parts.append(f'<text x="0" y="{y + CELL / 2 + 4}" font-size="12">{escape(name)}</text>')
        x = NAME_WIDTH
        parts.append(_cell(x, y, p.rag.now, words.letters(p.rag.now), width=40))
        parts.append(f'<text x="{x + 40 + 35}" y="{y + CELL / 2 + 4}" text-anchor="middle" font-size="12">'
                     f'{escape(words.trend(p.rag))}</text>')
        x += 110
        parts.append(_cell(x, y, p.dca.now, words.letters(p.dca.now, dca=True), width=40))
        parts.append(f'<text x="{x + 40 + 35}" y="{y + CELL / 2 + 4}" text-anchor="middle" font-size="12">'
                     f'{escape(words.trend(p.dca, dca=True))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heat_map(open_risks, green_max: int, red_min: int) -> str:  # open_risks: list[Owned]
    """Open risks counted by likelihood (up) and impact (across), each square coloured by the
    portfolio's matrix and holding its count."""
    counts: dict[tuple[int, int], int] = {}
    for owned in open_risks:
        likelihood, impact = owned.row["likelihood"], owned.row["impact"]
        if likelihood and impact:
            counts[likelihood, impact] = counts.get((likelihood, impact), 0) + 1
    side = 34
    left, top = 70, 10
    width, height = left + 5 * side + 10, top + 5 * side + 46
    parts = [f'<svg role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
             "<title>Open risks by likelihood and impact</title>"]
    for likelihood in range(1, 6):
        y = top + (5 - likelihood) * side
        parts.append(f'<text x="{left - 8}" y="{y + side / 2 + 4}" text-anchor="end" font-size="11">'
                     f'{likelihood}</text>')
        for impact in range(1, 6):
            x = left + (impact - 1) * side
            band = risk_rag(likelihood * impact, green_max, red_min)
            n = counts.get((likelihood, impact), 0)
            ink = "#000" if band in DARK_TEXT else "#fff"
            parts.append(f'<rect x="{x}" y="{y}" width="{side - 2}" height="{side - 2}" '
                         f'fill="{FILL[band or "Green"]}" opacity="{1 if n else 0.35}"/>')
            if n:
                parts.append(f'<text x="{x + side / 2 - 1}" y="{y + side / 2 + 4}" text-anchor="middle" '
                             f'font-size="13" font-weight="bold" fill="{ink}">{n}</text>')
    for impact in range(1, 6):
        parts.append(f'<text x="{left + (impact - 1) * side + side / 2 - 1}" y="{top + 5 * side + 14}" '
                     f'text-anchor="middle" font-size="11">{impact}</text>')
    parts.append(f'<text x="{left + 2.5 * side}" y="{top + 5 * side + 32}" text-anchor="middle" '
                 'font-size="11">Impact</text>')
    parts.append(f'<text x="12" y="{top + 2.5 * side}" font-size="11" '
                 f'transform="rotate(-90 12 {top + 2.5 * side})" text-anchor="middle">Likelihood</text>')
    parts.append("</svg>")
    return "".join(parts)
