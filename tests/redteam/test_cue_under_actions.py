"""Operator actions arriving just as a cue falls due (a Stream Deck and a producer's phone busy
at a segment change). The scene still changes on time, but the change goes out inside an
action's sync ("toggleoverlay clock -> ON AIR s0 ...", journalled as the action): the segment's
cue gets no as-run line of its own, so the as-run export lacks that segment's row. Every cue
has exactly one as-run line (README, "What survives what")."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

from tests.runner.conftest import CATALOGUE
from tests.views.service import Service, free_port

SCENES = ["Studio Wide", "Panel", "Studio Close", "Break"]


def write_fast_show(folder: Path) -> Path:
    segments = "".join(
        f"  - id: s{i}\n    duration: 2s\n    scene: {SCENES[i % 4]}\n    transition: cut\n"
        for i in range(6))
    path = folder / "fast.yaml"
    path.write_text(
        "show: Fast\ndate: 2021-01-19\ntimezone: Europe/Stockholm\n"
        f"catalogue: {CATALOGUE}\nsegments:\n  - id: s\n    start: \"09:00\"\n"
        "    duration: 2s\n    scene: Holding Slate\n    transition: cut\n" + segments,
        encoding="utf-8")
    return path


def test_every_segment_keeps_its_cue_line_while_actions_pour_in(tmp_path: Path) -> None:
    show = write_fast_show(tmp_path)
    svc = Service(show, tmp_path, free_port(), "--speed", "1", "--from", "08:59:59")
    stop = threading.Event()
    token = svc.token()

    def press(overlay: str) -> None:
        body = json.dumps({"action": "overlay", "overlay": overlay}).encode()
        while not stop.is_set():
            req = urllib.request.Request(f"{svc.url}/api/v1/actions", data=body,
                                         headers={"Authorization": f"Bearer {token}"})
            try:
                urllib.request.urlopen(req, timeout=10).read()
            except (urllib.error.URLError, OSError):
                return

    pressers = [threading.Thread(target=press, args=(o,), daemon=True)
                for o in ("live-bug", "partners", "clock", "logo-kunskapsnoden")]
    try:
        for t in pressers:
            t.start()
        svc.wait_line("ON AIR s5")  # six segment changes under the presses
    finally:
        stop.set()
        for t in pressers:
            t.join(timeout=15)
        svc.stop()
    asrun = svc.base().with_name("fast.rehearsal.jsonl")
    cues = [json.loads(line).get("cue") for line in asrun.read_text().splitlines()]
    missing = [f"s{i}" for i in range(5) if cues.count(f"s{i}") != 1]
    assert not missing, f"segments without exactly one cue line: {missing}"
