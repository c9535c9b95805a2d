"""``studio run SHOW --obs URL [--headless] [--as-run FILE] [--journal FILE]``: the live show.

Operator actions are journalled (default ``as-run/<show>.journal.jsonl``): run the same command
again after a crash and the show resumes where it was, holds and nudges included.
"""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from studio.cli import UserError
from studio.cli.settings import RunSettings, add_obs_arguments, add_show_arguments
from studio.clock import Clock
from studio.show.model import Show


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", help="the run-of-show file")
    add_obs_arguments(parser, required=True)
    parser.add_argument("--headless", action="store_true",
                        help="no screen: one line per cue and action; operator commands "
                             "(take, hold, nudge +30, ...) on stdin; stop with Ctrl-C")
    parser.add_argument("--journal", type=Path, metavar="FILE", default=None,
                        help="crash journal (default: as-run/<show>.journal.jsonl)")
    add_show_arguments(parser, rehearsal=False)


def run(args: argparse.Namespace) -> int:
    from studio.cli.launch import default_journal
    from studio.clock import RealClock
    from studio.show.loader import load_show

    if args.headless:
        from studio.runner.headless import protect_stdout

        protect_stdout()  # stdout going away (| head) never stops the show
    show = load_show(args.show)
    settings = RunSettings.from_args(args)
    clock = RealClock(ZoneInfo(show.timezone))
    _refuse_an_ended_show(show, settings.show, clock.now())
    if not settings.headless:
        # the show as a service in its own process, this screen attached to it
        from studio.cli.screen import run_with_service
        from studio.service.launch import control_base

        base = control_base(settings.journal or default_journal(settings.show), rehearsal=False)
        return run_with_service(show, settings, base)
    return run_show(show, settings, clock)


def run_show(show: Show, settings: RunSettings, clock: Clock) -> int:
    """The live show in this process, headless (a screen attaches to it over the control API:
    ``run`` with a screen starts this as the show's service)."""
    from studio.cli.launch import build_controller, default_asrun, default_journal
    from studio.runner.drive import PRE_SHOW, DriveGate, keep_trying
    from studio.runner.headless import line_printer, run_headless
    from studio.runner.journal import JournalError
    from studio.runner.lock import ObsLock, ShowLock, ShowLocked
    from studio.show.timing import plan_times, wall_clock_seen_from

    lock = ShowLock.on_obs(settings.show, settings.obs.url)
    try:
        lock.acquire()
    except ShowLocked as exc:
        raise UserError(str(exc)) from None
    # one show drives one OBS: from an hour before its first cue this one holds the OBS's lock
    # (another show driving it now: refused); started earlier, it stands by until then
    times = plan_times(show)
    now = clock.now()
    opens_at = times[0].start - PRE_SHOW if times else now
    opens = wall_clock_seen_from(opens_at, clock.tz, now)
    obs_lock = ObsLock(settings.show, settings.obs.url)
    gate = DriveGate(obs_lock, opens_at, opens)
    if not gate.try_open(now) and now >= opens_at:
        lock.release()
        raise UserError(str(gate.why_not(now)))
    stop = threading.Event()
    try:
        asrun = settings.as_run or default_asrun(settings.show, rehearsal=False)
        journal = settings.journal or default_journal(settings.show)
        try:
            controller = build_controller(
                show, settings.show, clock, settings.obs,
                asrun_path=asrun, journal_path=journal, rehearsal=False,
                on_log=line_printer(sys.stdout, clock.tz),
                send_ahead=settings.send_ahead,
            )
        except JournalError as exc:
            raise UserError(str(exc)) from None
        controller.drive = gate.why_not
        print(f"studio run: {show.title} on {settings.obs.url}; as-run: {asrun}; "
              f"journal: {journal}", flush=True)
        if not obs_lock.held:
            controller.log("info", str(gate.why_not(now)))
            threading.Thread(target=keep_trying, name="studio-drive-gate", daemon=True,
                             args=(gate, clock.now, stop, controller.log,
                                   controller.resync)).start()
        from studio.service.launch import serving
        from studio.surfaces.osc import osc_serving

        with serving(controller, settings.beside.control, journal, rehearsal=False), \
                osc_serving(controller, settings.beside.osc):
            return run_headless(controller, commands=sys.stdin)
    finally:
        stop.set()
        obs_lock.release()
        lock.release()


def _refuse_an_ended_show(show: Show, path: str, now: datetime) -> None:
    """Yesterday's file run today would put its last look on air: say so instead."""
    from studio.show.timing import plan_times

    times = plan_times(show)
    if times and times[-1].end <= now:
        end = times[-1].end
        raise UserError(
            f"{path}: this show ended {end:%Y-%m-%d %H:%M} ({show.timezone}); nothing to run "
            f"live. Is it the right day's file? To rehearse it: studio rehearse {path}"
        )
