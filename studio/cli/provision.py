"""``studio provision CATALOGUE --obs URL``: create in OBS what the catalogue names and OBS lacks.

Prints one line per thing created (or that nothing was needed); never deletes or alters what
exists. With ``--update`` it also brings the sources studio made before in line with the
catalogue (image files, places, sizes, the lower third's style) and prints what it changed.
Exit status 0 when OBS now has everything, 1 when something could not be done.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from studio.cli import UserError
from studio.cli.settings import add_obs_arguments, obs_settings
from studio.obs.errors import GatewayError
from studio.show.model import Catalogue


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("catalogue", type=Path, help="studio catalogue (scenes/*.yaml)")
    parser.add_argument(
        "--update", action="store_true",
        help="also bring sources studio made before in line with the catalogue (files, places, "
             "styles) and say what changed; sources studio did not make stay as they are")
    add_obs_arguments(parser, required=True)


def load_catalogue(path: Path) -> Catalogue:
    from studio.show.loader import load_catalogue as load

    return load(path)


def run(args: argparse.Namespace) -> int:
    from studio.obs.gateway import ObsGateway
    from studio.obs.provision import provision

    catalogue = load_catalogue(args.catalogue)
    settings = obs_settings(args)
    if settings is None:
        raise UserError("no OBS address: give --obs ws://HOST:PORT or set STUDIO_OBS_URL")
    gateway = ObsGateway(settings)
    gateway.start()
    try:
        if not gateway.wait_connected(settings.timeout + 1):
            reason = gateway.last_error or f"no answer from OBS at {settings.url}"
            raise UserError(reason)
        report = provision(gateway, catalogue, update=args.update)
    except GatewayError as exc:
        raise UserError(str(exc)) from None
    finally:
        gateway.stop()
    for line in report.lines():
        print(line)
    return 1 if report.problems else 0
