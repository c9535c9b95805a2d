"""The red team's finding, as a user meets it: during ``studio run`` a segment is taken early,
the producer removes it from the show file, studio is killed (-9) and restarted (as systemd's
``Restart=on-failure`` would). The journalled take must not land on the next segment and put it
on air before its anchor; the restart says the file changed and which action it dropped."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studio.obs.simulator import Simulator
from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, observer


def _write(path: Path, first: datetime, segments: list[tuple[str, int, str, int]]) -> None:
    """(id, start offset s, scene, duration s): every segment on its hard anchor."""
    lines = ["show: Edited live", f"date: {first.date().isoformat()}", "timezone: UTC",
             f"catalogue: {CATALOGUE}", "segments:"]
    for sid, offset, scene, seconds in segments:
        lines += [f"  - id: {sid}", f'    start: "{first + timedelta(seconds=offset):%H:%M:%S}"',
                  f"    duration: {seconds}s", f"    scene: {scene}", "    transition: cut"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_take_of_a_segment_removed_from_the_file_is_dropped_after_kill_9(
    tmp_path: Path, sim: Simulator
) -> None:
    # s0 on air from before studio starts: the test does not race a slow process start
    first = datetime.fromtimestamp(math.floor(datetime.now(UTC).timestamp() - 1.0), UTC)
    show = tmp_path / "show.yaml"
    _write(show, first, [("s0", 0, "Studio Wide", 15), ("s1", 15, "Presentation", 10),
                         ("s2", 25, "Panel", 60)])
    url = f"ws://127.0.0.1:{sim.port}"
    one = StudioProcess.start(show, url, tmp_path)
    try:
        one.wait_line("starting mid-show: s0 [s0] is on air")
        one.wait_line("next: s1 [s1]")
        one.send("take")  # s1 early
        assert "ON AIR s1 [s1]" in one.wait_line("ACTION")
    finally:
        one.kill()
    _write(show, first, [("s0", 0, "Studio Wide", 25), ("s2", 25, "Panel", 60)])  # s1 removed
    watch = observer(sim.port)
    two = StudioProcess.start(show, url, tmp_path)
    try:
        two.wait_line("the show file changed since its 1 action(s) of")
        dropped = two.wait_line("dropped: segment s1 is no longer in the show")
        assert re.search(r"journal: take of \d\d:\d\d:\d\d: dropped", dropped), dropped
        two.wait_line("0 operator action(s) replayed")
        two.wait_line("starting mid-show: s0 [s0] is on air")
        seen = watch.wait_program("Panel", timeout=30.0)
        arrived = datetime.now(UTC)
        assert seen == ["Studio Wide", "Panel"]  # s0 back on air; s2 not before its anchor
        assert arrived >= first + timedelta(seconds=24.5), arrived
        two.wait_line("ON AIR s2 [s2]")
        assert two.terminate() == 0
    finally:
        if two.proc.poll() is None:
            two.kill()
        watch.gateway.stop()
    records = [json.loads(x) for x in (tmp_path / "asrun.jsonl").read_text().splitlines()]
    texts = [r.get("text", "") for r in records]
    assert any("the show file changed since" in t for t in texts)
    assert any("dropped: segment s1 is no longer in the show" in t for t in texts)
    assert not any("segment s2 starts" in t and "TAKE" in t for t in texts), texts
