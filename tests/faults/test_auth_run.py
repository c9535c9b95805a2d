"""``studio run`` and a password that does not work (issue 9, items 3 and 12): a refused password
keeps studio trying and says so (never silent), a fixed password file is picked up without a
restart, ``reconnect`` on stdin tries at once; an invalid-UTF-8 password file and Ctrl-D at the
password prompt are one line each, never a traceback."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, live_show


def _env() -> dict[str, str]:  # NO_COLOR: the pty test reads the words, not their colour
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    return {**env, "NO_COLOR": "1"}


def _run_with_file(show: Path, url: str, pw: Path, workdir: Path) -> StudioProcess:
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", url, "--headless",
         "--obs-password-file", str(pw), "--journal", str(workdir / "journal.jsonl"),
         "--as-run", str(workdir / "asrun.jsonl")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=workdir, env=_env(),
    )
    sp = StudioProcess(proc)
    import threading

    threading.Thread(target=sp._pump, daemon=True).start()
    return sp


def test_a_refused_password_keeps_run_trying_says_so_and_a_fixed_file_heals_it(
    tmp_path: Path,
) -> None:
    # a cue falls due while the password is refused, however slowly studio starts here
    show, _ = live_show(tmp_path, [("Studio Wide", 3.0, ""), ("Panel", 60.0, "")], lead=3.0)
    pw = tmp_path / "obs.pw"
    pw.write_text("typo\n")
    with Simulator(password="right-pw") as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        p = _run_with_file(show, sim.url, pw, tmp_path)
        try:
            line = p.wait_line("authentication failed")
            assert "retrying in 5 s" in line and "refused the password" in line
            # the cue that falls due meanwhile is not lost in silence
            p.wait_line("OBS is not connected")
            p.send("reconnect")
            p.wait_line("reconnecting to OBS on the operator's request")
            pw.write_text("right-pw\n")
            p.wait_line("connected to OBS", timeout=15)
            p.wait_line("OBS (re)connected")
            assert sim.snapshot()["program"] in ("Studio Wide", "Panel")  # the show's, not OBS's
            assert p.terminate() == 0
        finally:
            if p.proc.poll() is None:
                p.kill()
    assert "right-pw" not in "\n".join(p.seen) and "typo" not in "\n".join(p.seen)


def test_an_invalid_utf8_password_file_is_one_line(tmp_path: Path) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 60.0, "")])
    pw = tmp_path / "obs.pw"
    pw.write_bytes(b"caf\xe9\n")
    out = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", "ws://127.0.0.1:1",
         "--headless", "--obs-password-file", str(pw)],
        capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=60)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"studio run: error: {pw}: the OBS password file is not UTF-8 text (byte 4 is not)"]


def test_ctrl_d_at_the_password_prompt_is_one_line(tmp_path: Path) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 60.0, "")])
    pid, fd = pty.fork()
    if pid == 0:  # the child: studio on a terminal, as an operator starts it
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, "-m", "studio", "run", str(show), "--obs",
                                   "ws://127.0.0.1:1", "--headless"], _env())
    out = b""
    try:
        while b"password" not in out:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"no prompt; got {out!r}"
            out += os.read(fd, 1024)
        os.write(fd, b"\x04")  # Ctrl-D
        while True:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, f"studio did not end; got {out!r}"
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        _, status = os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 1, text
    assert "Traceback" not in text
    assert "studio run: error: no OBS password typed (Ctrl-D at the prompt)" in text
