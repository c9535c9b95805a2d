"""``studio serve SHOW [--obs URL] [--rehearse --speed N] [--port P] [--host H]``: the operator's
screen in a browser on localhost (textual-serve).

textual-serve starts one ``studio run``/``studio rehearse`` process (without ``--headless``) per
browser tab, through ``studio.cli.serve_tab``. Only one of them may control the show: the runner's
lock (studio/runner/lock.py, keyed by show file and OBS address) refuses the others, which then
show "... already running ... (pid N)" on a screen in the tab instead of the operator's screen.
So that the lock means the same OBS for every tab, a rehearsal without ``--obs`` runs ONE
built-in simulator here, in the serve process, and every tab's ``studio rehearse`` is pointed
at it.

The OBS password never goes on the child's command line nor into its environment: the children
get a file's name and read it themselves, ``--obs-password-file``'s or, for a password from
``STUDIO_OBS_PASSWORD`` or the prompt, a private one (mode 600 in a mode-700 folder under
``$XDG_RUNTIME_DIR`` or /tmp) removed when serve ends.

Only the served page may drive the show (its websocket checks ``Origin`` and ``Host``), the
server binds to localhost unless ``--host`` says otherwise, and the tab processes end with it
(studio.tui.serve_server) or when their browser is gone (studio.tui.serve_guard).
"""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from studio.cli import UserError
from studio.cli.settings import add_obs_arguments, obs_settings

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
    parser.add_argument("--host", default=HOST, metavar="H",
                        help="address to listen on (default localhost; anyone who reaches "
                             "another address drives the show)")


def child_command(args: argparse.Namespace, obs_url: str | None) -> list[str]:
    """The command textual-serve runs per tab: ``studio run|rehearse SHOW ...`` (through
    studio.cli.serve_tab, which shows a refusal in the tab), without the password."""
    cmd = [sys.executable, "-m", "studio.cli.serve_tab", "rehearse" if args.rehearse else "run",
           str(Path(args.show).resolve())]
    if obs_url:
        cmd += ["--obs", obs_url]
        password_file = getattr(args, "obs_password_file", None)
        if password_file is not None:
            cmd += ["--obs-password-file", str(Path(password_file).resolve())]
    if args.rehearse and args.speed is not None:
        cmd += ["--speed", f"{args.speed:g}"]
    if args.rehearse and args.from_:
        cmd += ["--from", args.from_]
    return cmd


def _check_port_free(port: int, host: str = HOST) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise UserError(f"--host {host}: no such address here") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(address)
        except OSError as exc:
            where = "localhost" if host == HOST else host
            if exc.errno == errno.EADDRNOTAVAIL:
                raise UserError(f"--host {host}: not an address of this machine") from None
            raise UserError(
                f"port {port} on {where} is in use: pick another with --port"
            ) from None


def run(args: argparse.Namespace) -> int:
    from studio.show.loader import load_show

    if not args.rehearse and (args.speed is not None or args.from_):
        raise UserError("--speed and --from need --rehearse")
    if not 0 < args.port < 65536:
        raise UserError(f"bad --port {args.port}: use 1-65535")
    show = load_show(args.show)  # errors now, as PATH:LINE:COL lines, not in a browser tab
    _check_port_free(args.port, args.host)
    settings = obs_settings(args)
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
    private: Path | None = None
    if settings is not None and settings.password_file is None and password:
        private = _private_password_file(password)
        args.obs_password_file = private
    os.environ.pop("STUDIO_OBS_PASSWORD", None)  # each tab reads its file itself
    os.environ.pop("STUDIO_OBS_URL", None)  # the child gets --obs explicitly

    from studio.tui.serve_server import LOOPBACK, StudioServer

    # exec: the tab's process is textual-serve's child itself (no shell in between), so
    # SIGTERM reaches it and its parent-death signal is tied to this process
    command = "exec " + shlex.join(child_command(args, obs_url))
    where = HOST if args.host == HOST else args.host
    print(f"studio serve: {show.title}: open http://{where}:{args.port} (Ctrl+C stops); "
          f"one tab controls the show, others are refused", file=sys.stderr)
    if args.host.strip("[]").lower() not in LOOPBACK:
        print(f"studio serve: warning: listening on {args.host}: whoever reaches "
              f"http://{args.host}:{args.port} drives the show", file=sys.stderr)
    server = StudioServer(command, host=args.host, port=args.port,
                          title=f"studio · {show.title}")
    try:
        server.serve()
    finally:
        server.end_children()
        if simulator is not None:
            simulator.stop()
        if private is not None:
            private.unlink(missing_ok=True)
            private.parent.rmdir()
    return 0


def _private_password_file(password: str) -> Path:
    """The password in a file only this user can read, for the tabs to read themselves."""
    import tempfile

    base = os.environ.get("XDG_RUNTIME_DIR") or None
    folder = Path(tempfile.mkdtemp(prefix="studio-serve-", dir=base))  # mode 700
    path = folder / "obs-password"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password + "\n")
    return path
