"""One controller per show and OBS: an exclusive ``flock`` on a file derived from both.

The lock file lives in ``$XDG_RUNTIME_DIR`` (or ``/tmp``) and holds the owner's pid, so a second
``studio run``/``studio serve`` of the same show against the same OBS fails with one clear line
naming the holder. The kernel drops the lock when the process dies (``kill -9`` included).

Owns the lock file and its ``flock`` for the life of the process.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import TextIO


class ShowLocked(Exception):
    """Another process drives this show on this OBS."""


def lock_path(show_path: str | Path, obs_url: str) -> Path:
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or "/tmp")
    key = f"{Path(show_path).resolve()}\n{obs_url}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return base / f"studio-{Path(show_path).stem}-{digest}.lock"


class ShowLock:
    def __init__(self, show_path: str | Path, obs_url: str) -> None:
        self.path = lock_path(show_path, obs_url)
        self.show_path = str(show_path)
        self.obs_url = obs_url
        self._fh: TextIO | None = None

    def acquire(self) -> None:
        fh = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise ShowLocked(
                f"{self.show_path} is already running against {self.obs_url} "
                f"(pid {holder}, lock {self.path}); stop that one first"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> ShowLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
