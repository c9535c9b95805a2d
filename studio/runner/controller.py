"""The show controller: one thread owns the show state and turns every message into OBS commands.

Work arrives on a queue as typed messages (``studio.runner.messages``: operator actions from
``submit``, scheduler wake-ups, OBS events, connection changes), handled in one ``match``. The
one flow, ``sync(cause=...)``: the projection (``ports.project``) -> the pure decision
(``decide``: actual state, override, running transition -> commands with reasons) -> the
at-most-once guard (``atmostonce``) -> ``Sender.send`` -> ``gateway.apply``. Once the queue is
empty the ``Planner`` prepares the next cue, and only then is its wake-up scheduled, once.
``submit`` never blocks its caller (the TUI loop).

Decisions (the issue left them open):
- manual override: a program change in OBS that studio did not cause pauses automatic *program*
  changes (graphics go on); ``Reassert`` puts the desired state back and resumes; ``Take`` is the
  operator taking control explicitly, so it also ends the override and the next segment goes on air.
- stream/record start and stop happen at most once per cue: the intent is journalled before the
  request and marked done after; an intent without its done (crash in between) is reported as
  indeterminate and never repeated; neither is a stream OBS lost (OBS restarted): the operator
  is told.

Owns the show's state and the one thread that changes it: the timeline, the operator's actions, the
last projection, the manual override, the next wake-up, the work queue, the log and the listeners.
The collaborators it builds own their own state and never import it (the ``runner-acyclic``
contract in .importlinter): the tracker (OBS's actual state), the scheduler, the planner (the
prepared next cue, the send-ahead lead), the guard (stream/record requests made), the sender
(as-run, stats, cues that waited for OBS), the send-ahead and the port watch.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import assert_never

from studio.clock import Clock
from studio.engine.actions import Action, ClearMessage, Reassert, Take
from studio.engine.actions import Message as ViewsMessage
from studio.engine.projection import Projection
from studio.engine.replay import Replay, effect_of, replay
from studio.engine.timeline import Timeline
from studio.engine.timeline import compile as compile_timeline
from studio.engine.validate import local_time, refusal
from studio.obs.errors import NotConnected
from studio.obs.events import ConnectionChanged, ObsEvent
from studio.runner.api import ControllerStatus, LogEntry, LogKind
from studio.runner.asrun import AsRunWriter
from studio.runner.atmostonce import AtMostOnce
from studio.runner.cues import action_text, describe_change
from studio.runner.decide import Situation
from studio.runner.expect import moved_on
from studio.runner.journal import Journal
from studio.runner.messages import (
    Cause,
    Checked,
    ClockStarted,
    Due,
    FromObs,
    Idle,
    Marker,
    Message,
    Missed,
    Reconnect,
    Resync,
    Startup,
    Stop,
    Submitted,
    Tick,
)
from studio.runner.planning import Plan, Planner
from studio.runner.ports import GatewayFactory, project
from studio.runner.portwatch import PortWatch
from studio.runner.recovery import report_indeterminate, report_missed
from studio.runner.replayed import report_replay
from studio.runner.scheduler import CueScheduler, Scheduler
from studio.runner.sendahead import SendAhead
from studio.runner.sending import Sender
from studio.runner.tracking import ActualTracker
from studio.runner.watchdog import Watchdog
from studio.show.controls import printable
from studio.show.model import Show
from studio.show.timing import wall_clock, wall_clock_seen_from

SchedulerFactory = Callable[..., Scheduler]
WATCHDOG_GRACE_S = 5.0  # a wake-up this overdue (real seconds) stops the watchdog's pings
WAKE_NOW_S = 1.0  # a wake-up this close (real seconds) is scheduled even with work still queued


class Controller:
    """Implements ``studio.runner.api.ShowController``."""

    def __init__(
        self,
        show: Show,
        clock: Clock,
        gateway_factory: GatewayFactory,
        *,
        journal: Journal | None = None,
        asrun: AsRunWriter | None = None,
        rehearsal: bool = False,
        auto_take: bool = False,
        scheduler_factory: SchedulerFactory = CueScheduler,
        on_log: Callable[[LogEntry], None] | None = None,
        obs_address: tuple[str, int] | None = None,
        send_ahead: bool = True,
    ) -> None:
        self.show = show
        self.clock = clock
        self.rehearsal = rehearsal
        self.timeline: Timeline = compile_timeline(show)
        self.journal = journal
        self._on_log = on_log
        self._log: deque[LogEntry] = deque(maxlen=1000)
        self._log_lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []
        self._queue: queue.Queue[Message] = queue.Queue()
        self._cond = threading.Condition()
        self._processed = 0
        self.finished = threading.Event()
        self.tracker = ActualTracker(show.catalogue)
        self._actions: tuple[Action, ...] = ()
        self._override: str | None = None
        self.stop_request: tuple[str, str] | None = None  # (why, who): see request_stop
        self._connection: ConnectionChanged = ConnectionChanged(
            at=datetime.now(UTC), state="connecting"
        )
        self.gateway = gateway_factory(self._on_obs_event)
        self.scheduler = scheduler_factory(clock, self._on_due, self._on_missed)
        self.send_ahead = SendAhead(enabled=send_ahead)
        # the sender's own as-run notes: the guard says there what it did not repeat
        self.guard = AtMostOnce(journal, log=self.log,
                                note=lambda kind, text: self.sender.note(kind, text))
        self.sender = Sender(
            asrun, clock=clock, tracker=self.tracker, gateway=self.gateway,
            send_ahead=self.send_ahead, guard=self.guard, journal=journal, log=self.log,
            rehearsal=rehearsal, connected=self._connected_now, override=lambda: self._override)
        self._portwatch = None if obs_address is None else PortWatch(
            *obs_address, disconnected=lambda: self.gateway.connection_state == "reconnecting",
            reconnect=self.gateway.reconnect_now)
        self._thread = threading.Thread(target=self._run_guarded, name="studio-controller",
                                        daemon=True)
        self.on_death: Callable[[str], None] | None = None  # launch: exit the process at once
        # may this show drive OBS now (None: yes; else why not): studio.runner.drive
        self.drive: Callable[[datetime], str | None] | None = None
        self.watchdog = Watchdog()
        self._last_proj: Projection | None = None
        self._wake_due: datetime | None = None
        self.planner = Planner(self.timeline, show.catalogue, auto_take=auto_take,
                               send_ahead=self.send_ahead)
        self._reschedule = False  # the wake-up changed: scheduled once the item is handled
        self._floor: datetime | None = None  # latest show time evaluated: never go back before
        self._dropped: list[tuple[Action, str]] = []  # journalled actions not replayed
        self._replay = Replay()
        if journal is not None:
            self._replay = replay(self.timeline, journal.timeline, journal.state.entries,
                                  clock.now())  # by segment onto a changed file
            self._actions, self._dropped = self._replay.actions, self._replay.refused
            self._override = journal.state.override
        for writer in (journal, asrun):
            if writer is not None:  # a disk that refuses lines: one alarm, in the log too
                writer.file.on_change = self._file_changed
                alarm = writer.alarm()  # refused before it was ours to tell (the header)
                if alarm is not None:
                    self._file_changed(alarm, True)

    # ================================================================== ShowController
    def projection(self) -> Projection:
        return project(self.timeline, self._actions, self.clock.now(),
                       studio_mode=self._studio_mode())

    def _studio_mode(self) -> bool:
        return bool(self.tracker.actual.studio_mode)

    def status(self) -> ControllerStatus:
        a = self.tracker.actual
        c = self._connection
        return ControllerStatus(
            connection=c.state, attempt=c.attempt, detail=c.detail, streaming=a.streaming,
            recording=a.recording, rehearsal=self.rehearsal, speed=self.clock.speed,
            override=self._override, studio_mode=a.studio_mode, alarms=self.alarms(),
            retry_in=c.retry_in,
        )

    def alarms(self) -> tuple[str, ...]:
        """Lines that wait to be written (disk full...): one alarm per file; and why this show
        does not drive OBS, while it stands by (``studio.runner.drive``)."""
        writers = (self.journal, self.sender.asrun)
        files = tuple(a for w in writers if w is not None and (a := w.alarm()) is not None)
        standing_by = self.drive(self.clock.now()) if self.drive is not None else None
        return files if standing_by is None else (standing_by, *files)

    def _file_changed(self, text: str, alarm: bool) -> None:
        self.log("error" if alarm else "info", text)

    def recent_log(self, limit: int = 50) -> list[LogEntry]:
        with self._log_lock:
            return list(self._log)[-limit:]

    def submit(self, action: Action, expect: str | None = None) -> None:
        if expect is None:
            self._queue.put(Submitted(action))
            return

        def check(proj: Projection) -> Action | str:  # the show moved on: said, nothing done
            why = moved_on(action, expect, proj)
            if why is not None:
                self.log("error", why)
            return action if why is None else why

        self._queue.put(Checked(check, lambda _refusal, _proj: None))

    def reconnect(self) -> None:
        self._queue.put(Reconnect())

    def resync(self) -> None:
        """Read OBS and send what differs (this show has just begun to drive it)."""
        self._queue.put(Resync())

    def clock_started(self) -> None:
        """The clock's mapping to real time changed (a rehearsal's clock began to run): set the
        next wake-up again."""
        self._queue.put(ClockStarted())

    def submit_checked(self, check: Callable[[Projection], Action | str],
                       reply: Callable[[str | None, Projection], None]) -> None:
        """For the control API: on this thread, in turn with all other work, ``check`` sees
        the projection of now and returns the action to take (or why not, e.g. an ``expect``
        that no longer holds); ``reply(refusal or None, projection after)`` follows."""
        self._queue.put(Checked(check, reply))

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    # ================================================================== life cycle
    def start(self) -> None:
        self._thread.start()
        self._queue.put(Startup())
        self.scheduler.start()
        self.gateway.start()
        if self._portwatch is not None:
            self._portwatch.start()

    def request_stop(self, why: str, who: str) -> None:
        """An operator asked to stop the show (the control API's stop, from a screen or a
        script) and the stop follows: said now in the log; the END line and the as-run say
        ``why`` instead of the signal the service then sends itself (``run_headless``)."""
        why, who = printable(why), printable(who)
        self.stop_request = (why, who)
        self.log("action", f"show service {why}")

    def stop(self, why: str | None = None, who: str = "auto") -> None:
        """Stop; ``why`` (a stop before the show's end: who or what stopped it) is the
        as-run's last line."""
        if self._portwatch is not None:
            self._portwatch.stop()
        self.scheduler.shutdown()
        if self._thread.is_alive():
            self._queue.put(Stop())
            self._thread.join(timeout=10)
        self.gateway.stop()
        self.watchdog.stopping()
        self.sender.flush_pending(force=True)
        if why is not None:
            self.sender.note("info", why, who=who)
        self.sender.close()
        if self.journal is not None:
            self.journal.close()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until all work queued before this call has been handled (tests, shutdown)."""
        done = threading.Event()
        self._queue.put(Marker(done))
        return done.wait(timeout)

    def idle(self) -> bool:
        """Nothing waits to be done: OBS connected, no work queued, no transition running (until
        OBS says it ended, or its time is up). The item in hand may still run: ``flush()``
        waits for it. An instant rehearsal jumps its clock only then (``studio.runner.instant``)."""
        return (self._connected_now() and self._queue.empty()
                and not self.tracker.transition_running)

    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait (on a condition, not by polling) until ``predicate()`` holds after some work."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    @property
    def actions(self) -> tuple[Action, ...]:
        return self._actions

    @property
    def override(self) -> str | None:
        return self._override

    # ================================================================== inputs (any thread)
    def _on_obs_event(self, ev: ObsEvent) -> None:
        self._queue.put(FromObs(ev))

    def _on_due(self, due: datetime) -> None:
        self._queue.put(Due(due))

    def _on_missed(self, due: datetime, scheduled_wall: datetime) -> None:
        self._queue.put(Missed(due, scheduled_wall))

    # ================================================================== the controller thread
    def _run_guarded(self) -> None:
        """The controller's thread. Should it die anyway, no cue would ever go out again:
        ``on_death`` (set by ``launch``) then ends the process at once, non-zero."""
        try:
            self._run()
        except BaseException as exc:
            text = (f"the controller thread died ({type(exc).__name__}: {exc}): no more cues "
                    "can go out")
            with contextlib.suppress(Exception):
                self.log("error", text)
            if self.on_death is not None:
                self.on_death(text)
            raise

    def _keeping_up(self) -> bool:
        """For the watchdog: no wake-up overdue by more than WATCHDOG_GRACE_S (a scheduler that
        stopped firing starves the watchdog as a stuck controller thread does)."""
        due = self._wake_due
        if due is None:
            return True
        late = (self.clock.now() - due).total_seconds() / self.clock.speed
        return late < WATCHDOG_GRACE_S

    def _run(self) -> None:
        while True:
            if self._keeping_up():
                self.watchdog.ping()
            deadline = self.tracker.next_deadline()
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            idle: Idle | Tick = Idle()
            period = self.watchdog.period
            if period is not None and (timeout is None or period < timeout):
                timeout, idle = period, Tick()  # wake up to ping systemd's watchdog
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = idle
            if isinstance(item, Stop):
                return
            try:
                self._handle(item)
            except Exception as exc:  # one bad moment must not stop the show
                self.log("error", f"internal error: {type(exc).__name__}: {exc}")
            if self._queue.empty():
                try:
                    self.prepare()
                except Exception as exc:
                    self.log("error", f"internal error preparing the next cue: {exc}")
                self._schedule_wake()  # once, after preparation: off the firing path
            elif self._wake_is_close():
                self._schedule_wake()  # work queued behind must never make the next cue late
            with self._cond:  # wait_for's predicates never see a half-written as-run
                try:
                    self.sender.flush_pending()
                except Exception as exc:
                    self.log("error", f"internal error writing the as-run: {exc}")
                self._processed += 1
                self._cond.notify_all()
            if isinstance(item, Marker):
                item.done.set()
            for listener in list(self._listeners):
                try:
                    listener()
                except Exception as exc:
                    self.log("error", f"listener failed: {type(exc).__name__}: {exc}")

    def _handle(self, msg: Message) -> None:
        match msg:
            case Due(at=due) if self._wake_due is None or due < self._wake_due:
                # its cue went out already (before an action that waited behind it), or a
                # hold or nudge moved the next change: no cue of its own any more
                self.sync(cause="followup")
            case Due(at=due):
                lead = self.lead_for(due)
                early = (due - self.clock.now()).total_seconds() / self.clock.speed - lead
                if 0 < early < 0.05:  # woken up a little early on purpose: wait out the rest
                    time.sleep(early)
                # a rehearsal evaluates a cue at its instant: its virtual clock multiplies the
                # wake-up's real delay (0.1 ms at 600x is 60 ms of show time, moving an assumed
                # TAKE)
                at = due if self.rehearsal else max(self.clock.now(), due)
                self.sync(cause="cue", scheduled=due, now=at, lead_ms=lead * 1000)
            case Submitted(action=action):
                self._handle_action(action)
            case Checked(check=check, reply=reply):
                verdict = check(self.projection())
                refused: str | None = verdict if isinstance(verdict, str) else None
                if not isinstance(verdict, str):
                    try:
                        refused = self._handle_action(verdict)  # its own refusal, if any
                    except Exception as exc:
                        reply(f"internal error: {type(exc).__name__}: {exc}", self.projection())
                        raise
                reply(refused, self._last_proj or self.projection())
            case FromObs(event=ev):
                self._handle_event(ev)
            case Startup():
                self._startup()
            case Missed(due=due, scheduled_wall=wall):
                self.log("late", f"scheduler woke up late for the cue at "
                                 f"{wall_clock(due, self.timeline.tz)} "
                                 f"(due {wall:%H:%M:%S} UTC): sending it now")
            case Reconnect():
                self.log("connection", "reconnecting to OBS on the operator's request")
                self.gateway.reconnect_now()
            case Idle():
                if not self.tracker.transition_running:
                    self.sync(cause="followup")  # a held-back transition change may go out now
            case Resync():
                if self._connected_now():
                    self._connected()
            case ClockStarted():
                self._reschedule = True
            case Marker() | Tick() | Stop():
                pass  # the loop itself answers these
            case _:
                assert_never(msg)

    def _startup(self) -> None:
        now = self.clock.now()
        asrun = self.sender.asrun
        for note in asrun.notes if asrun is not None else ():  # a torn last line kept apart
            self.log("error", note)
        if self.journal is not None:
            st = self.journal.state
            for note in st.notes:  # a torn last line cut off, ...
                self.log("info", note)
            report_replay(self.timeline, self._replay, self.journal.path, log=self.log,
                          sender=self.sender)
            if st.actions:
                self.log("info", f"resumed from journal {self.journal.path}: "
                                 f"{len(self._actions)} operator action(s) replayed")
            for bad, why in self._dropped:
                when = local_time(self.timeline, bad)
                self.log("error", f"journal: left out the action of {when}: {why}")
            report_indeterminate(st.indeterminate, log=self.log, sender=self.sender)
            self.sender.report_unwritten(st.unwritten)  # sent, then studio stopped
            if st.checkpoint is not None and st.checkpoint < now:
                report_missed(self.timeline, self._actions, st.checkpoint, now,
                              "while studio was not running", log=self.log, sender=self.sender)
                self.journal.checkpoint(now)  # reported: a second crash does not repeat them
        proj = project(self.timeline, self._actions, now,
                       studio_mode=self._studio_mode())
        self._last_proj = proj
        if proj.on_air is not None:
            self.log("info", f"starting mid-show: {proj.on_air.title} [{proj.on_air.segment_id}] "
                             "is on air; only what differs is sent, earlier cues are not replayed")
        if proj.next is not None:
            nxt = proj.next
            # (+01 in the autumn's repeated hour; another day's file: which day)
            at = wall_clock_seen_from(nxt.start, self.timeline.tz, now)
            self.log("info", f"next: {nxt.title} [{nxt.segment_id}] at {at}"
                             + (" (waits for TAKE)" if nxt.waits_for_take else ""))
        self._wake_due = proj.next_change_at
        self._reschedule = True
        if self.gateway.connection_state == "connected":
            self._connected()
        self.watchdog.ready()

    def _handle_action(self, action: Action) -> str | None:
        """Check, journal and apply ``action``; the one-line refusal when it is refused."""
        now = self.clock.now()  # one instant for the cue check and the action's own sync
        self._cue_if_due(now)
        if self._floor is not None and action.at < self._floor:
            # a cue already went out ahead of its instant (send-ahead): the action takes
            # effect from then, or it would take that cue back off air a few ms after it
            action = replace(action, at=self._floor)
        why = refusal(self.timeline, self._actions, action, now)
        standing_by = self.drive(now) if self.drive is not None else None
        if why is None and standing_by is not None and not isinstance(
                action, ViewsMessage | ClearMessage):  # (the views' message reaches no OBS)
            why = f"{type(action).__name__.lower()} refused: {standing_by}"
        if why is not None:  # checked before it is journalled: it never counts
            self.log("error", why)
            return why
        if self.journal is not None:
            self.journal.append_action(  # durable before it takes effect, with what it does
                action, effect_of(self.timeline, self._actions, action))
        name = type(action).__name__.lower()
        if isinstance(action, Reassert | Take) and self._override is not None:
            self.set_override(None)
            self.log("override", f"{name}: automatic program changes resume")
        self._actions = (*self._actions, action)
        self.sync(cause="action", scheduled=action.at, now=now, who=action.who, action=action)
        return None

    def _cue_if_due(self, now: datetime) -> None:
        """A cue that fell due by ``now`` while this action waited in the queue (its wake-up is
        behind it) goes out first, as itself: inside the action's sync it had no as-run line
        of its own. Its own wake-up, when it comes, finds nothing left to change. (The action
        is then evaluated at the same ``now``: a clock read a moment later would slip the cue
        into it.)"""
        due = self._wake_due
        if due is None or due > now:
            return
        self.sync(cause="cue", scheduled=due, now=due if self.rehearsal else now)

    def _handle_event(self, ev: ObsEvent) -> None:
        if isinstance(ev, ConnectionChanged):
            prev = self._connection.state
            self._connection = ev
            if self._portwatch is not None:
                self._portwatch.nudge()
            if ev.state == "connected":
                self.log("connection", f"connected to OBS{': ' + ev.detail if ev.detail else ''}")
                self._connected()
            elif prev != ev.state or ev.state in ("reconnecting", "auth_failed"):
                self.tracker.reset()
                if ev.state == "reconnecting" and prev == "reconnecting":
                    if ev.attempt % 20:
                        return  # one line when the connection drops, not one per attempt
                    text = f"still no OBS after {ev.attempt} attempts: retrying"
                    self.log("connection", text + (f" ({ev.detail})" if ev.detail else ""))
                    return
                if ev.state == "reconnecting" and prev == "connecting":
                    # never connected yet: the detail already says where and why
                    self.log("connection", f"{ev.detail or 'cannot reach OBS'}; retrying")
                    return
                if ev.state == "auth_failed":
                    self.log("connection", f"authentication failed, retrying in {ev.retry_in:g} s"
                             f"{': ' + ev.detail if ev.detail else ''} (reconnect tries at once)")
                    return
                text = {"reconnecting": "OBS connection lost: reconnecting",
                        "connecting": "connecting to OBS",
                        "closed": "OBS connection closed"}.get(ev.state, ev.state)
                self.log("connection", text + (f" ({ev.detail})" if ev.detail else ""))
            return
        foreign = self.tracker.on_event(ev)
        if foreign is not None and self._override is None:
            desired = self._last_proj.desired.program_scene if self._last_proj else None
            if desired is not None and foreign != desired:
                self.set_override(f"manual override: desired {desired}, OBS shows {foreign}")
        if not self.tracker.transition_running:
            self.sync(cause="followup")

    def _connected(self) -> None:
        try:
            actual = self.gateway.read_state(self.show.catalogue)
        except NotConnected as exc:
            # gone again meanwhile (the operator's reconnect, an OBS thawing from a freeze):
            # nothing is sent against a state not read back (it would ask for a stream start
            # again); the next connect reads it. Said here: the gateway's own "reconnecting"
            # comes next and is then quiet, so the log would show "connected" twice in a row
            self._connection = replace(self._connection, state="reconnecting")
            self.log("connection", f"OBS connection lost again while reading its state ({exc}): "
                                   "reconnecting")
            return
        except Exception as exc:
            self.log("error", f"could not read OBS's state: {exc}")
            return
        self.tracker.reset(actual)
        self.sync(cause="resync")

    def set_override(self, text: str | None) -> None:
        text = printable(text) if text else text  # it names the scene OBS shows
        self._override = text
        if self.journal is not None:
            self.journal.override(text)
        if text:
            self.log("override", text + " (automatic program changes paused; Reassert resumes)")
            self.sender.note("override", text)

    # ================================================================== the one flow
    def sync(
        self,
        *,
        cause: Cause,
        scheduled: datetime | None = None,
        now: datetime | None = None,
        who: str = "auto",
        action: Action | None = None,
        lead_ms: float = 0.0,
    ) -> None:
        """project -> decide (against actual) -> at most once -> send; the wake-up follows
        once the item is handled (``_schedule_wake``)."""
        now = now or self.clock.now()
        if self._floor is not None and now < self._floor:
            now = self._floor  # a cue sent ahead is not taken back by what follows it
        self._floor = now
        if cause == "followup" and self._wake_due is not None and self._wake_due <= now:
            cause, scheduled = "cue", self._wake_due  # an event got here first: it is the cue
        situation = self.situation()
        plan = (self.planner.prepared_for(scheduled, self._actions, situation, now)
                if cause == "cue" else None)  # worked out ahead, nothing changed since
        if plan is None:
            plan = self._plan(now, situation)
        proj, take_at = plan.proj, plan.take_at
        commands = self.guard.admit(list(plan.commands), proj, now,
                                    connected=self._connected_now())
        before = self._last_proj
        self._last_proj = proj
        wake = proj.next_change_at
        if take_at is not None and (wake is None or take_at < wake):
            wake = take_at
        self._wake_due = wake
        label = describe_change(before, proj)
        cue, text = label.cue, label.text
        if cause == "followup" and commands:  # e.g. a transition change held back, OBS events
            cue = f"{cue}/followup"
            text = "; ".join(c.reason for c in commands)
        if action is not None:
            cue = type(action).__name__.lower()
            text = action_text(action, before, proj)
        try:
            self.sender.send(cause=cause, cue=cue, text=text, commands=commands,
                             scheduled=scheduled or now, who=who, proj=proj, lead_ms=lead_ms,
                             changed=label.changed,
                             standing_by=self.drive(now) if self.drive is not None else None)
        finally:
            # the next wake-up once the commands are out (and the next cue prepared), so
            # APScheduler's bookkeeping is not on the firing path (a wake-up firing meanwhile
            # only queues up behind this work)
            self._reschedule = True
        if proj.ended:
            self.finished.set()  # the "show ended" cue line is written with the as-run

    def situation(self) -> Situation:
        """What the decision depends on besides the projection, as of now."""
        t = self.tracker
        return Situation(actual=t.actual, override=self._override,
                         transition_running=t.transition_running,
                         preview_unconfirmed=t.preview_unconfirmed)

    def _plan(self, now: datetime, situation: Situation) -> Plan:
        plan = self.planner.plan(self._actions, situation, now)
        if plan.assumed is not None:  # a rehearsal's TAKE for a segment that waits for it
            self._actions = (*self._actions, plan.assumed)
            self.log("action", f"take (rehearsal: TAKE assumed for {plan.assumed_for}, "
                               "which waits for the operator)")
        return plan

    def prepare(self) -> None:
        """While idle: work out the next cue's commands now, so the firing path only sends."""
        if self.planner.prepare(self._wake_due, self._actions, self.situation()):
            self._reschedule = True  # its lead changed

    def _wake_is_close(self) -> bool:
        """The next wake-up is due within ``WAKE_NOW_S`` real seconds (or overdue): it is
        scheduled at once even while work waits in the queue, prepared or not."""
        due = self._wake_due
        if not self._reschedule or due is None:
            return False
        return (due - self.clock.now()).total_seconds() / self.clock.speed < WAKE_NOW_S

    def _schedule_wake(self) -> None:
        if self._reschedule:
            self._reschedule = False
            wake = self._wake_due
            self.scheduler.schedule(wake, lead_s=self.lead_for(wake))

    def lead_for(self, due: datetime | None) -> float:
        """Seconds ahead of ``due`` to send its cue (send-ahead; 0 unless prepared for it)."""
        return self.planner.lead_for(due)

    @property
    def prepared_hits(self) -> int:
        """Cues whose commands were worked out ahead (bench, tests)."""
        return self.planner.hits

    def _connected_now(self) -> bool:
        return self._connection.state == "connected"

    # ================================================================== log
    def log(self, kind: LogKind, text: str, at: datetime | None = None) -> None:
        # OBS's names and error texts may hold control characters: never raw to a terminal
        entry = LogEntry(at=at or self.clock.now(), kind=kind, text=printable(text))
        with self._log_lock:
            self._log.append(entry)
        if self._on_log is not None:
            with contextlib.suppress(Exception):  # a failing output never stops a cue
                self._on_log(entry)

