"""Journalled actions replayed onto the show they were made on, or not at all. Pure.

An operator action is relative: TAKE starts *the next* segment, NUDGE moves *the one on air*.
Replayed onto an edited show file (segments removed, moved, inserted) the same action would land
on another segment: a take of s25, removed from the file, would start s28 half a minute before
its anchor. So each journalled action also records

- ``timeline``: the digest of the timeline it was made on (``timeline_digest``: the segments'
  ids, order, times, anchors, manual flags and lower-third offsets: what decides where an action
  lands; a changed scene or title does not change it), and
- its ``Effect``: the segment on air when it took effect, and for take/back the segment it
  started (or that it ended the show), for skip the segment it skipped.

``replay(timeline, digest, entries, now)`` decides, action by action in time order:

- made on this very timeline (or journalled by a version that recorded neither): replayed as it
  is (exactly as before);
- made on another timeline: replayed *by segment*. A take/skip replays onto the segment it
  started/skipped if that segment is still in the file and still to come at the action's
  instant (as a plain action when that is the one it would reach anyway, else naming the
  segment, ``Take.segment``); a back only if it brings the same segment back; a hold, nudge,
  fire, clear, overlay toggle or preview only if the segment it was made on is on air at its
  instant (a nudge of another segment could start the next one early; made with nothing on
  air: only if nothing is, so a hold before the show still holds it); a release only if the
  show is held then (never leaves the show held for good); a message, its clearing and a
  reassert always (they belong to no segment). Anything else is dropped, with one line naming
  the action, its time and why.

Then each kept action is checked as ``validate.sift`` does (refused ones are left out too).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from studio.engine.actions import (
    Action,
    Back,
    ClearMessage,
    Hold,
    Message,
    Nudge,
    Reassert,
    Release,
    Skip,
    Take,
)
from studio.engine.fold import EARLY, ShowState, choose, fold, state_candidates
from studio.engine.timeline import Timeline
from studio.engine.validate import describe, local_time, refusal, sift


@dataclass(frozen=True)
class Effect:
    """What a journalled action did, by segment id (None: no segment)."""

    on_air: str | None  # on air when the action took effect (before it)
    started: str | None = None  # take/back: the segment it put on air
    ended: bool = False  # take: it ended the show
    skipped: str | None = None  # skip: the segment it skipped


@dataclass(frozen=True)
class Entry:
    """One journalled action: with its effect and timeline digest when the journal has them."""

    action: Action
    effect: Effect | None = None
    digest: str | None = None


@dataclass
class Replay:
    actions: tuple[Action, ...] = ()  # to fold from now on
    changed: list[Entry] = field(default_factory=list)  # made on another timeline
    dropped: list[tuple[Action, str]] = field(default_factory=list)  # (action, one line)
    by_segment: list[tuple[Action, str]] = field(default_factory=list)  # replayed, what it did
    refused: list[tuple[Action, str]] = field(default_factory=list)  # left out by the check


def timeline_digest(tl: Timeline) -> str:
    """16 hex digits over what decides where an action lands (see the module's docstring)."""
    shape = [
        [p.id, p.planned_start.isoformat(), p.length.total_seconds(), p.anchor, p.manual,
         [[lt.at.total_seconds(), None if lt.for_ is None else lt.for_.total_seconds()]
          for lt in p.lower_thirds]]
        for p in tl.segments
    ]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


def _id(tl: Timeline, index: int | None) -> str | None:
    return None if index is None else tl.segments[index].id


def effect_of(tl: Timeline, actions: Sequence[Action], action: Action) -> Effect:
    """What ``action`` does at its instant after ``actions`` (all at or before it)."""
    t = action.at
    before = fold(tl, list(actions), t)
    after = fold(tl, [*actions, action], t)
    on_air = _id(tl, before.cur)
    if isinstance(action, Take | Back):
        if after.ended and not before.ended:
            return Effect(on_air, ended=True)
        if after.cur is not None and (after.cur != before.cur
                                      or len(after.history) != len(before.history)):
            return Effect(on_air, started=_id(tl, after.cur))
        return Effect(on_air)
    if isinstance(action, Skip):
        new = sorted(after.skipped - before.skipped)
        return Effect(on_air, skipped=_id(tl, new[0]) if new else None)
    return Effect(on_air)


def _index(tl: Timeline, segment: str | None) -> int | None:
    return next((p.index for p in tl.segments if p.id == segment), None)


def _to_come(tl: Timeline, st: ShowState, segment: str) -> str | None:
    """Why ``segment`` cannot be taken or skipped now (None: it can)."""
    idx = _index(tl, segment)
    if idx is None:
        return f"segment {segment} is no longer in the show"
    if idx == st.cur:
        return f"segment {segment} is already on air then"
    if idx in st.history:
        return f"segment {segment} has already been on air by then"
    if idx in st.skipped:
        return f"segment {segment} is already skipped by then"
    return None


def _on(tl: Timeline, st: ShowState) -> str:
    return "nothing is on air then" if st.cur is None else (
        f"segment {tl.segments[st.cur].id} is on air then")


def by_segment(tl: Timeline, kept: Sequence[Action], entry: Entry) -> tuple[Action | None, str]:
    """An action made on another timeline, onto this one: (the action to replay or None,
    what it does or why it is dropped)."""
    a, eff = entry.action, entry.effect
    if eff is None:  # not written by this version: nothing to go by
        return a, "replayed as journalled"
    st = fold(tl, list(kept), a.at)
    if isinstance(a, Message | ClearMessage | Reassert):
        return a, "replayed (it belongs to no segment)"
    if isinstance(a, Take | Skip):
        target = eff.started if isinstance(a, Take) else eff.skipped
        verb = "starts" if isinstance(a, Take) else "is skipped"
        if target is None:
            if isinstance(a, Take) and eff.ended:
                adv = choose(state_candidates(tl, st), a.at)
                if adv is not None and adv.target is None and _id(tl, st.cur) == eff.on_air:
                    return a, "the show ends, as it did"
                return None, "it ended the show, which now goes on"
            return None, "it did nothing when it was made"
        why = _to_come(tl, st, target)
        if why is not None:
            return None, why
        adv = choose(state_candidates(tl, st), a.at)
        if adv is not None and _id(tl, adv.target) == target:
            return a, f"segment {target} {verb}"
        return replace(a, segment=target), f"segment {target} {verb} (named: it is not next)"
    if isinstance(a, Back):
        if eff.started is None:
            return None, "it did nothing when it was made"
        if st.cur is not None and len(st.history) >= 2:
            back = st.history[-2]
        elif st.ended and st.history:
            back = st.history[-1]
        else:
            return None, f"nothing to go back to then (it brought back {eff.started})"
        if _id(tl, back) != eff.started:
            return None, (f"it brought back segment {eff.started}; now it would bring back "
                          f"{_id(tl, back)}")
        return a, f"segment {eff.started} again"
    if isinstance(a, Release):
        if st.held:
            return a, "the hold ends"
        return None, "the show is not held then (its hold was dropped)"
    # hold, nudge, fire, clear, overlay, preview: about the segment on air
    if _id(tl, st.cur) != eff.on_air:
        made = "with nothing on air" if eff.on_air is None else f"on segment {eff.on_air}"
        return None, f"it was made {made}; {_on(tl, st)}"
    where = "nothing on air" if eff.on_air is None else f"segment {eff.on_air}"
    if isinstance(a, Hold):
        return a, f"{where} held"
    if isinstance(a, Nudge):
        return a, f"{where} nudged"
    return a, f"on {where}"


def replay(tl: Timeline, digest: str | None, entries: Sequence[Entry], now: datetime) -> Replay:
    """The journal's actions for ``tl`` (digest ``digest``; None: replay as journalled)."""
    out = Replay()
    if all(digest is None or e.digest is None or e.digest == digest for e in entries):
        kept_as_is, out.refused = sift(tl, [e.action for e in entries], now)  # as ever
        out.actions = kept_as_is
        return out
    kept: list[Action] = []
    # in time order, as the fold applies them (sorted is stable: the journal's order on ties)
    for entry in sorted(entries, key=lambda e: _instant(e.action)):
        a: Action | None = entry.action
        same = digest is None or entry.digest is None or entry.digest == digest
        if not same:
            out.changed.append(entry)
            try:
                a, what = by_segment(tl, kept, entry)
            except Exception as exc:  # an action that breaks the fold: the check says why
                a, what = entry.action, f"({type(exc).__name__})"
            if a is None:
                out.dropped.append((entry.action, what))
                continue
        assert a is not None
        why = refusal(tl, kept, a, now)
        if why is not None:
            out.refused.append((a, why))
            continue
        kept.append(a)
        if not same:
            out.by_segment.append((a, what))
    out.actions = tuple(kept)
    return out


def _instant(a: Action) -> datetime:
    at = a.at
    ok = isinstance(at, datetime) and at.tzinfo is not None and at.utcoffset() is not None
    return at if ok else EARLY  # refused by the check in any case


def line(tl: Timeline, action: Action, text: str) -> str:
    """``take (api) of 10:04:10``: ``text``."""
    who = "" if action.who == "operator" else f" ({action.who})"
    return f"{describe(action)}{who} of {local_time(tl, action)}: {text}"
