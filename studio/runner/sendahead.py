"""Send-ahead (latency compensation): send a cue as much before its instant as OBS takes to answer.

OBS does not answer a program switch at once: obs-websocket hands it to OBS's UI thread, which
switches, then rebuilds its Sources dock for the new scene before it replies. On the project's
headless OBS that is 4-6 ms (median) for a scene holding one item, more for fuller scenes; a
serious playout system compensates such a known device latency instead of being late by it.

``SendAhead`` keeps OBS's recent answer times, apart for cues that change the program scene
(slow: the UI work above) and cues that only touch graphics (fast), and answers how far ahead to
send the next cue of each kind: the slowest of the last ``WINDOW`` answers, so OBS's reply lands
on the scheduled instant or just before it unless OBS is slower than it has lately been. Never
more than ``CAP_MS`` (under one frame even at 60 fps), and nothing before OBS has answered a cue
of that kind once (the day's first switch goes out at its instant). The switch itself happens
as OBS starts on the request, so a scene goes on air at most ``CAP_MS`` before its time.

Pure: no clock, no I/O; the controller feeds it and asks it.

Owns OBS's recent answer times, per kind of cue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Literal

from studio.engine.state import Command, SetProgramScene, TriggerTransition

Kind = Literal["switch", "graphics"]
WINDOW = 20
MIN_SAMPLES = 1
CAP_MS = 15.0
QUANTILE = 1.0  # of the window: its slowest (0.9 missed OBS's tail in bench/cue_timing.py)


def kind_of(commands: Iterable[Command]) -> Kind:
    """"switch" when the commands change the program scene, else "graphics"."""
    switch = any(isinstance(c, SetProgramScene | TriggerTransition) for c in commands)
    return "switch" if switch else "graphics"


class SendAhead:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._answers: dict[Kind, deque[float]] = {
            "switch": deque(maxlen=WINDOW), "graphics": deque(maxlen=WINDOW),
        }

    def record(self, kind: Kind, answer_ms: float) -> None:
        """OBS answered a cue of this kind in ``answer_ms`` (sent until all replies were in)."""
        if answer_ms >= 0:
            self._answers[kind].append(answer_ms)

    def lead_ms(self, kind: Kind) -> float:
        """How many milliseconds before its instant to send the next cue of this kind."""
        answers = self._answers[kind]
        if not self.enabled or len(answers) < MIN_SAMPLES:
            return 0.0
        ordered = sorted(answers)
        value = ordered[min(len(ordered) - 1, int(QUANTILE * len(ordered)))]
        return round(min(CAP_MS, max(0.0, value)), 2)
