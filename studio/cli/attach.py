"""``studio attach SHOW [--control URL] [--rehearsal] [--client NAME]``: the operator's screen on
a show that is already running as a service (``studio run SHOW`` or ``--headless --control``).

Without ``--control`` it finds the service in ``as-run/<show>.control.json`` (the live show's,
else the rehearsal's). The token comes from ``$STUDIO_CONTROL_TOKEN``, ``--control-token-file``
or the file the service generated. Quitting asks: detach, stop the show, or cancel.

The screen shows the show the service runs (``GET /api/v1/show``); SHOW only finds the service
and is compared with what it runs, so a file edited or saved broken since stops no screen.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from studio.cli import UserError
from studio.service.spawn import pid_alive


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", nargs="?", default=None,
                        help="the run-of-show file (the service's own when left out)")
    parser.add_argument("--control", metavar="URL", default=None,
                        help="the service's control API, e.g. http://127.0.0.1:8460 "
                             "(default: found in as-run/<show>.control.json)")
    parser.add_argument("--control-token-file", type=Path, metavar="FILE", default=None,
                        help="the control token (else $STUDIO_CONTROL_TOKEN, else the file the "
                             "service generated)")
    parser.add_argument("--rehearsal", action="store_true",
                        help="attach to the show's rehearsal, not its live run")
    parser.add_argument("--client", default="operator", metavar="NAME",
                        help="the name this screen's actions are journalled with "
                             "(default: operator)")


def find_discovery(show_path: str, *, rehearsal: bool) -> Path:
    from studio.cli.launch import ASRUN_DIR
    from studio.service.launch import discovery_path

    stem = Path(show_path).stem
    bases = [ASRUN_DIR / f"{stem}.rehearsal"] if rehearsal else [
        ASRUN_DIR / stem, ASRUN_DIR / f"{stem}.rehearsal"]
    looked = []
    for base in bases:
        path = discovery_path(base)
        looked.append(str(path))
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not (isinstance(record, dict) and isinstance(record.get("url"), str)
                and isinstance(record.get("token_file"), str | None)):
            raise UserError(f"{path}: not a studio control.json (a show service writes "
                            "url, pid and token_file): remove it, or give --control URL")
        if pid_alive(record.get("pid")):
            return path
    raise UserError(f"no show service is running for {show_path} (looked for "
                    f"{' and '.join(looked)}): start one with studio "
                    f"{'rehearse' if rehearsal else 'run'} {show_path}")


def run(args: argparse.Namespace) -> int:
    from studio.cli.screen import attach_screen
    from studio.service.client import ServiceNotFound, Where
    from studio.service.token import TokenError

    if args.show is None and args.control is None:
        raise UserError("give SHOW (the run-of-show file) or --control URL")
    # SHOW only finds the service (and is compared with what it runs): the screen shows the
    # show the service runs, so a file edited or broken since does not stop a screen
    discovery = None if args.control else find_discovery(args.show, rehearsal=args.rehearsal)
    where = Where(args.control.rstrip("/") if args.control else None, discovery,
                  args.control_token_file)
    try:
        choice = attach_screen(None, where, client=args.client, show_file=args.show)
    except (ServiceNotFound, TokenError) as exc:
        raise UserError(str(exc)) from None
    again = args.show if args.show is not None else f"--control {args.control}"
    if choice == "stop":
        print("studio attach: the show service is stopping")
    elif choice == "detach":
        print(f"studio attach: detached; the show goes on. Come back with: studio attach "
              f"{again}")
    return 0
