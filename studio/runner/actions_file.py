"""``--actions FILE``: an operator's actions at set times of the show's day, for a rehearsal.

One action a line, ``HH:MM[:SS][+HH[:MM]] [+Nd] COMMAND [ARG]`` (the offset only to say which
of the autumn's repeated hour is meant), the commands of ``studio run --headless`` (take, hold,
release, skip, back, nudge +N|-N, fire, clear, overlay ID, preview, reassert); ``#`` starts a
comment, blank lines are skipped. Every problem is reported as ``FILE:LINE:COL: error:
MESSAGE``, all of them at once; a nudge that would bring the file's nudges together past their
bound is reported at its line too (taken in time order, as the rehearsal applies them).

Owns no state: a file's text -> the actions, checked (``runner/instant.py`` feeds them).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from studio.engine.actions import Action, Nudge, ToggleOverlay
from studio.engine.timeline import Timeline
from studio.engine.timeline import compile as compile_timeline
from studio.engine.validate import action_problem, nudge_total_problem
from studio.runner.commands import parse_command
from studio.show.diagnostics import Diagnostic, ShowError
from studio.show.model import Show
from studio.show.timing import show_time

_TIME = re.compile(r"(\d{1,2}:\d{2}(?::\d{2})?)([+-]\d{2}(?::?\d{2})?)?(\s+\+\d+d)?")


def parse_actions(text: str, path: str, show: Show, start: datetime) -> list[Action]:
    actions: list[Action] = []
    errors: list[Diagnostic] = []
    timeline: Timeline | None = None  # compiled at the first action: its overlays, its zone
    nudges: list[tuple[datetime, int, int, Nudge]] = []  # (at, line, column, nudge)

    def error(line: int, col: int, message: str) -> None:
        errors.append(Diagnostic(path, line, col, "error", message))

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        body = line.lstrip()
        if not body:
            continue
        col = len(line) - len(body) + 1
        m = _TIME.match(body)
        if m is None or (m.end() < len(body) and not body[m.end()].isspace()):
            error(n, col, f"expected a time of day first "
                          f"(HH:MM or HH:MM:SS), got {body.split()[0]!r}")
            continue
        try:
            at = show_time(show, m.group(0).strip())
        except ValueError as exc:
            error(n, col, f"{exc}")
            continue
        rest = body[m.end():]
        cmd_col = col + m.end() + len(rest) - len(rest.lstrip())
        if not rest.strip():
            error(n, cmd_col, "a command must follow the time, "
                          "e.g. 10:20 hold")
            continue
        try:
            action = parse_command(rest, at)
        except ValueError as exc:
            error(n, cmd_col, f"{exc}")
            continue
        if timeline is None:
            timeline = compile_timeline(show)
        problem = action_problem(action, timeline)  # what the controller would refuse by itself
        if problem is not None:
            command = rest.strip()
            arg_col = cmd_col + len(command) - len(command.split(None, 1)[-1])
            error(n, arg_col if isinstance(action, ToggleOverlay) else cmd_col, problem)
            continue
        if at < start:
            error(n, col, f"{at:%H:%M:%S} is before the rehearsal "
                          f"starts ({start:%H:%M:%S}); use --from to start earlier")
            continue
        if isinstance(action, Nudge):
            nudges.append((at, n, cmd_col, action))
        actions.append(action)
    taken: list[Action] = []  # what the controller would refuse for the total, in its order
    for _, n, col, nudge in sorted(nudges, key=lambda x: (x[0], x[1])):
        problem = nudge_total_problem(taken, nudge.seconds)
        if problem is None:
            taken.append(nudge)
        else:
            error(n, col, problem)
    if errors:
        raise ShowError(sorted(errors, key=lambda d: d.line))
    return actions


def load_actions(path: str | Path, show: Show, start: datetime) -> list[Action]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ShowError([Diagnostic(str(p), 1, 1, "error", "not a UTF-8 text file")]) from None
    return parse_actions(text, str(p), show, start)
