"""Putting a controller together for ``studio run`` and ``studio rehearse``.

Owns no state: it builds the journal, as-run writer and controller (with the real gateway,
``studio.runner.ports.gateway_factory``) from typed settings, and names the files a show's
run writes by default.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

from studio.clock import Clock
from studio.engine.replay import timeline_digest
from studio.engine.timeline import compile as compile_timeline
from studio.obs.connection import ObsConnectionSettings
from studio.runner.asrun import AsRunWriter
from studio.runner.controller import Controller
from studio.runner.journal import Journal
from studio.runner.ports import gateway_factory
from studio.show.model import Show

ASRUN_DIR = Path("as-run")


def show_identity(show: Show, path: str | Path) -> dict[str, Any]:
    """Which show a journal belongs to (``id``: path, title, date) and the digest of its
    timeline now (``timeline``: each journalled action is stamped with it, so a restart onto an
    edited file replays the actions by segment, ``studio.engine.replay``)."""
    resolved = str(Path(path).resolve())
    digest = hashlib.sha256(f"{resolved}\n{show.title}\n{show.date}".encode()).hexdigest()[:16]
    return {"id": digest, "title": show.title, "date": str(show.date), "path": resolved,
            "timeline": timeline_digest(compile_timeline(show))}


def default_asrun(path: str | Path, *, rehearsal: bool) -> Path:
    stem = Path(path).stem
    return ASRUN_DIR / (f"{stem}.rehearsal.jsonl" if rehearsal else f"{stem}.asrun.jsonl")


def default_journal(path: str | Path) -> Path:
    return ASRUN_DIR / f"{Path(path).stem}.journal.jsonl"


def build_controller(
    show: Show,
    show_path: str | Path,
    clock: Clock,
    settings: ObsConnectionSettings,
    *,
    asrun_path: Path | None,
    journal_path: Path | None,
    rehearsal: bool,
    on_log: Any = None,
    auto_take: bool = False,
    send_ahead: bool = True,
    scheduler_factory: Any = None,
) -> Controller:
    journal = (Journal(journal_path, show_id=show_identity(show, show_path))
               if journal_path is not None else None)
    asrun = AsRunWriter(asrun_path) if asrun_path is not None else None
    controller = Controller(
        show, clock, gateway_factory(settings), journal=journal, asrun=asrun,
        rehearsal=rehearsal, on_log=on_log, auto_take=auto_take,
        obs_address=(settings.host, settings.port), send_ahead=send_ahead,
        **({} if scheduler_factory is None else {"scheduler_factory": scheduler_factory}),
    )
    controller.on_death = lambda text: exit_at_once(controller, text)
    return controller


EXIT_CONTROLLER_DIED = 70


def exit_at_once(controller: Controller, text: str) -> None:
    """The controller's thread died: a process that would sit there sending nothing is worse
    than none (systemd's ``Restart=on-failure`` brings studio back, resuming from its journal).
    What waits to be written gets a last try; then exit non-zero, now, from any thread."""
    with contextlib.suppress(Exception):
        controller.sender.close()
    with contextlib.suppress(Exception):
        if controller.journal is not None:
            controller.journal.close()
    with contextlib.suppress(OSError):
        os.write(2, f"studio: {text}; exiting (status {EXIT_CONTROLLER_DIED})\n".encode())
    os._exit(EXIT_CONTROLLER_DIED)
