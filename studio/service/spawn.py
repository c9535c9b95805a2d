"""``studio run SHOW`` / ``studio rehearse SHOW`` with a screen: the show service in a process
of its own (no Textual in it), and this process's screen attached to it over the control API.

The service runs in its own session with its output in ``as-run/<show>.service.log``: a screen
killed with ``kill -9``, a closed terminal or a dropped SSH session leave it running. It tells
this process it is listening through a pipe (``STUDIO_READY_FD``), so nothing polls for it.
"""

from __future__ import annotations

import argparse
import os
import select
import subprocess
import sys
from pathlib import Path

from studio.obs.connection import Secret
from studio.service import DEFAULT_HOST, DEFAULT_PORT
from studio.service.client import RemoteController, Where
from studio.service.launch import discovery_path
from studio.service.token import token_path_for
from studio.show.model import Show

READY_ENV = "STUDIO_READY_FD"
READY_TIMEOUT_S = 60.0
SERVICE_MAIN = "import sys; from studio.cli import main; sys.exit(main(sys.argv[1:]))"


class ServiceFailed(Exception):
    """The service did not start: its own one-line reason."""


def service_log(base: Path) -> Path:
    return base.with_name(base.name + ".service.log")


def start_service_process(argv: list[str], base: Path, env: dict[str, str] | None = None
                          ) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``studio ARGV`` (a ``--headless --control`` command) detached from this terminal;
    return the process and its control URL once it listens."""
    log = service_log(base)
    log.parent.mkdir(parents=True, exist_ok=True)
    read_fd, write_fd = os.pipe()
    child_env = {**os.environ, **(env or {}), READY_ENV: str(write_fd)}
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVICE_MAIN, *argv], stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, env=child_env, pass_fds=(write_fd,),
            start_new_session=True, close_fds=True)
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], READY_TIMEOUT_S)
        data = os.read(read_fd, 4096).decode() if ready else ""
    finally:
        os.close(read_fd)
    url = data.strip()
    if not url:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise ServiceFailed(_last_line(log) or f"the show service did not start (see {log})")
    return proc, url


def _last_line(log: Path) -> str:
    try:
        lines = [ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines()
                 if ln.strip()]
    except OSError:
        return ""
    return lines[-1] if lines else ""


def signal_ready(url: str) -> None:
    """In the service: tell the process that started it where it listens (once)."""
    fd = os.environ.pop(READY_ENV, None)
    if fd is None or not fd.isdigit():
        return
    try:
        os.write(int(fd), (url + "\n").encode())
        os.close(int(fd))
    except OSError:
        pass  # the starter is gone: nobody to tell


def attach_screen(show: Show, where: Where, *, client: str = "operator") -> str:
    """The operator's screen over a running service until it is quit; "detach", "stop" or
    "quit" (the show had ended or the screen ended otherwise)."""
    from studio.tui.app import StudioApp

    controller = RemoteController(show, where, client=client)
    controller.start()
    try:
        app = StudioApp(controller)
        app.run()
        return app.quit_choice
    finally:
        controller.close()


def run_with_service(show: Show, argv: list[str], base: Path, *,
                     env: dict[str, str] | None = None) -> int:
    """Start the service, attach the screen; afterwards say what goes on."""
    proc, url = start_service_process(argv, base, env)
    where = Where(None, discovery_path(base), None)
    log = service_log(base)
    try:
        choice = attach_screen(show, where)
    except BaseException:
        print(f"studio: the screen ended; the show goes on (service pid {proc.pid}, {url}); "
              f"its log: {log}", file=sys.stderr)
        raise
    if choice == "stop" or proc.poll() is not None:
        code = proc.wait()
        print(f"studio: the show service has stopped (exit {code}); its log: {log}")
        return 0
    token = token_path_for(base)
    print(f"studio: detached; the show goes on (service pid {proc.pid}, {url}, token in "
          f"{token}). Come back with: studio attach {show.source_path}; log: {log}")
    return 0


def run_argv(args: argparse.Namespace, obs_url: str) -> list[str]:
    """``studio run``'s own arguments for its service process."""
    argv = ["run", args.show, "--headless", "--obs", obs_url,
            "--control", args.control or f"{DEFAULT_HOST}:{DEFAULT_PORT}"]
    return argv + _common(args)


def rehearse_argv(args: argparse.Namespace, obs_url: str | None) -> list[str]:
    argv = ["rehearse", args.show, "--headless", "--screen-attached", "--speed",
            repr(args.speed), "--control", args.control or f"{DEFAULT_HOST}:0"]
    if args.from_:
        argv += ["--from", args.from_]
    if getattr(args, "actions", None) is not None:
        argv += ["--actions", str(args.actions)]
    if obs_url:
        argv += ["--obs", obs_url]
    return argv + _common(args)


def _common(args: argparse.Namespace) -> list[str]:
    argv: list[str] = []
    for flag, value in (("--as-run", getattr(args, "as_run", None)),
                        ("--journal", getattr(args, "journal", None)),
                        ("--control-token-file", args.control_token_file),
                        ("--obs-password-file", getattr(args, "obs_password_file", None)),
                        ("--osc", getattr(args, "osc", None))):
        if value is not None:
            argv += [flag, str(value)]
    if args.no_send_ahead:
        argv.append("--no-send-ahead")
    return argv


def password_env(args: argparse.Namespace, password: Secret | None) -> dict[str, str]:
    """The OBS password for the service: through its environment, never its argv."""
    if getattr(args, "obs_password_file", None) is not None or password is None:
        return {}
    return {"STUDIO_OBS_PASSWORD": password.reveal()}


def screen_in_process() -> bool:
    """True in a ``studio serve`` tab (``python -m studio.tui.serve_tab``): those keep today's
    screen in the show's own process until ``studio serve`` attaches to the service itself
    (changed on another branch); everywhere else the screen attaches to a service process."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", None) == "studio.tui.serve_tab"
