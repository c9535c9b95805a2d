"""The control API under hostile requests, against a real service process over real sockets."""

from __future__ import annotations

import http.client
import json
import urllib.parse

from tests.views.service import Service


def raw_post(svc: Service, body: bytes, token: str) -> tuple[int, str]:
    u = urllib.parse.urlsplit(svc.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    try:
        conn.request("POST", "/api/v1/actions", body=body,
                     headers={"Authorization": f"Bearer {token}",
                              "Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_deeply_nested_json_is_one_400_line_not_a_traceback(service: Service) -> None:
    status, text = raw_post(service, b"[" * 2000 + b"]" * 2000, service.token())
    # a client sees a 400 naming the body, as for any other bad JSON
    assert status == 400, (status, text)
    assert "JSON" in json.loads(text)["error"]
    # and the operator's log shows no Python traceback
    service.post({"action": "hold", "client": "marker"})
    service.wait_line("hold (marker)")
    assert not any("Traceback" in line for line in service.seen), "\n".join(service.seen)


def test_a_refused_nudge_is_not_answered_ok(service: Service) -> None:
    status, body = service.post({"action": "nudge", "seconds": 86400, "client": "deck"})
    # the Stream Deck / curl user must learn the nudge did not happen
    assert status in (400, 409), (status, body)
    assert body.get("ok") is not True


def test_a_duplicated_field_is_refused_not_guessed(service: Service) -> None:
    status, text = raw_post(service, b'{"action": "take", "action": "hold"}', service.token())
    assert status == 400, (status, text)
    assert "action" in json.loads(text)["error"]
    assert "hold (api)" not in "\n".join(service.seen)


def test_a_foreign_host_header_cannot_read_the_state(service: Service) -> None:
    u = urllib.parse.urlsplit(service.url)
    for path in ("/api/v1/state", "/api/v1/surface"):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
        try:
            # what a browser sends for fetch('/api/v1/state') from http://evil.example:PORT
            # once evil.example has been re-pointed at 127.0.0.1: no Origin on a same-origin GET
            conn.request("GET", path, headers={"Host": f"evil.example:{u.port}"})
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
        finally:
            conn.close()
        assert r.status in (400, 403, 421), (path, r.status, text[:200])
        assert "Alpha talk" not in text


def test_a_message_never_carries_control_characters(service: Service) -> None:
    status, body = service.post({"action": "message", "text": "\x1b[2J\x1b]0;owned\x07wrap up",
                                 "client": "producer"})
    if status == 400:  # refusing it outright is as good
        return
    assert status == 200, body
    u = urllib.parse.urlsplit(service.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=20)
    try:
        conn.request("GET", "/api/v1/state")
        shown = json.loads(conn.getresponse().read())["projection"]["message"]
    finally:
        conn.close()
    assert "wrap up" in shown
    assert not [c for c in shown if ord(c) < 32 or ord(c) == 127], repr(shown)
