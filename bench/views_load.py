#!/usr/bin/env python3
"""Viewers under load: N presenter/rundown pages (events WebSocket clients) on a running show.

    bench/views_load.py [--viewers 100] [--screens 0] [--cues 30] [--interval 1.0] [--obs URL]

Runs the same show twice, side by side in one invocation: first with no viewers, then with
``--viewers`` of them and ``--screens`` operator screens (``studio attach``, each in a tmux
session of its own at 160x48, redrawing as a technician's would). Each run is
``studio run --headless --control`` in its own process (RealClock, APScheduler, controller
thread, the control API in its thread) against the built-in simulator in this process (or the
real OBS at ``--obs URL``, e.g. scripts/obs-headless, provisioned with the campus catalogue); the
viewers are aiohttp WebSocket clients in this process, as many
browsers would be on the studio network. The show is ``--cues`` segments ``--interval`` seconds
apart starting a few seconds from now.

Printed per run:

- cue lateness: from each cue's scheduled instant to OBS's reply (as-run ``lateness_ms +
  apply_ms``): the viewers must not make cues late;
- per-change latency: from each cue's scheduled instant to the moment each viewer received the
  first state message with the new segment on air (every viewer x every cue). Target: p99
  within 200 ms. (The service also pushes the state every 0.2 s while viewers are attached:
  this is what moves their countdowns.)

Run it on a quiet machine for figures: on a loaded one both numbers measure the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
SCENES = ("Studio Wide", "Studio Close", "Presentation", "Panel")
ON_AIR = re.compile(r'"on_air": \{"segment_id": "([^"]+)"')


def p99(values: list[float]) -> float:
    """Nearest rank: the value 99 % of the samples are at or below."""
    return sorted(values)[max(0, math.ceil(len(values) * 0.99) - 1)]


def stats(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<46} (no data)"
    return (f"{label:<46} n={len(values):5d}  median {statistics.median(values):7.2f} ms  "
            f"p99 {p99(values):7.2f} ms  max {max(values):7.2f} ms")


def write_show(folder: Path, cues: int, interval: float, lead: float) -> tuple[Path, datetime]:
    first = datetime.fromtimestamp(math.ceil(time.time() + lead), UTC)
    lines = ["show: Views load", f"date: {first.date().isoformat()}", "timezone: UTC",
             f"catalogue: {CATALOGUE}", "segments:"]
    for i in range(cues):
        lines.append(f"  - id: cue{i:03d}")
        if i == 0:
            lines.append(f'    start: "{first:%H:%M:%S}"')
        lines += [f"    duration: {int(interval * 1000)}ms", f"    scene: {SCENES[i % 4]}",
                  "    transition: cut"]
    path = folder / "views-load.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, first


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def viewer(url: str, seen: dict[str, float], opened: list[int]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(100):  # the service may still be starting
            try:
                ws = await session.ws_connect(url, max_msg_size=0)
                break
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
        else:
            return
        opened.append(1)
        async with ws:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                m = ON_AIR.search(msg.data)
                if m and m.group(1) not in seen:
                    seen[m.group(1)] = time.time()
                if '"ended": true' in msg.data:
                    return


def attach_screens(n: int, port: int, env: dict[str, str], tmp: Path) -> list[str]:
    """``n`` operator screens on the service, each a real terminal (tmux) at 160x48."""
    names = []
    for i in range(n):
        name = f"views-load-{os.getpid()}-{i}"
        cmd = (f"{sys.executable} -m studio attach --control http://127.0.0.1:{port} "
               f"--client screen{i}")
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48", cmd],
                       env=env, cwd=tmp, check=True)
        names.append(name)
    return names


async def run_once(url: str, viewers: int, screens: int, args: argparse.Namespace,
                   tmp: Path) -> tuple[list[float], list[float], int]:
    show, first = write_show(tmp, args.cues, args.interval,
                             lead=3.0 + viewers / 50 + 2.0 * screens)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env["STUDIO_CONTROL_TOKEN"] = "bench-" + os.urandom(8).hex()  # screens and service share it
    if "STUDIO_OBS_PASSWORD" in os.environ:
        env["STUDIO_OBS_PASSWORD"] = os.environ["STUDIO_OBS_PASSWORD"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", url, "--headless",
         "--control", f"127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp,
        env=env)
    sessions = attach_screens(screens, port, env, tmp)
    seen: list[dict[str, float]] = [{} for _ in range(viewers)]
    opened: list[int] = []
    tasks = [asyncio.create_task(viewer(f"http://127.0.0.1:{port}/api/v1/events", seen[i],
                                        opened)) for i in range(viewers)]
    loop = asyncio.get_running_loop()
    code = await loop.run_in_executor(None, proc.wait)
    for name in sessions:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if code != 0:
        assert proc.stderr is not None
        print(f"studio run exited {code}: {proc.stderr.read().decode()[-500:]}", file=sys.stderr)
    asrun = tmp / "as-run" / "views-load.asrun.jsonl"
    records = [json.loads(x) for x in asrun.read_text(encoding="utf-8").splitlines()]
    cues = [r for r in records if r.get("kind") == "cue" and str(r.get("cue", "")).startswith("cue")
            and "/" not in str(r["cue"])]
    lateness = [r["lateness_ms"] + r["apply_ms"] for r in cues]
    changes: list[float] = []
    for i in range(args.cues):
        due = (first + timedelta(seconds=i * args.interval)).timestamp()
        for v in seen:
            at = v.get(f"cue{i:03d}")
            if at is not None:
                changes.append((at - due) * 1000)
    return lateness, changes, len(opened)


async def main_async(args: argparse.Namespace) -> int:
    sim: Simulator | None = None
    url = args.obs
    if url is None:
        sim = Simulator(frame_ms=1000 / 30)
        sim.start()
        sim.load_catalogue(load_catalogue(CATALOGUE))
        url = sim.url
    try:
        print(f"{args.cues} cues {args.interval:g} s apart on {'the simulator' if sim else url};"
              f" load average before: {os.getloadavg()[0]:.2f}")
        for n, screens in ((0, 0), (args.viewers, args.screens)):
            with tempfile.TemporaryDirectory(prefix="views-load-") as tmp:
                lateness, changes, opened = await run_once(url, n, screens, args, Path(tmp))
            print(f"-- {n} viewers ({opened} connected), {screens} screen(s) attached")
            print(stats("cue: scheduled -> OBS's reply", lateness))
            if n:
                print(stats("change: scheduled -> each viewer has it", changes))
                expected = n * args.cues
                if len(changes) < expected:
                    print(f"   {expected - len(changes)} (viewer, cue) pairs never arrived")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        if sim is not None:
            sim.stop()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewers", type=int, default=100)
    ap.add_argument("--cues", type=int, default=30)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--screens", type=int, default=0,
                    help="operator screens (studio attach in tmux) attached beside the viewers")
    ap.add_argument("--obs", default=None, help="a real OBS (ws://...) instead of the simulator")
    return asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
