"""Planned times of a show: local times, anchors, durations and daylight saving. Pure.

- ``localize(show_date, time_of_day, tz)``: a ``TimeOfDay`` ("09:00", "00:30 +1d") on the show's
  date as an aware datetime; raises ``NonexistentLocalTime`` (spring-forward gap) or
  ``AmbiguousLocalTime`` (autumn fold) so the loader can turn them into diagnostics.
- ``analyse(show)`` -> ``TimingReport``: the planned schedule (``times``) and every timing
  problem found (``problems``, each with a ``path`` like ``("segments", 3, "start")`` that the
  loader maps to a line and column). It never raises, even on a show with other errors: where a
  time cannot be known it falls back (first occurrence for an ambiguous time, the later wall time
  for a skipped one, zero length for a missing duration) and reports.
- ``plan_times(show)`` -> ``list[PlannedTimes]``: just the times.
- ``lower_third_problems(show, times)``: lower thirds whose ``at`` lies beyond their segment
  (separate, so the loader decides whether it wants them from here).
- Instants in the show's zone are ``studio.clock.local_instant``s (safe to compare and
  subtract across daylight saving); every show-zone datetime the clocks and the engine hand
  out is one.

Rules: a segment with ``start`` is a hard anchor at that local time on the show's date (``+1d``:
the day after, for shows past midnight); one without starts when the previous one ends; a
segment without ``duration`` runs until the next segment's start; the last needs a duration.
Durations are real elapsed time, added in UTC: across a DST change the wall-clock end differs
from start + duration on paper (in Europe/Stockholm on 2021-03-28, 01:30 + 1h ends at 03:30).

Works on anything shaped like a show (``Show`` or the loader's ``ShowFile``): ``date``,
``timezone`` and ``segments``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studio.clock import local_instant
from studio.show.model import Segment, Show, TimeOfDay, parse_time_of_day

Anchor = Literal["hard", "soft"]
Severity = Literal["error", "warning"]
PathItem = str | int


class TimingError(ValueError):
    """A time that cannot be placed; the message is one line for the user."""


class UnknownTimeZone(TimingError):
    pass


class NonexistentLocalTime(TimingError):
    """The local time falls in the spring-forward gap: the clocks skip it that night."""


class AmbiguousLocalTime(TimingError):
    """The local time happens twice (autumn fold): the clocks go back over it that night."""


@dataclass(frozen=True)
class PlannedTimes:
    segment_id: str
    index: int
    start: datetime  # aware, in the show's zone (a studio.clock.local_instant)
    end: datetime  # aware, in the show's zone
    anchor: Anchor  # "hard": a start time in the file; "soft": starts when the previous ends
    manual: bool  # waits for the operator's TAKE

    @property
    def duration(self) -> timedelta:
        """Real elapsed time (computed in UTC)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True)
class TimingProblem:
    path: tuple[PathItem, ...]  # e.g. ("segments", 3, "start"); ("timezone",)
    severity: Severity
    message: str


@dataclass(frozen=True)
class TimingReport:
    times: tuple[PlannedTimes, ...]
    problems: tuple[TimingProblem, ...]
    tz: tzinfo

    @property
    def errors(self) -> tuple[TimingProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class ShowLike(Protocol):
    @property
    def date(self) -> date: ...
    @property
    def timezone(self) -> str: ...
    @property
    def segments(self) -> Sequence[Segment]: ...


# --------------------------------------------------------------------------- formatting


def whole_seconds(d: timedelta) -> int:
    """The one rounding rule for a duration shown to people (a delay, "ends 2 min 13 s late"):
    down to the whole second, as a clock shows a time, so a delay agrees with the projected
    start shown beside it (10:17:12.6 reads 10:17:12, its delay +2:12) and the rundown's delay
    with the alert's for the same thing."""
    return d // timedelta(seconds=1)


def format_duration(d: timedelta) -> str:
    """``15 min``, ``1 h 30 min``, ``45 s``, ``7 min 30 s`` (sign kept; ``whole_seconds``)."""
    total = whole_seconds(d)
    sign = "-" if total < 0 else ""
    total = abs(total)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    parts = []
    if h:
        parts.append(f"{h} h")
    if m:
        parts.append(f"{m} min")
    if s or not parts:
        parts.append(f"{s} s")
    return sign + " ".join(parts)


def format_clock(t: datetime) -> str:
    """``14:00`` or ``14:00:30`` (local wall time of the aware datetime)."""
    return t.strftime("%H:%M:%S") if t.second else t.strftime("%H:%M")


def repeated_wall_time(t: datetime, tz: tzinfo) -> bool:
    """Whether the wall time of instant ``t`` happens twice in ``tz`` (the autumn fold)."""
    wall = t.astimezone(tz).replace(tzinfo=None)
    return wall.replace(tzinfo=tz, fold=0).utcoffset() != wall.replace(tzinfo=tz,
                                                                        fold=1).utcoffset()


def offset_text(t: datetime) -> str:
    """``+02``, ``-05``, ``+10:30``: the UTC offset of the aware datetime, short."""
    offset = t.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(round(offset.total_seconds() / 60))
    h, m = divmod(minutes, 60)
    return f"{sign}{h:02d}" + (f":{m:02d}" if m else "")


def wall_clock(t: datetime, tz: tzinfo | None, fmt: str = "%H:%M:%S") -> str:
    """``t`` as wall time (``fmt``), with its UTC offset (``02:30:00+01``) when, and only when,
    that wall time happens twice in the show's zone ``tz`` that night."""
    if tz is None:
        return t.strftime(fmt)
    local = t.astimezone(tz)
    return local.strftime(fmt) + (offset_text(local) if repeated_wall_time(t, tz) else "")


def wall_clock_seen_from(t: datetime, tz: tzinfo, now: datetime) -> str:
    """``wall_clock(t, tz)``, with its day in front when that is not ``now``'s day in ``tz``
    (another day's file: ``2021-01-20 09:00:00``)."""
    at = wall_clock(t, tz)
    day = t.astimezone(tz).date()
    return at if day == now.astimezone(tz).date() else f"{day.isoformat()} {at}"


# --------------------------------------------------------------------------- zones and local times

def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZone(
            f"unknown time zone {name!r}: use an IANA name like Europe/Stockholm"
        ) from None


def _naive(show_date: date, tod: TimeOfDay) -> datetime:
    return datetime.combine(
        show_date + timedelta(days=tod.day), time(tod.hour, tod.minute, tod.second)
    )


def _offset_change(a: datetime, b: datetime) -> str:
    da, db = a.utcoffset(), b.utcoffset()
    if da is None or db is None:
        return "an hour"
    return format_duration(abs(db - da)).replace("1 h", "an hour")


def _gap(first: datetime, second: datetime, tz: tzinfo) -> tuple[str, str]:
    """The wall times (``02:00``, ``03:00``) where the spring-forward gap holding the skipped
    wall time of ``first``/``second`` (its two readings) begins and ends."""
    lo, hi = sorted((first.astimezone(UTC), second.astimezone(UTC)))
    before = lo.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):  # the transition instant, to the second
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    change = hi.replace(microsecond=0)  # transitions fall on whole seconds
    return (format_clock(change.replace(tzinfo=None) + (before or timedelta(0))),
            format_clock(change.astimezone(tz)))


def localize(show_date: date, time_of_day: TimeOfDay, tz: tzinfo | str) -> datetime:
    """The aware datetime for ``time_of_day`` on ``show_date`` (+ its ``day``) in ``tz``.

    Raises ``NonexistentLocalTime`` or ``AmbiguousLocalTime`` on a daylight-saving night,
    ``UnknownTimeZone`` for a bad zone name.
    """
    tzi = zone(tz) if isinstance(tz, str) else tz
    naive = _naive(show_date, time_of_day)
    first = naive.replace(tzinfo=tzi, fold=0)
    second = naive.replace(tzinfo=tzi, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    day = naive.date().isoformat()
    name = getattr(tzi, "key", str(tzi))
    back = first.astimezone(UTC).astimezone(tzi).replace(tzinfo=None)
    if back != naive:
        before, after = _gap(first, second, tzi)
        raise NonexistentLocalTime(
            f"{time_of_day} does not exist on {day} in {name}: the clocks go forward "
            f"{_offset_change(first, second)} that night, from {before} straight to {after}; "
            f"pick a time before {before} or from {after} on"
        )
    raise AmbiguousLocalTime(
        f"{time_of_day} happens twice on {day} in {name}: the clocks go back "
        f"{_offset_change(first, second)} that night; pick a time outside the repeated hour"
    )


def localize_lenient(show_date: date, time_of_day: TimeOfDay, tz: tzinfo) -> datetime:
    """Like ``localize`` but never raises: a skipped time is moved forward by the gap, an
    ambiguous one means its first occurrence."""
    first = _naive(show_date, time_of_day).replace(tzinfo=tz, fold=0)
    return first.astimezone(UTC).astimezone(tz)


# --------------------------------------------------------------------------- the plan


def analyse(show: ShowLike) -> TimingReport:
    """The planned schedule and every timing problem; never raises."""
    problems: list[TimingProblem] = []
    segments = list(show.segments)
    tz: tzinfo
    try:
        tz = zone(show.timezone)
    except TimingError as exc:
        problems.append(TimingProblem(("timezone",), "error", str(exc)))
        tz = UTC
    if not segments:
        return TimingReport((), tuple(problems), tz)

    # hard anchors first (UTC instants), then the soft chain in order
    hard: list[datetime | None] = []
    for i, seg in enumerate(segments):
        if seg.start is None:
            hard.append(None)
            continue
        try:
            hard.append(localize(show.date, seg.start, tz).astimezone(UTC))
        except TimingError as exc:
            problems.append(TimingProblem(("segments", i, "start"), "error", str(exc)))
            hard.append(localize_lenient(show.date, seg.start, tz).astimezone(UTC))

    starts: list[datetime] = []
    ends: list[datetime] = []
    prev_end: datetime | None = None
    last_hard: tuple[int, datetime] | None = None
    for i, seg in enumerate(segments):
        h = hard[i]
        if h is not None:
            start = h
            if last_hard is not None and h < last_hard[1]:
                j, lh = last_hard
                problems.append(TimingProblem(
                    ("segments", i, "start"), "error",
                    f"hard anchors out of order: {seg.id!r} starts at "
                    f"{format_clock(h.astimezone(tz))}, before {segments[j].id!r} at "
                    f"{format_clock(lh.astimezone(tz))}",
                ))
            elif prev_end is not None and i > 0 and segments[i - 1].duration is not None:
                prev = segments[i - 1]
                if h < prev_end:
                    problems.append(TimingProblem(
                        ("segments", i, "start"), "error",
                        f"{seg.id!r} starts at {format_clock(h.astimezone(tz))}, before "
                        f"{prev.id!r} is planned to end at {format_clock(prev_end.astimezone(tz))}"
                        f" (overlap of {format_duration(prev_end - h)})",
                    ))
                elif h > prev_end:
                    problems.append(TimingProblem(
                        ("segments", i, "start"), "warning",
                        f"gap of {format_duration(h - prev_end)} between {prev.id!r} (ends "
                        f"{format_clock(prev_end.astimezone(tz))}) and {seg.id!r} "
                        f"(starts {format_clock(h.astimezone(tz))})",
                    ))
            last_hard = (i, h)
        elif prev_end is not None:
            start = prev_end
        else:
            problems.append(TimingProblem(
                ("segments", i), "error",
                f"the first segment {seg.id!r} needs a start time (\"HH:MM\")",
            ))
            start = datetime.combine(show.date, time(0), tzinfo=tz).astimezone(UTC)
        if seg.duration is not None:
            end = start + seg.duration
        else:
            nxt = hard[i + 1] if i + 1 < len(segments) else None
            if i + 1 >= len(segments):
                problems.append(TimingProblem(
                    ("segments", i), "error",
                    f"the last segment {seg.id!r} needs a duration (it has nothing to run until)",
                ))
                end = start
            elif nxt is None:
                problems.append(TimingProblem(
                    ("segments", i), "error",
                    f"{seg.id!r} has no duration and the next segment "
                    f"{segments[i + 1].id!r} has no start: give one of them a time",
                ))
                end = start
            else:
                end = max(start, nxt)
        starts.append(start)
        ends.append(end)
        prev_end = end

    times = tuple(
        PlannedTimes(
            segment_id=seg.id,
            index=i,
            start=starts[i].astimezone(tz),
            end=ends[i].astimezone(tz),
            anchor="hard" if seg.start is not None else "soft",
            manual=seg.manual,
        )
        for i, seg in enumerate(segments)
    )
    return TimingReport(times, tuple(problems), tz)


def plan_times(show: ShowLike) -> list[PlannedTimes]:
    """The planned schedule in the show's zone (see ``analyse`` for the problems)."""
    return list(analyse(show).times)


def timing_problems(show: ShowLike) -> list[TimingProblem]:
    """Unknown zone, nonexistent/ambiguous local times, anchors out of order, overlaps
    (errors), gaps (warnings), missing durations (errors)."""
    return list(analyse(show).problems)


def lower_third_problems(
    show: ShowLike, times: Sequence[PlannedTimes] | None = None
) -> list[TimingProblem]:
    """Lower thirds whose ``at`` is at or beyond the planned end of their segment."""
    planned = list(times) if times is not None else plan_times(show)
    out: list[TimingProblem] = []
    for i, seg in enumerate(show.segments):
        if i >= len(planned):
            break
        length = planned[i].duration
        for j, lt in enumerate(seg.lower_thirds):
            if lt.at >= length and length > timedelta(0):
                out.append(TimingProblem(
                    ("segments", i, "lower_thirds", j, "at"), "error",
                    f"lower third {lt.name!r} at {format_duration(lt.at)} lies beyond segment "
                    f"{seg.id!r}, which lasts {format_duration(length)}",
                ))
    return out


def show_time(show: Show, text: str) -> datetime:
    """``HH:MM[:SS]`` (or ``HH:MM +1d``) on the show's date, in its zone, as typed by the
    operator (``--from``, ``--actions``). A time the clocks skip that night is refused like a
    ``start`` in the file (``NonexistentLocalTime``: one line naming the gap). A time that
    happens twice (the autumn's repeated hour) says which with its UTC offset, as the screen
    and the headless lines print it: ``02:30+02`` the first time, ``02:30+01`` the second; bare,
    it is refused (``AmbiguousLocalTime``, naming both)."""
    m = _TYPED_OFFSET.match(text.strip())
    offset = m["offset"] if m else None
    if m is not None and offset:
        text = m["time"] + (m["day"] or "")
    tod = TimeOfDay(**parse_time_of_day(text))
    tz = ZoneInfo(show.timezone)
    if offset is None:
        try:
            return localize(show.date, tod, tz)
        except AmbiguousLocalTime as exc:
            first, second = (_naive(show.date, tod).replace(tzinfo=tz, fold=f) for f in (0, 1))
            raise AmbiguousLocalTime(
                f"{exc}, or say which: {_with_offset(tod, first)} is the first, "
                f"{_with_offset(tod, second)} the second") from None
    wanted = _parse_offset(offset)
    naive = _naive(show.date, tod)
    for fold in (0, 1):
        t = naive.replace(tzinfo=tz, fold=fold)
        if t.utcoffset() == wanted and t.astimezone(UTC).astimezone(tz).replace(
                tzinfo=None) == naive:
            # on the fixed offset in force: a ZoneInfo time in the fold compares unequal to
            # every instant of another zone (PEP 495), see studio.clock.local_instant
            return local_instant(t, tz)
    offsets = sorted({offset_text(naive.replace(tzinfo=tz, fold=f)) for f in (0, 1)})
    raise ValueError(f"{tod}{offset}: {show.timezone} is on {' or '.join(offsets)} then, "
                     f"not {offset}")


_TYPED_OFFSET = re.compile(
    r"^(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?P<offset>[+-]\d{2}(?::?\d{2})?)?"
    r"(?P<day>\s+\+\d+d)?$")


def _parse_offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))


def _with_offset(tod: TimeOfDay, t: datetime) -> str:
    text = str(tod)
    day = ""
    if " " in text:  # "00:30 +1d"
        text, day = text.split(" ", 1)
        day = " " + day
    return f"{text}{offset_text(t)}{day}"
