"""Re-timing: the projected times of everything left, and what a delay does to the day. Pure.

Soft segments move with delays (a late start, NUDGE, HOLD, a manual segment waiting for TAKE);
hard anchors stay. When a delay pushes soft segments past a hard anchor, the anchor still starts
on time and the soft segments before it are shortened or squeezed out; the forecast says so in
words before it happens: "panel ends 7 min late; 14:00 holds; break shortened from 15 to 8 min".

The forecast assumes nobody intervenes from ``now`` on, except that a manual segment is taken
(and a HOLD released) the moment it is due; anything due already is projected at ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from studio.engine.fold import Advance, ShowState, candidates, choose
from studio.engine.timeline import Timeline
from studio.show.timing import format_clock, format_duration

TOLERANCE = timedelta(seconds=1)


@dataclass
class Forecast:
    starts: dict[int, datetime] = field(default_factory=dict)  # projected (UTC)
    ends: dict[int, datetime] = field(default_factory=dict)
    next: Advance | None = None  # what comes after the on-air segment (or first, before the show)
    next_at: datetime | None = None  # its projected time (>= now)
    cut_by: dict[int, int] = field(default_factory=dict)  # segment -> hard anchor ending it
    squeezed_by: dict[int, int] = field(default_factory=dict)  # segment -> anchor squeezing it
    notes: dict[int, str] = field(default_factory=dict)
    consequences: list[str] = field(default_factory=list)


def _span(a: timedelta, b: timedelta) -> str:
    """'15 to 8 min' when both are whole minutes, else '15 min to 7 min 30 s'."""
    whole = a.total_seconds() % 60 == 0 and b.total_seconds() % 60 == 0
    if whole and a < timedelta(hours=1) and b < timedelta(hours=1) and b > timedelta(0):
        return f"{int(a.total_seconds() // 60)} to {int(b.total_seconds() // 60)} min"
    return f"{format_duration(a)} to {format_duration(b)}"


def forecast(tl: Timeline, st: ShowState, now: datetime) -> Forecast:
    fc = Forecast()
    if st.ended:
        return fc
    m, s, ext = st.cur, st.started, st.ext
    if m is not None:
        fc.starts[m] = s
    first = True
    while True:
        adv = choose(candidates(tl, m, s, ext, st.skipped), now)
        if adv is None:
            break
        t = max(now, adv.at)
        if first:
            fc.next, fc.next_at, first = adv, t, False
        if m is not None:
            fc.ends[m] = t
        stop = len(tl.segments) if adv.target is None else adv.target
        for x in range(adv.passed_lo, stop):
            if x not in st.skipped and x != m:
                fc.starts[x] = fc.ends[x] = t
                if adv.target is not None:
                    fc.squeezed_by[x] = adv.target
        if adv.target is None:
            break
        if adv.anchor and m is not None:
            fc.cut_by[m] = adv.target
        fc.starts[adv.target] = t
        m, s, ext = adv.target, t, timedelta(0)
    _consequences(tl, st, fc)
    return fc


def _consequences(tl: Timeline, st: ShowState, fc: Forecast) -> None:
    segs = tl.segments
    groups: dict[int, list[int]] = {}
    for x, k in fc.cut_by.items():
        planned = segs[x].length
        got = fc.ends[x] - fc.starts[x]
        if got < planned - TOLERANCE:
            groups.setdefault(k, []).append(x)
    for x, k in fc.squeezed_by.items():
        groups.setdefault(k, []).append(x)
    said: set[int] = set()
    for k in sorted(groups):
        affected = sorted(groups[k])
        anchor = format_clock(tl.local(segs[k].planned_start))
        missed = fc.starts[k] - segs[k].planned_start
        if missed >= TOLERANCE:
            said.add(k)
            holds = f"{segs[k].id} starts {format_duration(missed)} after its {anchor} anchor"
        else:
            holds = f"{anchor} holds"
        parts: list[str] = []
        lead = affected[0]
        before = [i for i in fc.starts if i < lead and i not in fc.squeezed_by]
        if before:
            p = max(before)
            late = fc.ends.get(p, fc.starts[p]) - segs[p].planned_end
            if late >= TOLERANCE:
                parts.append(f"{segs[p].id} ends {format_duration(late)} late")
        elif lead == st.cur and st.started - segs[lead].planned_start >= TOLERANCE:
            late = st.started - segs[lead].planned_start
            parts.append(f"{segs[lead].id} started {format_duration(late)} late")
        parts.append(holds)
        for x in affected:
            planned = segs[x].length
            if x in fc.squeezed_by:
                parts.append(f"{segs[x].id} squeezed out (was {format_duration(planned)})")
                fc.notes[x] = f"squeezed out: {holds}"
            else:
                got = fc.ends[x] - fc.starts[x]
                parts.append(f"{segs[x].id} shortened from {_span(planned, got)}")
                fc.notes[x] = f"shortened from {_span(planned, got)}: {holds}"
        fc.consequences.append("; ".join(parts))
    for i, t in sorted(fc.starts.items()):
        plan = segs[i]
        if i == st.cur or not plan.hard or i in fc.squeezed_by or i in said:
            continue
        late = t - plan.planned_start
        if late >= TOLERANCE:
            why = "waits for TAKE" if plan.manual else (
                "held" if st.held else "overdue")
            msg = (f"{plan.id} starts {format_duration(late)} after its "
                   f"{format_clock(tl.local(plan.planned_start))} anchor ({why})")
            fc.notes.setdefault(i, msg)
            fc.consequences.append(msg)
