"""The header: show title and date, wall clock, OBS connection, stream/record, REHEARSAL."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from rich.text import Text
from textual.widgets import Static

from studio.runner.api import ControllerStatus
from studio.tui.format import clock_text

_CONNECTION = {
    "connected": ("● OBS", "bold green"),
    "connecting": ("○ OBS connecting", "yellow"),
    "closed": ("○ OBS closed", "bold red"),
}


def connection_text(status: ControllerStatus) -> tuple[str, str]:
    if status.service_lost:  # this screen cannot see OBS while its show service is away
        return "? OBS unknown (show service lost)", "bold yellow"
    if status.connection == "reconnecting":
        return f"○ OBS reconnecting (attempt {status.attempt})", "bold yellow"
    if status.connection == "auth_failed":
        retry = f", retrying in {status.retry_in:g} s" if status.retry_in else ""
        return f"✖ OBS authentication failed{retry}", "bold white on red"
    return _CONNECTION.get(status.connection, (f"OBS {status.connection}", "yellow"))


def _indicator(label: str, active: bool | None) -> tuple[str, str]:
    if active is None:
        return f"{label} ?", "dim"
    if active:
        return f"● {label}", "bold white on red"
    return f"○ {label}", "dim"


class HeaderBar(Static):
    """One line; redrawn only when what it shows changes (the clock: once a second)."""

    def __init__(self, title: str, show_date: date, *, tz: tzinfo | None = None,
                 id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._title = title
        self._date = show_date
        self._tz = tz  # the show's zone: the offset in the autumn's repeated hour
        self._key: tuple[object, ...] = ()

    def retitle(self, title: str) -> None:
        """The show's title changed (a restarted service runs an edited show)."""
        if title != self._title:
            self._title, self._key = title, ()

    def show(self, now: datetime, status: ControllerStatus) -> None:
        conn = connection_text(status)
        stream = _indicator("STREAM", status.streaming)
        record = _indicator("REC", status.recording)
        rehearsal = (
            f" REHEARSAL x{status.speed:g} " if status.rehearsal else ""
        )
        key = (clock_text(now, self._tz), conn, stream, record, rehearsal, status.studio_mode)
        if key == self._key:
            return
        self._key = key
        text = Text(no_wrap=True, overflow="ellipsis")
        if rehearsal:
            text.append(rehearsal, "bold black on yellow")
            text.append(" ")
        text.append(clock_text(now, self._tz), "bold")
        text.append("  ")
        text.append(conn[0], conn[1])
        text.append("  ")
        text.append(stream[0], stream[1])
        text.append(" ")
        text.append(record[0], record[1])
        if status.studio_mode:
            text.append("  studio mode", "cyan")
        text.append("  ")
        text.append(self._title, "bold")
        text.append(f" · {self._date.isoformat()}", "dim")
        self.update(text, layout=False)
