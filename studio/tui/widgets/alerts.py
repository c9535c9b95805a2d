"""A banner under ON AIR / NEXT: manual override, re-timing consequences, engine warnings.
Hidden when there is nothing to say."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from studio.engine.projection import Projection
from studio.runner.api import ControllerStatus


class AlertBar(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._key: tuple[object, ...] = ()

    def show(self, projection: Projection, status: ControllerStatus) -> None:
        key = (status.override, status.alarms, projection.consequences, projection.warnings)
        if key == self._key:
            return
        self._key = key
        text = Text(overflow="ellipsis")
        lines = 0
        if status.override:
            text.append(" a: RE-ASSERT ", "bold black on yellow")
            text.append(f" {status.override} ", "bold white on red")
            lines += 1
        for alarm in status.alarms:  # lines the disk does not take: the as-run, the journal
            if lines:
                text.append("\n")
            text.append(f" {alarm} ", "bold white on red")
            lines += 1
        for line in (*projection.consequences, *projection.warnings):
            if lines:
                text.append("\n")
            text.append("▲ ", "bold yellow")
            text.append(line, "yellow")
            lines += 1
        self.update(text)
        self.display = lines > 0
        self.set_class(bool(status.override or status.alarms), "-override")
