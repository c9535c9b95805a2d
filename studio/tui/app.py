"""The operator's terminal: composes the widgets, routes keys to controller actions and
controller notifications to the widgets. No show logic: every time and status comes from the
controller's projection.

``StudioApp(controller).run()`` runs it; ``run_refused(message)`` shows why this process controls
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from studio.engine.actions import (
    Action,
    Back,
    Clear,
    ClearMessage,
    Fire,
    Hold,
    Nudge,
    PreviewNext,
    Reassert,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.actions import Message as SpeakerMessage
from studio.engine.projection import Projection
from studio.runner.api import ShowController
from studio.runner.expect import acted_on, moved_on
from studio.tui.screens.confirm import ConfirmScreen
from studio.tui.screens.detach import DetachScreen
from studio.tui.screens.help import HelpScreen
from studio.tui.screens.message import MessageScreen
from studio.tui.screens.overlay_picker import OverlayPicker
from studio.tui.screens.refused import RefusedApp
from studio.tui.widgets.alerts import AlertBar
from studio.tui.widgets.graphics import GraphicsPanel
from studio.tui.widgets.header import HeaderBar
from studio.tui.widgets.log import LogPanel
from studio.tui.widgets.next_up import NextPanel
from studio.tui.widgets.on_air import OnAirPanel
from studio.tui.widgets.rundown import RundownTable

NUDGE_SECONDS = 30  # one + / - press moves the soft schedule this much
REDRAW_HZ = 5.0  # the screen's refresh rate besides the controller's notifications


class ControllerChanged(Message):
    """The controller has news (posted from any thread)."""


class StudioApp(App[int]):
    CSS_PATH = "studio.tcss"
    ENABLE_COMMAND_PALETTE = False
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "take", "TAKE", key_display="␣"),
        Binding("h", "hold", "HOLD"),
        Binding("s", "skip", "SKIP"),
        Binding("b", "go_back", "BACK"),
        Binding("l", "fire", "FIRE"),
        Binding("c", "clear", "CLEAR"),
        Binding("o", "overlay", "OVERLAY"),
        Binding(
            "plus,equals_sign", f"nudge({NUDGE_SECONDS})", f"+{NUDGE_SECONDS}s", key_display="+"
        ),
        Binding("minus", f"nudge(-{NUDGE_SECONDS})", f"-{NUDGE_SECONDS}s", key_display="-"),
        # in the help screen, not the footer: at 80 columns the footer has room for no more
        Binding("p", "preview", "PREVIEW", show=False),
        Binding("r", "reconnect", "RECONNECT", show=False),
        Binding("a", "reassert", "REASSERT", show=False),
        Binding("m", "message", "MESSAGE", show=False),
        Binding("question_mark", "help", "HELP", key_display="?"),
        Binding("q", "quit_show", "QUIT"),
        # Textual's own ctrl+q quits at once: here it asks like q while a segment is on air
        Binding("ctrl+q", "quit_show", show=False, priority=True),
    ]

    def __init__(self, controller: ShowController, *, redraw_hz: float = REDRAW_HZ) -> None:
        super().__init__()
        self.controller = controller
        self.redraw_hz = redraw_hz
        self.title = f"studio · {controller.show.title}"
        self._timer: Timer | None = None
        self._pending = False  # a ControllerChanged is queued: don't queue another
        self._projection: Projection | None = None
        self.redraws = 0
        self.quit_choice = "quit"  # attached screens: "detach" or "stop"
        # open dialogs and what they ask about: (the action, the segment it acts on as shown)
        self._asking: dict[Screen[Any], tuple[type[Action], str | None]] = {}

    # ------------------------------------------------------------------ layout and refresh

    def compose(self) -> ComposeResult:
        show = self.controller.show
        tz = ZoneInfo(show.timezone)  # times in the repeated hour of a fall-back night: +02/+01
        yield HeaderBar(show.title, show.date, tz=tz, id="header")
        with Horizontal(id="top"):
            yield OnAirPanel(id="on-air")
            yield NextPanel(show.date, tz=tz, id="next")
        yield AlertBar(id="alerts")
        yield RundownTable(show.date, tz=tz, id="rundown")
        with Horizontal(id="bottom"):
            yield GraphicsPanel(id="graphics")
            yield LogPanel(tz=tz, id="log")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # the widgets, found once: redraw runs 5 times a second, also under a dialog
        self._header_bar = self.query_one(HeaderBar)
        self._on_air = self.query_one(OnAirPanel)
        self._next = self.query_one(NextPanel)
        self._alerts = self.query_one(AlertBar)
        self._rundown = self.query_one(RundownTable)
        self._graphics = self.query_one(GraphicsPanel)
        self._log_panel = self.query_one(LogPanel)
        self.redraw()
        self.controller.subscribe(self._controller_changed)
        self._timer = self.set_interval(1.0 / self.redraw_hz, self.redraw)

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _controller_changed(self) -> None:
        """Listener for the controller: may run on any thread, so it only posts a message."""
        if not self._pending:
            self._pending = True
            self.post_message(ControllerChanged())

    def on_controller_changed(self, _: ControllerChanged) -> None:
        self._pending = False
        self.redraw()

    def redraw(self) -> None:
        """One refresh: read the controller, hand each widget its part; widgets write only
        what changed."""
        if not self.is_running:
            return
        projection = self.controller.projection()
        status = self.controller.status()
        self._projection = projection
        self._close_stale_dialogs(projection)
        title = self.controller.show.title  # an attached screen's show is its service's
        self._header_bar.retitle(title)
        self.title = f"studio · {title}"
        self._header_bar.show(self.controller.clock.now(), status)
        self._on_air.show(projection)
        self._next.show(projection)
        self._alerts.show(projection, status)
        current = projection.on_air.segment_id if projection.on_air else None
        if current is None and projection.next is not None:
            current = projection.next.segment_id
        if current is None and projection.ended and projection.rundown:
            current = projection.rundown[-1].segment_id
        self._rundown.show(projection.rundown, current)
        self._graphics.show(projection)
        self._log_panel.show(self.controller.recent_log(50))
        self.redraws += 1

    # ------------------------------------------------------------------ actions

    def _shown(self) -> Projection:
        """What the screen shows now: a key acts on that, not on news it has not drawn yet."""
        return self._projection if self._projection is not None else self.controller.projection()

    def _submit(self, cls: type[Action], expect: str | None = None, /, **fields: Any) -> None:
        """Submit ``cls``; it acts on ``expect`` (the segment shown when the key was pressed;
        by default the one shown now): if the show has moved on by its turn, nothing is done."""
        if expect is None and cls not in (SpeakerMessage, ClearMessage):  # for no segment
            expect = acted_on(cls, self._shown())
        self.controller.submit(cls(at=self.controller.clock.now(), **fields), expect)
        self.redraw()

    def _ask(self, screen: Screen[Any], cls: type[Action],
             then: Callable[[Any], None]) -> None:
        """Open a dialog about ``cls`` on what is shown now; it closes by itself, nothing done,
        if the segment it asks about changes while it is open."""
        self._asking[screen] = (cls, acted_on(cls, self._shown()))

        def answered(result: Any) -> None:
            self._asking.pop(screen, None)
            then(result)

        self.push_screen(screen, answered)

    def _close_stale_dialogs(self, projection: Projection) -> None:
        for screen, (cls, seen) in list(self._asking.items()):
            if acted_on(cls, projection) == seen or self.screen is not screen:
                continue
            del self._asking[screen]
            why = moved_on(cls(at=projection.now), seen, projection)
            screen.dismiss(None)
            self.notify(f"{why} (the question is closed)", severity="warning", timeout=10)

    def action_take(self) -> None:
        projection = self._shown()
        stops = _stops_output(self.controller, projection)
        if stops:
            expect = acted_on(Take, projection)
            self._ask(
                ConfirmScreen(f"TAKE '{projection.next.title if projection.next else ''}' "
                              f"{stops}. Go?"), Take,
                lambda yes: self._submit(Take, expect) if yes else None,
            )
            return
        self._submit(Take)

    def action_hold(self) -> None:
        on_air = self._shown().on_air
        self._submit(Release if on_air is not None and on_air.held else Hold)

    def action_skip(self) -> None:
        self._submit(Skip)

    def action_go_back(self) -> None:
        on_air = self._shown().on_air
        now = f" ('{on_air.title}' is on air now)" if on_air else ""
        expect = acted_on(Back, self._shown())
        self._ask(
            ConfirmScreen(f"BACK: put the previous segment on air again{now}?"), Back,
            lambda yes: self._submit(Back, expect) if yes else None,
        )

    def action_fire(self) -> None:
        self._submit(Fire)

    def action_clear(self) -> None:
        self._submit(Clear)

    def action_overlay(self) -> None:
        overlays = list(self.controller.show.catalogue.overlays)
        up = self._shown().graphics.overlays_up
        expect = acted_on(ToggleOverlay, self._shown())

        def toggle(choice: str | None) -> None:
            if choice:
                self._submit(ToggleOverlay, expect, overlay=choice)

        self._ask(OverlayPicker(overlays, up), ToggleOverlay, toggle)

    def action_nudge(self, seconds: int) -> None:
        self._submit(Nudge, seconds=seconds)

    def action_preview(self) -> None:
        self._submit(PreviewNext)

    def action_reconnect(self) -> None:
        self.controller.reconnect()
        self.redraw()

    def action_reassert(self) -> None:
        self._submit(Reassert)

    def action_message(self) -> None:
        current = self.controller.projection().message

        def send(text: str | None) -> None:
            if text:
                self._submit(SpeakerMessage, text=text)
            elif text == "" and current:
                self._submit(ClearMessage)

        self.push_screen(MessageScreen(current), send)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_quit_show(self) -> None:
        if isinstance(self.screen, ConfirmScreen | DetachScreen):
            return  # already asking
        projection = self.controller.projection()
        if getattr(self.controller, "detachable", False):  # attached to a show service
            on_air = f" ('{projection.on_air.title}' is on air)" if projection.on_air else ""
            self.push_screen(DetachScreen(f"Quit this screen{on_air}?"), self._quit_attached)
            return
        if projection.on_air is not None and not projection.ended:
            self.push_screen(
                ConfirmScreen(f"Quit while '{projection.on_air.title}' is on air? "
                              "OBS keeps what it shows; nothing more is cued."),
                lambda yes: self.exit(0) if yes else None,
            )
            return
        self.exit(0)

    def _quit_attached(self, choice: str | None) -> None:
        if choice == "detach":
            self.quit_choice = "detach"
            self.exit(0)
        elif choice == "stop":
            refusal = self.controller.stop_show()  # type: ignore[attr-defined]
            if refusal is None:
                self.quit_choice = "stop"
                self.exit(0)
            else:
                self.notify(f"the show was not stopped: {refusal}", severity="error")


def _stops_output(controller: ShowController, projection: Projection) -> str:
    """'stops the stream' when taking the next segment now would stop streaming/recording."""
    if projection.next is None:
        return ""
    try:
        segment = controller.show.segment(projection.next.segment_id)
    except KeyError:
        return ""
    what = [w for w, v in (("the stream", segment.stream), ("the recording", segment.record))
            if v == "stop"]
    return "stops " + " and ".join(what) if what else ""




def run_refused(message: str) -> int:
    """Show ``message`` (e.g. "already controlled by pid 1234") instead of the operator's screen;
    for a second ``studio serve`` tab, where a line on stderr would go unseen."""
    result = RefusedApp(message).run()
    return int(result if result is not None else 1)
