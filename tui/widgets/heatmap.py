"""A 5x5 risk heat map: likelihood across, impact up, each cell the count of open risks there."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store.rag import risk_rag
from tui import fmt


class HeatMap(Static):
    """Counts of open risks by likelihood and impact, inherent or residual."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.residual = False
        self._risks: list = []
        self._limits = (6, 20)

    def show(self, risks: list, green_max: int = 6, red_min: int = 20) -> None:
        self._risks = risks
        self._limits = (green_max, red_min)
        self.update(self._draw())

    def toggle(self) -> None:
        self.residual = not self.residual
        self.update(self._draw())

    def _draw(self) -> Text:
        counts = [[0] * 6 for _ in range(6)]
        unrated = 0
        for risk in self._risks:
            if risk.status != "Open":
                continue
            if self.residual:
                like, imp = risk.residual_likelihood, risk.residual_impact
            else:
                like, imp = risk.likelihood, risk.impact
            if like and imp:
                counts[imp][like] += 1
            else:
                unrated += 1
        green_max, red_min = self._limits
        text = Text()
        text.append(f"{'Residual' if self.residual else 'Inherent'} (t toggles)\n", style="bold")
        text.append("Impact\n", style="dim")
        for imp in range(5, 0, -1):
            text.append(f" {imp}  ")
            for like in range(1, 6):
                rag = risk_rag(like * imp, green_max, red_min)
                n = counts[imp][like]
                cell = f"{fmt.RAG_LETTER[rag]}{n if n else '.'}".center(4)
                style = fmt.RAG_STYLE.get(rag or "", "dim") if n else "dim"
                text.append(cell, style=style)
            text.append("\n")
        text.append("    " + "".join(str(i).center(4) for i in range(1, 6)) + "\n")
        text.append("    Likelihood\n", style="dim")
        if unrated:
            text.append(f"{unrated} open not rated", style="dim")
        return text
