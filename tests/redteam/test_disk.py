"""A full disk under as-run/ (a real, tiny tmpfs: the tests run as root) during a rehearsal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.views.service import write_views_show

STUDIO = [sys.executable, "-m", "studio"]


@pytest.fixture
def full_asrun(tmp_path: Path) -> Iterator[Path]:
    asrun = tmp_path / "as-run"
    asrun.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(asrun)], check=True)
    try:
        fd = os.open(asrun / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill it to the last block
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        yield tmp_path
    finally:
        subprocess.run(["umount", "-l", str(asrun)], check=False)


def test_a_rehearsal_on_a_full_disk_does_not_claim_its_as_run(full_asrun: Path) -> None:
    show = write_views_show(full_asrun)
    out = subprocess.run([*STUDIO, "rehearse", str(show), "--speed", "max"], cwd=full_asrun,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    text = out.stdout + out.stderr
    assert "could not be written" in text, text[-800:]  # studio noticed ...
    asrun = full_asrun / "as-run" / "views.rehearsal.jsonl"
    assert not asrun.exists() or asrun.stat().st_size == 0
    # ... so it must neither claim the predicted as-run nor exit as a success
    assert "Predicted as-run written" not in text, text[-400:]
    assert out.returncode != 0
