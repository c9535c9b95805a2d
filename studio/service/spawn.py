"""Starting a show service in a process of its own (no Textual in it), for ``studio run SHOW`` /
``studio rehearse SHOW`` with a screen (``studio.cli.screen`` attaches the screen to it).

The service runs in its own session with its output in ``as-run/<show>.service.log``: a screen
killed with ``kill -9``, a closed terminal or a dropped SSH session leave it running. It tells
this process it is listening through a pipe (``STUDIO_READY_FD``), so nothing polls for it.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

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


def pid_alive(pid: object) -> bool:
    """Whether ``pid`` (as read from a control.json: anything) names a live process, not a
    zombie."""
    if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid < 2**31:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is gone too (PID 1 may reap it late)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
