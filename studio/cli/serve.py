"""``studio serve SHOW [--obs URL] [--rehearse --speed N] [--port P]``: the operator's screen in
a browser on localhost (textual-serve).

textual-serve starts one ``studio run``/``studio rehearse`` process (without ``--headless``) per
browser tab, through ``studio.tui.serve_tab``. Only one of them may control the show: the runner's
lock (studio/runner/lock.py, keyed by show file and OBS address) refuses the others, which then
show "... already running ... (pid N)" on a screen in the tab instead of the operator's screen.
So that the lock means the same OBS for every tab, a rehearsal without ``--obs`` runs ONE
built-in simulator here, in the serve process, and every tab's ``studio rehearse`` is pointed
at it.

The OBS password never goes on the child's command line: it is passed in the environment
(``STUDIO_OBS_PASSWORD``), which the child reads as usual.
"""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from studio.cli import UserError
from studio.obs.connection import add_obs_arguments, settings_from_args

HOST = "localhost"  # never a public interface: whoever reaches the page drives the show


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", type=Path, help="the run-of-show file")
    add_obs_arguments(parser)
    parser.add_argument(
        "--rehearse", action="store_true",
        help="rehearse (virtual clock; the built-in simulator unless --obs is given)",
    )
    parser.add_argument("--speed", type=float, default=None, metavar="N",
                        help="rehearsal speed (with --rehearse)")
    parser.add_argument("--from", dest="from_", metavar="HH:MM[:SS]", default=None,
                        help="rehearsal start time of day (with --rehearse)")
    parser.add_argument("--port", type=int, default=8000, metavar="P",
                        help="HTTP port on localhost (default 8000)")


def child_command(args: argparse.Namespace, obs_url: str | None) -> list[str]:
    """The command textual-serve runs per tab: ``studio run|rehearse SHOW ...`` (through
    studio.tui.serve_tab, which shows a refusal in the tab), without the password."""
    cmd = [sys.executable, "-m", "studio.tui.serve_tab", "rehearse" if args.rehearse else "run",
           str(Path(args.show).resolve())]
    if obs_url:
        cmd += ["--obs", obs_url]
    if args.rehearse and args.speed is not None:
        cmd += ["--speed", f"{args.speed:g}"]
    if args.rehearse and args.from_:
        cmd += ["--from", args.from_]
    return cmd


def _check_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise UserError(
                f"port {port} on localhost is in use: pick another with --port"
            ) from None


def run(args: argparse.Namespace) -> int:
    from studio.show.loader import load_show

    if not args.rehearse and (args.speed is not None or args.from_):
        raise UserError("--speed and --from need --rehearse")
    if not 0 < args.port < 65536:
        raise UserError(f"bad --port {args.port}: use 1-65535")
    show = load_show(args.show)  # errors now, as PATH:LINE:COL lines, not in a browser tab
    _check_port_free(args.port)
    settings = settings_from_args(args)
    simulator: Any = None
    if settings is None:
        if not args.rehearse:
            raise UserError("studio serve needs --obs URL (or $STUDIO_OBS_URL) or --rehearse")
        from studio.obs.simulator import Simulator

        simulator = Simulator()
        simulator.start()
        simulator.load_catalogue(show.catalogue)
        obs_url: str = simulator.url
        password = ""
    else:
        obs_url = settings.url
        password = settings.password.reveal()
    if password:
        os.environ["STUDIO_OBS_PASSWORD"] = password  # inherited by each tab's process
    os.environ.pop("STUDIO_OBS_URL", None)  # the child gets --obs explicitly

    from textual_serve.server import Server

    command = shlex.join(child_command(args, obs_url))
    print(f"studio serve: {show.title}: open http://{HOST}:{args.port} (Ctrl+C stops); "
          f"one tab controls the show, others are refused", file=sys.stderr)
    try:
        Server(command, host=HOST, port=args.port, title=f"studio · {show.title}").serve()
    finally:
        if simulator is not None:
            simulator.stop()
    return 0
