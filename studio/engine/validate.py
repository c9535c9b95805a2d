"""Operator actions checked before they count. Pure.

An action is journalled and replayed on every restart, so one bad action would spoil the rest of
the show for good (``nudge +99999999999999999`` made every later evaluation fail, TAKE included).
Hence, before an action is journalled:

- ``action_problem(action)``: the action alone: a NUDGE moves the schedule by whole seconds, at
  most ``MAX_NUDGE`` either way; an overlay toggle names a catalogue overlay (given the timeline);
  the instant is aware.
- ``refusal(timeline, actions, action, now)``: that; then a NUDGE that would bring the show's
  nudges together (the signed sum of those taken, this one included) past ``MAX_NUDGE`` either
  way (seven +4 h nudges moved the show 28 h); then a dry run: the show is evaluated with the
  action added, and an action that makes evaluation fail is refused with the reason.
- ``sift(timeline, actions, now)``: a journal's actions in order, each checked against those
  kept before it: (kept, [(dropped action, why)]), so a journal that holds such an action (an
  older version's, or an edited file) resumes without it and can say so.

Every reason is one line for the operator.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from studio.engine.actions import Action, Nudge, ToggleOverlay
from studio.engine.core import evaluate
from studio.engine.timeline import Timeline
from studio.show.timing import format_duration

MAX_NUDGE = timedelta(hours=4)  # a day's schedule moves by minutes; hours is a typo
# the show's nudges together: the same bound (one number for the operator to remember; a day
# that ran 4 h late has been re-planned, not nudged)
MAX_NUDGE_TOTAL = MAX_NUDGE


def describe(action: Action) -> str:
    """``nudge +99999 s``, ``overlay live-bug``, ``take``: the action as the operator typed it."""
    if isinstance(action, Nudge):
        s = action.seconds
        return f"nudge {s:+d} s" if isinstance(s, int) else f"nudge {s!r}"
    if isinstance(action, ToggleOverlay):
        return f"overlay {action.overlay}"
    return type(action).__name__.lower()


def local_time(timeline: Timeline, action: Action) -> str:
    """``09:02:01``: the action's instant in the show's zone ("?" when it has none)."""
    try:
        return f"{timeline.local(action.at):%H:%M:%S}"
    except (TypeError, ValueError, OverflowError, AttributeError):
        return "?"


def nudge_problem(seconds: object) -> str | None:
    """Why ``seconds`` is no NUDGE, or None."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        return f"a nudge is a whole number of seconds, not {seconds!r}"
    if abs(seconds) > MAX_NUDGE.total_seconds():
        limit = int(MAX_NUDGE.total_seconds())
        return (f"a nudge moves the schedule by at most {format_duration(MAX_NUDGE)} "
                f"({limit} s) either way")
    return None


def nudge_total_problem(actions: Sequence[Action], seconds: int) -> str | None:
    """Why a NUDGE of ``seconds`` after ``actions`` would move the show too far in all, or
    None. A nudge back towards zero is always taken while the total stays within the bound."""
    total = seconds + sum(a.seconds for a in actions
                          if isinstance(a, Nudge) and isinstance(a.seconds, int))
    limit = int(MAX_NUDGE_TOTAL.total_seconds())
    if abs(total) <= limit:
        return None
    sign = "+" if total > 0 else ""  # format_duration keeps a minus
    # the total and the limit first: a screen's log column shows a line's start
    return (f"nudges total {sign}{format_duration(timedelta(seconds=total))}, past the "
            f"{format_duration(MAX_NUDGE_TOTAL)} limit ({total:+d} s; the show's nudges "
            f"together move it at most {limit} s either way)")


def action_problem(action: Action, timeline: Timeline | None = None) -> str | None:
    """What is wrong with ``action`` by itself (None: nothing)."""
    at = action.at
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        return f"its time {at!r} has no time zone"
    if isinstance(action, Nudge):
        return nudge_problem(action.seconds)
    if isinstance(action, ToggleOverlay) and timeline is not None \
            and action.overlay not in timeline.overlay_sources:
        known = ", ".join(sorted(timeline.overlay_sources)) or "none"
        return f"no overlay {action.overlay!r} in the catalogue (overlays: {known})"
    return None


def refusal(
    timeline: Timeline, actions: Sequence[Action], action: Action, now: datetime
) -> str | None:
    """Why ``action`` must not be taken after ``actions`` at ``now``, in one line (None: take
    it). The dry run evaluates the show with it, at ``now`` or at its instant if that is later
    (the evaluation forecasts the rest of the day, so a later failure shows up there too)."""
    try:
        problem = action_problem(action, timeline)
        if problem is None and isinstance(action, Nudge):
            problem = nudge_total_problem(actions, action.seconds)
        if problem is None:
            evaluate(timeline, [*actions, action], max(action.at, now))
    except Exception as exc:  # whatever breaks evaluation must never be journalled
        problem = f"the show could not go on with it ({type(exc).__name__}: {exc})"
    if problem is None:
        return None
    return f"{describe(action)} refused: {problem}"


def sift(
    timeline: Timeline, actions: Sequence[Action], now: datetime
) -> tuple[tuple[Action, ...], list[tuple[Action, str]]]:
    """A journal's actions, each checked against the ones kept before it:
    (kept, [(dropped, why)])."""
    kept: list[Action] = []
    dropped: list[tuple[Action, str]] = []
    for a in actions:
        why = refusal(timeline, kept, a, now)
        if why is None:
            kept.append(a)
        else:
            dropped.append((a, why))
    return tuple(kept), dropped
