"""``studio plan`` across the autumn change: a lower third's planned instant is its segment's
start plus real elapsed time, not wall-clock arithmetic (which lands an hour late)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"


def test_plan_json_puts_a_lower_third_in_the_repeated_hour_at_its_real_instant(
    tmp_path: Path,
) -> None:
    path = tmp_path / "night.yaml"
    path.write_text(
        "show: Night\ndate: 2021-10-31\ntimezone: Europe/Stockholm\n"
        f"catalogue: {CATALOGUE}\nsegments:\n"
        '  - { id: open, start: "01:40", duration: 60m, scene: Studio Wide }\n'
        "  - { id: talk, duration: 60m, scene: Panel, lower_thirds: [{ name: A, at: 30m }] }\n",
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS_")}
    out = subprocess.run([sys.executable, "-m", "studio", "plan", str(path), "-f", "json"],
                         capture_output=True, text=True, timeout=60, env=env, check=False)
    assert out.returncode == 0, out.stderr
    talk = json.loads(out.stdout)["segments"][1]
    assert talk["start"] == "2021-10-31T02:40:00+02:00"
    # 30 min after 02:40 CEST is the second 02:10, in CET (the wall-clock sum said 03:10)
    assert talk["lower_thirds"][0]["at"] == "2021-10-31T02:10:00+01:00"
