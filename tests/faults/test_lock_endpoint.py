"""The show lock means one show file on one OBS, however either is spelled (issue 9, item 5):
``localhost``, ``127.0.0.1``, ``[::1]``, a trailing slash, a symlink to the show... are one lock;
a clean exit removes the lock file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.obs.simulator import Simulator
from studio.runner.lock import ShowLock, ShowLocked, lock_path
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, live_show

SPELLINGS = ["ws://127.0.0.1:{p}", "ws://localhost:{p}", "ws://localhost:{p}/", "ws://[::1]:{p}",
             "LOCALHOST:{p}", "127.0.0.1:{p}", "ws://127.0.0.1:0{p}", "ws://localhost.:{p}"]


@pytest.mark.parametrize("spelling", SPELLINGS[1:])
def test_every_spelling_of_this_machine_is_the_same_lock(tmp_path: Path, spelling: str) -> None:
    show = tmp_path / "show.yaml"
    show.write_text("")
    held = ShowLock.on_obs(show, SPELLINGS[0].format(p=4481))
    held.acquire()
    try:
        with pytest.raises(ShowLocked, match=f"pid {os.getpid()}"):
            ShowLock.on_obs(show, spelling.format(p=4481)).acquire()
        other_port = ShowLock.on_obs(show, spelling.format(p=4482))  # another OBS: another lock
        other_port.acquire()
        other_port.release()
    finally:
        held.release()


def test_the_show_is_keyed_on_its_real_path(tmp_path: Path) -> None:
    (tmp_path / "day").mkdir()
    show = tmp_path / "day" / "show.yaml"
    show.write_text("")
    link = tmp_path / "today.yaml"
    link.symlink_to(show)
    url = "ws://127.0.0.1:4483"
    assert lock_path(link, url) == lock_path(tmp_path / "day" / ".." / "day" / "show.yaml", url) \
        == lock_path(show, url)


def test_localhost_and_127_0_0_1_cannot_run_one_show_twice_and_the_lock_goes_away(
    tmp_path: Path,
) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        first = StudioProcess.start(show, f"ws://127.0.0.1:{sim.port}", tmp_path)
        try:
            first.wait_line("studio run: Live test on")
            lock = lock_path(show, sim.url)
            assert lock.read_text().splitlines() == [str(first.proc.pid), str(show.resolve())]
            env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
            second = subprocess.run(
                [sys.executable, "-m", "studio", "run", str(show), "--obs",
                 f"ws://localhost:{sim.port}/", "--headless"],
                capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
            assert second.returncode == 1, second.stdout
            assert f"is already running against ws://localhost:{sim.port} " \
                   f"(pid {first.proc.pid}" in second.stderr
            assert first.terminate() == 0
        finally:
            if first.proc.poll() is None:
                first.kill()
    assert not lock.exists()  # a clean exit leaves no lock file behind
