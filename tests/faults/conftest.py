"""Fault tests: real write failures (a full tmpfs, a closed pipe), real crashes (SIGKILL of a
real ``studio run`` process), files deleted or garbled under a running show."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE


@pytest.fixture
def sim() -> Iterator[Simulator]:
    s = Simulator(frame_ms=5.0)
    s.start()
    s.load_catalogue(load_catalogue(CATALOGUE))
    yield s
    s.stop()


class SmallDisk:
    """A real 160 KiB tmpfs: ``fill()`` takes every free byte, ``free()`` gives them back."""

    def __init__(self, mount: Path) -> None:
        self.mount = mount
        self._filler = mount / "filler"

    def fill(self) -> None:
        fd = os.open(self._filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)

    def free(self) -> None:
        self._filler.unlink()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)], check=True)
    try:
        yield SmallDisk(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


from tests.runner.conftest import make_harness  # noqa: E402,F401 - the runner's harness
