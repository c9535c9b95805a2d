"""``studio rehearse SHOW --speed max`` and ``--actions FILE``, run as a producer runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
TUESDAY = ROOT / "schedules/digital-vecka-2021/2021-01-19-tisdag.yaml"

# every cue and scripted action at least a minute of show time from the next (100 ms at 600x):
# at 600x an action is handed over when the clock reaches it, and a loaded machine may be late
SHOW = f"""\
show: Instant test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: {CATALOGUE}
segments:
  - id: slate
    start: "09:00"
    duration: 1m
    scene: Holding Slate
    overlays: [clock]
    record: start
  - id: welcome
    duration: 6m
    title: Welcome
    scene: Studio Wide
    transition: fade 300ms
    overlays: [live-bug]
    lower_thirds:
      - {{ name: Krister Ruth, role: Strateg, at: 10s, for: 20s }}
      - {{ name: Anna Berg, role: Moderator, at: 3m, for: 10s }}
  - id: talk
    duration: 4m
    title: The talk
    scene: Presentation
    manual: true
  - id: panel
    duration: 5m
    title: Panel
    scene: Panel
    transition: cut
  - id: close
    start: "09:18"
    duration: 1m
    scene: End Card
    record: stop
"""

ACTIONS = """\
# what if the welcome runs over?
09:02:30 nudge +60
09:10:00 hold
09:13:00 release
09:16  fire
"""


def studio(*args: str, cwd: Path, stdin: str | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env=env, input=stdin)


def cue_lines(path: Path) -> list[tuple[Any, ...]]:
    """What a rehearsal predicts, without the real-time figures (lateness, OBS's answer times)
    and the connection's own resync line (when OBS answered the connect, in show time)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r.get("cue") == "resync":
            continue
        commands = [{k: v for k, v in c.items() if k != "elapsed_ms"}
                    for c in r.get("commands") or []]
        out.append((r["kind"], r.get("cue"), r.get("text"), r["scheduled"], r.get("result"),
                    r.get("who"), commands))
    return out


def write(tmp_path: Path) -> tuple[Path, Path]:
    show, actions = tmp_path / "show.yaml", tmp_path / "what-if.txt"
    show.write_text(SHOW, encoding="utf-8")
    actions.write_text(ACTIONS, encoding="utf-8")
    return show, actions


def test_max_speed_gives_what_600x_gives(tmp_path: Path) -> None:
    show, actions = write(tmp_path)
    slow = studio("rehearse", str(show), "--speed", "600", "--headless", "--actions",
                  str(actions), "--as-run", "slow.jsonl", cwd=tmp_path)
    fast = studio("rehearse", str(show), "--speed", "max", "--actions", str(actions),
                  "--as-run", "fast.jsonl", cwd=tmp_path)
    assert slow.returncode == 0, slow.stderr
    assert fast.returncode == 0, fast.stderr
    predicted = cue_lines(tmp_path / "fast.jsonl")
    assert predicted == cue_lines(tmp_path / "slow.jsonl")
    scheduled = {(kind, text.split(" ->")[0].split(":")[0]): at
                 for kind, _cue, text, at, *_ in predicted}
    assert scheduled[("action", "nudge +60 s")] == "2021-01-19T09:02:30+01:00"
    assert scheduled[("action", "hold")] == "2021-01-19T09:10:00+01:00"
    assert scheduled[("action", "fire")] == "2021-01-19T09:16:00+01:00"
    # the welcome ran a minute over: the talk (manual) went on air a minute late, on the
    # TAKE the rehearsal assumes
    assert any(kind == "cue" and text.startswith("ON AIR The talk") and
               at == "2021-01-19T09:08:00+01:00" for kind, _c, text, at, *_ in predicted)
    # held past its end, the talk gave way to the panel only on the release
    assert any(kind == "action" and text == "release -> ON AIR Panel [panel] on Panel" and
               at == "2021-01-19T09:13:00+01:00" for kind, _c, text, at, *_ in predicted)
    out = fast.stdout.splitlines()
    assert "max speed" in out[0]
    assert any("ACTION   nudge +60 s" in ln and ln.startswith("09:02:30") for ln in out)
    assert any("4 operator action(s), 1 TAKE(s) assumed by the rehearsal" in ln for ln in out), out


def test_a_whole_day_at_max_speed_takes_no_time_and_reads_no_stdin(tmp_path: Path) -> None:
    started = time.monotonic()
    out = studio("rehearse", str(TUESDAY), "--speed", "max", cwd=tmp_path, stdin="hold\nhold\n")
    took = time.monotonic() - started
    assert out.returncode == 0, out.stderr
    # 5 hours of show; at 600x that is 30 s. The figure itself is bench/instant_rehearsal.py's:
    # here only that nothing waits on the wall clock, with room for a loaded machine
    assert took < 15, took
    lines = out.stdout.splitlines()
    assert any(ln.startswith("13:45:00  END      the show has ended") for ln in lines)
    assert not any("hold" in ln for ln in lines)  # stdin is not read
    records = [json.loads(x) for x in
               (tmp_path / "as-run/2021-01-19-tisdag.rehearsal.jsonl").read_text().splitlines()]
    assert all(r["lateness_ms"] == 0 for r in records if r["kind"] == "cue")


def test_bad_action_lines_are_reported_at_their_line_and_column(tmp_path: Path) -> None:
    show, actions = write(tmp_path)
    actions.write_text("09:01 hold\n  9.30 take\n09:02 jump\n09:03 nudge soon\n25:00 take\n"
                       "09:04\n08:00 take\n", encoding="utf-8")
    out = studio("rehearse", str(show), "--speed", "max", "--actions", str(actions),
                 cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.splitlines() == [
        f"{actions}:2:3: error: expected a time of day first (HH:MM or HH:MM:SS), got '9.30'",
        f"{actions}:3:7: error: unknown command 'jump': use take, hold, release, skip, back, "
        "nudge +N|-N, fire, clear, overlay ID, preview, reassert",
        f"{actions}:4:7: error: nudge needs seconds, e.g. nudge +30 or nudge -15",
        f"{actions}:5:1: error: bad time of day '25:00': use \"HH:MM\", \"HH:MM:SS\" or "
        "\"00:30 +1d\"",
        f"{actions}:6:6: error: a command must follow the time, e.g. 10:20 hold",
        f"{actions}:7:1: error: 08:00:00 is before the rehearsal starts (08:59:00); "
        "use --from to start earlier",
    ]


def test_from_after_the_show_ended_says_so(tmp_path: Path) -> None:
    out = studio("rehearse", str(TUESDAY), "--from", "14:00", "--headless", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip() == ("studio rehearse: error: --from 14:00: the show has ended by "
                                  "then (at 13:45:00): nothing to rehearse")
    assert not (tmp_path / "as-run").exists()


def test_bad_speed_is_one_line(tmp_path: Path) -> None:
    out = studio("rehearse", str(TUESDAY), "--speed", "fast", cwd=tmp_path)
    assert out.returncode == 2
    assert "bad --speed 'fast': a number (600) or max" in out.stderr
