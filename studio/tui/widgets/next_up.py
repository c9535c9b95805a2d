"""NEXT: title, scene, start time, a large countdown and how it starts."""

from __future__ import annotations

from datetime import date, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits

from studio.engine.projection import NextUp, Projection
from studio.tui.format import countdown_text, time_text
from studio.tui.widgets.line import Line


def start_kind_text(nxt: NextUp) -> tuple[str, str]:
    if nxt.waits_for_take:
        return "WAITS FOR TAKE", "bold black on yellow"
    if nxt.kind == "hard":
        return "hard anchor", "bold cyan"
    if nxt.kind == "manual":
        return "manual", "bold yellow"
    return "soft cue", "cyan"


class NextPanel(Vertical):
    def __init__(self, show_date: date, *, tz: tzinfo | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "NEXT"
        self._date = show_date
        self._tz = tz  # the show's zone: the offset in the autumn's repeated hour
        self._key: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Line(id="next-title")
        yield Line(id="next-info")
        with Horizontal(id="next-clock"):
            yield Line(id="next-t")
            yield Digits("", id="next-countdown")

    def show(self, projection: Projection) -> None:
        nxt = projection.next
        if nxt is None:
            key: tuple[object, ...] = ("none",)
        else:
            key = (
                nxt.segment_id, nxt.title, nxt.scene, nxt.start, nxt.kind, nxt.waits_for_take,
                countdown_text(nxt.countdown),
            )
        if key == self._key:
            return
        self._key = key
        title = self.query_one("#next-title", Line)
        info = self.query_one("#next-info", Line)
        digits = self.query_one(Digits)
        if nxt is None:
            title.set(Text("nothing next", "dim"))
            info.set("")
            digits.update("")
            self.query_one("#next-t", Line).set("")
            self.set_class(False, "-waiting")
            return
        title.set(Text(nxt.title, "bold", no_wrap=True, overflow="ellipsis"))
        kind, style = start_kind_text(nxt)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(time_text(nxt.start, self._date, tz=self._tz), "bold")
        line.append("  ")
        line.append(kind, style)
        line.append(f"  scene {nxt.scene}")
        info.set(line)
        self.query_one("#next-t", Line).set("T")
        digits.update(countdown_text(nxt.countdown)[1:])  # "-04:59": the T stands beside it
        self.set_class(nxt.waits_for_take, "-waiting")
