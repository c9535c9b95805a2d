"""Append-only line files that a failing disk never stops: the as-run log and the journal.

Every line is written whole with ``os.write`` on an ``O_APPEND`` descriptor and fsynced. A write
that fails (ENOSPC, EIO, a read-only remount...) never raises into the caller: the line, and every
line after it, waits in memory, in order; a short write keeps the unwritten tail of its line, so
the file is always a prefix of what it should hold. A maintenance thread retries once a second
and writes the waiting lines as soon as the disk takes them again. While lines wait, ``alarm()``
says so in one line (``as-run: no space left on device: 3 lines waiting``); ``on_change`` is told
when that starts and when it ends.

The file's whole content is also kept in memory, so a file deleted, replaced or emptied while
studio runs is noticed (on the next write or within a second) and written again from memory
(to a temporary file renamed over the path, so a crash meanwhile leaves the old or the new file,
never half of one).

Owns a file's descriptor, the lines waiting for the disk, the file's content in memory and the
maintenance thread (``LineFile``); the as-run writer and the journal each own one.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

RETRY_S = 1.0  # waiting lines are retried, and the file's presence checked, this often

Notify = Callable[[str, bool], None]  # (text, is_alarm): an alarm starts, or it is over / a note


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class LineFile:
    """Thread-safe. ``label`` names the file in alarms ("as-run", "journal")."""

    def __init__(self, path: Path, label: str, *, on_change: Notify | None = None) -> None:
        self.path = path
        self.label = label
        self.on_change = on_change
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        existing = path.read_bytes()
        self._content: list[bytes] = [existing] if existing else []  # what the file must hold
        self._size = len(existing)  # bytes this descriptor's file holds of it
        self._waiting: deque[bytes] = deque()
        self._waiting_lines = 0
        self._error: str | None = None  # the write error while lines wait
        self._closed = False
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._maintain, name=f"studio-{label}-writer",
                                        daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ the caller's side
    def write(self, *lines: str, fsync: bool = True) -> None:
        """Append lines (without their newlines), fsynced once. Never raises for an I/O
        error. ``fsync=False`` for a line whose loss in a crash does no harm."""
        notes: list[tuple[str, bool]] = []
        with self._lock:
            if self._closed:
                return
            for line in lines:
                data = (line + "\n").encode("utf-8")
                self._content.append(data)
                self._waiting.append(data)
                self._waiting_lines += 1
            if self._check(notes):
                self._drain(notes, fsync=fsync)
        self._tell(notes)

    def alarm(self) -> str | None:
        """One line while lines wait to be written, else None."""
        with self._lock:
            if self._error is None:
                return None
            return f"{self.label}: {self._error}: {_plural(self._waiting_lines, 'line')} waiting"

    @property
    def waiting(self) -> int:
        with self._lock:
            return self._waiting_lines

    def wait_written(self, timeout: float) -> bool:
        """Wait (on a condition) until no line waits; False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._waiting:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def retry(self) -> None:
        """Check the file is still there and write what waits (the maintenance thread's work)."""
        notes: list[tuple[str, bool]] = []
        with self._lock:
            if self._closed:
                return
            if self._check(notes):
                self._drain(notes)
        self._tell(notes)

    def close(self) -> None:
        """A last try at what waits, then close; lines that still wait are said (and lost)."""
        self.retry()
        notes: list[tuple[str, bool]] = []
        with self._lock:
            if self._closed:
                return
            self._closed = True
            os.close(self._fd)
            if self._waiting_lines:
                notes.append((f"{self.label}: {_plural(self._waiting_lines, 'line')} could not "
                              f"be written before studio stopped ({self._error}): {self.path} "
                              "lacks them", True))
        self._wake.set()
        self._tell(notes)

    # ------------------------------------------------------------------ inside the lock
    def _drain(self, notes: list[tuple[str, bool]], *, fsync: bool = True) -> None:
        wrote = False
        while self._waiting:
            buf = self._waiting[0]
            try:
                n = os.write(self._fd, buf)
            except OSError as exc:
                self._failed(exc, notes)
                return
            wrote = wrote or n > 0
            self._size += n
            if n < len(buf):
                self._waiting[0] = buf[n:]  # the rest of this line goes first next time
                continue
            self._waiting.popleft()
            self._waiting_lines -= 1
        if wrote and fsync:
            try:
                os.fsync(self._fd)
            except OSError as exc:
                self._failed(exc, notes, fsync=True)
                return
        if self._error is not None:
            notes.append((f"{self.label}: writing again: every waiting line is on disk, in "
                          f"order ({self.path})", False))
            self._error = None
        self._idle.notify_all()

    def _failed(self, exc: OSError, notes: list[tuple[str, bool]], *, fsync: bool = False
                ) -> None:
        reason = (exc.strerror or type(exc).__name__).lower()
        if fsync:
            reason = f"fsync failed: {reason}"
        if self._error is None:
            self._error = reason
            waiting = _plural(self._waiting_lines, "line")
            notes.append((f"{self.label}: {reason}: {waiting} waiting ({self.path}); kept in "
                          "memory and written once the disk takes them", True))
        self._error = reason

    def _check(self, notes: list[tuple[str, bool]]) -> bool:
        """The file deleted, replaced or cut short behind studio's back: write it again.
        False while that cannot be done (then nothing may go to the old descriptor)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            what = "deleted"
        except OSError:
            return True  # cannot tell: carry on with the descriptor
        else:
            fst = os.fstat(self._fd)
            if (st.st_dev, st.st_ino) != (fst.st_dev, fst.st_ino):
                what = "replaced"
            elif fst.st_size < self._size:
                what = "emptied" if fst.st_size == 0 else "cut short"
            else:
                return True
        data = b"".join(self._content)
        tmp = self.path.with_name(self.path.name + ".rewrite")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
            newfd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            if self._error is None:
                notes.append((f"{self.label}: {self.path} was {what} while running and cannot "
                              f"be written again yet ({(exc.strerror or str(exc)).lower()}); "
                              "its lines are kept in memory", True))
            self._error = f"{self.path} was {what}"
            return False
        os.close(self._fd)
        self._fd = newfd
        self._size = len(data)
        self._waiting.clear()  # everything, waiting lines included, is in the new file
        self._waiting_lines = 0
        notes.append((f"{self.label}: {self.path} was {what} while running: written again "
                      f"from memory ({len(data)} bytes)", True))
        self._error = None
        self._idle.notify_all()
        return True

    # ------------------------------------------------------------------ outside the lock
    def _tell(self, notes: list[tuple[str, bool]]) -> None:
        if self.on_change is None:
            return
        for text, alarm in notes:
            with contextlib.suppress(Exception):  # a listener's trouble is not the file's
                self.on_change(text, alarm)

    def _maintain(self) -> None:
        while not self._wake.wait(RETRY_S):
            self.retry()
