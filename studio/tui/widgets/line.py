"""A one-line text that repaints only when its text really changed (no layout pass)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class Line(Static):
    DEFAULT_CSS = "Line { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._text: Text | None = None

    def set(self, text: Text | str) -> None:
        value = text if isinstance(text, Text) else Text(text)
        if self._text is not None and value == self._text:
            return
        self._text = value
        self.update(value, layout=False)
