"""Operator commands as typed words (``take``, ``nudge +30``, ``overlay live-bug``...) -> actions.

Owns the command words and their checks, for every place a person types them: ``--headless``'s
stdin and a rehearsal's ``--actions FILE``. A bad command is a ``ValueError`` with one line.
"""

from __future__ import annotations

import re
from datetime import datetime

from studio.engine.actions import ACTION_TYPES, Action, Nudge, ToggleOverlay
from studio.engine.validate import nudge_problem


def parse_command(line: str, now: datetime, extra: tuple[str, ...] = ()) -> Action:
    """One operator command typed on stdin: ``take``, ``hold``, ``release``, ``skip``, ``back``,
    ``nudge +30`` (seconds), ``fire``, ``clear``, ``overlay ID``, ``preview``, ``reassert``;
    ``extra`` names the caller's own commands in the error (stdin's ``reconnect``)."""
    words = line.split()
    if not words:
        raise ValueError("empty command")
    name = {"toggle": "toggleoverlay", "overlay": "toggleoverlay",
            "preview": "previewnext"}.get(words[0].lower(), words[0].lower())
    cls = ACTION_TYPES.get(name)
    if cls is None:
        raise ValueError(f"unknown command {words[0]!r}: use " + ", ".join(COMMANDS + extra))
    if cls is Nudge:
        if len(words) != 2 or not re.fullmatch(r"[+-]?[0-9]{1,30}", words[1]):
            raise ValueError("nudge needs seconds, e.g. nudge +30 or nudge -15")
        problem = nudge_problem(int(words[1]))
        if problem is not None:
            raise ValueError(f"nudge {words[1]} refused: {problem}")
        return Nudge(at=now, who="operator", seconds=int(words[1]))
    if cls is ToggleOverlay:
        if len(words) != 2:
            raise ValueError("overlay needs an overlay id, e.g. overlay live-bug")
        return ToggleOverlay(at=now, who="operator", overlay=words[1])
    if len(words) > 1:  # 'skip 3', 'hold 30': doing one plain skip or hold would mislead
        rest = " ".join(words[1:])
        raise ValueError(f"{words[0]} takes nothing after it (got {rest!r}): one {words[0]} a "
                         "line" + (", until release" if name == "hold" else ""))
    return cls(at=now, who="operator")


COMMANDS = ("take", "hold", "release", "skip", "back", "nudge +N|-N", "fire", "clear",
            "overlay ID", "preview", "reassert")
