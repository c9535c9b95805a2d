"""OSC input as a desk or Companion sends it: real UDP packets from python-osc's client (and
byte-exact ones as Companion's generic OSC module writes them), what reaches the simulator,
the journal's ``who``, and bad packets changing nothing."""

from __future__ import annotations

import struct

from studio.obs.simulator import Simulator
from studio.surfaces.osc import REFUSED_BURST, REFUSED_EVERY_S, _RefusedLines
from tests.runner.conftest import at
from tests.surfaces.conftest import Osc


def program(sim: Simulator) -> str:
    return str(sim.snapshot()["program"])


def test_take_reaches_the_simulator_and_is_journalled_as_osc(sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port)  # 09:00:30: slate on air, welcome next
    assert program(sim) == "Holding Slate"
    osc.send("/studio/take", "welcome")
    assert program(sim) == "Studio Wide"
    assert [(a["action"], a["who"]) for a in osc.journal()] == [("take", "osc")]
    assert osc.log("take -> ON AIR Welcome [welcome]")


def test_every_address_maps_to_its_action(sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port, at(9, 1, 5))  # welcome on air since 09:01
    for address, args in (("/studio/hold", []), ("/studio/release", ["welcome"]),
                          ("/studio/nudge", [30]), ("/studio/nudge", [-30.0, "welcome"]),
                          ("/studio/fire", []), ("/studio/clear", []),
                          ("/studio/overlay", ["clock"]), ("/studio/overlay", ["clock", ""]),
                          ("/studio/reassert", []), ("/studio/skip", ["talk"]),
                          ("/studio/back", [])):
        osc.send(address, *args)
    got = [(a["action"], a.get("seconds"), a.get("overlay")) for a in osc.journal()]
    assert got == [("hold", None, None), ("release", None, None), ("nudge", 30, None),
                   ("nudge", -30, None), ("fire", None, None), ("clear", None, None),
                   ("toggleoverlay", None, "clock"), ("toggleoverlay", None, "clock"),
                   ("reassert", None, None), ("skip", None, None), ("back", None, None)]
    assert {a["who"] for a in osc.journal()} == {"osc"}


def test_an_expectation_that_no_longer_holds_changes_nothing(sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port)
    osc.send("/studio/take", "welcome")
    osc.send("/studio/take", "welcome")  # a second press of the same button: welcome is on air
    assert program(sim) == "Studio Wide"
    assert [a["action"] for a in osc.journal()] == ["take"]
    refused = osc.log("refused")
    assert len(refused) == 1 and "take expected 'welcome' but the next segment is 'talk'" in \
        refused[0]


def test_malformed_messages_change_nothing_and_are_logged_once_per_sender(
        sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port)
    before = sim.snapshot()
    osc.send_raw(b"\x00\x01not osc at all")
    osc.send("/studio/jump")
    osc.send("/other/take")
    osc.send("/studio/nudge")
    osc.send("/studio/nudge", "thirty")
    osc.send("/studio/nudge", 2.5)
    osc.send("/studio/take", 5)
    osc.send("/studio/take", "welcome", "extra")
    osc.send("/studio/hold", True)
    assert osc.surface.ignored == 9
    assert sim.snapshot() == before
    assert osc.journal() == []
    lines = osc.log("osc: ignored")
    assert len(lines) == 1, lines
    assert lines[0].startswith("osc: ignored a message from 127.0.0.1:") and "not OSC" in lines[0]
    osc.send("/studio/take", "welcome")  # the same sender, a good message: it works
    assert program(sim) == "Studio Wide"


def test_a_refused_press_is_said_every_time_even_after_a_malformed_one(
        sim: Simulator, make_osc) -> None:
    """One garbage datagram from the desk's host silences its later malformed ones; a press
    that is well formed but does nothing (an overlay the catalogue lacks, a segment the show
    does not have, an expectation the show has moved past) is the operator's and is told."""
    osc: Osc = make_osc(sim.port)
    before = sim.snapshot()
    osc.send_raw(b"\x00\x01not osc at all")
    for _ in range(2):
        osc.send("/studio/overlay", "nosuchoverlay")
        osc.send("/studio/take", "nosuchsegment")
        osc.send("/studio/release", "welcome")  # slate is on air, not welcome
    assert sim.snapshot() == before and osc.journal() == []
    refused = osc.log("refused")
    assert len(refused) == 6, refused
    assert sum("no overlay 'nosuchoverlay' in the catalogue" in line for line in refused) == 2
    assert sum("'nosuchsegment': this show has no such segment" in line for line in refused) == 2
    assert sum("release expected 'welcome' but the segment on air is 'slate'" in line
               for line in refused) == 2
    assert all(line.startswith("osc /studio/") and " from 127.0.0.1:" in line
               for line in refused)
    assert len(osc.log("osc: ignored")) == 1  # the garbage, once


def test_a_flood_of_refused_presses_is_counted_not_logged_line_by_line(
        sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port)
    for _ in range(3 * REFUSED_BURST):
        osc.send("/studio/overlay", "x" * 3000 + "\x1b[2J")
    assert osc.surface.refused == 3 * REFUSED_BURST
    refused = osc.log("refused")
    # the burst, and perhaps a line a second if sending the flood took that long here
    assert REFUSED_BURST <= len(refused) < 2 * REFUSED_BURST, len(refused)
    assert all(len(line) < 300 and "\x1b" not in line for line in refused), refused[0]


def test_refused_lines_per_host_a_burst_then_one_a_second_counting_those_left_out() -> None:
    lines = _RefusedLines()
    assert [lines.admit("10.0.0.5", 100.0) for _ in range(REFUSED_BURST)] == [0] * REFUSED_BURST
    assert lines.admit("10.0.0.5", 100.0) is None
    assert lines.admit("10.0.0.5", 100.5) is None
    assert lines.admit("10.0.0.6", 100.5) == 0  # another host has its own share
    assert lines.admit("10.0.0.5", 100.0 + REFUSED_EVERY_S) == 2  # the two left out, said


def _pad(b: bytes) -> bytes:
    return b + b"\x00" * (4 - len(b) % 4)


def companion_packet(address: str, *args: tuple[str, object]) -> bytes:
    """A message as companion-module-generic-osc writes it (osc-udp.js ``sendCommand``:
    ``osc.writePacket({address, args}, {metadata: true})`` of the ``osc`` npm package, one
    message per datagram, never a bundle). Its actions send these argument types (osc.js):
    ``send_blank`` none (type tag ","), ``send_int`` "i" (parseInt), ``send_float`` "f"
    (parseFloat), ``send_string`` "s", ``send_multiple`` "i" for numbers without a point,
    "f" with one, "s" for the rest. Encoded here by hand, byte for byte, not by python-osc."""
    tags = "," + "".join(t for t, _ in args)
    out = _pad(address.encode()) + _pad(tags.encode())
    for t, v in args:
        if t == "i":
            out += struct.pack(">i", v)
        elif t == "f":
            out += struct.pack(">f", v)
        else:
            out += _pad(str(v).encode())
    return out


def test_what_companions_generic_osc_module_sends(sim: Simulator, make_osc) -> None:
    osc: Osc = make_osc(sim.port)  # 09:00:30: slate on air, welcome next
    osc.send_raw(companion_packet("/studio/hold"))                               # send_blank
    osc.send_raw(companion_packet("/studio/release", ("s", "slate")))           # send_string
    osc.send_raw(companion_packet("/studio/nudge", ("i", 30)))                  # send_int
    osc.send_raw(companion_packet("/studio/nudge", ("f", -30.0)))               # send_float
    osc.send_raw(companion_packet("/studio/nudge", ("i", 30), ("s", "slate")))  # send_multiple
    osc.send_raw(companion_packet("/studio/take", ("s", "welcome")))            # send_string
    assert osc.surface.ignored == 0
    assert [(a["action"], a.get("seconds")) for a in osc.journal()] == [
        ("hold", None), ("release", None), ("nudge", 30), ("nudge", -30), ("nudge", 30),
        ("take", None)]
    assert program(sim) == "Studio Wide"
