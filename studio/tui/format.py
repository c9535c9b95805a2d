"""Text formatting for the operator's screen: times, durations, countdowns. No show logic."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from studio.show.timing import wall_clock, whole_seconds


def clock_text(t: datetime, tz: tzinfo | None = None) -> str:
    """Wall clock with seconds: ``14:03:27``; given the show's zone, with the UTC offset in the
    autumn's repeated hour (``02:30:00+02``, later ``02:30:00+01``)."""
    return wall_clock(t, tz)


def time_text(t: datetime, show_date: date | None = None, *, seconds: bool = False,
              tz: tzinfo | None = None) -> str:
    """``14:00`` (``14:00:30`` when it has seconds or asked for), ``+1d`` past the show's date;
    given the show's zone, with the UTC offset in the repeated hour (``02:30+01``)."""
    text = wall_clock(t, tz, "%H:%M:%S" if seconds or t.second else "%H:%M")
    if show_date is not None:
        days = (t.date() - show_date).days
        if days:
            text += f" {days:+d}d"
    return text


def duration_text(d: timedelta) -> str:
    """``12:05`` (mm:ss) or ``1:02:05`` (h:mm:ss) of the absolute value, truncated to seconds."""
    total = int(abs(d.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


def delay_text(d: timedelta) -> str:
    """Signed delay, blank when on time: ``+2:13`` (late), ``-0:30`` (early); seconds as
    ``whole_seconds`` counts them (the alerts' rule)."""
    total = whole_seconds(d)
    if total == 0:
        return ""
    sign = "+" if total > 0 else "-"
    text = duration_text(timedelta(seconds=abs(total)))
    return sign + text.lstrip("0") if not text.startswith("00:") else sign + text[1:]


def countdown_text(d: timedelta) -> str:
    """``T-04:59``; rounds up so the last second reads ``T-00:01``, due reads ``T-00:00``."""
    seconds = d.total_seconds()
    if seconds <= 0:
        return "T-00:00"
    whole = int(seconds)
    if whole != seconds:
        whole += 1
    return "T-" + duration_text(timedelta(seconds=whole))
