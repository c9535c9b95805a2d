"""One controller per show and OBS: an exclusive ``flock`` on a file derived from both.

The lock file lives in ``/run/lock`` (or ``/tmp`` where there is none), the same folder whatever
the environment says (a systemd unit has no ``$XDG_RUNTIME_DIR``, a login shell on the same
machine has one: they must meet), and holds the owner's pid, so a second ``studio run``/``studio
serve`` of the same show against the same OBS fails with one clear line naming the holder. A lock
file another user left behind is locked read-only (``flock`` needs no write access). The kernel
drops the lock when the process dies (``kill -9`` included); a clean exit also removes the file.

The show is one file however it is reached, so it takes two locks, both with the OBS endpoint:
one keyed on the file's real path (symlinks and ``..`` resolved; an editor that saves by writing
a new file over the name changes the inode, not the path) and one keyed on its device and inode
(two hard links or a bind mount are two paths to one file); either held means the show runs.
The OBS endpoint is keyed as resolved, not as spelled: ``ws://localhost:P``, ``ws://127.0.0.1:P/``, ``ws://[::1]:P``,
``ws://LOCALHOST:P``, ``127.0.0.2:P`` or this machine's own address all name the same OBS
(obs-websocket listens on every interface), so they are one lock; another host name is
resolved to its addresses.

Two different shows on one OBS would fight over it cue by cue (each putting its own look back,
a thousand times in ten seconds), so a show that drives an OBS also holds that OBS's own lock
(``ObsLock``, keyed on the endpoint alone): another show is refused while it is held, naming the
show that holds it. A show started long before it goes on air (each day's unit of a week started
at boot) takes it only when its time comes (``studio.runner.drive``).

Owns the lock files and their ``flock`` for the life of the process.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import ipaddress
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


class ShowLocked(Exception):
    """Another process drives this show on this OBS."""


def _is_this_machine(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.is_loopback or ip.is_unspecified:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _is_this_machine(str(ip.ipv4_mapped))
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, 0))  # only an address of this machine can be bound
        except OSError:
            return False
    return True


def obs_endpoint(obs_url: str) -> str:
    """The OBS an address means, the same text for every spelling: ``local:PORT`` for this
    machine, else ``ADDR[,ADDR...]:PORT`` of what the host name resolves to (the lower-cased
    name itself when it does not resolve)."""
    from studio.obs.connection import ConnectionConfigError, host_port, parse_obs_url

    try:
        host, port = parse_obs_url(obs_url)
    except ConnectionConfigError:
        return obs_url.strip()
    host = host.lower().rstrip(".")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return host_port(host, port)
    addresses = sorted({str(info[4][0]) for info in infos})
    try:
        if addresses and any(_is_this_machine(a) for a in addresses):
            return f"local:{port}"
    except ValueError:
        pass
    if not addresses:
        return host_port(host, port)
    # an IPv6 address in brackets, as in a URL: ``[2001:db8::7]:4455``
    return f"{','.join(f'[{a}]' if ':' in a else a for a in addresses)}:{port}"


LOCK_DIRS = (Path("/run/lock"), Path("/tmp"))


def _lock_dir() -> Path:
    """The first of ``LOCK_DIRS`` there is: never one that depends on who asks, or from where."""
    for folder in LOCK_DIRS:
        if folder.is_dir():
            return folder
    return LOCK_DIRS[-1]


def _lock_file(key: str, stem: str) -> Path:
    base = _lock_dir()
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return base / f"studio-{stem}-{digest}.lock"


def lock_path(show_path: str | Path, obs_url: str) -> Path:
    """The lock of this show (by its real path) on this OBS."""
    return _path_lock(show_path, obs_endpoint(obs_url))


def _path_lock(show_path: str | Path, key: str) -> Path:
    real = Path(show_path).resolve()
    return _lock_file(f"{real}\n{key}", real.stem)


def _file_lock(show_path: str | Path, key: str) -> Path | None:
    """The lock of this show file (by device and inode, whatever its name) on ``key``; None
    when the file cannot be read (then the real path is all there is)."""
    try:
        st = os.stat(show_path)
    except OSError:
        return None
    return _lock_file(f"file {st.st_dev}:{st.st_ino}\n{key}", "file")


class ShowLock:
    """The show's two locks on one target: an OBS (``on_obs``) or, for a rehearsal on the
    built-in simulator, its predicted as-run (``on_simulator``: two such rehearsals would
    write one file, each emptying it as it starts)."""

    def __init__(self, show_path: str | Path, key: str, target: str) -> None:
        self.path = _path_lock(show_path, key)
        self.file_path = _file_lock(show_path, key)
        self.show_path = str(show_path)
        self.target = target  # what the refusal names
        self._held: list[_HeldFile] = []

    @classmethod
    def on_obs(cls, show_path: str | Path, obs_url: str) -> ShowLock:
        return cls(show_path, obs_endpoint(obs_url), obs_url)

    @classmethod
    def on_simulator(cls, show_path: str | Path, asrun: Path) -> ShowLock:
        text = f"the built-in simulator, as-run {asrun.resolve()}"
        return cls(show_path, text, text)

    def acquire(self) -> None:
        paths = [self.path] + ([self.file_path] if self.file_path is not None else [])
        try:
            for path in paths:
                self._held.append(_HeldFile.take(path, self.show_path, self._same_show))
        except ShowLocked:
            self.release()
            raise

    def _same_show(self, pid: str, other: str, path: Path) -> str:
        return (f"{self.show_path} is already running against {self.target} "
                f"(pid {pid}, lock {path}); stop that one first")

    def release(self) -> None:
        while self._held:
            self._held.pop().release()

    def __enter__(self) -> ShowLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class ObsLock:
    """The OBS's own lock: held by the one show that drives it, whatever its file."""

    def __init__(self, show_path: str | Path, obs_url: str) -> None:
        self.path = _lock_file(f"obs\n{obs_endpoint(obs_url)}", "obs")
        self.show_path = str(show_path)
        self.target = obs_url
        self._held: _HeldFile | None = None

    @property
    def held(self) -> bool:
        return self._held is not None

    def try_acquire(self) -> str | None:
        """Take it (or keep it); else the one line naming the show that drives that OBS."""
        if self._held is None:
            try:
                self._held = _HeldFile.take(self.path, self.show_path, self._refusal)
            except ShowLocked as exc:
                return str(exc)
        return None

    def _refusal(self, pid: str, other: str, path: Path) -> str:
        return (f"{self.show_path} cannot drive {self.target}: another show, "
                f"{other or 'unknown'} (pid {pid}), drives it (lock {path}); two shows on one "
                "OBS would fight cue by cue: stop that one first")

    def release(self) -> None:
        if self._held is not None:
            self._held.release()
            self._held = None


def _open(path: Path) -> TextIO:
    """The lock file, made readable and writable by every user (one show is one lock, whoever
    runs it); read-only when another user's file refuses writing."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
    except PermissionError:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise ShowLocked(f"cannot open the show's lock {path}: {exc.strerror}") from None
        return os.fdopen(fd, "r", encoding="utf-8")
    except OSError as exc:
        raise ShowLocked(f"cannot open the show's lock {path}: {exc.strerror}") from None
    if os.fstat(fd).st_uid == os.geteuid():
        os.fchmod(fd, 0o666)  # whatever the umask: the next user must be able to take it
    return os.fdopen(fd, "a+", encoding="utf-8")


class _HeldFile:
    """One lock file, ``flock``ed, holding our pid."""

    def __init__(self, path: Path, fh: TextIO) -> None:
        self.path = path
        self._fh: TextIO | None = fh

    @classmethod
    def take(cls, path: Path, show_path: str,
             refusal: Callable[[str, str, Path], str]) -> _HeldFile:
        """Lock ``path``, writing our pid and ``show_path`` into it; held by another process:
        ``ShowLocked(refusal(its pid, its show, path))``."""
        while True:
            fh = _open(path)
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.seek(0)
                lines = fh.read().splitlines()
                fh.close()
                pid = lines[0].strip() if lines and lines[0].strip() else "unknown"
                other = lines[1].strip() if len(lines) > 1 else ""
                raise ShowLocked(refusal(pid, other, path)) from None
            # the holder before us may have removed the file between our open and our lock:
            # then we hold a lock on a file nobody else can find; open the new one instead
            try:
                same = os.stat(path).st_ino == os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            fh.close()
        if fh.writable():  # (a file another user left: locked, but it keeps their text)
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n{Path(show_path).resolve()}\n")
            fh.flush()
        return cls(path, fh)

    def release(self) -> None:
        if self._fh is not None:
            # still locked: nobody can take it between the unlink and the close
            with contextlib.suppress(PermissionError):  # another user's, in a sticky folder
                self.path.unlink(missing_ok=True)
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
