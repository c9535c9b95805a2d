"""``studio run SHOW --obs URL [--headless] [--as-run FILE] [--journal FILE]``: the live show.

Operator actions are journalled (default ``as-run/<show>.journal.jsonl``): run the same command
again after a crash and the show resumes where it was, holds and nudges included.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from studio.cli import UserError
from studio.obs.connection import add_obs_arguments, settings_from_args
from studio.show.model import Show


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", help="the run-of-show file")
    add_obs_arguments(parser, required=True)
    parser.add_argument("--headless", action="store_true",
                        help="no screen: one line per cue and action; operator commands "
                             "(take, hold, nudge +30, ...) on stdin; stop with Ctrl-C")
    parser.add_argument("--as-run", type=Path, metavar="FILE", default=None,
                        help="as-run log (default: as-run/<show>.asrun.jsonl, appended)")
    parser.add_argument("--journal", type=Path, metavar="FILE", default=None,
                        help="crash journal (default: as-run/<show>.journal.jsonl)")
    from studio.runner.launch import add_send_ahead_argument

    add_send_ahead_argument(parser)
    from studio.service.launch import add_control_arguments
    from studio.surfaces import add_osc_argument

    add_osc_argument(parser)
    add_control_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from studio.clock import RealClock
    from studio.runner.headless import line_printer, run_headless
    from studio.runner.journal import JournalError
    from studio.runner.launch import (
        build_controller,
        default_asrun,
        default_journal,
        run_with_screen,
    )
    from studio.runner.lock import ShowLock, ShowLocked
    from studio.show.loader import load_show

    if args.headless:
        from studio.runner.headless import protect_stdout

        protect_stdout()  # stdout going away (| head) never stops the show
    show = load_show(args.show)
    settings = settings_from_args(args)
    if settings is None:
        raise UserError("studio run needs --obs ws://HOST:PORT (or $STUDIO_OBS_URL)")
    clock = RealClock(ZoneInfo(show.timezone))
    _refuse_an_ended_show(show, args.show, clock.now())
    # the show as a service in its own process, this screen attached to it
    if not args.headless and not _in_serve_tab():
        from studio.service.launch import control_base
        from studio.service.spawn import ServiceFailed, password_env, run_argv, run_with_service

        base = control_base(args.journal or default_journal(args.show), rehearsal=False)
        try:
            return run_with_service(show, run_argv(args, settings.url), base,
                                    env=password_env(args, settings.password))
        except ServiceFailed as exc:
            raise UserError(str(exc)) from None
    lock = ShowLock(args.show, settings.url)
    try:
        lock.acquire()
    except ShowLocked as exc:
        raise UserError(str(exc)) from None
    try:
        asrun = args.as_run or default_asrun(args.show, rehearsal=False)
        journal = args.journal or default_journal(args.show)
        try:
            controller = build_controller(
                show, args.show, clock, settings,
                asrun_path=asrun, journal_path=journal, rehearsal=False,
                on_log=line_printer(sys.stdout) if args.headless else None,
                send_ahead=not args.no_send_ahead,
            )
        except JournalError as exc:
            raise UserError(str(exc)) from None
        if args.headless:
            print(f"studio run: {show.title} on {settings.url}; as-run: {asrun}; "
                  f"journal: {journal}", flush=True)
            from studio.service.launch import serving
            from studio.surfaces.osc import osc_serving

            with serving(controller, args, journal, rehearsal=False), osc_serving(controller, args):
                return run_headless(controller, commands=sys.stdin)
        return run_with_screen(controller)
    finally:
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


def _in_serve_tab() -> bool:
    from studio.service.spawn import screen_in_process

    return screen_in_process()
