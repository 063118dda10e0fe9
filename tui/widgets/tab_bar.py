"""A screen's tab titles on one line, the one in view marked: a lighter stand-in for Textual's tabs.

Keys 1-5 and Tab switch tabs (the screen's bindings); a click on a title does too.
"""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.widget import Widget


class TabBar(Widget):
    """Titles numbered from 1; post Chosen(index) when one is clicked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--active"}
    DEFAULT_CSS = """
    TabBar { height: 1; color: $text-muted; }
    TabBar > .tab-bar--active { color: $text; background: $accent 35%; text-style: bold; }
    """

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, titles: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.titles = titles
        self.active = 0

    def show_active(self, index: int) -> None:
        if index != self.active:
            self.active = index
            self.refresh()

    def _labels(self) -> list[str]:
        return [f" {number} {title} " for number, title in enumerate(self.titles, start=1)]

    def render(self) -> Text:
        active = self.get_component_rich_style("tab-bar--active")
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, label in enumerate(self._labels()):
            text.append(label, style=active if index == self.active else "")
            text.append(" ")
        return text

    def on_click(self, event) -> None:
        x = 0
        for index, label in enumerate(self._labels()):
            if x <= event.x < x + len(label):
                self.post_message(self.Chosen(index))
                return
            x += len(label) + 1
