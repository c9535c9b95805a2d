#!/usr/bin/env python3
"""Cue timing against a real OBS: how late does a scheduled cue reach OBS, and go on air?

    bench/cue_timing.py [--obs ws://HOST:PORT] [--cues 60] [--interval 1.0] [--fps 30]
                        [--bare] [--studio-mode]

Without ``--obs`` it starts its own headless OBS (scripts/obs-headless) and stops it after.
It provisions the studio catalogue, writes a show of ``--cues`` segments ``--interval`` seconds
apart (cut transitions, alternating scenes) starting a few seconds from now, and runs it through
the real runner (RealClock, APScheduler, controller thread, gateway). Lateness is measured from
each cue's scheduled instant to

- OBS's reply to the cue's requests (as-run ``lateness_ms + apply_ms``; the runner sends each
  cue ahead by OBS's recent answer time, ``lead_ms``, so that the reply lands on the instant),
- OBS's ``CurrentProgramSceneChanged`` event as studio's connection received it (``confirm_ms``),
- the same event seen by an independent observer connection.

Target: p99 to the reply <= 5 ms; p99 to the event <= one frame + 5 ms (~38 ms at 30 fps).

``--bare`` empties the program scenes (no nested graphics scene): OBS then answers a switch
without rebuilding any Sources-dock rows, its floor. ``--studio-mode`` runs OBS in studio mode:
each next scene waits in preview and a cue is a take. The cues fall on whole seconds, so OBS's
30 fps frame clock keeps one phase against them for a whole run: the event's median moves from
run to run (between about 5 and 30 ms) while its spread within a run stays small.
"""

from __future__ import annotations

import argparse
import math
import os
import queue
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.clock import RealClock  # noqa: E402
from studio.obs.connection import ObsConnectionSettings, parse_obs_url  # noqa: E402
from studio.obs.events import ObsEvent, ProgramSceneChanged  # noqa: E402
from studio.obs.gateway import ObsGateway  # noqa: E402
from studio.obs.provision import provision  # noqa: E402
from studio.runner.asrun import AsRunWriter, read_asrun  # noqa: E402
from studio.runner.controller import Controller  # noqa: E402
from studio.runner.ports import gateway_factory  # noqa: E402
from studio.show.loader import load_catalogue, load_show  # noqa: E402

CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
SCENES = ["Studio Wide", "Studio Close", "Presentation", "Panel"]


def write_show(folder: Path, cues: int, interval: float, lead: float) -> tuple[Path, datetime]:
    now = datetime.now(UTC)
    first = datetime.fromtimestamp(math.ceil(now.timestamp() + lead), UTC)
    day = first.date()
    offset = ""  # never needed unless the run crosses midnight UTC
    lines = [
        "show: Cue timing bench", f"date: {day.isoformat()}", "timezone: UTC",
        f"catalogue: {CATALOGUE}", "segments:",
    ]
    ms = int(interval * 1000)
    for i in range(cues):
        lines.append(f"  - id: cue{i:03d}")
        if i == 0:
            lines.append(f'    start: "{first:%H:%M:%S}{offset}"')
        lines += [f"    duration: {ms}ms", f"    scene: {SCENES[i % len(SCENES)]}",
                  "    transition: cut"]
    path = folder / "bench-show.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, first


@contextmanager
def headless_obs(url: str | None, state_dir: Path) -> Iterator[str]:
    """``url`` as given, or a headless OBS started by scripts/obs-headless and stopped after."""
    if url is not None:
        yield url
        return
    script = [sys.executable, str(ROOT / "scripts" / "obs-headless")]
    out = subprocess.run([*script, "start", "--state-dir", str(state_dir)],
                         capture_output=True, text=True, check=True)
    try:
        yield out.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([*script, "stop", "--state-dir", str(state_dir)], capture_output=True)


def p99(values: list[float]) -> float:
    """Nearest rank: the value 99 % of the samples are at or below (the targets' measure)."""
    return sorted(values)[max(0, math.ceil(len(values) * 0.99) - 1)]


def stats(label: str, values: list[float]) -> str:
    v = sorted(values)
    if not v:
        return f"{label:<44} (no data)"
    # the targets' nearest-rank p99 (an interpolated one read lower than the target's check:
    # 4.33 ms printed beside "p99 reply <= 5 ms: MISSED")
    return (f"{label:<44} n={len(v):3d}  median {statistics.median(v):6.2f} ms  "
            f"p99 {p99(v):6.2f} ms  max {v[-1]:6.2f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--obs", default=None, help="OBS websocket URL (default: start a headless OBS)")
    ap.add_argument("--cues", type=int, default=60)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--bare", action="store_true",
                    help="empty program scenes (no nested graphics scene): OBS's own floor")
    ap.add_argument("--studio-mode", action="store_true",
                    help="OBS in studio mode: each next scene waits in preview, a cue is a take")
    ap.add_argument("--fps", type=float, default=30.0, help="OBS's frame rate, for the target")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cue-timing-"))
    state_dir = tmp / "obs"
    with headless_obs(args.obs, state_dir) as url:
        return run(url, args, tmp)


def run(url: str, args: argparse.Namespace, tmp: Path) -> int:
    host, port = parse_obs_url(url)
    settings = ObsConnectionSettings(host=host, port=port)
    events: queue.Queue[ObsEvent] = queue.Queue()
    observer = ObsGateway(settings, on_event=events.put)
    observer.start()
    if not observer.wait_connected(10):
        print(f"cannot connect to {url}", file=sys.stderr)
        return 1
    provision(observer, load_catalogue(CATALOGUE))
    if args.bare:  # OBS's floor: program scenes without the nested graphics scene
        for scene in SCENES:
            for item in observer.call("GetSceneItemList", {"sceneName": scene})["sceneItems"]:
                observer.call("RemoveSceneItem", {"sceneName": scene,
                                                  "sceneItemId": item["sceneItemId"]})
    observer.call("SetCurrentProgramScene", {"sceneName": "Holding Slate"})
    observer.call("SetStudioModeEnabled", {"studioModeEnabled": bool(args.studio_mode)})
    show_path, first = write_show(tmp, args.cues, args.interval, lead=3.0)
    show = load_show(show_path)
    asrun_path = tmp / "asrun.jsonl"
    ctl = Controller(show, RealClock(ZoneInfo("UTC")), gateway_factory(settings),
                     asrun=AsRunWriter(asrun_path))
    print(f"OBS {url}: {args.cues} cues {args.interval:g} s apart from {first:%H:%M:%S} UTC")
    while not events.empty():
        events.get_nowait()
    ctl.start()
    ctl.finished.wait(args.cues * args.interval + 30)
    ctl.flush()
    ctl.stop()
    observer.stop()
    load = os.getloadavg()
    seen: list[ProgramSceneChanged] = []
    while not events.empty():
        ev = events.get_nowait()
        if isinstance(ev, ProgramSceneChanged) and ev.at >= first - timedelta(milliseconds=500):
            seen.append(ev)
    records = [r for r in read_asrun(asrun_path)
               if r.get("kind") == "cue" and str(r.get("cue", "")).startswith("cue")
               and "/" not in str(r["cue"])]  # not the follow-ups (studio mode's next preview)
    reply = [r["lateness_ms"] + r["apply_ms"] for r in records]
    confirm = [r["confirm_ms"] for r in records if r.get("confirm_ms") is not None]
    sched = {datetime.fromisoformat(r["scheduled"]).astimezone(UTC): r for r in records}
    observed: list[float] = []
    for ev, (t, _) in zip(seen, sorted(sched.items()), strict=False):
        observed.append((ev.at - t).total_seconds() * 1000)
    frame = 1000 / args.fps
    print(f"load average during the run: {load[0]:.2f} (1 min) on {os.cpu_count()} CPUs")
    print(stats("scheduled -> commands sent", [r["lateness_ms"] for r in records]))
    print(stats("sent ahead by (send-ahead, learned)", [r.get("lead_ms", 0.0) for r in records]))
    print(stats("OBS's own answer time (sent -> reply)", [r["apply_ms"] for r in records]))
    print(stats("scheduled -> OBS's reply", reply))
    print(stats("scheduled -> CurrentProgramSceneChanged", confirm))
    print(stats("  same, seen by an independent client", observed))
    print(f"cues in the as-run: {len(records)} of {args.cues}; program changes observed: "
          f"{len(seen)}; failed: {sum(1 for r in records if r['result'] != 'ok')}; "
          f"commands worked out ahead: {ctl.prepared_hits}")
    if reply and confirm:
        ok_reply = p99(reply) <= 5.0
        ok_event = p99(confirm) <= frame + 5.0
        print(f"target p99 reply <= 5 ms: {'met' if ok_reply else 'MISSED'}; "
              f"p99 event <= {frame + 5:.1f} ms (one frame + 5 ms): "
              f"{'met' if ok_event else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
