"""docs/companion.md, proven: every button of its table is sent exactly as Companion's generic
HTTP module (got: POST with the header-input JSON, Content-Type from the field, the body parsed
and re-sent as compact JSON, got's user-agent and accept-encoding, no Origin) and its generic
OSC module (one message per datagram, the types its send_* actions write) send it, with the
custom variables filled in from GET /api/v1/surface as the guide's trigger does."""

from __future__ import annotations

import http.client
import json
import re
from pathlib import Path
from typing import Any

from studio.obs.simulator import Simulator
from tests.service.conftest import TOKEN, Api, make_api  # noqa: F401 - fixture
from tests.surfaces.conftest import Osc
from tests.surfaces.test_osc import companion_packet

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "companion.md"
ROW = re.compile(r"^\| (?P<name>[A-Z][A-Z +\-0-9]*) \| `(?P<body>\{.*\})` \| "
                 r"(?P<kind>send_\w+) `(?P<path>/studio/\w+)`(?: `(?P<arg>[^`]*)`)? \|$", re.M)
VARIABLE = re.compile(r"^\| `(?P<var>studio_\w+)` \| `jsonpath\(\$\(custom:studio\), "
                      r"'\$\.(?P<key>\w+)'\)` \|$", re.M)
FEEDBACK = re.compile(r"jsonpath\(\$\(custom:studio\), '\$\.(\w+)'\)")
GOT_HEADERS = {"user-agent": "got (https://github.com/sindresorhus/got)",
               "accept-encoding": "gzip, deflate, br"}


def buttons() -> list[dict[str, str]]:
    rows = [m.groupdict() for m in ROW.finditer(GUIDE.read_text(encoding="utf-8"))]
    assert [r["name"] for r in rows] == ["TAKE", "HOLD", "RELEASE", "FIRE", "CLEAR",
                                         "NUDGE +30", "NUDGE -30", "REASSERT"]
    return rows


def got(port: int, method: str, path: str, header_input: dict[str, str],
        body: Any = None) -> tuple[int, Any]:
    """One request as got 15 sends it for the module (http.client, headers set by hand)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
    conn.putrequest(method, path, skip_accept_encoding=True)
    headers = {"user-agent": GOT_HEADERS["user-agent"], **header_input}
    if data is not None:
        headers["Content-Type"] = "application/json"  # the module's Content Type field
    headers["accept-encoding"] = GOT_HEADERS["accept-encoding"]
    if data is not None:
        headers["content-length"] = str(len(data))
    headers["connection"] = "keep-alive"
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.endheaders(data)
    resp = conn.getresponse()
    status, text = resp.status, resp.read()
    conn.close()
    return status, json.loads(text)


def variables(port: int, header_input: dict[str, str]) -> dict[str, str]:
    """What the guide's 1 s trigger leaves in Companion's custom variables."""
    status, surface = got(port, "GET", "/api/v1/surface", header_input)
    assert status == 200
    pairs = VARIABLE.findall(GUIDE.read_text(encoding="utf-8"))
    assert {v for v, _ in pairs} >= {"studio_next_id", "studio_onair_id", "studio_onair"}
    return {f"$(custom:{v})": str(surface[k]) for v, k in pairs}


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def test_the_guides_http_buttons(sim: Simulator, make_api) -> None:  # noqa: F811
    api: Api = make_api(sim.port)  # 08:59:30: slate is next
    api.h.run_until(api.h.clock.now().replace(hour=9, minute=0, second=30))
    header = {"Authorization": f"Bearer {TOKEN}"}  # the guide's header input JSON
    assert sim.snapshot()["program"] == "Holding Slate"
    for button in buttons():
        values = variables(api.server.port, {})  # loopback: the GET needs no token
        body = json.loads(fill(button["body"], values))  # the module JSON.parses the field
        status, answer = got(api.server.port, "POST", "/api/v1/actions", header, body)
        assert status == 200, (button["name"], answer)
        api.h.settle()
        if button["name"] == "TAKE":
            assert sim.snapshot()["program"] == "Studio Wide"
            assert answer["state"]["on_air"]["segment_id"] == "welcome"
    assert [(a["action"], a.get("seconds"), a["who"]) for a in api.journal_actions()] == [
        ("take", None, "streamdeck"), ("hold", None, "streamdeck"),
        ("release", None, "streamdeck"), ("fire", None, "streamdeck"),
        ("clear", None, "streamdeck"), ("nudge", 30, "streamdeck"),
        ("nudge", -30, "streamdeck"), ("reassert", None, "streamdeck")]
    # a TAKE pressed again with the old variable: refused, nothing taken twice
    status, answer = got(api.server.port, "POST", "/api/v1/actions", header,
                         {"action": "take", "expect": "welcome", "client": "streamdeck"})
    assert status == 409 and "moved on" in answer["error"]
    # without the token the module's press is refused
    status, _ = got(api.server.port, "POST", "/api/v1/actions", {}, {"action": "take"})
    assert status == 401


def test_the_guides_texts_and_feedbacks_read_the_surface(sim: Simulator, make_api) -> None:  # noqa: F811
    api: Api = make_api(sim.port)
    api.h.run_until(api.h.clock.now().replace(hour=9, minute=0, second=30))
    status, surface = got(api.server.port, "GET", "/api/v1/surface",
                          {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    for key in FEEDBACK.findall(GUIDE.read_text(encoding="utf-8")):
        assert key in surface, key
    assert surface["on_air_id"] == "slate"
    assert surface["live"] is True and surface["override"] is False and surface["held"] is False
    assert surface["next_id"] == "welcome" and surface["next"] == "Welcome"
    assert surface["next_start"] == "09:01" and surface["t_minus"] == "00:30"
    assert surface["remaining"] == "00:30"


def test_the_guides_osc_buttons(sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port)  # 09:00:30: slate on air, welcome next
    from studio.service.views import surface_json

    for button in buttons():
        ctl = osc.h.ctl
        surface = surface_json(ctl.projection(), ctl.status())
        values = {f"$(custom:{v})": str(surface[k])
                  for v, k in VARIABLE.findall(GUIDE.read_text(encoding="utf-8"))}
        arg = fill(button["arg"] or "", values)
        kind = button["kind"]
        args: list[tuple[str, object]] = (
            [] if kind == "send_blank" else [("s", arg)] if kind == "send_string"
            else [("i", int(arg))])
        assert kind in ("send_blank", "send_string", "send_int")
        osc.send_raw(companion_packet(button["path"], *args))
        if button["name"] == "TAKE":
            assert sim.snapshot()["program"] == "Studio Wide"
    assert osc.surface.ignored == 0
    assert [(a["action"], a.get("seconds"), a["who"]) for a in osc.journal()] == [
        ("take", None, "osc"), ("hold", None, "osc"), ("release", None, "osc"),
        ("fire", None, "osc"), ("clear", None, "osc"), ("nudge", 30, "osc"),
        ("nudge", -30, "osc"), ("reassert", None, "osc")]
