"""Cost of one redraw tick of the operator's screen (studio.tui), median and p99.

A tick is what the app does 5 times a second and on each controller notification:
``StudioApp.redraw()`` (read projection/status/log from the controller, hand each widget its
part, widgets write only changed text) plus the frame Textual then paints (the compositor's
``render_update``). The clock moves one second per tick so the wall clock, countdown, elapsed
and progress bar change every time, like on air.

    python bench/tui_redraw.py [--ticks 300] [--size 160x48]

Runs against the real controller (ManualClock, the scheduler's wake-ups not fired: the screen
work alone) on the built-in simulator with a day of the Digital vecka show, from 09:05.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(
    controller: Any, *, ticks: int = 200, size: tuple[int, int] = (160, 48),
    advance: Callable[[], None] | None = None,
) -> dict[str, float]:
    """Drive ``ticks`` redraws of a headless StudioApp; return ms figures."""
    from studio.tui.app import StudioApp

    app = StudioApp(controller, redraw_hz=0.5)  # the bench does the ticking
    redraw_ms: list[float] = []
    paint_ms: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        original = compositor.render_update

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                paint_ms.append((time.perf_counter() - t0) * 1000)

        compositor.render_update = timed  # type: ignore[method-assign]
        for _ in range(ticks):
            if advance is not None:
                advance()
            t0 = time.perf_counter()
            app.redraw()
            redraw_ms.append((time.perf_counter() - t0) * 1000)
            await pilot.pause()
        compositor.render_update = original  # type: ignore[method-assign]
    return {
        "redraw_median_ms": statistics.median(redraw_ms),
        "redraw_p99_ms": _pct(redraw_ms, 99),
        "paint_median_ms": statistics.median(paint_ms) if paint_ms else 0.0,
        "paint_p99_ms": _pct(paint_ms, 99) if paint_ms else 0.0,
        "frames": float(len(paint_ms)),
        "ticks": float(ticks),
    }


SHOW = "schedules/digital-vecka-2021/2021-01-19-tisdag.yaml"


def _real(show_path: str) -> tuple[Any, Callable[[], None], Callable[[], None]]:
    from studio.clock import ManualClock
    from studio.obs.connection import ObsConnectionSettings
    from studio.obs.simulator import Simulator
    from studio.runner.controller import Controller
    from studio.runner.ports import gateway_factory
    from studio.runner.scheduler import ManualScheduler
    from studio.show.loader import load_show
    from studio.show.timing import show_time

    show = load_show(show_path)
    sim = Simulator()
    sim.start()
    sim.load_catalogue(show.catalogue)
    clock = ManualClock(show_time(show, "09:05"))
    ctl = Controller(show, clock, gateway_factory(ObsConnectionSettings(port=sim.port)),
                     rehearsal=True, scheduler_factory=ManualScheduler)
    ctl.start()
    ctl.wait_for(lambda: ctl.status().connection == "connected", 5.0)
    ctl.flush()

    def stop() -> None:
        ctl.stop()
        sim.stop()

    return ctl, lambda: clock.advance(timedelta(seconds=1)), stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ticks", type=int, default=300)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--show", default=SHOW)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    controller, advance, stop = _real(args.show)
    try:
        figures = asyncio.run(measure(controller, ticks=args.ticks, size=(width, height),
                                      advance=advance))
    finally:
        stop()
    print(f"{args.size}, {args.ticks} ticks: redraw median {figures['redraw_median_ms']:.2f} ms, "
          f"p99 {figures['redraw_p99_ms']:.2f} ms; paint median {figures['paint_median_ms']:.2f}"
          f" ms, p99 {figures['paint_p99_ms']:.2f} ms ({figures['frames']:.0f} frames)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
