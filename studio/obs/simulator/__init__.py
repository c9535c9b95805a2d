"""The built-in OBS simulator: an obs-websocket v5 server (rpcVersion 1) with an in-memory OBS.

``Simulator`` runs the server on 127.0.0.1 in a background thread with its own asyncio loop::

    sim = Simulator(password="pw")
    sim.start()                      # sim.url == "ws://127.0.0.1:PORT"
    sim.load_catalogue(catalogue)    # what ``studio provision`` would create
    sim.switch_program_by_hand("Panel")
    sim.snapshot()["program"]
    sim.stop()                       # clients see their sockets drop

It behaves like OBS 29.0.2 with obs-websocket 5.1.0 as measured in tests/obs/test_contract.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from studio.obs.connection import host_port
from studio.obs.simulator.model import GENERAL, ObsModel, Scene
from studio.obs.simulator.requests import Context
from studio.obs.simulator.server import ObsWebSocketServer
from studio.obs.simulator.switcher import Switcher
from studio.show.model import Catalogue

__all__ = ["Simulator"]

T = TypeVar("T")

class Simulator:
    """An in-process obs-websocket v5 server on 127.0.0.1 (see the module docstring)."""

    def __init__(self, *, port: int = 0, password: str = "", frame_ms: float = 33.3,
                 host: str = "127.0.0.1", stream_fails: bool = False,
                 transition_end_gap_ms: float = 1.0, time_scale: float = 1.0) -> None:
        """``frame_ms``: OBS's frame time (a Cut ends on the next frame). ``stream_fails``:
        StartStream fails like an OBS without a stream service (STARTING, then STOPPED).
        ``transition_end_gap_ms``: time from CurrentProgramSceneChanged to
        SceneTransitionEnded (about 1 ms in OBS); changing the transition in that gap
        reproduces the OBS 29.0.2 bug: those two events are never sent again.
        ``time_scale``: transitions and output starts/stops take their time times this (a
        rehearsal at N x passes 1/N; 0 for an instant one, whose clock jumps cue to cue)."""
        self.host = host
        self.port = port
        self.frame_ms = frame_ms
        self._loop = asyncio.new_event_loop()
        self._model = ObsModel(self._emit)
        self._switcher = Switcher(self._model, self._loop, frame_ms, stream_fails=stream_fails,
                                  end_gap_ms=transition_end_gap_ms, time_scale=time_scale)
        self._server = ObsWebSocketServer(self._context, password)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._running = False

    def __repr__(self) -> str:
        return f"Simulator(url={self.url!r}, running={self._running})"

    @property
    def url(self) -> str:
        return f"ws://{host_port(self.host, self.port)}"

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start serving; returns once the port is open (``self.port`` is then set)."""
        with self._lock:
            if self._running:
                return
            if self._loop.is_closed():
                self._loop = asyncio.new_event_loop()
                self._switcher.loop = self._loop
            self._switcher.broken_transition_events = False  # a restart heals the 29.0.2 bug
            ready: concurrent.futures.Future[int] = concurrent.futures.Future()
            self._thread = threading.Thread(
                target=self._run, args=(ready,), name="obs-simulator", daemon=True
            )
            self._thread.start()
            self.port = ready.result(timeout=10)
            self._running = True

    def _run(self, ready: concurrent.futures.Future[int]) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            port = self._loop.run_until_complete(self._server.start(self.host, self.port))
        except BaseException as exc:  # e.g. the port is taken: tell start()
            ready.set_exception(exc)
            self._loop.close()
            return
        ready.set_result(port)
        self._loop.run_forever()
        self._loop.run_until_complete(self._server.stop())
        pending = [t for t in asyncio.all_tasks(self._loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    def stop(self, *, exit_event: bool = False) -> None:
        """Drop every client socket (as when OBS dies) and close the server; idempotent and
        thread-safe. ``exit_event=True`` first sends ExitStarted, as OBS does when it quits."""
        with self._lock:
            if not self._running or self._thread is None:
                return
            if exit_event:
                self._call(lambda: self._server.broadcast("ExitStarted", GENERAL, None))
                asyncio.run_coroutine_threadsafe(self._server.flush(), self._loop).result(5)
            self._running = False
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ internals
    def _context(self) -> Context:
        return Context(self._model, self._switcher)

    def _emit(self, event_type: str, intent: int, data: dict[str, Any] | None) -> None:
        # events go out after the response of the request that caused them
        if not self._loop.is_closed():
            self._loop.call_soon(self._server.broadcast, event_type, intent, data)

    def _call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the simulator's loop (or directly while it is not running)."""
        if not self._running or threading.current_thread() is self._thread:
            return fn()
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return future.result(timeout=10)

    # ------------------------------------------------------------------ for tests and rehearsal
    def snapshot(self) -> dict[str, Any]:
        """A copy of the simulated OBS's state: program, preview, studio_mode, transition,
        scenes, items (per scene: id, source, enabled), inputs (kind, settings), streaming,
        recording, clients (identified sessions)."""

        def take() -> dict[str, Any]:
            snap = self._model.snapshot()
            snap["clients"] = sum(1 for s in self._server.sessions if s.identified)
            return snap

        return self._call(take)

    def switch_program_by_hand(self, scene: str) -> None:
        """Like an operator clicking a scene in OBS: the program changes with the current
        transition and the usual events. Raises KeyError for an unknown scene."""

        def switch() -> None:
            if scene not in self._model.scenes:
                raise KeyError(f"no scene named {scene!r} in the simulator")
            self._switcher.set_program(scene)

        self._call(switch)

    def set_item_visible_by_hand(self, scene: str, source: str, visible: bool) -> None:
        """Like an operator clicking a source's eye icon in OBS."""

        def toggle() -> None:
            sc = self._model.scenes[scene]
            item = next(it for it in sc.items if it.source == source)
            self._model.set_item_enabled(sc, item, visible)

        self._call(toggle)

    def load_catalogue(self, catalogue: Catalogue) -> None:
        """Create what ``studio provision`` creates and is missing: the program scenes, the
        graphics scene nested in each, a hidden text placeholder per overlay in the graphics
        scene, and the lower third (a scene holding its two text inputs, hidden in the graphics
        scene). Idempotent."""
        self._call(lambda: _provision(self._model, catalogue))


def _provision(model: ObsModel, catalogue: Catalogue) -> None:
    """The layout of studio/obs/provision.py, created directly in the model."""

    def scene(name: str) -> Scene:
        return model.scenes.get(name) or model.add_scene(name)

    def item(sc: Scene, source: str, visible: bool) -> None:
        if not any(it.source == source for it in sc.items):
            model.add_item(sc, source, visible)

    def text(sc: Scene, name: str, value: str, visible: bool) -> None:
        if name not in model.inputs and name not in model.scenes:
            model.add_input(name, "text_ft2_source_v2", {"text": value})
        item(sc, name, visible)

    from studio.obs.layout import Canvas, lower_third_parts, overlay_part

    def part(sc: Scene, name: str, kind: str, settings: dict[str, Any], visible: bool) -> None:
        if name not in model.inputs and name not in model.scenes:
            model.add_input(name, kind, settings)
        item(sc, name, visible)

    program_scenes = [scene(name) for name in catalogue.scenes]
    graphics = scene(catalogue.graphics_scene)
    lt = catalogue.lower_third
    lower = scene(lt.source)
    canvas = Canvas(1920, 1080)
    for p in lower_third_parts(catalogue, canvas):
        if p.kind != "text":
            part(lower, p.name, p.kind, p.settings, True)
    text(lower, lt.name_input, "Name", True)
    text(lower, lt.role_input, "Role", True)
    for overlay in catalogue.overlays.values():
        image = overlay_part(overlay, canvas)
        if image is not None:
            part(graphics, image.name, image.kind, image.settings, False)
        else:
            text(graphics, overlay.source, overlay.source, False)
    item(graphics, lower.name, False)
    for sc in program_scenes:
        item(sc, graphics.name, True)
