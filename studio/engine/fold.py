"""Folding operator actions and automatic cues into the state of the show at a moment. Pure.

The rules (see core.py's docstring for the whole picture):

- The on-air segment ``m`` (started at ``s``) hands over to:
  * the next hard anchor ``k`` at its planned time, if that time lies after ``s`` (hard anchors
    stay: whatever is on air or in between is cut short or squeezed out);
  * if ``k``'s time had already passed when ``m`` started (the show runs late), ``k`` follows
    ``m`` directly when ``m`` ends (the soft segments in between are squeezed out);
  * otherwise the next soft segment, when ``m`` ends: ``s + m's planned length + nudges``.
- A manual segment waits for TAKE; HOLD stops every automatic advance until RELEASE or TAKE;
  whatever became due in the meantime starts at the moment it is allowed.
- Actions are applied in order. Cue instants are inclusive, for actions as for ``now``: every
  automatic cue at or before an action's time has happened when the action applies, so the
  action acts on the show exactly as ``evaluate`` shows it at that instant (what the operator
  saw). A TAKE at the very instant a segment starts by its cue therefore starts the segment
  after it (never re-takes the one on air); a TAKE just before a cue starts the cued segment
  early, and the cue, reckoned from the new on-air segment, does not fire again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from studio.engine.actions import (
    Action,
    Back,
    Clear,
    ClearMessage,
    Fire,
    Hold,
    Message,
    Nudge,
    PreviewNext,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.projection import StartKind
from studio.engine.timeline import SegmentPlan, Timeline
from studio.show.timing import format_clock, format_duration

FAR = datetime.max.replace(tzinfo=UTC)
EARLY = datetime.min.replace(tzinfo=UTC)
# How long an action's warning ("FIRE at 09:01:04: no lower third queued") is shown, at most:
# it answers a key, so it is read within seconds; left up, it sat in the alert bar until the
# segment ended (an hour in a long one) and passed for news. The log keeps it.
WARNING_FOR = timedelta(seconds=15)


@dataclass(frozen=True)
class Advance:
    """A way the show can move on from the segment on air."""

    at: datetime  # natural time (UTC)
    target: int | None  # None: the show ends
    anchor: bool  # a hard anchor cutting in at its planned time
    blocked: bool  # the target is manual: it waits for TAKE
    passed_lo: int  # segments in range(passed_lo, target) not skipped are squeezed out
    overdue: bool = False  # a hard anchor whose time passed before the segment on air started

    def kind(self, tl: Timeline) -> StartKind:
        if self.target is not None and tl.segments[self.target].manual:
            return "manual"
        return "hard" if self.anchor else "soft"


@dataclass
class ShowState:
    cur: int | None = None  # on-air segment index
    started: datetime = FAR  # UTC start of the on-air segment
    ext: timedelta = timedelta(0)  # nudges of the on-air segment
    held: bool = False
    ended: bool = False
    clock: datetime = EARLY  # time of the last event folded
    skipped: set[int] = field(default_factory=set)
    squeezed: set[int] = field(default_factory=set)
    history: list[int] = field(default_factory=list)  # aired segments, in order
    starts: dict[int, datetime] = field(default_factory=dict)
    ends: dict[int, datetime] = field(default_factory=dict)
    max_reached: int = -1
    lt_fired: dict[int, tuple[datetime, int]] = field(default_factory=dict)  # k -> (at, seq)
    lt_clears: list[tuple[datetime, int]] = field(default_factory=list)
    toggles: set[str] = field(default_factory=set)
    toggled_by: dict[str, str] = field(default_factory=dict)
    preview_forced: bool = False
    cause: str = ""  # why the on-air segment is on air
    warnings: list[str] = field(default_factory=list)  # what the last action got wrong
    warned_at: datetime = EARLY  # when that action came (its warnings show WARNING_FOR long)
    message: str = ""  # the operator's message to the speaker (kept across segments)


def next_free(tl: Timeline, after: int | None, skipped: set[int]) -> int | None:
    i = 0 if after is None else after + 1
    while i < len(tl.segments) and i in skipped:
        i += 1
    return i if i < len(tl.segments) else None


def next_hard(
    tl: Timeline, after: int | None, skipped: set[int], *, auto: bool = False
) -> int | None:
    table = tl.next_auto_hard if auto else tl.next_hard
    k = table[0 if after is None else after + 1]
    while k != -1 and k in skipped:
        k = table[k + 1]
    return None if k == -1 else k


def _later_anchor(
    tl: Timeline, m: int | None, k: int | None, started: datetime, skipped: set[int],
    lo: int,
) -> list[Advance]:
    """A hard anchor that starts by itself beyond a manual one: it still cuts in on time."""
    if k is None or not tl.segments[k].manual:
        return []
    k2 = next_hard(tl, m, skipped, auto=True)
    if k2 is None or (m is not None and tl.segments[k2].planned_start <= started):
        return []
    return [Advance(tl.segments[k2].planned_start, k2, True, False, lo)]


def candidates(
    tl: Timeline, m: int | None, started: datetime, ext: timedelta, skipped: set[int]
) -> list[Advance]:
    segs = tl.segments
    j = next_free(tl, m, skipped)
    k = next_hard(tl, m, skipped)
    if m is None:
        if j is None:
            return []
        out = [Advance(segs[j].planned_start, j, segs[j].hard, segs[j].manual, j)]
        if k is not None and k != j:
            out.append(Advance(segs[k].planned_start, k, True, segs[k].manual, j))
        return out + _later_anchor(tl, m, k, started, skipped, j)
    soft_end = started + segs[m].length + ext
    if j is None:
        return [Advance(soft_end, None, False, False, m + 1)]
    later = _later_anchor(tl, m, k, started, skipped, m + 1)
    if k is not None and segs[k].planned_start <= started:
        return [Advance(soft_end, k, False, segs[k].manual, m + 1, overdue=True), *later]
    if k is not None and k == j:
        return [Advance(segs[k].planned_start, k, True, segs[k].manual, m + 1), *later]
    out = [Advance(soft_end, j, False, segs[j].manual, m + 1)]
    if k is not None:
        out.append(Advance(segs[k].planned_start, k, True, segs[k].manual, m + 1))
    return out + later


def choose(cands: list[Advance], now: datetime) -> Advance | None:
    """What comes next if nobody intervenes and manual segments are taken when due."""
    if not cands:
        return None
    return min(cands, key=lambda c: (max(now, c.at), not c.anchor))


def auto_next(st: ShowState, cands: list[Advance]) -> Advance | None:
    """The next automatic advance (None while held or when only TAKE can move on)."""
    if st.held:
        return None
    free = [c for c in cands if not c.blocked]
    if not free:
        return None
    return min(free, key=lambda c: (c.at, not c.anchor))


def state_candidates(tl: Timeline, st: ShowState) -> list[Advance]:
    if st.ended:
        return []
    return candidates(tl, st.cur, st.started, st.ext, st.skipped)


def _go(tl: Timeline, st: ShowState, adv: Advance, at: datetime, cause: str) -> None:
    if st.cur is not None:
        st.ends[st.cur] = at
    end = len(tl.segments) if adv.target is None else adv.target
    for x in range(adv.passed_lo, end):
        if x not in st.skipped and x != st.cur:
            st.squeezed.add(x)
    if adv.target is None:
        st.cur, st.ended, st.held = None, True, False
        return
    _air(st, adv.target, at, cause)


def _air(st: ShowState, target: int, at: datetime, cause: str) -> None:
    st.cur = target
    st.started = at
    st.ext = timedelta(0)
    st.squeezed.discard(target)
    st.history.append(target)
    st.starts[target] = at
    st.ends.pop(target, None)
    st.max_reached = max(st.max_reached, target)
    st.lt_fired, st.lt_clears, st.toggles, st.toggled_by = {}, [], set(), {}
    st.preview_forced = False
    st.cause = cause
    st.warnings = []  # warnings are about the segment on air: a new one starts clean


def _auto_cause(tl: Timeline, adv: Advance, at: datetime) -> str:
    if adv.target is None:
        return "the show ends"
    plan = tl.segments[adv.target]
    if adv.anchor and at == adv.at:
        return f"segment {plan.id} starts ({format_clock(tl.local(at))} anchor)"
    if at > adv.at:
        late = format_duration(at - adv.at)
        return f"segment {plan.id} starts ({late} after it was due)"
    return f"segment {plan.id} starts"


def advance_until(tl: Timeline, st: ShowState, limit: datetime, inclusive: bool) -> None:
    while not st.ended:
        adv = auto_next(st, state_candidates(tl, st))
        if adv is None:
            return
        at = max(adv.at, st.clock)
        if at > limit or (at == limit and not inclusive):
            return
        _go(tl, st, adv, at, _auto_cause(tl, adv, at))
        st.clock = at


def lt_windows(
    plan: SegmentPlan, st: ShowState
) -> list[tuple[datetime, datetime, int]]:
    """(in, out, k) of the lower thirds of the on-air segment, in time order, non-overlapping."""
    starts: list[tuple[datetime, int, int]] = []  # (in, seq, k); auto cues sort after actions
    for k, lt in enumerate(plan.lower_thirds):
        if k in st.lt_fired:
            t, seq = st.lt_fired[k]
            starts.append((t, seq, k))
        else:
            starts.append((st.started + lt.at, 1 << 60, k))
    starts.sort()
    out: list[tuple[datetime, datetime, int]] = []
    for n, (t_in, seq, k) in enumerate(starts):
        lt = plan.lower_thirds[k]
        t_out = t_in + lt.for_ if lt.for_ is not None else FAR
        if n + 1 < len(starts):
            t_out = min(t_out, starts[n + 1][0])
        for c_at, c_seq in st.lt_clears:
            if c_at > t_in or (c_at == t_in and c_seq > seq):
                t_out = min(t_out, c_at)
        if t_out > t_in:
            out.append((t_in, t_out, k))
    return out


def lt_now(plan: SegmentPlan, st: ShowState, t: datetime) -> tuple[int | None, int | None]:
    """(lower third on air, lower third queued for FIRE) at ``t``."""
    on_air = None
    for t_in, t_out, k in lt_windows(plan, st):
        if t_in <= t < t_out:
            on_air = k
    queued = None
    for k, lt in enumerate(plan.lower_thirds):
        if k not in st.lt_fired and st.started + lt.at > t and k != on_air:
            queued = k
            break
    return on_air, queued


def _ends_at_anchor(tl: Timeline, st: ShowState, now: datetime) -> tuple[int, datetime] | None:
    """The segment that ends at the next hard anchor, and the anchor's time: the one a nudge
    of the segment on air stretches or cuts short, found as the forecast goes (manual
    segments taken when due). Not the one on air when a TAKE comes between: what follows it
    moves with the nudge up to the anchor."""
    m, s, ext = st.cur, st.started, st.ext
    for _ in range(len(tl.segments) + 1):
        adv = choose(candidates(tl, m, s, ext, st.skipped), now)
        if adv is None or adv.target is None or m is None:
            return None
        if adv.anchor:
            return m, adv.at
        m, s, ext = adv.target, max(now, adv.at), timedelta(0)
    return None


def apply_action(tl: Timeline, st: ShowState, a: Action, t: datetime, seq: int) -> None:
    who = "" if a.who == "operator" else f" ({a.who})"
    name = type(a).__name__.upper()
    st.warnings = []  # the warnings answer the last action: the next one replaces them
    st.warned_at = t
    if isinstance(a, Take | Skip):
        adv = choose(state_candidates(tl, st), t)
        if a.segment:  # a journalled one replayed onto a changed file: that segment
            _targeted(tl, st, a, t, who)
        elif adv is None:
            st.warnings.append(f"{name} at {format_clock(tl.local(t))}: nothing comes next")
        elif isinstance(a, Skip):
            if adv.target is None:
                st.warnings.append(f"SKIP at {format_clock(tl.local(t))}: nothing to skip")
            else:
                st.skipped.add(adv.target)
        else:
            st.held = False
            what = "the show ends" if adv.target is None else (
                f"segment {tl.segments[adv.target].id} starts")
            _go(tl, st, adv, t, f"TAKE{who}: {what}")
    elif isinstance(a, Hold):
        if st.ended:
            st.warnings.append("HOLD after the show ended")
        st.held = True
    elif isinstance(a, Release):
        st.held = False
    elif isinstance(a, Back):
        if st.cur is not None and len(st.history) >= 2:
            st.ends[st.cur] = t
            st.history.pop()
            _air(st, st.history.pop(), t, "")
        elif st.ended and st.history:
            st.ended = False
            _air(st, st.history.pop(), t, "")
        else:
            st.warnings.append(f"BACK at {format_clock(tl.local(t))}: nothing to go back to")
            return
        st.held = False
        st.cause = f"BACK{who}: segment {tl.segments[st.cur or 0].id} again"
    elif isinstance(a, Nudge):
        if st.cur is None:
            st.warnings.append(f"NUDGE at {format_clock(tl.local(t))}: nothing on air")
        else:
            st.ext += timedelta(seconds=a.seconds)
            adv = auto_next(st, state_candidates(tl, st))
            if adv is not None and adv.anchor:
                cut = _ends_at_anchor(tl, st, t)
                if cut is not None:
                    st.warnings.append(
                        f"NUDGE {a.seconds:+d} s: {tl.segments[cut[0]].id} still ends at the "
                        f"{format_clock(tl.local(cut[1]))} anchor (hard anchors stay)")
    elif isinstance(a, Fire | Clear):
        if st.cur is None:
            st.warnings.append(f"{name} at {format_clock(tl.local(t))}: nothing on air")
            return
        plan = tl.segments[st.cur]
        if isinstance(a, Clear):
            st.lt_clears.append((t, seq))
            return
        _, queued = lt_now(plan, st, t)
        if queued is None:
            st.warnings.append(f"FIRE at {format_clock(tl.local(t))}: no lower third queued")
        else:
            st.lt_fired[queued] = (t, seq)
    elif isinstance(a, ToggleOverlay):
        if a.overlay not in tl.overlay_sources:
            st.warnings.append(f"toggle: unknown overlay {a.overlay!r}")
        else:
            st.toggles ^= {a.overlay}
            st.toggled_by[a.overlay] = f"operator toggled {a.overlay}{who}"
    elif isinstance(a, PreviewNext):
        st.preview_forced = True
    elif isinstance(a, Message):
        st.message = a.text
    elif isinstance(a, ClearMessage):
        st.message = ""


def _targeted(tl: Timeline, st: ShowState, a: Take | Skip, t: datetime, who: str) -> None:
    """A take or skip of the segment named in it (a journalled one replayed onto a changed
    file): a segment not yet reached only, else a warning and nothing."""
    name = type(a).__name__.upper()
    idx = next((p.index for p in tl.segments if p.id == a.segment), None)
    if idx is None or idx in st.history or idx in st.skipped or idx == st.cur:
        st.warnings.append(f"{name} of {a.segment} at {format_clock(tl.local(t))}: "
                           "not a segment still to come")
        return
    if isinstance(a, Skip):
        st.skipped.add(idx)
        return
    lo = (st.max_reached if st.cur is None else st.cur) + 1
    st.held, st.ended = False, False
    _go(tl, st, Advance(t, idx, False, False, lo), t, f"TAKE{who}: segment {a.segment} starts")


def instant(a: Action) -> datetime:
    """``a.at`` in UTC (a naive one is refused)."""
    if a.at.tzinfo is None or a.at.utcoffset() is None:
        raise ValueError(f"naive datetime in {a!r}: studio uses aware datetimes only")
    return a.at.astimezone(UTC)


def fold(tl: Timeline, actions: list[Action] | tuple[Action, ...], now: datetime) -> ShowState:
    """The state of the show at ``now`` (UTC-aware) after ``actions`` (those after now ignored)."""
    st = ShowState()
    # by the instant: two times on one ZoneInfo compare by wall time, so on an autumn night the
    # second 02:10 would sort before 02:50 of the first pass (see studio.clock.local_instant)
    ordered = sorted(enumerate(actions), key=lambda p: instant(p[1]))
    for seq, a in ordered:
        t = a.at.astimezone(UTC)
        if t > now:
            break
        advance_until(tl, st, t, inclusive=True)
        st.clock = max(st.clock, t)
        apply_action(tl, st, a, t, seq)
    advance_until(tl, st, now, inclusive=True)
    st.warnings = st.warnings[-5:]
    return st
