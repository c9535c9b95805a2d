#!/usr/bin/env python3
"""How long does the engine take to evaluate a long show, beside a short one?

``evaluate`` (the projection the controller works out for every cue and the screen for every
redraw) on a show of ``--segments`` one-minute segments (default 1,000, a stress show: a real day
has about 40), at twenty instants through it, ``--runs`` times; the baseline, in the same run,
interleaved, is the same on a 40-segment show. Prints median and p99 (nearest rank) per
evaluate in milliseconds. The target: well under a frame (16 ms) at 1,000 segments.

    python bench/engine_evaluate.py [--runs 50] [--segments 1000]

Take the figures on a quiet machine: under load they measure the load (the ratio still tells).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from studio.engine.core import evaluate
from studio.engine.timeline import Timeline, compile
from studio.show.model import Catalogue, Segment, Show

ZONE = ZoneInfo("Europe/Stockholm")
DAY = date(2021, 1, 19)
CATALOGUE = Catalogue.model_validate({
    "scenes": ["Studio Wide", "Panel", "Break"], "graphics_scene": "Graphics",
    "lower_third": {"source": "Lower Third", "name_input": "LT Name", "role_input": "LT Role"}})


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def timeline(segments: int) -> Timeline:
    segs = [Segment.model_validate({"id": "s0", "start": "06:00", "duration": "1m",
                                    "scene": "Studio Wide"})]
    segs += [Segment.model_validate({"id": f"s{i}", "duration": "1m",
                                     "scene": "Panel" if i % 2 else "Break"})
             for i in range(1, segments)]
    return compile(Show(title="bench", date=DAY, timezone="Europe/Stockholm",
                        segments=tuple(segs), catalogue=CATALOGUE, organisers={}))


def one_pass(tl: Timeline, segments: int, out: list[float]) -> None:
    start = datetime(DAY.year, DAY.month, DAY.day, 6, tzinfo=ZONE)
    for k in range(20):
        now = start + timedelta(minutes=k * segments // 20, seconds=1)
        t0 = time.perf_counter()
        evaluate(tl, [], now)
        out.append((time.perf_counter() - t0) * 1000)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--segments", type=int, default=1000)
    args = ap.parse_args()
    long_tl, short_tl = timeline(args.segments), timeline(40)
    long_ms: list[float] = []
    short_ms: list[float] = []
    for _ in range(args.runs):  # interleaved: both see the same machine
        one_pass(short_tl, 40, short_ms)
        one_pass(long_tl, args.segments, long_ms)
    for name, values in ((f"{args.segments} segments", long_ms), ("40 segments (baseline)",
                                                                  short_ms)):
        print(f"{name:>24}: evaluate median {statistics.median(values):7.3f} ms, "
              f"p99 {p99(values):7.3f} ms  ({len(values)} evaluates)")


if __name__ == "__main__":
    main()
