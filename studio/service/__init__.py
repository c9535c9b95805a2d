"""The show as a service: the control API (HTTP + WebSocket) beside the controller, and the
client that lets a screen attach to a running show over it.

- ``token``:  the control token (environment, file, or generated mode 600 next to the journal)
- ``state``:  the projection and status as JSON, and back (pure)
- ``actions``: an action request's JSON body -> an engine ``Action`` (pure)
- ``server``: the aiohttp server, in its own thread and event loop in the show's process
- ``client``: ``RemoteController``, the ``ShowController`` protocol over the API (for screens)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

API_VERSION = 1
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8460  # the documented default for ``studio run``; ``studio rehearse`` picks any free


@dataclass(frozen=True)
class ControlSettings:
    """Where the control API is to listen (``HOST:PORT`` as given, checked when it starts:
    ``studio.service.launch``) and the token file given, if any."""

    address: str
    token_file: Path | None = None
