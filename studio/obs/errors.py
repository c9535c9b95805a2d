"""Errors of the OBS gateway: one line each, for a user to read, never holding the password."""

from __future__ import annotations


class GatewayError(Exception):
    """A one-line, user-facing problem talking to OBS (never contains the password)."""


class AuthenticationFailed(GatewayError):
    """OBS refused the password (or wants one and none was given). The gateway retries it
    slowly (``AUTH_RETRY_S``), re-reading a password file."""


class NotConnected(GatewayError):
    """No live connection to OBS right now."""


class ConnectionLost(NotConnected):
    """The connection dropped while a request was waiting for its reply."""


class RequestTimeout(NotConnected):
    """OBS did not answer in time; the connection it was sent on is thrown away (so after a
    timeout the gateway is not connected until it has reconnected)."""


class RequestFailed(GatewayError):
    """OBS answered a request with a failure status: its code and comment."""

    def __init__(self, request: str, code: int, comment: str) -> None:
        self.request = request
        self.code = code
        self.comment = comment
        text = f"OBS refused {request} (code {code})"
        super().__init__(f"{text}: {comment}" if comment else text)
