"""``studio rehearse SHOW [--obs URL] [--speed N] [--from HH:MM[:SS]] [--headless]``.

The show runs on a virtual clock N times faster than real time, starting at ``--from`` (default:
a minute before the first segment) on the show's date, against the built-in simulator (or an OBS
given with ``--obs``). It writes the predicted as-run (default ``as-run/<show>.rehearsal.jsonl``,
overwritten each time). Lateness figures are real milliseconds, what a live run would see.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from studio.cli import UserError
from studio.obs.connection import ObsConnectionSettings, add_obs_arguments, settings_from_args

MAX_SPEED = 3600.0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", help="the run-of-show file")
    add_obs_arguments(parser)
    parser.add_argument("--speed", type=float, default=1.0, metavar="N",
                        help="N times faster than real time (default 1; 600: a day in a minute)")
    parser.add_argument("--from", dest="from_", metavar="HH:MM[:SS]", default=None,
                        help="start at this time of the show's day "
                             "(default: a minute before the first segment)")
    parser.add_argument("--headless", action="store_true",
                        help="no screen: one line per cue, a summary at the end")
    parser.add_argument("--as-run", type=Path, metavar="FILE", default=None,
                        help="predicted as-run (default: as-run/<show>.rehearsal.jsonl)")
    from studio.runner.launch import add_send_ahead_argument

    add_send_ahead_argument(parser)
    from studio.service.launch import add_control_arguments
    from studio.surfaces import add_osc_argument

    add_osc_argument(parser)
    add_control_arguments(parser, default_port=0)
    parser.add_argument("--screen-attached", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from studio.clock import VirtualClock
    from studio.runner import engine_glue
    from studio.runner.headless import line_printer, run_headless
    from studio.runner.launch import build_controller, default_asrun, run_with_screen, show_time
    from studio.runner.lock import ShowLock, ShowLocked
    from studio.show.loader import load_show

    if not 0 < args.speed <= MAX_SPEED:
        raise UserError(f"bad --speed {args.speed:g}: use a number above 0, at most {MAX_SPEED:g}")
    show = load_show(args.show)
    if args.from_:
        try:
            start = show_time(show, args.from_)
        except ValueError as exc:
            raise UserError(f"--from: {exc}") from None
    else:
        start = engine_glue.first_start(engine_glue.compile_timeline(show)) - timedelta(minutes=1)
    settings = settings_from_args(args)
    # the rehearsal as a service in its own process, this screen attached to it
    if not args.headless and not _in_serve_tab():
        from studio.service.launch import control_base
        from studio.service.spawn import (
            ServiceFailed,
            password_env,
            rehearse_argv,
            run_with_service,
        )

        base = control_base(args.as_run or default_asrun(args.show, rehearsal=True),
                            rehearsal=True)
        try:
            return run_with_service(
                show, rehearse_argv(args, settings.url if settings else None), base,
                env=password_env(args, settings.password if settings else None))
        except ServiceFailed as exc:
            raise UserError(str(exc)) from None
    simulator: Any = None
    lock: ShowLock | None = None
    if settings is None:
        from studio.obs.simulator import Simulator

        simulator = Simulator()
        simulator.start()
        simulator.load_catalogue(show.catalogue)
        settings = ObsConnectionSettings(host="127.0.0.1", port=simulator.port)
        where = "the built-in simulator"
    else:
        lock = ShowLock(args.show, settings.url)
        try:
            lock.acquire()
        except ShowLocked as exc:
            raise UserError(str(exc)) from None
        where = settings.url
    asrun = args.as_run or default_asrun(args.show, rehearsal=True)
    try:
        asrun.parent.mkdir(parents=True, exist_ok=True)
        asrun.write_text("", encoding="utf-8")  # a rehearsal's as-run is a fresh prediction
        # the virtual clock starts last, so the rehearsal begins where --from says
        import apscheduler.schedulers.background  # noqa: F401 - imported before the clock runs

        import studio.engine.core
        import studio.engine.diff
        import studio.obs.gateway  # noqa: F401

        clock = VirtualClock(start, speed=args.speed)
        controller = build_controller(
            show, args.show, clock, settings, asrun_path=asrun, journal_path=None,
            rehearsal=True, on_log=line_printer(sys.stdout) if args.headless else None,
            auto_take=args.headless and not args.screen_attached, send_ahead=not args.no_send_ahead,
        )
        if args.headless:
            print(f"Rehearsal of {show.title}: {where}, {args.speed:g}x, from "
                  f"{start:%H:%M:%S} ({show.timezone}); predicted as-run: {asrun}", flush=True)
            from studio.service.launch import serving
            from studio.surfaces.osc import osc_serving

            with serving(controller, args, asrun, rehearsal=True), osc_serving(controller, args):
                code = run_headless(controller)
            print(f"Predicted as-run written to {asrun} (studio as-run {asrun})", flush=True)
            return code
        return run_with_screen(controller)
    finally:
        if simulator is not None:
            simulator.stop()
        if lock is not None:
            lock.release()


def _in_serve_tab() -> bool:
    from studio.service.spawn import screen_in_process

    return screen_in_process()
