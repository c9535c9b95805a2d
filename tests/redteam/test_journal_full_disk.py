"""``studio run`` started on a disk that is already full (a real, tiny tmpfs: the tests run as
root). The as-run says so at once; the crash journal must too: an operator who holds the show
believes a ``kill -9`` and a restart resume the hold, and on this disk they would not."""

from __future__ import annotations

import queue
import subprocess
import threading
from pathlib import Path

from tests.redteam.test_disk import STUDIO, full_asrun  # noqa: F401  (the fixture)
from tests.redteam.test_lock_env import env_with, write_show
from tests.views.service import free_port

WAIT = 15.0


def test_a_journal_on_a_full_disk_is_told_while_the_show_runs(
        full_asrun: Path) -> None:  # noqa: F811
    show = write_show(full_asrun)
    proc = subprocess.Popen(
        [*STUDIO, "run", str(show), "--obs", f"ws://127.0.0.1:{free_port()}", "--headless"],
        cwd=full_asrun, env=env_with(None), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    try:
        assert proc.stdin is not None
        proc.stdin.write("hold\n")
        proc.stdin.flush()
        told = False
        while not told:
            try:
                line = lines.get(timeout=WAIT)
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            told = "journal: no space left on device" in line
        assert told, "\n".join(seen)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
