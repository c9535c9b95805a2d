"""Commands OBS keeps refusing: retried with backoff and reported once, not once per cue.

An OBS restarted empty (no graphics scene, no overlays) refuses every overlay command. Without
this the diff asked for them again on every cue and every OBS event, each a failed line. Here a
refused command is withheld until its next try (1 s, 2 s, 5 s, 10 s, then every 30 s; the
controller wakes up for it), one alarm names the fix (``studio provision``) when OBS begins to
refuse (not again while it goes on refusing; only when OBS answered that something is missing,
code 600: a timeout or a lost connection is no refusal at all), and one line says when OBS
takes them all again.
OBS's scenes or items changing (``studio provision`` at work) brings the retry forward and
restarts the backoff. A command is its kind and target (``overlay Clock on``), not its reason.
Stream and record starts and stops are not handled here: they are at most once anyway. A
reconnect starts afresh (OBS may have been provisioned meanwhile).

Owns the refused commands, each with its backoff and next try, and whether the alarm is up
(``Refusals``, held by the tracker). Pure bookkeeping on the controller's thread; times are
``time.monotonic()`` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from studio.engine.state import Command, CommandResult, SetRecording, SetStreaming

BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0)  # waits after the 1st, 2nd, ... refusal in a row
MISSING = 600  # obs-websocket's ResourceNotFound: the one answer that points at provisioning
STRUCTURE_SETTLE_S = 0.5  # after OBS's scenes changed: retry this soon (not on every event)


@dataclass
class _Refused:
    failures: int
    next_at: float
    comment: str


def command_key(command: Command) -> Command:
    return replace(command, reason="")


def describe(command: Command) -> str:
    """The command as the operator reads it: its reason up to the colon (``overlay Clock on``)."""
    return command.reason.split(":", 1)[0] or type(command).__name__


class Refusals:
    def __init__(self) -> None:
        self._refused: dict[Command, _Refused] = {}
        # OBS has refused since the last time it took everything it was sent: one alarm at the
        # start of such an episode, one line at its end (a command the show stopped asking for
        # ends nothing)
        self.episode = False

    def clear(self) -> None:
        self._refused.clear()
        self.episode = False

    def __len__(self) -> int:
        return len(self._refused)

    def split(self, commands: list[Command], now: float) -> tuple[list[Command], list[Command]]:
        """(to send now, withheld until their next try). A refused command the show no
        longer asks for is forgotten once its retry is due (so nothing wakes up for it)."""
        send: list[Command] = []
        held: list[Command] = []
        wanted = set()
        for c in commands:
            key = command_key(c)
            wanted.add(key)
            entry = self._refused.get(key)
            (held if entry is not None and now < entry.next_at else send).append(c)
        for key in [k for k, e in self._refused.items() if k not in wanted and e.next_at <= now]:
            del self._refused[key]
        return send, held

    def structure_changed(self, now: float) -> None:
        """OBS's scenes or items changed (``studio provision`` running, say): what it refused
        may work now. Retry soon, and the backoff starts again from its first step."""
        for entry in self._refused.values():
            entry.failures = 0
            entry.next_at = min(entry.next_at, now + STRUCTURE_SETTLE_S)

    def next_retry(self) -> float | None:
        return min((e.next_at for e in self._refused.values()), default=None)

    def retry_in(self, command: Command, now: float) -> float:
        entry = self._refused.get(command_key(command))
        return 0.0 if entry is None else max(0.0, entry.next_at - now)

    def record(self, results: list[CommandResult], now: float
               ) -> tuple[list[CommandResult], list[Command], list[Command]]:
        """Fold in what OBS answered: (newly refused, refused again, accepted again).
        ``episode`` tells whether OBS still refuses anything."""
        new: list[CommandResult] = []
        again: list[Command] = []
        healed: list[Command] = []
        for r in results:
            if isinstance(r.command, SetStreaming | SetRecording):
                continue
            if not r.ok and r.code is None:
                continue  # no answer from OBS (a timeout, a lost connection): no refusal
            key = command_key(r.command)
            entry = self._refused.get(key)
            if r.ok:
                if entry is not None:
                    del self._refused[key]
                    healed.append(r.command)
                continue
            comment = r.comment or (f"code {r.code}" if r.code is not None else "refused")
            if entry is None:
                new.append(r)
                entry = self._refused[key] = _Refused(0, now, comment)
            else:
                again.append(r.command)
            entry.failures += 1
            entry.comment = comment
            entry.next_at = now + BACKOFF_S[min(entry.failures, len(BACKOFF_S)) - 1]
        if self._refused:
            self.episode = True
        elif any(r.ok for r in results):
            self.episode = False
        return new, again, healed


def alarm_text(new: list[CommandResult], next_in: float) -> str:
    """One line for the commands OBS has just begun to refuse, naming the fix."""
    names = [describe(r.command) for r in new]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    why = new[0].comment or (f"code {new[0].code}" if new[0].code is not None else "refused")
    retry = (f"studio retries with backoff (next in {next_in:.0f} s, then up to every "
             f"{BACKOFF_S[-1]:.0f} s)")
    if all(r.code != MISSING for r in new):  # OBS refuses, but says nothing is missing
        return f"OBS refuses {shown} ({why}, code {new[0].code}); {retry}"
    return (f"OBS refuses {shown} ({why}): is this OBS provisioned? `studio provision "
            f"CATALOGUE --obs URL` creates what the show's catalogue names; {retry}")
