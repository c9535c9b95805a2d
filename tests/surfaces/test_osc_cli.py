"""``--osc`` on the command line: a rehearsal takes a TAKE from a real UDP packet, journalled
(as-run ``who``) as osc; a bad address is one line naming the option."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pythonosc.udp_client import SimpleUDPClient

from tests.views.service import Service, free_port, write_views_show


def test_rehearsal_takes_osc_from_the_command_line(tmp_path: Path) -> None:
    show = write_views_show(tmp_path)
    svc = Service(show, tmp_path, free_port(), "--from", "09:00:05", "--osc", "127.0.0.1:0")
    try:
        line = svc.wait_line("OSC on udp://")
        port = int(line.split("udp://127.0.0.1:", 1)[1].split(" ", 1)[0])
        SimpleUDPClient("127.0.0.1", port).send_message("/studio/take", "bravo")
        assert "ON AIR Bravo panel" in svc.wait_line("ON AIR Bravo panel")
    finally:
        svc.stop()
    records = [json.loads(x) for x in (tmp_path / "as-run" / "views.rehearsal.jsonl")
               .read_text(encoding="utf-8").splitlines()]
    assert [(r["cue"], r["who"]) for r in records if r.get("cue") == "take"] == [("take", "osc")]


def test_a_bad_osc_address_is_one_line(tmp_path: Path) -> None:
    show = write_views_show(tmp_path)
    out = subprocess.run([sys.executable, "-m", "studio", "rehearse", str(show), "--headless",
                          "--osc", "127.0.0.1:notaport"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "--osc '127.0.0.1:notaport'" in lines[0], out.stderr
    assert "Traceback" not in out.stderr + out.stdout
