"""OSC under hostile datagrams: a real service process with ``--osc`` on a free UDP port."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from pythonosc.osc_message_builder import OscMessageBuilder

from tests.views.service import Service, free_port, write_views_show


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Osc:
    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(self, data: bytes) -> None:
        self.sock.sendto(data, ("127.0.0.1", self.port))

    def msg(self, address: str, *args: object) -> None:
        b = OscMessageBuilder(address)
        for a in args:
            b.add_arg(a)
        self.send(b.build().dgram)


@pytest.fixture
def osc_service(tmp_path: Path) -> Iterator[tuple[Service, Osc]]:
    port = free_udp_port()
    svc = Service(write_views_show(tmp_path), tmp_path, free_port(), "--speed", "1",
                  "--from", "08:59:00", "--osc", f"127.0.0.1:{port}")
    svc.wait_line("OSC on udp://")  # UDP sent before the listener binds is simply lost
    osc = Osc(port)
    yield svc, osc
    osc.sock.close()
    svc.stop()


# an OSC message whose type tag string lacks its comma: python-osc raises its *own*
# osc_message.ParseError, not the osc_packet.ParseError studio catches
BROKEN_MESSAGE = b"/qstudio/nudge\x00\x00\x00,is\x00\x00\x00\x00\x1ealpha\x00w\x00\x00"


@pytest.mark.parametrize("garbage", ["type-tags", "truncated"])
def test_osc_keeps_listening_after_a_malformed_message(osc_service: tuple[Service, Osc],
                                                       garbage: str) -> None:
    svc, osc = osc_service
    osc.msg("/studio/hold")
    svc.wait_line("hold (osc)")
    if garbage == "type-tags":
        osc.send(BROKEN_MESSAGE)
    else:  # a huge address: the kernel hands studio the first 4096 bytes of it
        osc.msg("/studio/" + "y" * 20000)
    osc.msg("/studio/release")
    # the desk's next press still works
    svc.wait_line("release (osc)", timeout=15)
    assert not any("Traceback" in line for line in svc.seen), "\n".join(svc.seen)


def test_a_flood_of_bad_bundles_is_told_at_most_once(osc_service: tuple[Service, Osc]) -> None:
    svc, osc = osc_service
    bad_bundle = b"#bundle\0" + struct.pack(">Q", 1) + struct.pack(">i", 8) + b"garbage!"
    for _ in range(50):
        osc.send(bad_bundle)
    osc.msg("/studio/hold")
    svc.wait_line("hold (osc)")
    noise = [line for line in svc.seen if "garbage" in line or "WARNING" in line]
    assert len(noise) <= 1, "\n".join(noise[:5]) + f"\n... {len(noise)} lines"
