"""The command line's options that several subcommands share, and the typed settings of a show's
run that they become: argparse ends here.

``run`` and ``rehearse`` read their arguments (and the environment: ``$STUDIO_OBS_URL``, the OBS
password) once, into a frozen ``RunSettings`` / ``RehearsalSettings``; everything below the
command line gets those values, or parts of them (``ObsConnectionSettings``,
``ControlSettings``, an OSC address), never an ``argparse.Namespace``. The screen's process
hands its show to a service process as that service's own command line, made from the same
settings (``service_argv``), so that the two cannot drift apart: reading that command line back
gives the settings the service runs with.

Owns the shared options' names, defaults and help, and the settings' types. Light to import
(``studio check`` reads its ``--obs`` options here): no engine, no OBS client.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

from studio.errors import UserError
from studio.obs.connection import ObsConnectionSettings, connection_settings
from studio.service import DEFAULT_HOST as CONTROL_HOST
from studio.service import DEFAULT_PORT as CONTROL_PORT
from studio.service import ControlSettings
from studio.service.token import ENV as TOKEN_ENV
from studio.surfaces import DEFAULT_HOST as OSC_HOST
from studio.surfaces import DEFAULT_PORT as OSC_PORT

MAX_SPEED = 3600.0


# ---------------------------------------------------------------------------------- options
def add_obs_arguments(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--obs", metavar="URL", default=None,
        help="OBS websocket address ws://HOST:PORT (default: $STUDIO_OBS_URL)"
        + ("" if required else "; without it nothing is sent to OBS"))
    parser.add_argument(
        "--obs-password-file", metavar="FILE", type=Path, default=None,
        help="read the OBS websocket password from FILE (else $STUDIO_OBS_PASSWORD, else a "
             "prompt)")
    parser.add_argument(
        "--obs-timeout", metavar="SECONDS", type=float, default=3.0, help=argparse.SUPPRESS)


def obs_settings(args: argparse.Namespace, *, prompt: bool = True
                 ) -> ObsConnectionSettings | None:
    """The OBS connection ``add_obs_arguments``' options ask for; None without an address."""
    return connection_settings(args.obs, password_file=args.obs_password_file,
                               timeout=float(args.obs_timeout), prompt=prompt)


def add_send_ahead_argument(parser: argparse.ArgumentParser) -> None:
    """``--no-send-ahead``, for ``run`` and ``rehearse`` (see ``studio.runner.sendahead``)."""
    from studio.runner.sendahead import CAP_MS  # the engine: only for run and rehearse

    parser.add_argument("--no-send-ahead", action="store_true",
                        help="send each cue exactly at its time instead of as much ahead as OBS "
                             f"takes to answer (at most {CAP_MS:g} ms)")


def add_control_arguments(parser: argparse.ArgumentParser, *, default_port: int = CONTROL_PORT
                          ) -> None:
    parser.add_argument(
        "--control", metavar="HOST:PORT", nargs="?", const=f"{CONTROL_HOST}:{default_port}",
        default=None,
        help=f"serve the control API (HTTP + WebSocket) on HOST:PORT (alone: "
             f"{CONTROL_HOST}:{default_port}; port 0: any free port); anything but loopback "
             f"needs a token")
    parser.add_argument(
        "--control-token-file", type=Path, metavar="FILE", default=None,
        help=f"the control API's token (else ${TOKEN_ENV}, else one is generated, mode 600, "
             "next to the journal)")


def add_osc_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--osc", metavar="HOST:PORT", nargs="?", const=f"{OSC_HOST}:{OSC_PORT}", default=None,
        help=f"take operator actions as OSC over UDP on HOST:PORT (alone: "
             f"{OSC_HOST}:{OSC_PORT}): /studio/take, /studio/hold, /studio/nudge 30, ... "
             "with an optional expected segment id last")


def add_show_arguments(parser: argparse.ArgumentParser, *, rehearsal: bool) -> None:
    """What ``run`` and ``rehearse`` share after their own options: the as-run, send-ahead,
    OSC and the control API."""
    parser.add_argument(
        "--as-run", type=Path, metavar="FILE", default=None,
        help="predicted as-run (default: as-run/<show>.rehearsal.jsonl)" if rehearsal else
        "as-run log (default: as-run/<show>.asrun.jsonl, appended)")
    add_send_ahead_argument(parser)
    add_osc_argument(parser)
    add_control_arguments(parser, default_port=0 if rehearsal else CONTROL_PORT)


def speed(text: str) -> float:
    """``--speed``: a number, or ``max`` (infinity: the instant rehearsal)."""
    if text.strip().lower() == "max":
        return math.inf
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"bad --speed {text!r}: a number (600) or max") from None


def check_speed(value: float) -> None:
    """One line for a speed no rehearsal runs at."""
    if not (math.isinf(value) or 0 < value <= MAX_SPEED):
        raise UserError(f"bad --speed {value:g}: use a number above 0, at most {MAX_SPEED:g} "
                        "(or max)")


# --------------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class Beside:
    """What attaches to a running show beside its own screen: the control API and OSC."""

    control: ControlSettings | None = None
    osc: str | None = None  # HOST:PORT
    token_file: Path | None = None  # ``--control-token-file`` given without ``--control``

    def control_or(self, address: str) -> ControlSettings:
        """The control API a screen's service serves: the one asked for, else ADDRESS (with
        the token file given, if any: the screen's way in is the API all the same)."""
        return self.control or ControlSettings(address, self.token_file)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Beside:
        """The addresses are checked here, before anything starts (one line each)."""
        from studio.service.launch import ControlConfigError, parse_address
        from studio.surfaces.osc import OscConfigError, parse_osc_address

        try:
            if args.control is not None:
                parse_address(args.control)
            if args.osc is not None:
                parse_osc_address(args.osc)
        except (ControlConfigError, OscConfigError) as exc:
            raise UserError(str(exc)) from None
        control = (ControlSettings(args.control, args.control_token_file)
                   if args.control is not None else None)
        return cls(control=control, osc=args.osc,
                   token_file=args.control_token_file if control is None else None)


@dataclass(frozen=True)
class RunSettings:
    """``studio run``: the live show."""

    show: str
    obs: ObsConnectionSettings
    headless: bool = False
    as_run: Path | None = None
    journal: Path | None = None
    send_ahead: bool = True
    beside: Beside = Beside()

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, prompt: bool = True) -> RunSettings:
        obs = obs_settings(args, prompt=prompt)
        if obs is None:
            raise UserError("studio run needs --obs ws://HOST:PORT (or $STUDIO_OBS_URL)")
        return cls(show=args.show, obs=obs, headless=args.headless, as_run=args.as_run,
                   journal=args.journal, send_ahead=not args.no_send_ahead,
                   beside=Beside.from_args(args))

    def service_argv(self) -> list[str]:
        """``studio``'s arguments for this show run as a service with a screen attached: the
        same show, headless, with its control API (the screen's way in); never the password."""
        control = self.beside.control_or(f"{CONTROL_HOST}:{CONTROL_PORT}")
        argv = ["run", "--headless", *_opt("--obs", self.obs.url)]
        return argv + _beside_argv(Beside(control, self.beside.osc)) + _common_argv(
            self.obs, self.as_run, self.send_ahead) + (
            _opt("--journal", self.journal) if self.journal is not None else []) + [
            "--", self.show]


@dataclass(frozen=True)
class RehearsalSettings:
    """``studio rehearse``: the show on a virtual clock, on the simulator or an OBS."""

    show: str
    obs: ObsConnectionSettings | None = None  # None: the built-in simulator
    speed: float = 1.0  # math.inf: ``--speed max``
    from_: str | None = None  # HH:MM[:SS] as typed (read against the show's day later)
    actions: Path | None = None
    headless: bool = False
    as_run: Path | None = None
    send_ahead: bool = True
    beside: Beside = Beside()
    screen_attached: bool = False  # this is the service of a screen (it takes, not auto-take)

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, prompt: bool = True) -> RehearsalSettings:
        check_speed(args.speed)
        return cls(show=args.show, obs=obs_settings(args, prompt=prompt), speed=args.speed,
                   from_=args.from_, actions=args.actions, headless=args.headless,
                   as_run=args.as_run, send_ahead=not args.no_send_ahead,
                   beside=Beside.from_args(args), screen_attached=args.screen_attached)

    @property
    def instant(self) -> bool:
        return math.isinf(self.speed)

    def service_argv(self) -> list[str]:
        """As ``RunSettings.service_argv``, for the rehearsal (on any free control port)."""
        control = self.beside.control_or(f"{CONTROL_HOST}:0")
        argv = ["rehearse", "--headless", "--screen-attached",
                *_opt("--speed", "max" if self.instant else repr(self.speed))]
        if self.from_:
            argv += _opt("--from", self.from_)
        if self.actions is not None:
            argv += _opt("--actions", self.actions)
        if self.obs is not None:
            argv += _opt("--obs", self.obs.url)
        return argv + _beside_argv(Beside(control, self.beside.osc)) + _common_argv(
            self.obs, self.as_run, self.send_ahead) + ["--", self.show]


def _opt(name: str, value: object) -> list[str]:
    """``--NAME VALUE``; ``--NAME=VALUE`` for a value that begins with a dash (a file
    ``-draft.jsonl``), so that it stays a value."""
    text = str(value)
    return [f"{name}={text}"] if text.startswith("-") else [name, text]


def _beside_argv(beside: Beside) -> list[str]:
    argv: list[str] = []
    if beside.control is not None:
        argv += _opt("--control", beside.control.address)
        if beside.control.token_file is not None:
            argv += _opt("--control-token-file", beside.control.token_file)
    if beside.osc is not None:
        argv += _opt("--osc", beside.osc)
    return argv


def _common_argv(obs: ObsConnectionSettings | None, as_run: Path | None,
                 send_ahead: bool) -> list[str]:
    argv: list[str] = []
    if as_run is not None:
        argv += _opt("--as-run", as_run)
    if obs is not None and obs.password_file is not None:
        argv += _opt("--obs-password-file", obs.password_file)
    if obs is not None and obs.timeout != 3.0:
        argv += _opt("--obs-timeout", repr(obs.timeout))
    if not send_ahead:
        argv.append("--no-send-ahead")
    return argv


def password_env(obs: ObsConnectionSettings | None) -> dict[str, str]:
    """The OBS password for a service process: through its environment, never its argv (none
    when it reads the password file itself)."""
    if obs is None or obs.password_file is not None:
        return {}
    return {"STUDIO_OBS_PASSWORD": obs.password.reveal()}


__all__ = ["MAX_SPEED", "Beside", "RehearsalSettings", "RunSettings"]
