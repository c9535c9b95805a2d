"""OSC input: ``--osc HOST:PORT`` (UDP, loopback by default) for a Stream Deck through
Companion's generic OSC module, a lighting desk or a script (python-osc parses the packets).

Addresses (each with an optional expected segment id as its last argument, with the same
meaning as the API's ``expect``: the next segment for take/skip, the one on air otherwise)::

    /studio/take /studio/hold /studio/release /studio/skip /studio/back
    /studio/fire /studio/clear /studio/reassert
    /studio/nudge <seconds>      int, or a float with no fraction (Companion sends either)
    /studio/overlay <id>         an overlay id of the catalogue

Actions go through the same checks and the same controller queue as the API's, journalled
with who = ``osc``. A message that cannot be understood (not OSC, another address, wrong
arguments) changes nothing; it is logged once per sending host (the first one, with why), so a
misconfigured desk cannot flood the log. A well-formed press that is refused (an overlay the
catalogue lacks, an expected segment the show does not have or no longer has next or on air,
an action the controller refuses) is an operator's press that did nothing: it is logged every
time, like a refused API action, at most ``REFUSED_BURST`` lines at once per host and then one
every ``REFUSED_EVERY_S`` seconds, the lines left out counted in the next.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from pythonosc.osc_bundle import OscBundle
from pythonosc.osc_message import OscMessage
from pythonosc.osc_packet import OscPacket, ParseError

from studio.engine.actions import Action
from studio.engine.projection import Projection
from studio.runner.controller import Controller
from studio.service.actions import BadRequest, Request, expectation_failed, parse_request
from studio.service.launch import host_port
from studio.show.model import Show
from studio.surfaces import DEFAULT_HOST, DEFAULT_PORT

PREFIX = "/studio/"
PLAIN = ("take", "hold", "release", "skip", "back", "fire", "clear", "reassert")
WHO = "osc"
MAX_PACKET = 4096
MAX_SENDERS = 1024  # senders remembered as "already told about"
REFUSED_BURST = 10  # refused presses logged at once per host, then...
REFUSED_EVERY_S = 1.0  # ...one line a second (a flood of refused presses: counted, not each)
SHOWN_ID = 40  # characters of a refused id shown in the log


class OscConfigError(ValueError):
    """A bad --osc: one line for the user."""


def parse_osc_address(text: str) -> tuple[str, int]:
    address = host_port(text, DEFAULT_HOST)
    if address is None:
        raise OscConfigError(f"--osc {text!r}: give HOST:PORT, e.g. {DEFAULT_HOST}:{DEFAULT_PORT}")
    return address


def body_for(address: str, args: list[Any]) -> dict[str, Any]:
    """The API body an OSC message stands for; ``BadRequest`` naming what is wrong."""
    if not address.startswith(PREFIX):
        raise BadRequest(f"address {address!r} is not under {PREFIX}")
    name = address[len(PREFIX):]
    rest = list(args)
    body: dict[str, Any] = {"action": name, "client": WHO}
    if name == "nudge":
        if not rest:
            raise BadRequest("/studio/nudge needs the seconds (an int), e.g. 30 or -30")
        seconds = rest.pop(0)
        if isinstance(seconds, float) and seconds.is_integer():
            seconds = int(seconds)
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            raise BadRequest(f"/studio/nudge: seconds must be a whole number, not {seconds!r}")
        body["seconds"] = seconds
    elif name == "overlay":
        if not rest or not isinstance(rest[0], str):
            raise BadRequest("/studio/overlay needs the overlay id (a string)")
        body["overlay"] = rest.pop(0)
    elif name not in PLAIN:
        raise BadRequest(f"unknown address {address!r}: /studio/ + one of "
                         + ", ".join((*PLAIN, "nudge", "overlay")))
    if rest:
        expect = rest.pop(0)
        if not isinstance(expect, str):
            raise BadRequest(f"{address}: the last argument is the expected segment id "
                             f"(a string), not {expect!r}")
        if expect:  # an empty string (an unset Companion variable) expects nothing
            body["expect"] = expect
    if rest:
        raise BadRequest(f"{address}: {len(args)} arguments, too many")
    return body


def messages(data: bytes) -> list[OscMessage]:
    """Every message in a datagram (bundles flattened); ``ParseError`` if it is not OSC."""
    if OscMessage.dgram_is_message(data):
        return [OscMessage(data)]
    if OscBundle.dgram_is_bundle(data):
        return [m.message for m in OscPacket(data).messages]
    raise ParseError("neither an OSC message nor a bundle")


def _shown(value: str) -> str:
    """An id from the wire, for the log: quoted, escaped, cut to ``SHOWN_ID`` characters."""
    return repr(value[:SHOWN_ID]) + ("..." if len(value) > SHOWN_ID else "")


def not_in_show(body: dict[str, Any], show: Show) -> str | None:
    """Why a well-formed message names something this show does not have (None if it does
    not): a press that does nothing, not a broken sender."""
    overlay = body.get("overlay")
    if body.get("action") == "overlay" and isinstance(overlay, str) \
            and overlay not in show.catalogue.overlays:
        ids = list(show.catalogue.overlays)
        more = f" and {len(ids) - 4} more" if len(ids) > 4 else ""
        return f"no overlay {_shown(overlay)} in the catalogue (it has: {', '.join(ids[:4])}{more})"
    expect = body.get("expect")
    if isinstance(expect, str) and expect not in {s.id for s in show.segments}:
        return f"expected segment {_shown(expect)}: this show has no such segment"
    return None


class _RefusedLines:
    """Per host: ``REFUSED_BURST`` lines at once, then one per ``REFUSED_EVERY_S`` (a token
    bucket); the presses left out meanwhile are counted and said in the next line. Thread-safe
    (the listener and the controller's replies both tell)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[float, float, int]] = {}  # tokens, at, left out

    def admit(self, host: str, now: float) -> int | None:
        """None: leave this line out; else the number of lines left out before it."""
        with self._lock:
            tokens, at, left_out = self._hosts.get(host, (float(REFUSED_BURST), now, 0))
            tokens = min(float(REFUSED_BURST), tokens + (now - at) / REFUSED_EVERY_S)
            if tokens < 1.0:
                self._remember(host, (tokens, now, left_out + 1))
                return None
            self._remember(host, (tokens - 1.0, now, 0))
            return left_out

    def _remember(self, host: str, entry: tuple[float, float, int]) -> None:
        if host not in self._hosts and len(self._hosts) >= MAX_SENDERS:
            self._hosts.clear()  # a spoofed-address flood: forget the quiet ones, stay bounded
        self._hosts[host] = entry


class OscSurface:
    """Listens on ``host:port`` (UDP) in its own thread; ``start()`` binds (``OscConfigError``
    when it cannot), ``stop()`` ends it."""

    def __init__(self, controller: Controller, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT) -> None:
        self.controller = controller
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._told: set[str] = set()  # senders whose malformed message was logged
        self._refused_lines = _RefusedLines()
        self.ignored = 0  # malformed messages (logged or not)
        self.refused = 0  # well-formed messages refused (logged, or counted in a later line)
        self.handled = 0  # messages turned into actions or refusals
        self.packets = 0  # datagrams read (and their actions queued to the controller)
        self._read = threading.Condition()

    def __repr__(self) -> str:
        return f"OscSurface(udp://{self.host}:{self.port})"

    def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise OscConfigError(f"--osc {self.host}:{self.port}: cannot listen: "
                                 f"{exc.strerror or exc}") from None
        self.port = int(sock.getsockname()[1])
        logging.getLogger().addFilter(_quiet_python_osc)  # it warns on the root logger per bad
        self._sock = sock                                 # bundle: studio says it once instead
        self._thread = threading.Thread(target=self._serve, name="studio-osc", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        sock, thread = self._sock, self._thread
        if sock is None or thread is None:
            return
        self._stopping.set()
        with contextlib.suppress(OSError):  # wake the blocking recvfrom with an empty datagram
            waker = socket.socket(sock.family, socket.SOCK_DGRAM)
            host = "::1" if sock.family == socket.AF_INET6 else "127.0.0.1"
            if not _any_address(self.host):
                host = self.host
            waker.sendto(b"", (host, self.port))
            waker.close()
        thread.join(timeout=5)
        sock.close()
        self._sock = None

    def _serve(self) -> None:
        sock = self._sock
        assert sock is not None
        while not self._stopping.is_set():
            try:
                data, sender = sock.recvfrom(MAX_PACKET)
            except OSError:
                return
            if self._stopping.is_set():
                return
            try:
                self.receive(data, f"{sender[0]}:{sender[1]}", sender[0])
            except Exception as exc:  # the desk's next press must still work
                self._malformed(f"{sender[0]}:{sender[1]}", sender[0],
                                f"could not be handled ({type(exc).__name__}: {exc})")
            finally:
                with self._read:
                    self.packets += 1
                    self._read.notify_all()

    def wait_packets(self, n: int, timeout: float) -> bool:
        """Wait until ``n`` datagrams have been read (tests, benches): on a condition."""
        with self._read:
            return self._read.wait_for(lambda: self.packets >= n, timeout)

    def receive(self, data: bytes, sender: str, who: str | None = None) -> None:
        """One datagram from ``sender`` ("host:port"); ``who`` keys the once-per-sender log."""
        try:
            found = messages(data)
        except Exception as exc:  # python-osc raises several kinds (its message ParseError,
            # struct errors...): whatever a datagram does, it never ends the listener
            self._malformed(sender, who or sender, f"not OSC ({type(exc).__name__}: {exc})")
            return
        for msg in found:
            try:
                body = body_for(msg.address, list(msg.params))
            except BadRequest as exc:
                self._malformed(sender, who or sender, str(exc))
                continue
            missing = not_in_show(body, self.controller.show)
            if missing is not None:  # an operator's press that does nothing: said each time
                self.handled += 1
                self._refused(msg.address, sender, who or sender, missing)
                continue
            try:
                req = parse_request(body, self.controller.show)
            except BadRequest as exc:
                self._malformed(sender, who or sender, str(exc))
                continue
            self.handled += 1
            self._submit(req, msg.address, sender, who or sender)

    def _refused(self, address: str, sender: str, key: str, why: str) -> None:
        self.refused += 1
        left_out = self._refused_lines.admit(key, time.monotonic())
        if left_out is None:
            return
        more = (f" ({left_out} more refused from {key} since the last such line, not shown)"
                if left_out else "")
        self.controller.log("action", f"osc {address} from {sender} refused: {why}{more}")

    def _submit(self, req: Request, address: str, sender: str, key: str) -> None:
        def check(proj: Projection) -> Action | str:
            refusal = expectation_failed(req, proj)
            if refusal is not None:
                return refusal
            action = req.action(proj.now)
            assert action is not None
            return action

        def reply(refusal: str | None, proj: Projection) -> None:
            if refusal is not None:  # the show moved on: say so each time, it is no fault
                self._refused(address, sender, key, refusal)

        self.controller.submit_checked(check, reply)

    def _malformed(self, sender: str, key: str, why: str) -> None:
        self.ignored += 1
        if key in self._told:
            return
        if len(self._told) < MAX_SENDERS:
            self._told.add(key)
        self.controller.log("error", f"osc: ignored a message from {sender}: {why} (further "
                                     "malformed messages from it are ignored without a word)")


def _quiet_python_osc(record: logging.LogRecord) -> bool:
    """python-osc logs each unparseable bundle part on the root logger ("Could not identify
    content type"): a flood of datagrams would flood the service's output. Studio's own
    once-per-sender line says it instead."""
    return "pythonosc" not in record.pathname


def _any_address(host: str) -> bool:
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_unspecified
    return False


def start_osc(controller: Controller, address: str,
              log: Callable[[str], None] | None = None) -> OscSurface:
    host, port = parse_osc_address(address)
    surface = OscSurface(controller, host, port)
    surface.start()
    if log is not None:
        log(f"OSC on udp://{host}:{surface.port} (/studio/take, /studio/hold, ...)")
    return surface



@contextlib.contextmanager
def osc_serving(controller: Controller, address: str | None) -> Iterator[OscSurface | None]:
    """The OSC surface on ``address`` (``HOST:PORT``, ``--osc``) for the life of the block;
    nothing when None."""
    if address is None:
        yield None
        return
    try:
        surface = start_osc(controller, address)
    except OscConfigError as exc:
        from studio.errors import UserError

        raise UserError(str(exc)) from None
    print(f"OSC on udp://{surface.host}:{surface.port} (/studio/take, /studio/hold, ...; "
          "journalled as osc)", flush=True)
    try:
        yield surface
    finally:
        surface.stop()
