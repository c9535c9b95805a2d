"""Starting the control API beside a controller, for ``studio run`` and ``studio rehearse``.

``--control HOST:PORT`` (default 127.0.0.1:8460 for ``run``; port 0 picks a free one) and
``--control-token-file FILE`` (read into ``ControlSettings`` by ``studio.cli.settings``). Once
listening, the service writes where it is to ``as-run/<show>.control.json`` (mode 600; url, pid,
token file) so ``studio attach SHOW`` finds it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.runner.controller import Controller
from studio.service import DEFAULT_HOST, ControlSettings
from studio.service.token import ENV, ControlToken, TokenError, resolve_token, token_path_for


class ControlConfigError(ValueError):
    """A bad --control or token: one line for the user."""


def host_port(text: str, default_host: str) -> tuple[str, int] | None:
    """``HOST:PORT``, ``[::1]:PORT`` or a bare ``PORT`` (on ``default_host``); None if it is
    none of these. The --control and --osc addresses are read alike."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = default_host, text
    host = host.strip("[]") or default_host
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        return None
    return host, int(port)


def parse_address(text: str) -> tuple[str, int]:
    address = host_port(text, DEFAULT_HOST)
    if address is None:
        raise ControlConfigError(f"--control {text!r}: give HOST:PORT, e.g. 127.0.0.1:8460")
    return address


def control_base(state_file: Path, *, rehearsal: bool) -> Path:
    """``as-run/<show>`` (``as-run/<show>.rehearsal``) from the journal or as-run path: the
    token and discovery files are named after it, so a rehearsal never meets the live show's."""
    stem = state_file.name.split(".", 1)[0]
    return state_file.with_name(stem + (".rehearsal" if rehearsal else ""))


def discovery_path(base: Path) -> Path:
    return base.with_name(base.name + ".control.json")


@dataclass
class Service:
    server: Any  # ControlServer (imported lazily: aiohttp only when serving)
    discovery: Path
    token_source: str

    def stop(self) -> None:
        self.server.stop()
        with contextlib.suppress(OSError):
            data = json.loads(self.discovery.read_text(encoding="utf-8"))
            if data.get("pid") == os.getpid():
                self.discovery.unlink()


def _refuse_a_running_twin(discovery: Path) -> None:
    """One service per show (and per rehearsal of it): a second would take over the first's
    control.json and as-run, and leave it unfindable while it still runs."""
    try:
        record = json.loads(discovery.read_text(encoding="utf-8"))
        pid = record["pid"]
        url = record["url"]
    except (OSError, ValueError, TypeError, KeyError):
        return  # none, or not a record: this service writes its own
    if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid < 2**31 \
            or pid == os.getpid():
        return
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return  # gone (a kill -9 leaves the file behind)
    if b"studio" in cmdline:
        raise ControlConfigError(f"a show service of this show already runs (pid {pid}, {url}; "
                                 f"{discovery}): attach to it with studio attach, or stop it")


def start_service(controller: Controller, address: str, token_file: Path | None,
                  base: Path) -> Service:
    """Bind the API (``OSError`` if the port is taken), write the discovery file."""
    from studio.service.server import ControlServer

    host, port = parse_address(address)
    _refuse_a_running_twin(discovery_path(base))
    explicit = bool(os.environ.get(ENV)) or token_file is not None
    generated = token_path_for(base)
    token: ControlToken
    token, source = resolve_token(token_file, generated)
    try:
        server = ControlServer(controller, host, port, token, explicit_token=explicit)
    except ValueError as exc:
        raise ControlConfigError(str(exc)) from None
    try:
        server.start()
    except OSError as exc:
        raise ControlConfigError(f"--control {host}:{port}: cannot listen: "
                                 f"{exc.strerror or exc}") from None
    discovery = discovery_path(base)
    record = {"url": server.url, "pid": os.getpid(),
              "token_file": str(generated.resolve()) if source == str(generated) else
              (str(token_file.resolve()) if token_file is not None else None)}
    fd = os.open(discovery, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out)
        out.write("\n")
    return Service(server, discovery, source)


@contextlib.contextmanager
def serving(controller: Controller, control: ControlSettings | None, state_file: Path, *,
            rehearsal: bool) -> Iterator[Service | None]:
    """The control API for the life of the block when asked for (``--control``)."""
    if control is None:
        yield None
        return
    try:
        service = start_service(controller, control.address, control.token_file,
                                control_base(state_file, rehearsal=rehearsal))
    except (ControlConfigError, TokenError) as exc:
        from studio.errors import UserError

        raise UserError(str(exc)) from None
    from studio.service.spawn import signal_ready

    signal_ready(service.server.url)
    print(f"control API on {service.server.url} (token: {service.token_source}; "
          f"studio attach finds it in {service.discovery})", file=sys.stdout, flush=True)
    from studio.service.views import write_links

    links = write_links(service.server.url, service.server.token,
                        control_base(state_file, rehearsal=rehearsal),
                        loopback=service.server.open_reads)
    print(f"views: {service.server.url}/presenter and /rundown (links for other machines, "
          f"with their read-only token, in {links})", file=sys.stdout, flush=True)
    try:
        yield service
    finally:
        service.stop()
