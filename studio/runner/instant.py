"""Instant rehearsal (``studio rehearse SHOW --speed max``) and actions at set show times.

``InstantScheduler`` is the controller's scheduler for a ``JumpClock``: it only remembers the
next wake-up. ``drive`` then runs the show: whenever the controller has done all its work
(``Controller.idle()``: OBS connected, nothing queued, no transition running; then the last
cue's confirmations in and ``flush()`` returned), the clock jumps to the next wake-up or the
next scripted action, whichever comes first (a cue before an action at the same instant), and
hands it over. Nothing waits on the wall clock: a 10-hour day
takes as long as its cues take to send. The controller does exactly what it does at any other
speed: the same instants, the same commands with the same reasons, the same as-run lines;
only the real-time figures (lateness 0, OBS's answer times) differ.

A show that can no longer move by itself before its end (a HOLD that no action releases, the
rest of the day waiting on it) has no next wake-up: the rehearsal then ends at the show's
planned end (or at once, when that has passed), with one line saying where the show was left.

At a finite speed the virtual clock stands at ``--from`` until OBS answered
(``begin_when_connected``), so that connecting takes no show time. ``feed_actions`` is the
same script at a finite speed: each action is submitted when the
virtual clock reaches its time, stamped with exactly that time; a show the script leaves
standing ends at its planned end there too.

Owns the jumping clock's next wake-up and the order of the script's actions; it uses only the
controller's public members (``idle()`` says that all its work is done).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from studio.clock import Clock, JumpClock, VirtualClock
from studio.engine.actions import Action, Hold
from studio.runner.controller import Controller
from studio.runner.scheduler import DueCallback, MissedCallback

START_WAIT_S = 10.0  # a rehearsal's clock waits at most this long (real) for OBS to answer
CONFIRM_WAIT_S = 0.25  # at most this long (real) for OBS's confirming events of a cue
POLL_S = 1.0  # re-check this often while waiting for OBS to be there


class InstantScheduler:
    """Remembers the next wake-up; ``drive`` delivers it."""

    def __init__(self, clock: Any, on_due: DueCallback, on_missed: MissedCallback) -> None:
        self.on_due = on_due
        self.due: datetime | None = None

    def start(self) -> None:
        pass

    def schedule(self, due: datetime | None, lead_s: float = 0.0) -> None:
        self.due = due

    def shutdown(self) -> None:
        pass


def _confirmed(ctl: Controller) -> bool:
    return all(p.done for p in ctl.tracker.pending)


def drive(ctl: Controller, clock: JumpClock, actions: Sequence[Action],
          stop: threading.Event) -> None:
    """Jump the clock from one wake-up (or scripted action) to the next until the show ends."""
    sched = ctl.scheduler
    assert isinstance(sched, InstantScheduler)
    pending = sorted(actions, key=lambda a: a.at)
    while not stop.is_set() and not ctl.finished.is_set():
        if not ctl.wait_for(lambda: ctl.idle() or stop.is_set(), POLL_S):
            continue  # OBS not there (yet): the rehearsal waits for it, the clock stands still
        # the as-run lines in the order of the cues (an unconfirmed one is written as such)
        ctl.wait_for(lambda: _confirmed(ctl) or stop.is_set(), CONFIRM_WAIT_S)
        if not ctl.flush() or not ctl.idle():  # everything the last step caused is handled
            continue
        if stop.is_set() or ctl.finished.is_set():
            return
        due = sched.due
        if pending and (due is None or pending[0].at < due):
            action = pending.pop(0)
            clock.jump_to(action.at)
            ctl.submit(action)
        elif due is not None:
            sched.due = None
            clock.jump_to(due)
            sched.on_due(due)
        else:  # nothing will ever happen again
            if not ctl.finished.is_set():
                _left_standing(ctl, clock)
            return


def _left_standing(ctl: Controller, clock: Clock) -> None:
    """End a rehearsal whose show stands still for good (held, or waiting for a TAKE), at the
    show's planned end, saying where it was left: a producer gets an answer, not a hang."""
    proj = ctl.projection()
    end = ctl.timeline.segments[-1].local_end
    if isinstance(clock, JumpClock):
        clock.jump_to(end)  # never back: a show held past its planned end ends where it is
    on = proj.on_air
    holds = [a for a in ctl.actions if isinstance(a, Hold)]
    if on is not None and on.held:
        since = f" since {holds[-1].at:%H:%M:%S}" if holds else ""
        where = f"left held on {on.title or on.segment_id!r}{since}: no action releases it"
    elif proj.next is not None:
        where = f"left waiting for {proj.next.title or proj.next.segment_id!r}: nothing starts it"
    else:
        where = "left standing: nothing moves it on"
    # when it ended: its planned end, or the last thing done after it (an action past the end);
    # never when the end was noticed (at a finite speed, a moment late on a loaded machine)
    ended = max([end, *(a.at for a in ctl.actions)])
    if isinstance(clock, JumpClock):
        ended = clock.now()  # (jumped to the end, or left where the last action put it)
    ctl.log("info", f"the show is {where}; the rehearsal ends here "
                    f"(planned end {end:%H:%M:%S})", at=ended)
    ctl.finished.set()
    ctl.flush()  # the controller's listeners (the headless loop) see the show finished


def begin_when_connected(ctl: Controller, clock: VirtualClock, stop: threading.Event) -> None:
    """Start a standing rehearsal clock once OBS answered (at most ``START_WAIT_S`` later: an
    OBS that is not there makes the first cues late, and they say so)."""
    ctl.wait_for(lambda: ctl.status().connection == "connected" or stop.is_set(), START_WAIT_S)
    if not stop.is_set():
        clock.go()
        ctl.clock_started()


def feed_actions(ctl: Controller, clock: Clock, actions: Sequence[Action],
                 stop: threading.Event) -> None:
    """At a finite speed: submit each action when the clock reaches its time."""
    for action in sorted(actions, key=lambda a: a.at):
        while not stop.is_set():
            left = (action.at - clock.now()).total_seconds() / clock.speed
            if left <= 0:
                break
            stop.wait(min(left, 1.0))  # re-read the clock: never sleep past a time
        if stop.is_set():
            return
        ctl.submit(action)
    # the script is done: a show it left standing (held, waiting for a TAKE) ends at its
    # planned end, as at max speed, instead of running until Ctrl-C
    end = ctl.timeline.segments[-1].local_end
    while not stop.is_set() and not ctl.finished.is_set():
        left = (end - clock.now()).total_seconds() / clock.speed
        if left <= 0 and ctl.scheduler.due is None and ctl.idle():
            _left_standing(ctl, clock)
            return
        stop.wait(min(left, 1.0) if left > 0 else POLL_S / 10)
