"""The control token: who may drive the show over the API.

From ``STUDIO_CONTROL_TOKEN``, ``--control-token-file FILE`` or, without either, generated and
written (mode 600) next to the journal, where local screens find it. It is compared in constant
time and never printed: ``ControlToken`` hides it in ``repr``/``str`` like the OBS password.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

ENV = "STUDIO_CONTROL_TOKEN"


class TokenError(Exception):
    """A token that cannot be used (empty, unreadable file): one line for the user."""


class ControlToken:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise TokenError("the control token is empty")
        self._value = value

    def matches(self, offered: str | None) -> bool:
        """Constant-time comparison with what a client offered."""
        if offered is None:
            return False
        return hmac.compare_digest(self._value.encode(), offered.encode())

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "ControlToken('********')"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a ControlToken cannot be pickled")


def token_path_for(base: Path) -> Path:
    """``as-run/<show>.control-token`` for the base ``as-run/<show>`` (see service.launch)."""
    return base.with_name(base.name + ".control-token")


def read_token_file(path: Path) -> ControlToken:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TokenError(f"{path}: cannot read the control token: {exc.strerror or exc}") from None
    if not text:
        raise TokenError(f"{path}: the control token file is empty")
    return ControlToken(text)


def resolve_token(token_file: Path | None, generated: Path) -> tuple[ControlToken, str]:
    """The token and where it came from (for the start-up line; never the token itself)."""
    env = os.environ.get(ENV)
    if env:
        return ControlToken(env.strip()), f"${ENV}"
    if token_file is not None:
        return read_token_file(token_file), str(token_file)
    value = secrets.token_urlsafe(32)
    generated.parent.mkdir(parents=True, exist_ok=True)
    tmp = generated.with_name(generated.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (value + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, generated)
    return ControlToken(value), str(generated)
