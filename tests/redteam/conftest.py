"""Red-team harness: a real ``studio rehearse --headless --control`` process on a free loopback
port (tests/views/service.py), attacked over real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.views.service import Service, free_port, write_views_show


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    """A rehearsal at 1x, a minute before its first segment: nothing moves by itself."""
    show = write_views_show(tmp_path)
    svc = Service(show, tmp_path, free_port(), "--speed", "1", "--from", "08:59:00")
    yield svc
    svc.stop()
