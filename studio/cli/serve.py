"""``studio serve SHOW [--obs URL] [--rehearse [--speed N] [--from HH:MM]] [--port P] [--host H]``:
the operator's screen in a browser on localhost (textual-serve), as a client of the show's
service.

The show runs as a service in a process of its own, exactly as under ``studio run SHOW`` /
``studio rehearse SHOW`` with a screen: the same settings types, the same service command line
(``service_argv``, started by ``studio.service.spawn``). When a service of this show (of its
rehearsal, with ``--rehearse``) already runs - its ``as-run/<show>[.rehearsal].control.json``
names a live pid - serve attaches to that one instead.

Each browser tab runs ``python -m studio.cli.serve_tab attach SHOW --control URL
--control-token-file FILE`` (the ``studio attach`` screen): every tab is a screen on the one
show; a tab whose browser vanishes just detaches, and its quit key asks detach / stop the show /
cancel. Tabs get the control token's FILE, never the token, and no OBS password at all: neither
is in their command line or environment (the service gets the OBS password as ``studio run``'s
does, in its environment, or reads ``--obs-password-file`` itself).

Ending ``studio serve`` (Ctrl+C, SIGTERM) ends the web server and its tab processes; the show
goes on, and serve says how to attach to it or stop it. When the show's service ends (a tab's
"stop the show", or any other way) serve ends too.

Only the served page may drive the show (its websocket checks ``Origin`` and ``Host``), the
server binds to localhost unless ``--host`` says otherwise, and the tab processes end with it
(studio.tui.serve_server) or when their browser is gone (studio.tui.serve_guard).
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from studio.cli import UserError
from studio.cli.settings import add_obs_arguments, check_speed, speed
from studio.service.spawn import pid_alive

HOST = "localhost"  # never a public interface: whoever reaches the page drives the show


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", metavar="SHOW", type=Path, help="the run-of-show file")
    add_obs_arguments(parser)
    parser.add_argument(
        "--rehearse", action="store_true",
        help="rehearse (virtual clock; the built-in simulator unless --obs is given)",
    )
    parser.add_argument("--speed", type=speed, default=None, metavar="N",
                        help="with --rehearse: N times faster than real time (default 1; 600: "
                             "an hour in 6 s)")
    parser.add_argument("--from", dest="from_", metavar="HH:MM[:SS]", default=None,
                        help="with --rehearse: start at this time of the show's day "
                             "(default: a minute before the first segment)")
    parser.add_argument("--port", type=int, default=8000, metavar="P",
                        help="HTTP port on localhost (default 8000)")
    parser.add_argument("--host", default=HOST, metavar="H",
                        help="address to listen on (default localhost; anyone who reaches "
                             "another address drives the show)")


@dataclass(frozen=True)
class Service:
    """The show service the tabs attach to."""

    pid: int
    url: str
    token_file: Path
    log: Path
    proc: subprocess.Popen[bytes] | None  # started by this serve (else it already ran)

    @property
    def started(self) -> bool:
        return self.proc is not None

    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        return pid_alive(self.pid)


def tab_command(show: Path, service: Service, *, rehearsal: bool) -> list[str]:
    """The command textual-serve runs per tab: ``studio attach SHOW --control URL
    --control-token-file FILE`` (through studio.cli.serve_tab, which shows a refusal in the
    tab); never a token, never an OBS password."""
    cmd = [sys.executable, "-m", "studio.cli.serve_tab", "attach", str(show.resolve()),
           "--control", service.url, "--control-token-file", str(service.token_file)]
    return cmd + (["--rehearsal"] if rehearsal else [])


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


def _check_args(args: argparse.Namespace) -> None:
    if not args.rehearse and (args.speed is not None or args.from_):
        raise UserError("--speed and --from need --rehearse")
    if args.speed is not None:
        check_speed(args.speed)
        if math.isinf(args.speed):
            raise UserError(f"--speed max: a screen would be over before it drew; for an "
                            f"instant rehearsal: studio rehearse {args.show} --speed max")
    if not 0 < args.port < 65536:
        raise UserError(f"bad --port {args.port}: use 1-65535")
    from studio.service.token import ENV as TOKEN_ENV

    if os.environ.get(TOKEN_ENV):
        raise UserError(f"${TOKEN_ENV} is set: studio serve's tabs read the control token "
                        f"from a file, never the environment; unset it (the show service "
                        f"then writes one, mode 600, in as-run/)")


def _base(show_path: str, *, rehearsal: bool) -> Path:
    """``as-run/<show>[.rehearsal]``, as ``studio run``/``rehearse`` name their service's."""
    from studio.cli.launch import default_asrun, default_journal
    from studio.service.launch import control_base

    state = default_asrun(show_path, rehearsal=True) if rehearsal else default_journal(show_path)
    return control_base(state, rehearsal=rehearsal)


def _running(base: Path) -> tuple[int, str, Path | None] | None:
    """The service already running for ``base`` (its control.json names a live pid)."""
    from studio.service.launch import discovery_path

    try:
        record = json.loads(discovery_path(base).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("url"), str) \
            or not pid_alive(record.get("pid")):
        return None
    try:  # a pid that was a service's once and is another program's now (after kill -9)
        if b"studio" not in Path(f"/proc/{record['pid']}/cmdline").read_bytes():
            return None
    except OSError:
        pass  # no /proc here: trust the pid
    token = record.get("token_file")
    return int(record["pid"]), record["url"], Path(token) if isinstance(token, str) else None


def _served_title(url: str) -> str | None:
    """The title of the show the service at ``url`` runs (None if it does not say)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url.rstrip("/") + "/api/v1/state", timeout=5) as r:
            title = json.load(r)["show"]["title"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return title if isinstance(title, str) else None


def find_or_start(args: argparse.Namespace, base: Path) -> Service:
    """Attach to the show's running service, or start one as ``run``/``rehearse`` do."""
    from studio.cli.settings import RehearsalSettings, RunSettings, obs_settings, password_env
    from studio.service.spawn import ServiceFailed, service_log, start_service_process
    from studio.service.token import token_path_for

    log = service_log(base)
    running = _running(base)
    if running is not None:
        pid, url, token_file = running
        if token_file is None:
            raise UserError(f"the show service already running (pid {pid}, {url}) takes its "
                            f"token from the environment: studio serve's tabs need a token "
                            f"file; restart it with --control-token-file FILE")
        return Service(pid, url, token_file, log, None)
    show = str(args.show)
    settings: RunSettings | RehearsalSettings
    obs = obs_settings(args)
    if args.rehearse:
        settings = RehearsalSettings(show=show, obs=obs, speed=args.speed or 1.0,
                                     from_=args.from_)
    else:
        if obs is None:
            raise UserError("studio serve needs --obs URL (or $STUDIO_OBS_URL) or --rehearse")
        settings = RunSettings(show=show, obs=obs)
    try:
        proc, url = start_service_process(settings.service_argv(), base,
                                          password_env(settings.obs))
    except ServiceFailed as exc:  # the service's own error line, without its own prefix
        raise UserError(re.sub(r"^studio \w+: error: ", "", str(exc))) from None
    return Service(proc.pid, url, token_path_for(base).resolve(), log, proc)


def run(args: argparse.Namespace) -> int:
    from studio.show.loader import load_show

    _check_args(args)
    base = _base(str(args.show), rehearsal=args.rehearse)
    running = _running(base)
    # a service that runs already has its show (the tabs show it): the file now only finds it
    # and may have been edited or broken since; else errors now, as PATH:LINE:COL lines
    title = _served_title(running[1]) if running else None
    if title is None:
        title = load_show(args.show).title
    _check_port_free(args.port, args.host)
    service = find_or_start(args, base)
    for name in ("STUDIO_OBS_PASSWORD", "STUDIO_OBS_URL"):
        os.environ.pop(name, None)  # tabs need no OBS at all (they inherit this environment)

    from studio.tui.serve_server import LOOPBACK, StudioServer

    # exec: the tab's process is textual-serve's child itself (no shell in between), so
    # SIGTERM reaches it and its parent-death signal is tied to this process
    command = "exec " + shlex.join(tab_command(args.show, service, rehearsal=args.rehearse))
    where = HOST if args.host == HOST else args.host
    how = "started" if service.started else "already running"
    print(f"studio serve: {title}: show service {how} (pid {service.pid}, {service.url}); "
          f"open http://{where}:{args.port} (every tab is a screen on it; Ctrl+C ends serve, "
          f"not the show)", file=sys.stderr, flush=True)
    if args.host.strip("[]").lower() not in LOOPBACK:
        print(f"studio serve: warning: listening on {args.host}: whoever reaches "
              f"http://{args.host}:{args.port} drives the show", file=sys.stderr)
    server = StudioServer(command, host=args.host, port=args.port,
                          title=f"studio · {title}", log=serve_log(base))
    try:
        # until the server's own handlers take over: SIGTERM ends serve the same way
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        _end_with(service)
        server.serve()
    finally:
        server.end_children()
        print(f"{_goes_on(args.show, service, rehearsal=args.rehearse)}; serve's own log: "
              f"{serve_log(base)}", file=sys.stderr, flush=True)
    return 0


def serve_log(base: Path) -> Path:
    """``as-run/<show>[.rehearsal].serve.log``: the web server's requests and its tabs'
    failures to start (never the operator's terminal)."""
    return base.with_name(base.name + ".serve.log")


def _end_with(service: Service) -> None:
    """When the show's service ends (a tab's "stop the show", or any other way), serve ends too:
    its tabs would have nothing to show. A thread waits on the process (a pidfd, no polling)
    and sends this process the SIGTERM the server already ends on."""
    import select
    import threading

    def wait() -> None:
        if service.proc is not None:
            service.proc.wait()
        else:
            try:
                fd = os.pidfd_open(service.pid)
            except OSError:
                return  # gone already (the first tab says so), or no pidfds here
            try:
                select.select([fd], [], [])
            finally:
                os.close(fd)
        print("studio serve: the show service has ended", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait, name="serve-service-watch", daemon=True).start()


def _goes_on(show: Path, service: Service, *, rehearsal: bool) -> str:
    """serve's last line: the show's fate and how to reach it."""
    if not service.alive():
        return f"studio serve: ended; the show service has stopped; its log: {service.log}"
    attach = f"studio attach {shlex.quote(str(show))}" + (" --rehearsal" if rehearsal else "")
    return (f"studio serve: ended; the show goes on (service pid {service.pid}, {service.url}, "
            f"token in {service.token_file}). Attach with: {attach} (q, then s, stops it there); "
            f"log: {service.log}")
