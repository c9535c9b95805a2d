#!/usr/bin/env python3
"""How fast does OBS answer studio's gateway, and how soon does the change show up as an event?

Measured through ``ObsGateway`` (what studio really uses), on a real headless OBS started with
scripts/obs-headless (or ``--obs URL``) and on the built-in simulator, each provisioned with the
campus catalogue and set to the Cut transition:

* request round trip: ``SetCurrentProgramScene`` sent alone (op 6) until its reply;
* request -> event: the same switch until ``ProgramSceneChanged`` reaches ``on_event``
  (OBS emits it when the scene is on air: the next rendered frame for a Cut);
* overlay round trip / -> event: ``SetSourceVisible`` on an overlay of the graphics scene;
* cue acknowledged: one cue = a scene switch + three overlay changes + a lower-third text, sent
  by ``apply`` as one RequestBatch, until OBS acknowledged all five; and until its scene is on air.

Median and p99 over RUNS repetitions each.

    python bench/obs_roundtrip.py [--runs 200] [--obs URL] [--no-real] [--no-sim]
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.engine.state import SetProgramScene, SetSourceVisible, SetText, SetTransition  # noqa: E402
from studio.obs.connection import ObsConnectionSettings, parse_obs_url  # noqa: E402
from studio.obs.events import ObsEvent, ProgramSceneChanged, SceneItemVisibilityChanged  # noqa: E402
from studio.obs.gateway import ObsGateway  # noqa: E402
from studio.obs.provision import provision  # noqa: E402
from studio.show.loader import load_catalogue  # noqa: E402

CATALOGUE = load_catalogue(ROOT / "scenes" / "campus-studio.yaml")
SCENES = ("Studio Wide", "Studio Close")
OVERLAYS = ("LIVE Bug", "Clock", "Partner Strip")
WARM_UP = 40


def stats(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms   (n={len(ms)})"


class Events:
    def __init__(self) -> None:
        self.q: queue.Queue[tuple[float, ObsEvent]] = queue.Queue()

    def __call__(self, event: ObsEvent) -> None:
        self.q.put((time.perf_counter(), event))

    def drain(self) -> None:
        while not self.q.empty():
            self.q.get_nowait()

    def wait(self, match: Callable[[ObsEvent], bool], timeout: float = 5.0) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            at, event = self.q.get(timeout=max(0.0, deadline - time.perf_counter()))
            if match(event):
                return at


def measure(url: str, runs: int) -> dict[str, list[float]]:
    host, port = parse_obs_url(url)
    events = Events()
    gw = ObsGateway(ObsConnectionSettings(host=host, port=port, timeout=5.0), on_event=events)
    gw.start()
    if not gw.wait_connected(10):
        raise SystemExit(f"cannot connect to {url}: {gw.last_error}")
    out: dict[str, list[float]] = {k: [] for k in (
        "round trip", "-> event", "overlay round trip", "overlay -> event",
        "cue acknowledged", "cue -> scene on air")}
    try:
        report = provision(gw, CATALOGUE)
        if report.problems:
            print("  provisioning problems:", *report.problems, sep="\n    ")
        gw.apply([SetTransition("Cut"), SetProgramScene(SCENES[1])])
        for i in range(WARM_UP):  # a freshly started OBS is still settling: not counted
            gw.call("SetCurrentProgramScene", {"sceneName": SCENES[i % 2]})
            time.sleep(0.05)
        time.sleep(0.2)
        g = CATALOGUE.graphics_scene
        for i in range(runs):
            scene = SCENES[i % 2]
            events.drain()
            t0 = time.perf_counter()
            gw.call("SetCurrentProgramScene", {"sceneName": scene})
            t1 = time.perf_counter()
            t2 = events.wait(lambda e, s=scene: isinstance(e, ProgramSceneChanged) and e.scene == s)
            out["round trip"].append(t1 - t0)
            out["-> event"].append(t2 - t0)
        for i in range(runs):
            shown = i % 2 == 0
            events.drain()
            t0 = time.perf_counter()
            result = gw.apply([SetSourceVisible(g, OVERLAYS[0], shown)])[0]
            t1 = time.perf_counter()
            assert result.ok, result
            t2 = events.wait(lambda e, v=shown: isinstance(e, SceneItemVisibilityChanged)
                             and e.source == OVERLAYS[0] and e.visible == v)
            out["overlay round trip"].append(t1 - t0)
            out["overlay -> event"].append(t2 - t0)
        for i in range(runs):
            scene, shown = SCENES[i % 2], i % 2 == 0
            cue = [SetProgramScene(scene, reason="bench cue"),
                   *(SetSourceVisible(g, o, shown) for o in OVERLAYS),
                   SetText(CATALOGUE.lower_third.name_input, f"Speaker {i}")]
            events.drain()
            t0 = time.perf_counter()
            results = gw.apply(cue)
            t1 = time.perf_counter()
            assert all(r.ok for r in results), results
            t2 = events.wait(lambda e, s=scene: isinstance(e, ProgramSceneChanged) and e.scene == s)
            out["cue acknowledged"].append(t1 - t0)
            out["cue -> scene on air"].append(t2 - t0)
    finally:
        gw.stop()
    return out


@contextmanager
def real_obs() -> Iterator[str]:
    state = Path(tempfile.mkdtemp(prefix="bench-obs-")) / "obs"
    script = str(ROOT / "scripts" / "obs-headless")
    started = subprocess.run([sys.executable, script, "start", "--state-dir", str(state)],
                             capture_output=True, text=True, timeout=60)
    if started.returncode != 0:
        raise SystemExit(f"scripts/obs-headless start failed: {started.stderr.strip()}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([sys.executable, script, "stop", "--state-dir", str(state)],
                       capture_output=True, timeout=60)


@contextmanager
def simulator() -> Iterator[str]:
    from studio.obs.simulator import Simulator

    sim = Simulator()
    sim.start()
    try:
        yield sim.url
    finally:
        sim.stop()


def report(name: str, results: dict[str, list[float]]) -> None:
    print(f"\n{name}")
    for key, samples in results.items():
        print(f"  {key:<22} {stats(samples)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--obs", metavar="URL", help="an OBS to use instead of starting one")
    parser.add_argument("--no-real", action="store_true", help="skip the real OBS")
    parser.add_argument("--no-sim", action="store_true", help="skip the simulator")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.runs} runs each; loopback; Cut transition; 1280x720 at 30 fps; "
          f"{os.cpu_count()} CPUs, load average {load} (busy machines inflate p99)")
    if not args.no_real:
        if args.obs:
            report(f"OBS at {args.obs}", measure(args.obs, args.runs))
        else:
            with real_obs() as url:
                report(f"real OBS (scripts/obs-headless, {url})", measure(url, args.runs))
    if not args.no_sim:
        with simulator() as url:
            report(f"simulator (studio.obs.simulator, {url})", measure(url, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
