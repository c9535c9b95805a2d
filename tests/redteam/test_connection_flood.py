"""More connections than the service has file descriptors (phones on /rundown, a scanner on
the LAN, a client that never finishes its request). Under systemd a service starts with a soft
limit of 1024 descriptors; at that limit asyncio's accept loop logged a traceback for every try,
hundreds of thousands of lines a minute into the journal, and the service had no descriptor
left for its own files and its OBS connection. The service must shed the surplus and say so
briefly, and answer again once the flood is over."""

from __future__ import annotations

import resource
import socket
import time

from tests.views.service import Service

LIMIT = 256


def test_a_connection_flood_is_shed_not_a_flood_of_tracebacks(service: Service) -> None:
    resource.prlimit(service.proc.pid, resource.RLIMIT_NOFILE, (LIMIT, LIMIT))
    port = int(service.url.rsplit(":", 1)[1])
    held: list[socket.socket] = []
    try:
        for _ in range(3 * LIMIT):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=2)
            except OSError:  # the listen queue is full: the flood is at its height
                break
            s.sendall(b"GET /api/v1/state HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            held.append(s)
        time.sleep(2)  # the flood's duration: what it does to the service meanwhile is the point
    finally:
        for s in held:
            s.close()
    status, body = service.post({"action": "hold", "client": "after-flood"})
    assert status == 200 and body["ok"], body
    service.wait_line("hold (after-flood)")
    service.stop()
    assert service.proc.stdout is not None
    rest = service.proc.stdout.read()
    output = service.seen + rest.splitlines()
    noisy = [line for line in output if "Traceback" in line or "Too many open files" in line]
    assert len(noisy) <= 2, f"{len(noisy)} traceback lines, e.g. {noisy[:3]}"
