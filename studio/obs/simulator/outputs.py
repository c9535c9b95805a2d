"""obs-websocket 5.1.0 output requests on the simulator: streaming and recording.

Registered into ``requests.HANDLERS`` on import (``requests`` imports this module).
"""

from __future__ import annotations

import time
from typing import Any

from studio.obs.simulator import fields as f
from studio.obs.simulator.fields import Fields, RequestError
from studio.obs.simulator.requests import Context, handler


def _timecode(ms: int) -> str:
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _duration_ms(active: bool, started_at: float) -> int:
    return int((time.monotonic() - started_at) * 1000) if active else 0


@handler
def GetStreamStatus(ctx: Context, fields: Fields) -> dict[str, Any]:
    out = ctx.model.stream
    ms = _duration_ms(out.active, out.started_at)
    return {"outputActive": out.active, "outputBytes": ms * 300, "outputCongestion": 0.0,
            "outputDuration": ms, "outputReconnecting": False, "outputSkippedFrames": 0,
            "outputTimecode": _timecode(ms),
            "outputTotalFrames": int(ms / ctx.switcher.frame_ms)}


@handler
def StartStream(ctx: Context, fields: Fields) -> None:
    if ctx.model.stream.active:
        raise RequestError(f.OUTPUT_RUNNING)
    ctx.switcher.start_stream()


@handler
def StopStream(ctx: Context, fields: Fields) -> None:
    if not ctx.model.stream.active:
        raise RequestError(f.OUTPUT_NOT_RUNNING)
    ctx.switcher.stop_stream()


@handler
def GetRecordStatus(ctx: Context, fields: Fields) -> dict[str, Any]:
    out = ctx.model.record
    ms = _duration_ms(out.active, out.started_at)
    return {"outputActive": out.active, "outputBytes": ms * 300, "outputDuration": ms,
            "outputPaused": False, "outputTimecode": _timecode(ms)}


@handler
def StartRecord(ctx: Context, fields: Fields) -> None:
    if ctx.model.record.active:
        raise RequestError(f.OUTPUT_RUNNING)
    ctx.switcher.start_record()


@handler
def StopRecord(ctx: Context, fields: Fields) -> dict[str, Any]:
    if not ctx.model.record.active:
        raise RequestError(f.OUTPUT_NOT_RUNNING)
    return {"outputPath": ctx.switcher.stop_record()}


@handler
def GetRecordDirectory(ctx: Context, fields: Fields) -> dict[str, Any]:
    return {"recordDirectory": ctx.model.record_directory}
