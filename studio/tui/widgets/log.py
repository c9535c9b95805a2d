"""The log: recent actions, cues, late cues, errors and manual overrides, newest at the bottom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rich.text import Text
from textual.widgets import Static

from studio.runner.api import LogEntry, LogKind
from studio.tui.format import clock_text

_LABEL: dict[LogKind, str] = {
    "cue": "cue", "action": "action", "late": "LATE", "error": "ERROR", "override": "OVERRIDE",
    "info": "info", "connection": "obs",
}
_STYLE: dict[LogKind, str] = {
    "cue": "green",
    "action": "bold cyan",
    "late": "bold yellow",
    "error": "bold red",
    "override": "bold white on red",
    "info": "",
    "connection": "magenta",
}


class LogPanel(Static):
    def __init__(self, *, tz: tzinfo | None = None, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.border_title = "LOG"
        self._tz = tz  # the show's zone: the offset in the autumn's repeated hour
        self._key: tuple[object, ...] = ()
        self._entries: tuple[LogEntry, ...] = ()

    def on_resize(self) -> None:
        self.show(self._entries)

    def show(self, entries: Sequence[LogEntry]) -> None:
        self._entries = tuple(entries)
        lines = self.content_size.height
        shown = self._entries[-lines:] if lines > 0 else ()
        if shown == self._key:
            return
        self._key = shown
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, entry in enumerate(shown):
            if i:
                text.append("\n")
            text.append(clock_text(entry.at, self._tz), "dim")
            text.append(f" {_LABEL.get(entry.kind, entry.kind):<8}", _STYLE.get(entry.kind, ""))
            text.append(" ")
            text.append(entry.text)
        self.update(text, layout=False)
