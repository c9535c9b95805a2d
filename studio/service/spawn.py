"""Starting a show service in a process of its own (no Textual in it), for ``studio run SHOW`` /
``studio rehearse SHOW`` with a screen (``studio.cli.screen`` attaches the screen to it).

The service runs in its own session with its output in ``as-run/<show>.service.log``: a screen
killed with ``kill -9``, a closed terminal or a dropped SSH session leave it running. It tells
this process it is listening through a pipe (``STUDIO_READY_FD``), so nothing polls for it.
A service that does not start is reported by the last line *this* start wrote to the log (the
log is appended to across runs: an older run's line is no reason), or, when it wrote nothing,
by how it ended and the log's path.
"""

from __future__ import annotations

import os
import re
import select
import signal
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
        offset = os.fstat(out.fileno()).st_size  # what earlier runs wrote ends here
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
        waited_out = not ready
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            waited_out = True
        raise ServiceFailed(_last_line(log, offset) or _silent(log, proc.returncode, waited_out))
    return proc, url


def _silent(log: Path, code: int | None, waited_out: bool) -> str:
    """The reason for a service that wrote nothing: how it ended, where its log is."""
    if waited_out:
        how = (f"did not say it listens within {READY_TIMEOUT_S:.0f} s and was stopped")
    elif code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"was killed by {name}"
    else:
        how = f"ended with exit status {code}"
    return f"the show service {how} without writing a word to its log {log}"


def _last_line(log: Path, offset: int) -> str:
    """The last non-blank line written to ``log`` after ``offset`` ("" if none)."""
    try:
        with open(log, "rb") as f:
            if os.fstat(f.fileno()).st_size < offset:
                offset = 0  # emptied or rotated meanwhile: all of it is this start's
            f.seek(offset)
            text = f.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # the service's own "studio run: error: " is the caller's to put (else it came twice)
    return re.sub(r"^studio \w+: error: ", "", lines[-1]) if lines else ""


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
