#!/usr/bin/env python3
"""Does a rehearsal with many operator actions still take time in proportion to them?

Generates action files of HOLD/RELEASE once a second from 09:00 (400, 1000 and 4000 lines by
default) and runs ``studio rehearse SHOW --speed max --actions FILE`` (default: Tuesday of
Digital vecka 2021) as a subprocess RUNS times each, in a throw-away working directory. Run for
run, interleaved so that all see the same machine, it also runs the two baselines:

- ``0 actions``: the same rehearsal with an empty action file (process start, the day's cues,
  the as-run's writes);
- ``from scratch``: the same rehearsal with the engine's fold replayed from the first action on
  every evaluate, as before engine.checkpoint (``evaluate`` is pointed at ``fold`` in the
  subprocess; quadratic, so only up to ``--scratch-up-to`` lines, default 1000).

Prints median and p99 (nearest rank) of the wall time for each, and checks that the cue lines
of the rehearsal are the same with checkpoints as from scratch.

    python bench/many_actions.py [--runs 5] [--lines 400,1000,4000] [--scratch-up-to 1000]

Take the figures on a quiet machine: under load they measure the load (the ratios still tell).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TUESDAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"
# the subprocess for the "from scratch" baseline: studio as it is, evaluate folding from the start
SCRATCH = ("import sys, studio.engine.core as core, studio.engine.fold as fold\n"
           "core.resume = lambda tl, actions, now: fold.fold(tl, actions, now)\n"
           "from studio.cli import main\n"
           "sys.argv[0] = 'studio'\n"
           "sys.exit(main())\n")


def p99(values: list[float]) -> float:
    """Nearest-rank p99."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def action_file(folder: Path, lines: int) -> Path:
    t = datetime(2021, 1, 19, 9, 0, 0)
    path = folder / f"actions-{lines}.txt"
    path.write_text("".join(
        f"{(t + timedelta(seconds=i)):%H:%M:%S} {'hold' if i % 2 == 0 else 'release'}\n"
        for i in range(lines)), encoding="utf-8")
    return path


def timed(cmd: list[str], work: str, env: dict[str, str]) -> tuple[float, list[str]]:
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=1800)
    took = time.perf_counter() - started
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{' '.join(cmd[-6:])}: exit status {out.returncode}")
    # the cue lines without their measured part ("[sent +0 ms, on air +6 ms]")
    return took, [line.rsplit("  [", 1)[0] for line in out.stdout.splitlines()
                  if line[10:13] == "CUE"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--show", type=Path, default=TUESDAY)
    parser.add_argument("--lines", default="400,1000,4000",
                        help="sizes of the generated action files, comma-separated")
    parser.add_argument("--scratch-up-to", type=int, default=1000,
                        help="run the from-scratch baseline for files up to this many lines")
    args = parser.parse_args()
    sizes = [int(x) for x in args.lines.split(",") if x.strip()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    show = str(args.show.resolve())
    rows: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as work:
        folder = Path(work)
        empty = action_file(folder, 0)

        def rehearse(actions: Path, *, scratch: bool = False) -> list[str]:
            head = [sys.executable, "-c", SCRATCH] if scratch else [
                sys.executable, "-m", "studio"]
            return [*head, "rehearse", show, "--speed", "max", "--actions", str(actions),
                    "--as-run", str(folder / "as-run.jsonl")]

        for n in sizes:
            actions = action_file(folder, n)
            zero: list[float] = []
            fast: list[float] = []
            slow: list[float] = []
            for _ in range(args.runs):
                zero.append(timed(rehearse(empty), work, env)[0])
                took, cues = timed(rehearse(actions), work, env)
                fast.append(took)
                if n <= args.scratch_up_to:
                    took, ref = timed(rehearse(actions, scratch=True), work, env)
                    slow.append(took)
                    if ref != cues:
                        print(f"{n} lines: the cue lines differ from scratch", file=sys.stderr)
                        return 1
            rows += [(f"{n:>5} lines, 0 actions (baseline)", zero),
                     (f"{n:>5} lines, checkpoints", fast)]
            rows.append((f"{n:>5} lines, from scratch (before)", slow))
    print(f"studio rehearse {args.show.name} --speed max --actions (HOLD/RELEASE once a second),"
          f" {args.runs} runs each, wall time with process start")
    for name, times in rows:
        if times:
            print(f"  {name:<38} median {statistics.median(times):7.2f} s"
                  f"   p99 {p99(times):7.2f} s")
        else:
            print(f"  {name:<38} not run (over --scratch-up-to {args.scratch_up_to})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
