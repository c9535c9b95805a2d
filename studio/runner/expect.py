"""What an operator's action was meant for, and the one line when the show has moved on.

An action carries the segment the operator saw it act on when the key was pressed (the API's
``expect``): the next segment for take, skip and preview, the one on air for the others. It is
checked when the action's turn comes on the controller's thread; if that segment is no longer
the one, the action is refused and nothing is done. Pure.
"""

from __future__ import annotations

from studio.engine.actions import Action, PreviewNext, Skip, Take, ToggleOverlay
from studio.engine.projection import Projection

ACTS_ON_NEXT: tuple[type[Action], ...] = (Take, Skip, PreviewNext)
_NAMES: dict[type[Action], str] = {ToggleOverlay: "overlay", PreviewNext: "preview"}  # the API's


def acts_on_next(action: type[Action]) -> bool:
    return issubclass(action, ACTS_ON_NEXT)


def acted_on(action: type[Action], proj: Projection | None) -> str | None:
    """The segment ``action`` would act on in ``proj`` (None: none)."""
    if proj is None:
        return None
    if acts_on_next(action):
        return proj.next.segment_id if proj.next is not None else None
    return proj.on_air.segment_id if proj.on_air is not None else None


def moved_on_line(name: str, *, on_next: bool, on_air: str | None, next_: str | None) -> str:
    """``back: the show has moved on: 's1' is on air now; nothing done`` (titles as shown)."""
    now = f"'{on_air}' is on air now" if on_air is not None else "nothing is on air now"
    if on_next:
        now += f", next is '{next_}'" if next_ is not None else ", nothing is next"
    return f"{name}: the show has moved on: {now}; nothing done"


def moved_on(action: Action, expect: str | None, proj: Projection) -> str | None:
    """None when ``expect`` holds in ``proj`` (or is None); else the line saying why not."""
    if expect is None or acted_on(type(action), proj) == expect:
        return None
    return moved_on_line(
        _NAMES.get(type(action), type(action).__name__.lower()), on_next=acts_on_next(type(action)),
        on_air=proj.on_air.title if proj.on_air is not None else None,
        next_=proj.next.title if proj.next is not None else None)
