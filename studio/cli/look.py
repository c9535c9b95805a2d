"""``studio look SHOW --obs URL --at HH:MM[:SS] -o FILE.png`` and
``studio look SHOW --obs URL --contact-sheet -o DIR``: the day's look before the day.

Puts the show's desired state at an instant (planned times; a manual segment as if taken on
time) on the given OBS and saves OBS's own render of the program scene as PNG. With
``--contact-sheet`` it does so for every cue of the day (each segment's start, each lower third
at its middle) into DIR, with an ``index.html`` that shows time, segment, organiser and scene
under each picture. Refuses an OBS that streams or records: use a rehearsal OBS (``studio
provision`` it first). It leaves OBS showing the last picture's state (its transition as it
was: the pictures are taken with cuts).
"""

from __future__ import annotations

import argparse
import html
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.cli import UserError
from studio.cli.settings import add_obs_arguments, obs_settings
from studio.obs.errors import GatewayError

SCREENSHOT_TIMEOUT = 20.0  # seconds


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("show", type=Path, help="run-of-show file (schedules/*.yaml)")
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", metavar="HH:MM[:SS]",
                      help="the instant on the show's date (or HH:MM +1d), in the show's zone")
    when.add_argument("--contact-sheet", action="store_true",
                      help="one picture per cue of the day and an index.html, into -o DIR")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="FILE.png with --at, a directory with --contact-sheet")
    parser.add_argument("--width", type=int, default=None,
                        help="picture width in pixels (default: the canvas width)")
    add_obs_arguments(parser, required=True)


def _instant(show: Any, text: str) -> datetime:
    from zoneinfo import ZoneInfo

    from studio.show.model import TimeOfDay, parse_time_of_day
    from studio.show.timing import localize

    try:
        tod = TimeOfDay(**parse_time_of_day(text))
    except ValueError as exc:
        raise UserError(f"--at: {exc}") from None
    return localize(show.date, tod, ZoneInfo(show.timezone))


def run(args: argparse.Namespace) -> int:
    from studio.engine.timeline import compile as compile_timeline
    from studio.obs.gateway import ObsGateway
    from studio.obs.look import refuse_live
    from studio.show.loader import load_show

    if args.width is not None and not 16 <= args.width <= 8192:
        raise UserError(f"bad --width {args.width}: use 16 to 8192 pixels")
    show = load_show(args.show)
    timeline = compile_timeline(show)
    at = _instant(show, args.at) if args.at else None
    if at is None:
        if args.output.exists() and not args.output.is_dir():
            raise UserError(f"{args.output} is a file: --contact-sheet writes into a directory")
    elif args.output.suffix.lower() != ".png":
        raise UserError(f"{args.output}: --at writes one PNG picture: name it FILE.png")
    settings = obs_settings(args)
    if settings is None:
        raise UserError("no OBS address: give --obs ws://HOST:PORT or set STUDIO_OBS_URL")
    # a picture of a big canvas takes OBS a while on a software renderer: wait longer for it
    connect_wait = settings.timeout + 1
    settings = replace(settings, timeout=max(settings.timeout, SCREENSHOT_TIMEOUT))
    from studio.runner.lock import ObsLock

    obs_lock = ObsLock(args.show, settings.url)  # it switches OBS's program: never under a
    why = obs_lock.try_acquire()  # show that drives that OBS (on air or not: a hardware out)
    if why is not None:
        raise UserError(why.replace("cannot drive", "cannot take pictures on").replace(
            "two shows on one OBS would fight cue by cue", "they would go on air"))
    gateway = ObsGateway(settings)
    gateway.start()
    try:
        if not gateway.wait_connected(connect_wait):
            raise UserError(gateway.last_error or f"no answer from OBS at {settings.url}")
        refuse_live(gateway, settings.url)
        _check_scenes(gateway, show, settings.url, args.show)
        transition = gateway.call("GetCurrentSceneTransition").get("transitionName")
        try:
            if at is not None:
                _one(gateway, timeline, at, args.output, args.width)
            else:
                _sheet(gateway, timeline, args.output, args.width)
        finally:  # the pictures were taken with cuts: give OBS its transition back, once the
            # last cut has ended (the gateway waits: OBS 29 mishandles a change during one)
            if transition:
                from studio.engine.state import SetTransition

                gateway.apply([SetTransition(str(transition))])
    except GatewayError as exc:
        raise UserError(str(exc)) from None
    finally:
        gateway.stop()
        obs_lock.release()
    return 0


def _check_scenes(obs: Any, show: Any, url: str, path: Path) -> None:
    scenes = {str(s.get("sceneName")) for s in obs.call("GetSceneList").get("scenes") or []}
    missing = [s for s in dict.fromkeys(seg.scene for seg in show.segments) if s not in scenes]
    if missing or show.catalogue.graphics_scene not in scenes:
        what = ", ".join(f"'{s}'" for s in missing) or f"'{show.catalogue.graphics_scene}'"
        raise UserError(f"OBS at {url} lacks the scene(s) {what} of {path}: run studio "
                        "provision on its catalogue first (studio check --obs lists all)")


def _picture(obs: Any, timeline: Any, at: datetime, width: int | None) -> tuple[bytes, Any]:
    from studio.obs.look import projection_at, put_on, screenshot

    projection = projection_at(timeline, at)
    scene = projection.desired.program_scene
    if scene is None:
        first = timeline.segments[0].local_start.strftime("%H:%M:%S")
        raise UserError(f"nothing is on air at {at:%H:%M:%S}: the show starts at {first}")
    put_on(obs, timeline, projection.desired)
    return screenshot(obs, scene, width), projection


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _one(obs: Any, timeline: Any, at: datetime, out: Path, width: int | None) -> None:
    png, projection = _picture(obs, timeline, at, width)
    _write(out, png)
    on_air = projection.on_air
    what = f"{on_air.title} · scene {on_air.scene}" if on_air else projection.desired.program_scene
    print(f"{out}: {at:%H:%M:%S} {what}")


def _sheet(obs: Any, timeline: Any, out: Path, width: int | None) -> None:
    from studio.obs.look import frames

    out.mkdir(parents=True, exist_ok=True)
    cards: list[str] = []
    shown = frames(timeline)
    for n, frame in enumerate(shown, 1):
        name = f"{n:03d}-{frame.at:%H%M%S}-{frame.segment_id}.png"
        png, projection = _picture(obs, timeline, frame.at, width)
        _write(out / name, png)
        plan = timeline.segments[timeline.index_of(frame.segment_id)]
        lt = projection.graphics.lower_third_on_air
        overlays = ", ".join(projection.graphics.overlays_up) or "none"
        cards.append(_card(name, frame, plan, lt, overlays))
        print(f"{out / name}: {frame.at:%H:%M:%S} {plan.title or plan.id} ({frame.what})")
    show = timeline.show
    page = _PAGE.format(
        title=html.escape(f"{show.title} · {show.date:%Y-%m-%d}"),
        count=len(shown), cards="\n".join(cards))
    (out / "index.html").write_text(page, encoding="utf-8")
    print(f"{out / 'index.html'}: {len(shown)} pictures")


def _card(name: str, frame: Any, plan: Any, lt: tuple[str, str] | None, overlays: str) -> str:
    e = html.escape
    rows = [
        f"<b>{frame.at:%H:%M:%S}</b> {e(plan.title or plan.id)}",
        f"organiser: {e(plan.organiser or '—')}",
        f"scene: {e(plan.scene)}",
        f"overlays: {e(overlays)}",
    ]
    if lt is not None:
        rows.append(f"lower third: {e(lt[0])}" + (f" — {e(lt[1])}" if lt[1] else ""))
    caption = "<br>".join(rows)
    return (f'<figure><a href="{e(name)}"><img src="{e(name)}" alt="{e(frame.what)}" '
            f'loading="lazy"></a><figcaption>{caption}</figcaption></figure>')


_PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font: 14px/1.35 system-ui, sans-serif; margin: 16px; background: #f4f4f4; color: #222; }}
h1 {{ font-size: 20px; margin: 0 0 12px; }}
main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }}
figure {{ margin: 0; background: #fff; border: 1px solid #ddd; padding: 8px; }}
img {{ width: 100%; display: block; aspect-ratio: 16 / 9; object-fit: contain;
  background: repeating-conic-gradient(#555 0 25%, #666 0 50%) 0 0 / 24px 24px; }}
figcaption {{ margin-top: 6px; }}
</style></head>
<body><h1>{title} — {count} pictures</h1>
<main>
{cards}
</main></body></html>
"""
