"""Where OBS is and how to log in: ``--obs ws://HOST:PORT`` or ``STUDIO_OBS_URL``; the password
from ``--obs-password-file``, ``STUDIO_OBS_PASSWORD`` or a prompt on a terminal.

Owns the connection settings and the environment's part in them; the command line's options
that feed them are ``studio.cli.settings``'s.

The password never appears on the command line, in a show file, a log line, a repr or an
exception message: ``Secret`` hides it everywhere but ``reveal()``.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


class ConnectionConfigError(Exception):
    """A one-line, user-facing error about the OBS address or password."""


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:  # never pickle it by accident
        raise TypeError("a Secret cannot be pickled")


def host_port(host: str, port: int) -> str:
    """``HOST:PORT`` as a URL holds it: an IPv6 literal in brackets (``[::1]:4455``), else
    ``ws://::1:4455`` is no URL at all (websockets: InvalidURI)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class ObsConnectionSettings:
    host: str = "127.0.0.1"
    port: int = 4455
    password: Secret = field(default_factory=lambda: Secret(""), repr=False)
    timeout: float = 3.0  # seconds for connect and for each request
    # where the password came from, when a file: read again before every login, so a
    # technician can fix the file while studio keeps trying (see ObsGateway)
    password_file: Path | None = None

    @property
    def url(self) -> str:
        return f"ws://{host_port(self.host, self.port)}"

    def current_password(self) -> Secret:
        """The password to log in with now: the file's content if a file was given (read
        afresh), else the one given at start. ConnectionConfigError if the file is unreadable."""
        if self.password_file is None or (
                self.password_file.exists() and not self.password_file.is_file()):
            return self.password  # a pipe or /dev/stdin gives its password once only
        return read_password_file(self.password_file)


def parse_obs_url(url: str) -> tuple[str, int]:
    """``ws://HOST:PORT`` (or ``HOST:PORT``) -> (host, port); a clear error otherwise."""
    text = url.strip()
    if "://" not in text:
        text = "ws://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("ws", "") or not parts.hostname:
        raise ConnectionConfigError(f"bad OBS address {url!r}: use ws://HOST:PORT")
    if parts.username or parts.password:
        raise ConnectionConfigError(
            "the OBS address must not carry a password: use STUDIO_OBS_PASSWORD, "
            "--obs-password-file or the prompt"
        )
    try:
        port = parts.port or 4455
    except ValueError as exc:
        raise ConnectionConfigError(f"bad OBS address {url!r}: {exc}") from None
    return parts.hostname, port


def obs_url(given: str | None) -> str | None:
    """The OBS address asked for: ``given`` (``--obs``), else ``$STUDIO_OBS_URL``, else None."""
    return given or os.environ.get("STUDIO_OBS_URL") or None


def read_password_file(path: Path) -> Secret:
    """The password in ``path`` (one line, UTF-8); one clear line if it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConnectionConfigError(
            f"{path}: cannot read the OBS password file: {exc.strerror}"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConnectionConfigError(
            f"{path}: the OBS password file is not UTF-8 text (byte {exc.start + 1} is not)"
        ) from None
    return Secret(text.rstrip("\r\n"))


def read_password(password_file: Path | None, *, prompt: bool = True) -> Secret:
    """The password from ``password_file``, else ``$STUDIO_OBS_PASSWORD``, else a prompt on a
    terminal (when ``prompt``), else none."""
    if password_file is not None:
        return read_password_file(password_file)
    env = os.environ.get("STUDIO_OBS_PASSWORD")
    if env is not None:
        return Secret(env)
    if prompt and sys.stdin.isatty():
        try:
            return Secret(getpass.getpass("OBS websocket password (empty for none): "))
        except EOFError:  # Ctrl-D at the prompt
            print(file=sys.stderr)  # end the prompt's line
            raise ConnectionConfigError(
                "no OBS password typed (Ctrl-D at the prompt); press Enter for none"
            ) from None
    return Secret("")


def connection_settings(
    url: str | None, *, password_file: Path | None = None, timeout: float = 3.0,
    prompt: bool = True,
) -> ObsConnectionSettings | None:
    """The connection settings asked for (``url`` or ``$STUDIO_OBS_URL``; the password as
    ``read_password`` finds it), or None when no OBS address was given."""
    address = obs_url(url)
    if address is None:
        return None
    host, port = parse_obs_url(address)
    return ObsConnectionSettings(
        host=host,
        port=port,
        password=read_password(password_file, prompt=prompt),
        timeout=timeout,
        password_file=password_file,
    )
