"""Shared fixtures. A real OBS Studio is started headless through the project's own script
(scripts/obs-headless); tests that need it are never skipped: if OBS cannot start they fail."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same property examples every time (a derandomized search), so a red CI always
# means a change, never a lucky draw; developers' runs keep searching at random and whatever
# they find becomes a named test (tests/unit/test_control_characters.py has two such).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
OBS_HEADLESS = ROOT / "scripts" / "obs-headless"
SCHEDULES = ROOT / "schedules"
SCENES = ROOT / "scenes"


@dataclass
class HeadlessObs:
    """One headless OBS started by scripts/obs-headless."""

    state_dir: Path
    password: str = ""
    port: int = 0
    url: str = ""
    _password_file: Path | None = field(default=None, repr=False)

    def start(self) -> None:
        cmd = [sys.executable, str(OBS_HEADLESS), "start", "--state-dir", str(self.state_dir)]
        if self.port:
            cmd += ["--port", str(self.port)]
        if self.password:
            self._password_file = self.state_dir.parent / f"{self.state_dir.name}.password"
            self._password_file.write_text(self.password)
            cmd += ["--password-file", str(self._password_file)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            pytest.fail(f"scripts/obs-headless start failed: {proc.stderr.strip()}")
        self.url = proc.stdout.strip().splitlines()[-1]
        self.port = int(self.url.rsplit(":", 1)[1])

    @property
    def pid(self) -> int:
        return int(json.loads((self.state_dir / "state.json").read_text())["obs_pid"])

    def stop(self) -> None:
        subprocess.run(
            [sys.executable, str(OBS_HEADLESS), "stop", "--state-dir", str(self.state_dir)],
            capture_output=True, timeout=60,
        )

    def kill(self) -> None:
        """SIGKILL OBS (Xvfb stays) and wait until it is gone."""
        pid = self.pid
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                return
            if state in ("Z", "X"):
                return
            time.sleep(0.02)

    def restart(self) -> None:
        """Stop what is left and start a fresh OBS on the same port and password."""
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def obs_real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HeadlessObs]:
    """A real headless OBS for the whole session, no password. Do not kill or restart it:
    use ``obs_factory`` for tests that do."""
    obs = HeadlessObs(state_dir=tmp_path_factory.mktemp("obs") / "session")
    obs.start()
    yield obs
    obs.stop()


@pytest.fixture(scope="session")
def obs_real_password(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HeadlessObs]:
    """A real headless OBS that requires a password (``.password``)."""
    obs = HeadlessObs(state_dir=tmp_path_factory.mktemp("obs") / "auth", password="s3cret-pw-7781")
    obs.start()
    yield obs
    obs.stop()


@pytest.fixture
def obs_factory(tmp_path: Path) -> Iterator[type[HeadlessObs] | object]:
    """Start private OBS instances a test may kill and restart: ``obs_factory(password='')``."""
    started: list[HeadlessObs] = []

    def make(password: str = "") -> HeadlessObs:
        obs = HeadlessObs(state_dir=tmp_path / f"obs{len(started)}", password=password)
        obs.start()
        started.append(obs)
        return obs

    yield make
    for obs in started:
        obs.stop()
