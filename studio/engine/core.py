"""The show engine's one question: what should be on air now, and what comes next? Pure.

API (stable; the runner and the TUI call it)::

    from studio.engine.timeline import compile
    from studio.engine.core import evaluate

    timeline = compile(show)                       # once per show: resolved, precomputed
    p = evaluate(timeline, actions, now)           # any moment; cheap (O(segments + new actions))
    p = evaluate(timeline, actions, now, studio_mode=True, preview_lead=timedelta(seconds=30))
    p.desired          # ObsState to diff against what OBS has (engine.diff.diff)
    p.causes           # why each desired value is what it is (pass to diff for readable reasons)
    p.next_change_at   # the next instant the desired state changes by itself: wake up there

``actions`` are the operator's actions so far (engine.actions), folded in ``at`` order; those
after ``now`` are ignored. The fold goes on from the checkpoint of an earlier call whose actions
started the same way (engine.checkpoint): one more action, or a later ``now``, costs that much
only; the result is always that of folding every action from the start.
``now`` and every ``at`` must be aware; everything is computed in UTC;
the projection's datetimes are in the show's zone on the offset in force at each instant
(``Timeline.local``), so they print wall time and still compare and subtract right across a
daylight-saving change. Cue instants are inclusive: at exactly a segment's start it is on air, for
``now`` and for an action at that instant alike (a TAKE then starts the segment after it).

Studio mode is a parameter: ``evaluate(..., studio_mode=True)`` puts the next segment's scene in
``desired.preview_scene`` (from the moment the current segment starts, or ``preview_lead``
before the next one's projected start, or at once after PreviewNext); ``desired.studio_mode``
says which mode the desired state assumes. The diff turns a program change whose scene already
waits in preview into TriggerTransition.

Rules in short (details in fold.py and retime.py): hard anchors (a ``start`` in the file) cut in
at their time; soft segments follow when the previous one ends; manual segments wait for TAKE;
HOLD stops automatic advance until RELEASE or TAKE, and what became due starts at that moment;
SKIP drops the next segment; BACK airs the previously aired segment again (from its start); NUDGE
moves the end of the on-air segment (and so every soft segment after it), never a hard anchor;
FIRE puts up the next queued lower third of the on-air segment, CLEAR takes it down; ToggleOverlay
flips an overlay until the on-air segment changes; Reassert changes nothing here (runner).
A segment followed by a gap before a hard anchor stays on air until that anchor (gaps are
warnings in ``studio check``). Streaming and recording follow the ``stream``/``record``
fields of the furthest segment reached, so BACK never stops a stream. Before the first
segment the desired state is empty (touch nothing); after the last, the last segment's scene
and overlays stay, the lower third goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from studio.engine.actions import Action
from studio.engine.checkpoint import resume
from studio.engine.fold import (
    FAR,
    WARNING_FOR,
    ShowState,
    auto_next,
    lt_now,
    lt_windows,
    state_candidates,
)
from studio.engine.projection import (
    GraphicsView,
    NextUp,
    OnAir,
    Projection,
    RundownRow,
    SegmentStatus,
)
from studio.engine.retime import Forecast, forecast
from studio.engine.state import ObsState
from studio.engine.timeline import SegmentPlan, Timeline
from studio.show.timing import format_duration, whole_seconds

__all__ = ["desired_state", "evaluate"]


def evaluate(
    timeline: Timeline,
    actions: Sequence[Action],
    now: datetime,
    *,
    studio_mode: bool = False,
    preview_lead: timedelta | None = None,
) -> Projection:
    """The projection of the show at ``now`` after ``actions``."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: studio uses aware datetimes only")
    tl = timeline
    now_u = now.astimezone(UTC)
    st = resume(tl, tuple(actions), now_u)  # = fold(tl, actions, now_u), from a checkpoint
    fc = forecast(tl, st, now_u)
    causes: dict[str, str] = {}
    on_air = _on_air(tl, st, fc, now_u)
    next_up = _next_up(tl, st, fc, now_u)
    graphics, overlay_ids, lt_on, lt_text = _graphics(tl, st, now_u, causes)
    desired = _desired(tl, st, fc, now_u, studio_mode, preview_lead, overlay_ids, lt_on,
                       lt_text, causes)
    return Projection(
        now=tl.local(now_u),
        on_air=on_air,
        next=next_up,
        rundown=_rundown(tl, st, fc, now_u),
        graphics=graphics,
        desired=desired,
        consequences=tuple(fc.consequences),
        next_change_at=_next_change(tl, st, fc, now_u, studio_mode, preview_lead),
        ended=st.ended,
        warnings=(tuple(st.warnings) if now_u < st.warned_at + WARNING_FOR else ())
        + tuple(p.message for p in tl.problems if p.severity == "error"),
        causes=causes,
        message=st.message,
    )


def desired_state(
    timeline: Timeline, actions: Sequence[Action], now: datetime, *, studio_mode: bool = False
) -> ObsState:
    return evaluate(timeline, actions, now, studio_mode=studio_mode).desired


def _on_air(tl: Timeline, st: ShowState, fc: Forecast, now: datetime) -> OnAir | None:
    if st.cur is None:
        return None
    plan = tl.segments[st.cur]
    end = fc.ends.get(st.cur, now)
    due = fc.next.at if fc.next is not None else end  # its end had nobody held it
    return OnAir(
        segment_id=plan.id, title=plan.title, organiser=plan.organiser, scene=plan.scene,
        started_at=tl.local(st.started), planned_end=tl.local(end),
        elapsed=now - st.started, remaining=end - now, held=st.held, notes=plan.notes,
        overrun=max(now - due, timedelta(0)),
    )


def _next_up(tl: Timeline, st: ShowState, fc: Forecast, now: datetime) -> NextUp | None:
    adv, at = fc.next, fc.next_at
    if adv is None or adv.target is None or at is None:
        return None
    plan = tl.segments[adv.target]
    return NextUp(
        segment_id=plan.id, title=plan.title, scene=plan.scene, start=tl.local(at),
        countdown=at - now, kind=adv.kind(tl), waits_for_take=adv.blocked or st.held,
    )


def _rundown(tl: Timeline, st: ShowState, fc: Forecast, now: datetime) -> tuple[RundownRow, ...]:
    rows: list[RundownRow] = []
    nxt = fc.next.target if fc.next is not None else None
    cur = st.cur
    last_end: datetime | None = None
    memo: dict[datetime, datetime] = {}
    cache = tl.row_cache

    def local(t: datetime) -> datetime:
        got = memo.get(t)
        if got is None:
            got = memo[t] = tl.local(t)
        return got

    for plan in tl.segments:
        i = plan.index
        status: SegmentStatus
        note = fc.notes.get(i, "")
        future = i in fc.starts and i != cur
        if i == cur:
            status = "held" if st.held else "on_air"
        elif i in st.skipped:
            status = "skipped"
            note = note or "skipped by the operator"
        elif future:
            status = "next" if i == nxt else "pending"
        elif i in st.starts:
            status = "done"
        else:
            status = "skipped"
            if i in st.squeezed:
                note = note or "squeezed out by a hard anchor"
        if i in fc.starts:
            p_start, p_end = fc.starts[i], fc.ends.get(i, fc.starts[i])
        elif i in st.starts:
            p_start, p_end = st.starts[i], st.ends.get(i, now)
        else:
            p_start = p_end = last_end if last_end is not None else plan.planned_start
        last_end = p_end
        key = (i, status, p_start, p_end, note)
        got = cache.get(key)
        if got is None:
            got = RundownRow(
                segment_id=plan.id, title=plan.title, organiser=plan.organiser, scene=plan.scene,
                anchor="manual" if plan.manual else plan.anchor,
                planned_start=plan.local_start, planned_end=plan.local_end,
                projected_start=local(p_start), projected_end=local(p_end),
                status=status, note=note,  # whole seconds: every surface shows the same
                delay=timedelta(seconds=whole_seconds(p_start - plan.planned_start)),
            )
            if len(cache) > 50_000:
                cache.clear()
            cache[key] = got
        rows.append(got)  # type: ignore[arg-type]
    return tuple(rows)


def _shown_segment(st: ShowState) -> int | None:
    """The segment whose look is on air: the current one, or the last one after the end."""
    if st.cur is not None:
        return st.cur
    if st.ended and st.history:
        return st.history[-1]
    return None


def _graphics(
    tl: Timeline, st: ShowState, now: datetime, causes: dict[str, str]
) -> tuple[GraphicsView, set[str] | None, bool, tuple[str, str] | None]:
    shown = _shown_segment(st)
    if shown is None:
        return GraphicsView((), None, None), None, False, None
    plan = tl.segments[shown]
    visible = (set(plan.overlays) ^ st.toggles) & set(tl.overlay_sources)
    for oid, source in tl.overlay_sources.items():
        why = st.toggled_by.get(oid)
        if why is None:
            why = (f"segment {plan.id}" + (" (organiser logo)" if oid == plan.logo else "")
                   if oid in visible else f"not in segment {plan.id}")
        causes[f"overlay:{source}"] = why
    order = [o for o in (*plan.overlays, *sorted(st.toggles)) if o in visible]
    up = tuple(dict.fromkeys(order))
    on_air_lt: tuple[str, str] | None = None
    queued_lt: tuple[str, str] | None = None
    text: tuple[str, str] | None = None
    if st.cur is not None:
        k_on, k_q = lt_now(plan, st, now)
        causes["lower_third"] = _lt_cause(plan, st, now, k_on)
        if k_on is not None:
            lt = plan.lower_thirds[k_on]
            on_air_lt = text = (lt.name, lt.role)
        if k_q is not None:
            lt = plan.lower_thirds[k_q]
            queued_lt = (lt.name, lt.role)
            text = text or queued_lt
    else:
        causes["lower_third"] = "the show has ended"
    if text is not None:
        causes["lower_third_text"] = f"lower third {text[0]} for segment {plan.id}"
    return GraphicsView(up, on_air_lt, queued_lt), visible, on_air_lt is not None, text


def _lt_cause(plan: SegmentPlan, st: ShowState, now: datetime, k_on: int | None) -> str:
    if k_on is not None:
        lt = plan.lower_thirds[k_on]
        if k_on in st.lt_fired:
            return f"FIRE: lower third {lt.name} in segment {plan.id}"
        return f"lower third {lt.name} {format_duration(lt.at)} into segment {plan.id}"
    gone = [(t_out, k) for _, t_out, k in lt_windows(plan, st) if t_out <= now]
    if not gone:
        return f"no lower third in segment {plan.id} yet"
    t_out, k = max(gone)
    lt = plan.lower_thirds[k]
    if any(c_at == t_out for c_at, _ in st.lt_clears):
        return f"CLEAR: lower third {lt.name} down"
    if lt.for_ is not None:
        return f"lower third {lt.name} done after {format_duration(lt.for_)}"
    return f"lower third {lt.name} replaced"


def _desired(
    tl: Timeline, st: ShowState, fc: Forecast, now: datetime, studio_mode: bool,
    lead: timedelta | None, visible: set[str] | None, lt_on: bool,
    lt_text: tuple[str, str] | None, causes: dict[str, str],
) -> ObsState:
    shown = _shown_segment(st)
    preview = None
    adv = fc.next
    if (
        studio_mode and adv is not None and adv.target is not None and fc.next_at is not None
        and (lead is None or st.preview_forced or now >= fc.next_at - lead)
    ):
        nplan = tl.segments[adv.target]
        preview = nplan.scene
        causes["preview"] = f"segment {nplan.id} is next"
    if shown is None:
        return ObsState(studio_mode=studio_mode, preview_scene=preview)
    plan = tl.segments[shown]
    causes["program"] = st.cause or f"segment {plan.id} on air"
    causes["transition"] = f"transition for segment {plan.id}"
    streaming = recording = None
    for i in range(st.max_reached, -1, -1):
        p = tl.segments[i]
        if streaming is None and p.stream is not None:
            streaming = p.stream == "start"
            causes["streaming"] = f"asked for by segment {p.id}"
        if recording is None and p.record is not None:
            recording = p.record == "start"
            causes["recording"] = f"asked for by segment {p.id}"
        if streaming is not None and recording is not None:
            break
    overlays = frozenset(
        (source, oid in (visible or set())) for oid, source in tl.overlay_sources.items()
    )
    return ObsState(
        program_scene=plan.scene,
        preview_scene=preview,
        studio_mode=studio_mode,
        transition=plan.transition.name,
        transition_ms=plan.transition.duration_ms,
        overlays=overlays,
        lower_third_visible=lt_on,
        lower_third_name=lt_text[0] if lt_text else None,
        lower_third_role=lt_text[1] if lt_text else None,
        streaming=streaming,
        recording=recording,
    )


def _next_change(
    tl: Timeline, st: ShowState, fc: Forecast, now: datetime, studio_mode: bool,
    lead: timedelta | None,
) -> datetime | None:
    times: list[datetime] = []
    adv = auto_next(st, state_candidates(tl, st))
    if adv is not None:
        times.append(max(adv.at, now))
    if st.cur is not None:
        for t_in, t_out, _ in lt_windows(tl.segments[st.cur], st):
            times.extend(t for t in (t_in, t_out) if now < t < FAR)
    # the next hard anchor's time can change what is next (a soft segment before it is
    # squeezed out) even when nothing starts then: a manual or held segment is on air
    nxt = fc.next.target if fc.next is not None else None
    if st.cur is not None and nxt is not None and not tl.segments[nxt].hard:
        h = tl.next_hard[nxt + 1]
        while h >= 0:  # every later anchor: a show may list them out of time order
            # (a skipped one changes nothing: it was a wake-up at which nothing happened)
            if h not in st.skipped and tl.segments[h].planned_start > now:
                times.append(tl.segments[h].planned_start)
            h = tl.next_hard[h + 1]
    if studio_mode and lead is not None and fc.next_at is not None and not st.preview_forced:
        t = fc.next_at - lead
        if t > now:
            times.append(t)
    later = [t for t in times if t > now]
    return tl.local(min(later)) if later else None
