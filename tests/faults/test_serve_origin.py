"""Which websockets ``studio serve`` lets drive the show (issue 9, item 10), case by case: its own
page under any loopback spelling, never another page, nor one that rebinds its name to us."""

from __future__ import annotations

import pytest

from studio.tui.serve_server import allowed_names, origin_allowed

LOCAL = allowed_names("localhost")


@pytest.mark.parametrize(("origin", "host"), [
    ("http://localhost:8000", "localhost:8000"),
    ("http://127.0.0.1:8000", "localhost:8000"),  # the page's websocket URL names localhost
    ("http://[::1]:8000", "[::1]:8000"),
    ("http://LOCALHOST:8000", "127.0.0.1:8000"),
])
def test_the_served_page_is_accepted(origin: str, host: str) -> None:
    assert origin_allowed(origin, host, LOCAL, 8000)


@pytest.mark.parametrize(("origin", "host"), [
    ("http://evil.example.com", "localhost:8000"),
    ("http://evil.example.com:8000", "evil.example.com:8000"),  # DNS rebinding to 127.0.0.1
    ("http://localhost:8001", "localhost:8000"),  # another local service's page
    ("http://localhost.evil.com:8000", "localhost:8000"),
    ("null", "localhost:8000"),  # a sandboxed iframe or a file:// page
    ("file://", "localhost:8000"),
    ("", "localhost:8000"),
    (None, "localhost:8000"),
    ("http://localhost:8000", None),
    ("http://localhost:8000", "localhost:notaport"),
])
def test_anything_else_is_refused(origin: str | None, host: str | None) -> None:
    assert not origin_allowed(origin, host, LOCAL, 8000)


def test_a_named_address_is_accepted_only_under_its_own_name() -> None:
    names = allowed_names("192.0.2.7")
    assert origin_allowed("http://192.0.2.7:8000", "192.0.2.7:8000", names, 8000)
    assert not origin_allowed("http://192.0.2.8:8000", "192.0.2.8:8000", names, 8000)
