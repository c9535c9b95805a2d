"""``studio rehearse SHOW [--obs URL] [--speed N|max] [--from HH:MM[:SS]] [--actions FILE]
[--headless]``.

The show runs on a virtual clock N times faster than real time, starting at ``--from`` (default:
a minute before the first segment) on the show's date, against the built-in simulator (or an OBS
given with ``--obs``). It writes the predicted as-run (default ``as-run/<show>.rehearsal.jsonl``,
overwritten each time). Lateness figures are real milliseconds, what a live run would see.

``--speed max``: the clock jumps from one cue to the next instead of waiting (an instant
rehearsal, always headless, see ``studio.runner.instant``); the simulator's transitions then take
no time (at any speed they run that much faster than real time). ``--actions FILE``: the
operator's actions at set times (``10:20 hold``), at any speed; a rehearsal never reads stdin.
"""

from __future__ import annotations

import argparse
import math
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from studio.cli import UserError
from studio.cli.settings import (
    RehearsalSettings,
    add_obs_arguments,
    add_show_arguments,
    check_speed,
    speed,
)
from studio.obs.connection import ObsConnectionSettings
from studio.show.model import Show

FRAME_MS = 33.3  # the simulator's frame at 1x (30 fps)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", help="the run-of-show file")
    add_obs_arguments(parser)
    parser.add_argument("--speed", type=speed, default=1.0, metavar="N|max",
                        help="N times faster than real time (default 1; 600: an hour in 6 s); "
                             "max: jump from cue to cue, a whole day in a second (no screen)")
    parser.add_argument("--from", dest="from_", metavar="HH:MM[:SS]", default=None,
                        help="start at this time of the show's day "
                             "(default: a minute before the first segment)")
    parser.add_argument("--actions", type=Path, metavar="FILE", default=None,
                        help="the operator's actions at set times, one a line: "
                             "'10:20 hold', '10:35:30 take', '11:02 nudge +120'")
    parser.add_argument("--headless", action="store_true",
                        help="no screen: one line per cue, a summary at the end")
    add_show_arguments(parser, rehearsal=True)
    parser.add_argument("--screen-attached", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from studio.cli.launch import default_asrun
    from studio.engine.timeline import compile as compile_timeline
    from studio.runner.actions_file import load_actions
    from studio.show.loader import load_show
    from studio.show.timing import plan_times, show_time

    check_speed(args.speed)
    if args.headless or math.isinf(args.speed):
        # (at max speed a screen would be over before it drew: always headless)
        from studio.runner.headless import protect_stdout

        protect_stdout()  # stdout going away (| head) never stops the show
    show = load_show(args.show)
    if args.from_:
        try:
            start = show_time(show, args.from_)
        except ValueError as exc:
            raise UserError(f"--from: {exc}") from None
        end = plan_times(show)[-1].end
        if start >= end:
            raise UserError(f"--from {args.from_}: the show has ended by then (at {end:%H:%M:%S}"
                            f"{_days(show, end)}): nothing to rehearse")
    else:
        timeline = compile_timeline(show)  # the first segment's planned start, in its zone
        first = timeline.segments[0].planned_start.astimezone(timeline.tz)
        start = first - timedelta(minutes=1)
    actions: list[Any] = []
    if args.actions is not None:
        actions = load_actions(args.actions, show, start)  # ShowError: FILE:LINE:COL lines
    settings = RehearsalSettings.from_args(args)
    if not (settings.headless or settings.instant):
        # the rehearsal as a service in its own process, this screen attached to it
        from studio.cli.screen import run_with_service
        from studio.service.launch import control_base

        base = control_base(settings.as_run or default_asrun(settings.show, rehearsal=True),
                            rehearsal=True)
        return run_with_service(show, settings, base)
    return rehearse(show, settings, start, actions)


def rehearse(show: Show, settings: RehearsalSettings, start: datetime,
             actions: list[Any]) -> int:
    """The rehearsal in this process from ``start``, headless (a screen attaches to it over the
    control API: ``rehearse`` with a screen starts this as the rehearsal's service)."""
    from studio.cli.launch import build_controller, default_asrun
    from studio.clock import JumpClock, VirtualClock
    from studio.runner.headless import line_printer, run_headless
    from studio.runner.instant import InstantScheduler, begin_when_connected, drive, feed_actions
    from studio.runner.lock import ObsLock, ShowLock, ShowLocked
    from studio.show.timing import wall_clock

    instant = settings.instant
    simulator: Any = None
    obs = settings.obs
    asrun = settings.as_run or default_asrun(settings.show, rehearsal=True)
    # one rehearsal of a show per OBS, and per predicted as-run on the built-in simulator (two
    # would write one file, each emptying it as it starts)
    where = "the built-in simulator" if obs is None else obs.url
    lock = (ShowLock.on_obs(settings.show, obs.url)
            if obs is not None else ShowLock.on_simulator(settings.show, asrun))
    try:
        lock.acquire()
    except ShowLocked as exc:
        raise UserError(str(exc)) from None
    obs_lock = ObsLock(settings.show, obs.url) if obs is not None else None
    if obs_lock is not None and (why := obs_lock.try_acquire()) is not None:
        lock.release()  # a rehearsal on a real OBS drives it now: never beside a show
        raise UserError(why)
    if obs is None:
        from studio.obs.simulator import Simulator

        # the simulated OBS lives on show time: its frames and transitions run --speed times
        # faster too (at 600x a 500 ms fade is not five minutes of the show), none at max
        simulator = Simulator(frame_ms=max(FRAME_MS / settings.speed, 0.02),
                              time_scale=1 / settings.speed)
        simulator.start()
        simulator.load_catalogue(show.catalogue)
        obs = ObsConnectionSettings(host="127.0.0.1", port=simulator.port)
    try:
        asrun.parent.mkdir(parents=True, exist_ok=True)
        asrun.write_text("", encoding="utf-8")  # a rehearsal's as-run is a fresh prediction
        # the virtual clock starts last, so the rehearsal begins where --from says
        if not instant:
            import apscheduler.schedulers.background  # noqa: F401 - imported before the clock
        import studio.engine.core
        import studio.engine.diff
        import studio.obs.gateway  # noqa: F401

        tz = ZoneInfo(show.timezone)  # (a start typed with its offset is on a fixed one)
        # (a virtual clock stands at start until OBS answered: begin_when_connected)
        clock: Any = (JumpClock(start, tz=tz) if instant
                      else VirtualClock(start, speed=settings.speed, tz=tz, standing=True))
        extra: dict[str, Any] = {"scheduler_factory": InstantScheduler} if instant else {}
        controller = build_controller(
            show, settings.show, clock, obs, asrun_path=asrun, journal_path=None,
            rehearsal=True,
            on_log=line_printer(sys.stdout, ZoneInfo(show.timezone)),
            auto_take=not settings.screen_attached,
            send_ahead=settings.send_ahead and not instant, **extra,
        )
        stop = threading.Event()
        if not instant:
            threading.Thread(target=begin_when_connected, args=(controller, clock, stop),
                             name="studio-rehearsal-start", daemon=True).start()
        feeder = drive if instant else feed_actions
        if instant or actions:  # it waits for the controller (and OBS) to be there
            threading.Thread(target=feeder, args=(controller, clock, actions, stop),
                             name="studio-rehearsal-clock", daemon=True).start()
        try:
            from studio.service.launch import serving
            from studio.surfaces.osc import osc_serving

            pace = "max speed (the clock jumps from cue to cue)" if instant \
                else f"{settings.speed:g}x"
            print(f"Rehearsal of {show.title}: {where}, {pace}, from "
                  f"{wall_clock(start, ZoneInfo(show.timezone))} ({show.timezone}); "
                  f"predicted as-run: {asrun}", flush=True)
            with serving(controller, settings.beside.control, asrun, rehearsal=True), \
                    osc_serving(controller, settings.beside.osc):
                code = run_headless(controller)
            writer = controller.sender.asrun
            lost = writer.file.waiting if writer is not None else 0
            if lost:  # the disk never took them: the prediction is incomplete, say so
                print(f"Predicted as-run NOT complete: {lost} line(s) never reached "
                      f"{asrun} (see the lines above)", flush=True)
                return 1
            print(f"Predicted as-run written to {asrun} (studio as-run {asrun})", flush=True)
            return code
        finally:
            stop.set()
    finally:
        if simulator is not None:
            simulator.stop()
        if obs_lock is not None:
            obs_lock.release()
        lock.release()


def _days(show: Any, t: Any) -> str:
    days = (t.date() - show.date).days
    return f" +{days}d" if days else ""

