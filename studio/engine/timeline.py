"""The resolved cues of a show, compiled once: ``compile(show) -> Timeline``. Pure.

Everything ``evaluate`` needs per segment is resolved here (planned UTC times, OBS transition
name and duration, overlay sources including the organiser's logo, lower thirds with their
offsets, stream/record fields, the next hard anchor), so evaluating a moment stays cheap.

``Timeline.cues`` lists the planned cues (segment starts and ends, lower thirds in/out,
organiser logos on/off, overlays on/off, stream/record start/stop) as aware datetimes in the
show's zone (on the offset in force: they compare as instants across DST): for the plan view
and for tests. The live schedule, which operator actions move,
comes from ``evaluate(...).next_change_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

from studio.clock import local_instant
from studio.show.model import (
    BUILTIN_TRANSITIONS,
    Catalogue,
    LowerThirdSource,
    NamedTransition,
    Show,
    TransitionSpec,
)
from studio.show.timing import TimingProblem, analyse

CueKind = Literal[
    "segment_start", "segment_end", "lower_third_in", "lower_third_out", "logo_on", "logo_off",
    "overlay_on", "overlay_off", "stream_start", "stream_stop", "record_start", "record_stop",
]


@dataclass(frozen=True)
class ResolvedTransition:
    name: str  # OBS transition name: "Cut", "Fade" or a catalogue obs_name
    duration_ms: int | None

    @property
    def label(self) -> str:
        return self.name if self.duration_ms is None else f"{self.name} {self.duration_ms} ms"


@dataclass(frozen=True)
class LowerThirdCue:
    name: str
    role: str
    at: timedelta  # offset into the segment
    for_: timedelta | None  # None: until the segment ends or CLEAR


@dataclass(frozen=True)
class SegmentPlan:
    index: int
    id: str
    title: str
    organiser: str  # display name, "" when none
    scene: str
    anchor: Literal["hard", "soft"]
    manual: bool
    planned_start: datetime  # UTC
    planned_end: datetime  # UTC
    length: timedelta  # planned real duration (end - start)
    transition: ResolvedTransition
    overlays: tuple[str, ...]  # overlay ids: the segment's, then the organiser's logo
    logo: str | None  # the organiser's logo overlay id
    lower_thirds: tuple[LowerThirdCue, ...]
    stream: Literal["start", "stop"] | None
    record: Literal["start", "stop"] | None
    notes: str
    local_start: datetime  # planned_start in the show's zone (Timeline.local)
    local_end: datetime  # planned_end in the show's zone (Timeline.local)

    @property
    def hard(self) -> bool:
        return self.anchor == "hard"


@dataclass(frozen=True)
class Cue:
    at: datetime  # aware, show zone
    kind: CueKind
    segment_id: str
    text: str


@dataclass(frozen=True)
class Timeline:
    show: Show
    tz: tzinfo
    segments: tuple[SegmentPlan, ...]
    cues: tuple[Cue, ...]
    overlay_sources: dict[str, str]  # overlay id -> OBS source name (every catalogue overlay)
    graphics_scene: str
    lower_third: LowerThirdSource
    # next_hard[i + 1]: index of the first hard anchor after segment i (i = -1: before the show);
    # -1 when there is none
    next_hard: tuple[int, ...]
    problems: tuple[TimingProblem, ...] = ()
    # next_auto_hard[i + 1]: like next_hard, but only anchors that start by themselves (not manual)
    next_auto_hard: tuple[int, ...] = ()
    # evaluate's memo of rundown rows (most rows are the same from one call to the next)
    row_cache: dict[tuple[object, ...], object] = field(
        default_factory=dict, compare=False, repr=False)
    # evaluate's checkpoints of the fold (engine.checkpoint: the result never depends on them)
    fold_memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def index_of(self, segment_id: str) -> int:
        for plan in self.segments:
            if plan.id == segment_id:
                return plan.index
        raise KeyError(segment_id)

    def local(self, t: datetime) -> datetime:
        """``t`` in the show's zone, as an instant that compares right across DST (see
        ``studio.clock.local_instant``)."""
        return local_instant(t, self.tz)


def _ms(d: timedelta | None) -> int | None:
    return None if d is None else round(d.total_seconds() * 1000)


def resolve_transition(spec: TransitionSpec | None, catalogue: Catalogue) -> ResolvedTransition:
    """``cut`` -> Cut; ``fade [D]`` -> Fade (D, else the default fade's, else 300 ms); a catalogue
    id -> its ``obs_name`` (or what it stands for); none -> the catalogue ``default``."""
    default = catalogue.transitions.get("default")
    if spec is None:
        if default is None:
            return ResolvedTransition(BUILTIN_TRANSITIONS["cut"], None)
        if isinstance(default, NamedTransition):
            return ResolvedTransition(default.obs_name, _ms(default.duration))
        spec = default
    seen: set[str] = set()
    duration = spec.duration
    while True:
        kind = spec.kind
        if kind.lower() == "cut":
            return ResolvedTransition(BUILTIN_TRANSITIONS["cut"], None)
        if kind.lower() == "fade":
            if duration is None and isinstance(default, TransitionSpec) and default.kind == "fade":
                duration = default.duration
            fade_ms = _ms(duration) if duration else 300
            return ResolvedTransition(BUILTIN_TRANSITIONS["fade"], fade_ms)
        entry = catalogue.transitions.get(kind)
        if entry is None or kind in seen:
            return ResolvedTransition(kind, _ms(duration))  # the loader reports unknown names
        seen.add(kind)
        if isinstance(entry, NamedTransition):
            return ResolvedTransition(entry.obs_name, _ms(duration or entry.duration))
        spec = entry
        duration = duration or entry.duration


def compile(show: Show) -> Timeline:
    """Resolve a show into its timeline (never raises on timing problems: see ``problems``)."""
    report = analyse(show)
    tz = report.tz
    cat = show.catalogue
    plans: list[SegmentPlan] = []
    for i, seg in enumerate(show.segments):
        pt = report.times[i]
        org = show.organisers.get(seg.organiser) if seg.organiser else None
        logo = org.logo if org is not None else None
        overlays = tuple(dict.fromkeys([*seg.overlays, *([logo] if logo else [])]))
        start = pt.start.astimezone(UTC)
        end = pt.end.astimezone(UTC)
        plans.append(SegmentPlan(
            index=i,
            id=seg.id,
            title=seg.display_title,
            organiser=org.name if org is not None else "",
            scene=seg.scene,
            anchor=pt.anchor,
            manual=seg.manual,
            planned_start=start,
            planned_end=end,
            length=end - start,
            transition=resolve_transition(seg.transition, cat),
            overlays=overlays,
            logo=logo,
            lower_thirds=tuple(
                LowerThirdCue(lt.name, lt.role, lt.at, lt.for_) for lt in seg.lower_thirds
            ),
            stream=seg.stream,
            record=seg.record,
            notes=seg.notes,
            local_start=local_instant(start, tz),
            local_end=local_instant(end, tz),
        ))
    nxt: list[int] = [-1] * (len(plans) + 1)
    nxt_auto: list[int] = [-1] * (len(plans) + 1)
    following = following_auto = -1
    for i in range(len(plans) - 1, -2, -1):
        nxt[i + 1] = following
        nxt_auto[i + 1] = following_auto
        if i >= 0 and plans[i].hard:
            following = i
            if not plans[i].manual:
                following_auto = i
    overlay_sources = {oid: ov.source for oid, ov in cat.overlays.items()}
    return Timeline(
        show=show,
        tz=tz,
        segments=tuple(plans),
        cues=tuple(_planned_cues(plans, tz)),
        overlay_sources=overlay_sources,
        graphics_scene=cat.graphics_scene,
        lower_third=cat.lower_third,
        next_hard=tuple(nxt),
        problems=report.problems,
        next_auto_hard=tuple(nxt_auto),
    )


def _planned_cues(plans: list[SegmentPlan], tz: tzinfo) -> list[Cue]:
    cues: list[Cue] = []
    for k, p in enumerate(plans):
        start, end = p.planned_start, p.planned_end
        how = "waits for TAKE" if p.manual else f"{p.anchor} cue"
        cues.append(Cue(start, "segment_start", p.id,
                        f"{p.id} starts ({how}): scene {p.scene}, {p.transition.label}"))
        for what, value in (("stream", p.stream), ("record", p.record)):
            if value is not None:
                kind = f"{what}_{value}"
                cues.append(Cue(start, kind, p.id, f"{what} {value}: segment {p.id}"))  # type: ignore[arg-type]
        prev_overlays = set(plans[k - 1].overlays) if k else set()
        next_overlays = set(plans[k + 1].overlays) if k + 1 < len(plans) else set()
        for oid in p.overlays:
            logo = oid == p.logo
            if oid not in prev_overlays:
                cues.append(Cue(start, "logo_on" if logo else "overlay_on", p.id,
                                f"{oid} on: segment {p.id}"))
            if oid not in next_overlays:
                cues.append(Cue(end, "logo_off" if logo else "overlay_off", p.id,
                                f"{oid} off: segment {p.id} ends"))
        for lt in p.lower_thirds:
            t_in = start + lt.at
            if t_in >= end:
                continue
            t_out = min(end, t_in + lt.for_) if lt.for_ is not None else end
            cues.append(Cue(t_in, "lower_third_in", p.id, f"lower third {lt.name} in"))
            cues.append(Cue(t_out, "lower_third_out", p.id, f"lower third {lt.name} out"))
        if k + 1 == len(plans) or plans[k + 1].planned_start != end:
            cues.append(Cue(end, "segment_end", p.id, f"{p.id} ends"))
    order = {"segment_end": 0, "lower_third_out": 1, "logo_off": 2, "overlay_off": 3}
    cues.sort(key=lambda c: (c.at, order.get(c.kind, 9)))
    return [Cue(local_instant(c.at, tz), c.kind, c.segment_id, c.text) for c in cues]
