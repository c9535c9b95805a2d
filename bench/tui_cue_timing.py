#!/usr/bin/env python3
"""Cue timing with the operator's screen running: ``bench/cue_timing.py``'s show, run by
``studio run`` with its TUI in a real terminal (tmux), against a real OBS.

    bench/tui_cue_timing.py [--obs ws://HOST:PORT] [--cues 60] [--interval 1.0] [--size 160x48]

Without ``--obs`` it starts its own headless OBS. ``studio run`` with a screen starts the show
as a service process and attaches the screen to it over the control API (5 redraws a second
plus one per change pushed), so this is what a live show with its operator's screen sees; the
cue path no longer shares a process with the screen. Figures come from the as-run (scheduled
-> sent, -> OBS's reply, -> ``CurrentProgramSceneChanged``) and from an independent observer
connection. It prints the screen as tmux shows it at the end, then quits the screen and stops
the show with q, s.
"""

from __future__ import annotations

import argparse
import queue
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cue_timing import CATALOGUE, headless_obs, p99, stats, write_show  # noqa: E402
from studio.obs.connection import ObsConnectionSettings, parse_obs_url  # noqa: E402
from studio.obs.events import ObsEvent, ProgramSceneChanged  # noqa: E402
from studio.obs.gateway import ObsGateway  # noqa: E402
from studio.obs.provision import provision  # noqa: E402
from studio.runner.asrun import read_asrun  # noqa: E402
from studio.show.loader import load_catalogue  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--obs", default=None, help="OBS websocket URL (default: start a headless OBS)")
    ap.add_argument("--cues", type=int, default=60)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--fps", type=float, default=30.0)
    ap.add_argument("--size", default="160x48", help="terminal size of the TUI (WxH)")
    ap.add_argument("--headless", action="store_true",
                    help="baseline: the same studio run without its screen")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tui-cue-timing-"))
    state_dir = tmp / "obs"
    with headless_obs(args.obs, state_dir) as url:
        return run(url, args, tmp)


def run(url: str, args: argparse.Namespace, tmp: Path) -> int:
    host, port = parse_obs_url(url)
    events: queue.Queue[ObsEvent] = queue.Queue()
    observer = ObsGateway(ObsConnectionSettings(host=host, port=port), on_event=events.put)
    observer.start()
    if not observer.wait_connected(10):
        print(f"cannot connect to {url}", file=sys.stderr)
        return 1
    provision(observer, load_catalogue(CATALOGUE))
    observer.call("SetCurrentProgramScene", {"sceneName": "Holding Slate"})
    show_path, first = write_show(tmp, args.cues, args.interval, lead=6.0)
    asrun_path = tmp / "asrun.jsonl"
    width, height = (int(v) for v in args.size.split("x"))
    session = f"tui-cue-timing-{int(time.time())}"
    command = shlex.join([
        "env", "STUDIO_OBS_PASSWORD=", sys.executable, "-m", "studio", "run", str(show_path),
        "--obs", url, "--as-run", str(asrun_path), "--journal", str(tmp / "journal.jsonl"),
        *(["--headless"] if args.headless else []),
    ])
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y",
                    str(height), f"cd {shlex.quote(str(tmp))} && {command}"], check=True)
    print(f"OBS {url}: {args.cues} cues {args.interval:g} s apart from {first:%H:%M:%S} UTC, "
          f"studio run {'--headless' if args.headless else 'with its TUI'} in tmux {args.size}")
    while not events.empty():
        events.get_nowait()
    deadline = time.monotonic() + 6 + args.cues * args.interval + 30
    records: list[dict[str, object]] = []
    try:
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if asrun_path.exists():
                records = [r for r in read_asrun(asrun_path)
                           if r.get("kind") == "cue" and str(r.get("cue", "")).startswith("cue")
                           and r.get("confirm_ms") is not None]
                if len(records) >= args.cues:
                    break
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                capture_output=True, text=True).stdout
        subprocess.run(["tmux", "send-keys", "-t", session, "q"])
        time.sleep(0.5)
        subprocess.run(["tmux", "send-keys", "-t", session, "s"])  # stop the show
        time.sleep(1.0)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        observer.stop()
    print(screen.rstrip())
    seen = []
    while not events.empty():
        ev = events.get_nowait()
        if isinstance(ev, ProgramSceneChanged) and ev.at >= first - timedelta(milliseconds=500):
            seen.append(ev)
    reply = [float(r["lateness_ms"]) + float(r["apply_ms"]) for r in records]  # type: ignore[arg-type]
    confirm = [float(r["confirm_ms"]) for r in records]  # type: ignore[arg-type]
    scheduled = sorted(datetime.fromisoformat(str(r["scheduled"])).astimezone(UTC)
                       for r in records)
    observed = [(ev.at - t).total_seconds() * 1000 for ev, t in zip(seen, scheduled, strict=False)]
    print(stats("scheduled -> commands sent", [float(r["lateness_ms"]) for r in records]))  # type: ignore[arg-type]
    print(stats("scheduled -> OBS's reply", reply))
    print(stats("scheduled -> CurrentProgramSceneChanged", confirm))
    print(stats("  same, seen by an independent client", observed))
    frame = 1000 / args.fps
    if reply and confirm:
        print(f"target p99 reply <= 5 ms: {'met' if p99(reply) <= 5 else 'MISSED'}; "
              f"p99 event <= {frame + 5:.1f} ms: {'met' if p99(confirm) <= frame + 5 else 'MISSED'}"
              f" ({'headless' if args.headless else 'with the TUI drawing in the same process'})")
    print(f"cues confirmed in the as-run: {len(records)} of {args.cues}")
    return 0 if len(records) >= args.cues else 1


if __name__ == "__main__":
    raise SystemExit(main())
