"""ON AIR: the running segment, elapsed and remaining with a bar, overrun in red."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from studio.engine.projection import Projection
from studio.tui.format import duration_text
from studio.tui.widgets.line import Line


class TimeBar(Widget):
    """A one-line progress bar; repaints only when a cell (or the colour) changes."""

    DEFAULT_CSS = "TimeBar { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fraction = 0.0
        self.overrun = False
        self._drawn: tuple[int, int, bool] = (-1, -1, False)

    def _cells(self) -> tuple[int, int, bool]:
        width = max(self.size.width, 1)
        filled = round(width * min(max(self.fraction, 0.0), 1.0))
        return width, filled, self.overrun

    def set(self, fraction: float, overrun: bool) -> None:
        self.fraction = fraction
        self.overrun = overrun
        if self._cells() != self._drawn:
            self.refresh()

    def render(self) -> Text:
        self._drawn = width, filled, overrun = self._cells()
        text = Text(no_wrap=True)
        text.append("█" * filled, "red" if overrun else "green")
        text.append("░" * (width - filled), "grey35")
        return text


class OnAirPanel(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "ON AIR"
        self._key: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Line(id="on-air-title")
        yield Line(id="on-air-info")
        yield Line(id="on-air-times")
        yield TimeBar(id="on-air-bar")

    def show(self, projection: Projection) -> None:
        on_air = projection.on_air
        if on_air is None:
            key: tuple[object, ...] = (
                "ended" if projection.ended else "before", projection.ended
            )
        else:
            key = (
                on_air.segment_id, on_air.title, on_air.organiser, on_air.scene, on_air.held,
                int(on_air.elapsed.total_seconds()), int(on_air.remaining.total_seconds()),
            )
        if key == self._key:
            return
        self._key = key
        title = self.query_one("#on-air-title", Line)
        info = self.query_one("#on-air-info", Line)
        times = self.query_one("#on-air-times", Line)
        bar = self.query_one(TimeBar)
        if on_air is None:
            idle = "show ended" if projection.ended else "not started"
            title.set(Text(idle, "dim"))
            info.set("")
            times.set("")
            bar.set(0.0, False)
            self.set_class(False, "-overrun")
            self.set_class(False, "-held")
            return
        head = Text(on_air.title, "bold", no_wrap=True, overflow="ellipsis")
        if on_air.held:
            head = Text.assemble((" HELD ", "bold black on yellow"), " ", head, no_wrap=True)
        title.set(head)
        parts = [p for p in (on_air.organiser, f"scene {on_air.scene}") if p]
        info.set(Text(" · ".join(parts), no_wrap=True, overflow="ellipsis"))
        overrun = on_air.remaining < timedelta(0)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"elapsed {duration_text(on_air.elapsed)}")
        line.append("   ")
        if overrun:
            line.append(f"OVERRUN +{duration_text(on_air.remaining)}", "bold white on red")
        else:
            line.append(f"remaining {duration_text(on_air.remaining)}", "bold")
        times.set(line)
        total = (on_air.elapsed + max(on_air.remaining, timedelta(0))).total_seconds()
        bar.set(1.0 if total <= 0 else on_air.elapsed.total_seconds() / total, overrun)
        self.set_class(overrun, "-overrun")
        self.set_class(on_air.held, "-held")
