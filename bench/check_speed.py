#!/usr/bin/env python3
"""How fast is ``studio check`` on a week of 1,000 segments, process start included?

Generates five show days of 200 segments each (hard anchors, soft segments, organisers, overlays,
lower thirds, transitions; Swedish titles) next to a copy of the campus catalogue, runs
``studio check`` on all five files as a subprocess RUNS times and prints median, p99 and max wall
time. Target: median and p99 under 0.5 s.

    python bench/check_speed.py [--runs 40] [--segments 1000] [--days 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.5
SCENES = ["Studio Wide", "Studio Close", "Presentation", "Panel", "Remote Guest"]
ORGANISERS = ["region-vasterbotten", "skogstekniska-klustret", "kunskapsnoden",
              "skelleftea-kommun", "umea-universitet"]
OVERLAYS = ["live-bug", "partners", "clock", "partner-umea-energi"]


def day_file(day: int, count: int) -> str:
    lines = [
        f'show: "Genererad vecka – dag {day + 1} (åäö)"',
        f"date: 2021-01-{18 + day:02d}",
        "timezone: Europe/Stockholm",
        "catalogue: campus-studio.yaml",
        "organisers: organisers.yaml",
        "segments:",
    ]
    minute = 6 * 60  # 06:00, then 4-minute segments: 200 end at 19:20
    for i in range(count):
        lines.append(f"  - id: d{day + 1}-s{i:04d}")
        if i % 10 == 0:
            lines.append(f'    start: "{minute // 60:02d}:{minute % 60:02d}"')
        lines.append("    duration: 4m")
        lines.append(f"    title: Inslag {i + 1} – Västerbotten, Umeå och Skellefteå")
        lines.append(f"    scene: {SCENES[i % len(SCENES)]}")
        lines.append(f"    organiser: {ORGANISERS[i % len(ORGANISERS)]}")
        lines.append(f"    overlays: [{OVERLAYS[i % 4]}, {OVERLAYS[(i + 1) % 4]}]")
        if i % 3 == 0:
            lines.append("    transition: fade 500ms")
        if i % 2 == 0:
            lines.append("    lower_thirds:")
            lines.append(f'      - {{ name: Gäst {i}, role: "Föreläsare, Umeå", at: 5s, for: 8s }}')
        if i % 7 == 0:
            lines.append("    manual: true")
        lines.append(f"    notes: Anteckning för inslag {i + 1}.")
        minute += 4
    return "\n".join(lines) + "\n"


def studio_command() -> list[str]:
    script = Path(sys.executable).with_name("studio")
    return [str(script)] if script.exists() else [sys.executable, "-m", "studio"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="write the week into DIR")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="studio-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "scenes" / "campus-studio.yaml", folder / "campus-studio.yaml")
    shutil.copy(ROOT / "schedules" / "digital-vecka-2021" / "organisers.yaml",
                folder / "organisers.yaml")
    per_day = args.segments // args.days
    files = []
    for day in range(args.days):
        count = per_day + (1 if day < args.segments % args.days else 0)
        path = folder / f"day-{day + 1}.yaml"
        path.write_text(day_file(day, count), encoding="utf-8")
        files.append(str(path))
    size = sum(Path(f).stat().st_size for f in files)
    command = [*studio_command(), "check", "--quiet", *files]

    # as on a user's machine: bytecode cached after the first run (this session may forbid
    # writing it; a private cache folder keeps the checkout clean)
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("STUDIO_OBS_")}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    first = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if first.returncode != 0:
        print(first.stdout, first.stderr, sep="\n")
        print("the generated week does not pass studio check", file=sys.stderr)
        return 1
    times: list[float] = []
    cpu: list[float] = []  # user + system time of the child: what the machine's load cannot inflate
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    times.sort()
    median = statistics.median(times)
    p99 = statistics.quantiles(times, n=100, method="inclusive")[98] if len(times) > 1 else times[0]
    verdict = "OK" if p99 < TARGET_S else "SLOW"
    print(f"studio check: {args.segments} segments in {args.days} files ({size // 1024} KiB), "
          f"{args.runs} runs, process start included")
    print(f"median {median * 1000:.0f} ms   p99 {p99 * 1000:.0f} ms   max {times[-1] * 1000:.0f} ms"
          f"   min {times[0] * 1000:.0f} ms   target < {TARGET_S * 1000:.0f} ms: {verdict}")
    print(f"CPU time (user+sys) median {statistics.median(cpu) * 1000:.0f} ms   "
          f"max {max(cpu) * 1000:.0f} ms   load average {os.getloadavg()[0]:.2f}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    raise SystemExit(main())
