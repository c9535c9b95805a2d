"""Read-only browser views served by the show service: ``/presenter`` (the speaker's countdown,
the next segment, the wall clock and the operator's message) and ``/rundown`` (the producer's
day on a phone). Plain HTML, CSS and JS shipped as package data and inlined into one page each:
no build step, nothing fetched from anywhere but the service's own events WebSocket.

Bound to loopback they need no token. Bound elsewhere they need the *view token*
(``?token=``), which is derived from the control token (HMAC) and only ever opens reads:
``GET`` of the views, ``/api/v1/state`` and the events WebSocket. A producer's link therefore
never grants control, and a new control token makes old view links stop working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import socket
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from aiohttp import web

from studio.engine.projection import Projection
from studio.runner.api import ControllerStatus
from studio.runner.controller import Controller
from studio.service.token import ControlToken

VIEWS = ("presenter", "rundown")
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'")


def view_token(control: ControlToken) -> str:
    """The read-only token for view links: a one-way function of the control token."""
    mac = hmac.new(control.reveal().encode(), b"studio view token v1", hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode().rstrip("=")


def view_token_ok(request: web.Request, control: ControlToken) -> bool:
    """A ``GET`` carrying the view token in ``?token=`` (constant-time comparison)."""
    offered = request.query.get("token")
    if request.method != "GET" or not offered:
        return False
    return hmac.compare_digest(view_token(control).encode(), offered.encode())


def same_host_origin(request: web.Request) -> bool:
    """A browser page of this very host: its Origin is the Host it asked for. Only trusted when
    the service is off loopback, where every read already needs a token (a loopback service
    keeps its fixed list of origins, so a DNS-rebinding page cannot read it)."""
    origin = request.headers.get("Origin")
    host = request.headers.get("Host")
    return origin is not None and host is not None and origin in (f"http://{host}",
                                                                  f"https://{host}")


@cache
def page(name: str) -> bytes:
    """The view's HTML with the shared CSS and JS inlined (read once from the package)."""
    here = files(__package__)
    html = (here / f"{name}.html").read_text(encoding="utf-8")
    css = (here / "views.css").read_text(encoding="utf-8")
    js = (here / "views.js").read_text(encoding="utf-8")
    return (html.replace("/*STYLE*/", css).replace("/*SCRIPT*/", js)).encode()


async def _serve(request: web.Request) -> web.Response:
    name = request.match_info["view"]
    return web.Response(body=page(name), content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP,
                                 "X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "no-referrer"})


def _clock(seconds: float, *, up: bool = False) -> str:
    s = max(0, int(seconds) if up else -int(-seconds // 1))  # down: whole seconds rounded up
    h, rest = divmod(s, 3600)
    return (f"{h}:" if h else "") + f"{rest // 60:02d}:{rest % 60:02d}"


def surface_json(proj: Projection, status: ControllerStatus) -> dict[str, Any]:
    """``GET /api/v1/surface``: the few flat values a Stream Deck button shows (through
    Companion's generic HTTP module and its ``jsonpath()`` expressions; see docs/companion.md)."""
    on, nxt = proj.on_air, proj.next
    remaining = ""
    if on is not None:
        over = on.overrun.total_seconds()
        remaining = ("+" + _clock(over, up=True)) if over > 0 else _clock(
            on.remaining.total_seconds())
    t_minus = ""
    if nxt is not None:
        due = nxt.countdown.total_seconds()
        t_minus = "TAKE" if nxt.waits_for_take and due <= 0 else _clock(due)
    return {
        "on_air": on.title if on else "", "on_air_id": on.segment_id if on else "",
        "remaining": remaining, "held": bool(on and on.held),
        "next": nxt.title if nxt else "", "next_id": nxt.segment_id if nxt else "",
        "next_start": nxt.start.strftime("%H:%M") if nxt else "", "t_minus": t_minus,
        "live": on is not None and not proj.ended, "ended": proj.ended,
        "override": status.override is not None, "obs": status.connection,
        "lower_third": " · ".join(x for x in proj.graphics.lower_third_on_air or () if x),
        "message": proj.message,
    }


def add_routes(app: web.Application, controller: Controller) -> None:
    async def surface(request: web.Request) -> web.Response:
        return web.json_response(surface_json(controller.projection(), controller.status()),
                                 headers={"Cache-Control": "no-store"})

    app.router.add_get("/{view:presenter|rundown}", _serve)
    app.router.add_get("/api/v1/surface", surface)


def links_path(base: Path) -> Path:
    """``as-run/<show>.views`` next to the control token: the view links with their token."""
    return base.with_name(base.name + ".views")


def write_links(url: str, control: ControlToken, base: Path, *, loopback: bool) -> Path:
    """Write the views' links (mode 600: they carry the view token when off loopback)."""
    suffix = "" if loopback else f"?token={view_token(control)}"
    for anywhere in ("//0.0.0.0:", "//[::]:"):  # bound to every interface: name this machine
        url = url.replace(anywhere, f"//{socket.gethostname()}:")
    path = links_path(base)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for name in VIEWS:
            out.write(f"{url}/{name}{suffix}\n")
    return path
