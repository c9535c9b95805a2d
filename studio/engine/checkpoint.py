"""Checkpoints of the fold: evaluating after one more action costs that action, not the day. Pure.

``fold(tl, actions, now)`` (fold.py) replays every action from the start of the show on every
call. A live show evaluates at each cue, action, OBS event and screen refresh, so a day with
thousands of actions paid O(actions) per evaluate, O(actions^2) per day. ``resume`` gives the
same ``ShowState`` as ``fold`` while doing only the new work.

Why it can: the state after the first ``p`` actions in fold order (time order, equal times in
list order) does not depend on ``now``: ``now`` only decides how many actions are folded (those
at or before it) and the automatic cues after the last of them. So a state taken there is a
valid starting point for any ``now`` at or after that action and any action list whose first
``p`` actions in fold order are the same.

The design (chosen over an explicit incremental API so that every caller of ``evaluate`` - the
runner's ``project``, the refusal dry run, the journal's replay, the service's remote screen,
the look of a segment - gets it without a change and without a way to misuse it):

- ``Timeline.fold_memo`` keeps a few *runs* (at most ``RUNS``, most recent first). A run is an
  immutable record of one action list: the actions in the caller's order, their UTC instants
  and indices in fold order, and checkpoints ``(p, state after the first p in fold order)``:
  one every ``EVERY`` actions and the *tip*, where the last call stopped. Checkpoint states are
  never mutated once stored (a call works on a copy) and a call publishes a new run by one
  assignment, so a caller in another thread at worst misses a checkpoint, never reads a torn
  one; the result never depends on what the memo holds.
- A call finds the run whose action list is a prefix of its own (equality: frozen actions of
  the same list compare by identity at C speed; and the same ``fold`` for the few actions whose
  ``at`` is a wall time in a DST change on a zone like ZoneInfo, where ``==`` ignores it and
  two equal actions are an hour apart), inserts the new actions into the fold order
  (``bisect_right`` on the instant: a later action in the list sorts after one at the same
  instant, as ``sorted`` does), drops the checkpoints beyond the first insertion point (an
  action that arrives out of order, before the last one's time, invalidates only what comes
  after it), folds on from the latest checkpoint at or before the number of actions due by
  ``now`` and stores the new tip. An earlier ``now`` than the tip's actions resumes from a
  regular checkpoint: at most ``EVERY`` actions again. A list that is not an extension of a
  kept one (an action removed or changed) starts a new run from nothing: the old cost, once.
- Two runs and more are kept because callers alternate: the refusal dry run evaluates the
  list with a candidate action, and if it is refused the next call has the list without it.

Cost per call: the new actions and at most ``EVERY`` re-folded ones, plus copies of one state
(O(segments + overlays + lower thirds + CLEARs of the on-air segment)) and C-speed copies and
comparisons of the action list (a few microseconds for thousands of actions).

Warnings: a state's warnings are only ever appended to or reset, and ``fold`` keeps the last
five, so checkpoints keep the last five too (copies stay small however many actions warn).
Actions are ordered by their UTC instant, as the fold orders them (``fold.instant``); a naive
``at`` is refused with its ``ValueError`` wherever it sits in the list.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import cast

from studio.engine.actions import Action
from studio.engine.fold import ShowState, advance_until, apply_action, instant
from studio.engine.timeline import Timeline

EVERY = 32  # a checkpoint every EVERY actions in fold order
RUNS = 4  # action lists remembered per timeline
KEEP_WARNINGS = 5  # what fold keeps (st.warnings[-5:])

_KEY = "runs"


@dataclass(frozen=True)
class _Run:
    timeline: Timeline  # the memo's own (a Timeline copied by replace() shares the dict)
    actions: tuple[Action, ...]  # in the caller's order: the index is the action's seq
    ats: tuple[datetime, ...]  # UTC instants, in fold order
    order: tuple[int, ...]  # indices into actions, in fold order
    marks: tuple[tuple[int, ShowState], ...]  # (p, state after order[:p]), p ascending, p=0 first
    tip: tuple[int, ShowState]  # where the last call stopped
    # (index, fold) of the actions whose instant depends on ``at.fold`` (a wall time in a DST
    # change, on a zone like ZoneInfo): == ignores fold between two such times of one zone
    folds: tuple[tuple[int, int], ...] = ()


def copy_state(st: ShowState) -> ShowState:
    """A copy of ``st`` that shares no mutable container with it (warnings: the last five).
    Field by field for speed (it runs twice per evaluate); a test checks it misses none."""
    return ShowState(
        cur=st.cur, started=st.started, ext=st.ext, held=st.held, ended=st.ended,
        clock=st.clock, skipped=set(st.skipped), squeezed=set(st.squeezed),
        history=list(st.history), starts=dict(st.starts), ends=dict(st.ends),
        max_reached=st.max_reached, lt_fired=dict(st.lt_fired), lt_clears=list(st.lt_clears),
        toggles=set(st.toggles), toggled_by=dict(st.toggled_by),
        preview_forced=st.preview_forced, cause=st.cause,
        warnings=st.warnings[-KEEP_WARNINGS:], warned_at=st.warned_at, message=st.message,
    )


def _base(tl: Timeline, runs: tuple[_Run, ...], actions: tuple[Action, ...]) -> _Run | None:
    """The longest kept run whose action list starts ``actions``."""
    best: _Run | None = None
    for run in runs:
        m = len(run.actions)
        if run.timeline is not tl or m > len(actions) or (best and m <= len(best.actions)):
            continue
        if (actions if m == len(actions) else actions[:m]) == run.actions and all(
                actions[i].at.fold == f for i, f in run.folds):
            best = run
    return best


def _folds(actions: tuple[Action, ...], lo: int) -> tuple[tuple[int, int], ...]:
    """(index, fold) of ``actions[lo:]`` whose ``at`` names another instant on the other fold."""
    out = []
    for i in range(lo, len(actions)):
        t = actions[i].at
        if t.replace(fold=1 - t.fold).utcoffset() != t.utcoffset():
            out.append((i, t.fold))
    return tuple(out)


def _extend(tl: Timeline, base: _Run | None, actions: tuple[Action, ...]) -> _Run:
    """``base`` (or nothing) with the actions it lacks put into fold order."""
    if base is None:
        utc = [instant(a) for a in actions]
        order = sorted(range(len(actions)), key=utc.__getitem__)  # stable: equal times in order
        return _Run(tl, actions, tuple(utc[i] for i in order), tuple(order),
                    ((0, ShowState()),), (0, ShowState()), _folds(actions, 0))
    m, n = len(base.actions), len(actions)
    if m == n:
        return base
    new = [instant(actions[i]) for i in range(m, n)]
    folds = base.folds + _folds(actions, m)
    if (not base.ats or base.ats[-1] <= new[0]) and all(
            a <= b for a, b in pairwise(new)):
        # the usual case, actions arriving in time order: one copy of the tuples, nothing lost
        return _Run(tl, actions, base.ats + tuple(new), base.order + tuple(range(m, n)),
                    base.marks, base.tip, folds)
    ats, idx = list(base.ats), list(base.order)
    dirty = len(ats)
    for i, t in enumerate(new, start=m):
        pos = bisect_right(ats, t)
        ats.insert(pos, t)
        idx.insert(pos, i)
        dirty = min(dirty, pos)
    marks = tuple(mk for mk in base.marks if mk[0] <= dirty)
    tip = base.tip if base.tip[0] <= dirty else marks[-1]
    return _Run(tl, actions, tuple(ats), tuple(idx), marks, tip, folds)


def resume(tl: Timeline, actions: tuple[Action, ...], now: datetime) -> ShowState:
    """``fold(tl, actions, now)``, from the latest usable checkpoint (``now``: UTC-aware)."""
    runs = cast("tuple[_Run, ...]", tl.fold_memo.get(_KEY, ()))
    base = _base(tl, runs, actions)
    run = _extend(tl, base, actions)
    due = bisect_right(run.ats, now)
    start = run.tip if run.tip[0] <= due else run.marks[bisect_right(
        [p for p, _ in run.marks], due) - 1]
    p, st = start[0], copy_state(start[1])
    marks = list(run.marks)
    for q in range(p, due):
        t = run.ats[q]
        advance_until(tl, st, t, inclusive=True)
        st.clock = max(st.clock, t)
        seq = run.order[q]
        apply_action(tl, st, run.actions[seq], t, seq)
        if (q + 1) % EVERY == 0 and q + 1 > marks[-1][0]:
            marks.append((q + 1, copy_state(st)))
    st.warnings = st.warnings[-KEEP_WARNINGS:]
    new = _Run(tl, run.actions, run.ats, run.order, tuple(marks), (due, st),  # st: frozen now
               run.folds)
    # a base with fewer actions stays: the next call may drop the one just added (a refusal)
    kept = [r for r in runs if not (r is base and len(r.actions) == len(actions))]
    tl.fold_memo[_KEY] = (new, *kept[: RUNS - 1])
    out = copy_state(st)
    advance_until(tl, out, now, inclusive=True)
    return out
