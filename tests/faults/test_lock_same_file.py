"""One show file is one lock however it is reached: two hard links to it (or a bind mount, which
shows the same device and inode) are the same show, and a show replaced under its name by an
editor's save (a new inode at the same path) is still the same show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.obs.simulator import Simulator
from studio.runner.lock import ShowLock, ShowLocked
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, live_show

URL = "ws://127.0.0.1:4484"


def test_two_hard_links_to_one_show_are_one_lock(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    show = tmp_path / "a" / "show.yaml"
    show.write_text("")
    other_name = tmp_path / "b" / "tonight.yaml"
    os.link(show, other_name)
    held = ShowLock.on_obs(show, URL)
    held.acquire()
    try:
        with pytest.raises(ShowLocked, match=f"already running.*pid {os.getpid()}"):
            ShowLock.on_obs(other_name, URL).acquire()
        other_obs = ShowLock.on_obs(other_name, "ws://127.0.0.1:4485")  # another OBS: another lock
        other_obs.acquire()
        other_obs.release()
    finally:
        held.release()
    again = ShowLock.on_obs(other_name, URL)
    again.acquire()  # released: free through either name
    again.release()


def test_a_show_saved_over_by_an_editor_is_still_one_lock(tmp_path: Path) -> None:
    show = tmp_path / "show.yaml"
    show.write_text("a: 1\n")
    held = ShowLock.on_obs(show, URL)
    held.acquire()
    try:
        saved = tmp_path / ".show.yaml.swp"
        saved.write_text("a: 2\n")
        saved.replace(show)  # what many editors do on save: a new file (inode) at the same path
        with pytest.raises(ShowLocked, match="already running"):
            ShowLock.on_obs(show, URL).acquire()
    finally:
        held.release()


def test_two_runs_through_two_hard_links_cannot_both_start(tmp_path: Path) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    (tmp_path / "elsewhere").mkdir()
    linked = tmp_path / "elsewhere" / "tonight.yaml"
    os.link(show, linked)
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        first = StudioProcess.start(show, sim.url, tmp_path)
        try:
            first.wait_line("studio run: Live test on")
            env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
            second = subprocess.run(
                [sys.executable, "-m", "studio", "run", str(linked), "--obs", sim.url,
                 "--headless"],
                capture_output=True, text=True, cwd=tmp_path / "elsewhere", env=env, timeout=60)
            assert second.returncode == 1, second.stdout
            assert f"is already running against {sim.url} (pid {first.proc.pid}" \
                in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1, second.stderr
            assert first.terminate() == 0
        finally:
            if first.proc.poll() is None:
                first.kill()
