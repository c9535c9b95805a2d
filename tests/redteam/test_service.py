"""The show service's own files and a second service of the same show, as real processes."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.views.service import Service, free_port, write_views_show

STUDIO = [sys.executable, "-m", "studio"]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}


def test_a_second_service_of_one_show_leaves_the_first_findable(
        service: Service, tmp_path: Path) -> None:
    control = service.base().with_name(service.base().name + ".control.json")
    assert json.loads(control.read_text())["url"] == service.url
    second = subprocess.Popen(
        [*STUDIO, "rehearse", str(service.show), "--headless", "--speed", "1", "--from",
         "08:59:00", "--control", f"127.0.0.1:{free_port()}"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=tmp_path, env=clean_env())
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert second.stdout is not None
        for line in second.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until it serves or gives up
        line = lines.get(timeout=30)
        if line is None or line.startswith("views: "):
            break
    second.terminate()
    second.wait(timeout=30)
    # the first service still runs, and studio attach can still find it
    assert service.proc.poll() is None
    assert control.exists(), "control.json of the running service is gone"
    assert json.loads(control.read_text())["url"] == service.url


@pytest.mark.parametrize("record", [
    "[1, 2]",
    '{"url": 5, "pid": PID, "token_file": 7}',  # PID: a live process (this test's)
    '{"url": "http://127.0.0.1:9", "pid": 99999999999999999999, "token_file": "t"}',
])
def test_attach_to_a_mangled_control_file_says_one_line(tmp_path: Path, record: str) -> None:
    show = write_views_show(tmp_path)
    (tmp_path / "as-run").mkdir()
    (tmp_path / "as-run" / "views.rehearsal.control.json").write_text(
        record.replace("PID", str(os.getpid())))
    out = subprocess.run([*STUDIO, "attach", str(show), "--rehearsal"], cwd=tmp_path,
                         env=clean_env(), capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    text = out.stdout + out.stderr
    assert out.returncode != 0
    assert "Traceback" not in text, text
    assert len(text.strip().splitlines()) == 1, text
    assert "control.json" in text, text


def test_a_trivial_token_is_refused_off_loopback(tmp_path: Path) -> None:
    show = write_views_show(tmp_path)
    proc = subprocess.Popen(
        [*STUDIO, "rehearse", str(show), "--headless", "--speed", "1", "--control",
         f"0.0.0.0:{free_port()}"], cwd=tmp_path, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**clean_env(), "STUDIO_CONTROL_TOKEN": "a"})
    assert proc.stdout is not None
    try:
        first = [proc.stdout.readline() for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = "".join(first)
    # refused before it listens (one line naming the token), or at the very least said
    assert "control API on" not in text or "token" in text.split("control API on")[0], text
