#!/usr/bin/env python3
"""The control API's own latency, with the show service in a process of its own
(``studio run SHOW --headless --control 127.0.0.1:0``) and the clients here:

* action: ``POST /api/v1/actions {"action": "take", "expect": NEXT}`` until the scene is on air
  in OBS (an independent gateway sees ``CurrentProgramSceneChanged``: OBS's next frame for a Cut,
  so the frame is in the figure), and until the POST's answer;
* push: a cue's instant until each of VIEWERS events WebSockets has the state with the new
  segment on air (the time pushed to 50 viewers).

Median and p99 of each. Against the built-in simulator (default) or ``--obs URL`` (a real OBS,
e.g. scripts/obs-headless; provisioned with the campus catalogue first). Measure on a quiet
machine: figures taken under load say nothing about studio.

    python bench/control_api.py [--rounds 30] [--viewers 50] [--obs URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from studio.obs.connection import ObsConnectionSettings, parse_obs_url  # noqa: E402
from studio.obs.events import ObsEvent, ProgramSceneChanged  # noqa: E402
from studio.obs.gateway import ObsGateway  # noqa: E402
from studio.obs.provision import provision  # noqa: E402
from studio.show.loader import load_catalogue  # noqa: E402

CATALOGUE_PATH = ROOT / "scenes" / "campus-studio.yaml"
SCENES = ("Studio Wide", "Studio Close")


def p99(values: list[float]) -> float:
    v = sorted(values)
    return v[max(0, math.ceil(0.99 * len(v)) - 1)]


def line(name: str, ms: list[float]) -> str:
    return (f"{name:<44} n={len(ms):<5} median {statistics.median(ms):7.2f} ms   "
            f"p99 {p99(ms):7.2f} ms")


def show_file(folder: Path, name: str, *, manual: bool, rounds: int, gap_s: int) -> Path:
    first = datetime.fromtimestamp(math.ceil(time.time() + 4), UTC)
    lines = ["show: Control API bench", f"date: {first.date().isoformat()}", "timezone: UTC",
             f"catalogue: {CATALOGUE_PATH}", "segments:"]
    for i in range(rounds + 2):
        lines.append(f"  - id: s{i}")
        if i == 0:
            lines.append(f'    start: "{first:%H:%M:%S}"')
        lines += [f"    duration: {3600 if manual else gap_s}s",
                  f"    scene: {SCENES[i % 2]}", "    transition: cut"]
        if manual and i > 0:
            lines.append("    manual: true")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_service(show: Path, obs_url: str, folder: Path) -> tuple[subprocess.Popen[str], str,
                                                                    str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_CONTROL")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", obs_url, "--headless",
         "--control", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, text=True, cwd=folder, env=env)
    assert proc.stdout is not None
    for out in proc.stdout:
        if out.startswith("control API on "):
            break
    else:
        raise SystemExit("the service did not start")
    record = json.loads((folder / "as-run" / f"{show.stem}.control.json").read_text())
    token = Path(record["token_file"]).read_text().strip()
    import threading

    threading.Thread(target=lambda: [None for _ in proc.stdout or ()], daemon=True).start()
    return proc, record["url"], token


async def bench_actions(url: str, token: str, rounds: int, events: queue.Queue[ObsEvent]
                        ) -> tuple[list[float], list[float]]:
    on_air, answered = [], []
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{url}/api/v1/state") as r:
            state = await r.json()
        while state["projection"]["on_air"] is None:
            await asyncio.sleep(0.05)  # bench only: the show's first segment starts in ~4 s
            async with s.get(f"{url}/api/v1/state") as r:
                state = await r.json()
        for i in range(1, rounds + 1):
            while not events.empty():
                events.get_nowait()
            body = {"action": "take", "expect": f"s{i}", "client": "bench"}
            t0 = time.perf_counter()
            async with s.post(f"{url}/api/v1/actions", json=body, headers=headers) as r:
                assert r.status == 200, await r.text()
            answered.append((time.perf_counter() - t0) * 1000)
            while True:
                ev = await asyncio.to_thread(events.get, True, 5.0)
                if isinstance(ev, ProgramSceneChanged) and ev.scene == SCENES[i % 2]:
                    on_air.append((time.perf_counter() - t0) * 1000)
                    break
            await asyncio.sleep(0.2)  # let the scene settle between rounds
    return on_air, answered


async def bench_push(url: str, viewers: int, rounds: int, starts: dict[str, float]
                     ) -> list[float]:
    samples: list[float] = []

    async def viewer(s: aiohttp.ClientSession) -> None:
        seen: set[str] = set()
        async with s.ws_connect(f"{url}/api/v1/events", max_msg_size=0) as ws:
            async for msg in ws:
                data = json.loads(msg.data)
                if data["type"] != "state":
                    continue
                oa = data["state"]["projection"]["on_air"]
                if oa and oa["segment_id"] not in seen and oa["segment_id"] in starts:
                    seen.add(oa["segment_id"])
                    samples.append((time.time() - starts[oa["segment_id"]]) * 1000)
                if len(seen) >= rounds:
                    return

    async with aiohttp.ClientSession() as s:
        await asyncio.gather(*(viewer(s) for _ in range(viewers)))
    return samples


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--viewers", type=int, default=50)
    ap.add_argument("--obs", default=None, help="a real OBS (default: the built-in simulator)")
    args = ap.parse_args()
    sim = None
    if args.obs is None:
        from studio.obs.simulator import Simulator

        sim = Simulator()
        sim.start()
        sim.load_catalogue(load_catalogue(CATALOGUE_PATH))
        obs_url = sim.url
    else:
        obs_url = args.obs
    host, port = parse_obs_url(obs_url)
    events: queue.Queue[ObsEvent] = queue.Queue()
    observer = ObsGateway(ObsConnectionSettings(host=host, port=port), on_event=events.put)
    observer.start()
    assert observer.wait_connected(5)
    provision(observer, load_catalogue(CATALOGUE_PATH))
    try:
        with tempfile.TemporaryDirectory(prefix="studio-bench-api-") as tmp:
            folder = Path(tmp)
            show = show_file(folder, "takes.yaml", manual=True, rounds=args.rounds, gap_s=0)
            proc, url, token = start_service(show, obs_url, folder)
            try:
                on_air, answered = asyncio.run(bench_actions(url, token, args.rounds, events))
            finally:
                proc.terminate()
                proc.wait(15)
            show = show_file(folder, "cues.yaml", manual=False, rounds=args.rounds, gap_s=1)
            text = show.read_text()
            first = datetime.strptime(text.split('start: "')[1][:8], "%H:%M:%S")
            t0 = datetime.combine(datetime.now(UTC).date(), first.time(), UTC).timestamp()
            starts = {f"s{i}": t0 + i for i in range(1, args.rounds + 1)}
            proc, url, token = start_service(show, obs_url, folder)
            try:
                pushed = asyncio.run(bench_push(url, args.viewers, args.rounds, starts))
            finally:
                proc.terminate()
                proc.wait(15)
    finally:
        observer.stop()
        if sim is not None:
            sim.stop()
    print(f"control API, service in its own process, OBS {'simulator' if sim else obs_url}")
    print(line("POST take -> scene on air in OBS", on_air))
    print(line("POST take -> answer", answered))
    print(line(f"cue -> state at each of {args.viewers} viewers", pushed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
