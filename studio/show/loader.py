"""Load run-of-show, catalogue and organisers files; every problem becomes a Diagnostic with the
file, line and column of the offending value or key.

``load_show(path) -> Show`` and ``load_catalogue(path) -> Catalogue`` raise ``ShowError`` with all
diagnostics; ``check_file(path) -> (Show | None, diagnostics)`` returns warnings too. Nothing in
here raises anything but ``ShowError``: any input, however broken or hostile, is a diagnostic.

Pure: reads files, imports no UI, OBS client or scheduler.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from studio.show import errors
from studio.show.controls import control_problem
from studio.show.diagnostics import Diagnostic, ShowError
from studio.show.model import (
    BUILTIN_TRANSITIONS,
    Catalogue,
    Organiser,
    Segment,
    Show,
    ShowFile,
)
from studio.show.yamlpos import Node, YamlProblem, compose, quote

MAX_BYTES = 4 * 1024 * 1024


@dataclass
class _Ref:
    """Where a file was referred to from (for "file not found" errors)."""

    path: str
    line: int
    column: int


@dataclass
class _Loaded:
    """What validating one show file produced, valid parts kept even when others failed."""

    shown: str
    root: Node
    diags: list[Diagnostic] = field(default_factory=list)
    catalogue: Catalogue | None = None
    catalogue_shown: str = ""
    organisers: dict[str, Organiser] | None = None
    organiser_nodes: dict[str, Node] = field(default_factory=dict)
    organisers_shown: str = ""
    segments: list[tuple[Segment, Node]] = field(default_factory=list)
    complete: bool = False  # the whole file validated (every segment, date, timezone)

    def error(self, node: Node | tuple[int, int], text: str, path: str | None = None) -> None:
        line, column = (node.line, node.column) if isinstance(node, Node) else node
        self.diags.append(Diagnostic(path or self.shown, line, column, "error", text))

    def warning(self, node: Node, text: str) -> None:
        self.diags.append(Diagnostic(self.shown, node.line, node.column, "warning", text))


# --------------------------------------------------------------------------- reading


_Result = tuple[Node | None, list[Diagnostic]]


def _read(path: Path, shown: str, ref: _Ref | None, what: str) -> _Result:
    """Read, decode and compose one YAML file; problems as diagnostics, never an exception."""
    at = (ref.path, ref.line, ref.column) if ref else (shown, 1, 1)

    def fail(text: str, line: int = 1, column: int = 1, here: bool = False) -> list[Diagnostic]:
        where = (shown, line, column) if here or ref is None else at
        return [Diagnostic(where[0], where[1], where[2], "error", text)]

    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a FIFO would block forever
            return None, fail(f"{what} is not a regular file: {shown}")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, fail(f"{what} not found: {shown}")
    except IsADirectoryError:
        return None, fail(f"{what} is a directory, not a file: {shown}")
    except OSError as exc:
        return None, fail(f"cannot read {what} {shown}: {exc.strerror or exc}")
    except ValueError as exc:  # e.g. an embedded NUL in the path
        return None, fail(f"cannot read {what} {shown!r}: {exc}")
    if len(data) > MAX_BYTES:
        return None, fail(f"file too large: more than {MAX_BYTES // (1024 * 1024)} MiB", here=True)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        return None, fail(
            f"not UTF-8: byte 0x{data[exc.start]:02X} cannot be decoded; save the file as UTF-8",
            line, column, here=True,
        )
    try:
        root, problems = compose(text)
    except YamlProblem as exc:
        return None, fail(exc.message, exc.line, exc.column, here=True)
    except RecursionError:  # pragma: no cover - depth is limited before this can happen
        return None, fail("nested too deeply", here=True)
    diags = [Diagnostic(shown, p.line, p.column, "error", p.message) for p in problems]
    if root is None:
        return None, [*diags, *fail("the file is empty", here=True)]
    diags += _control_characters(root, shown)
    if root.entries is None:
        diags += fail(f"expected a mapping of keys at the top, not {errors.describe(root.value)}",
                      root.line, root.column, here=True)
        return None, diags
    return root, diags


def _control_characters(root: Node, shown: str) -> list[Diagnostic]:
    """ESC, CR, BEL and the other control characters in any key or text of a file, each at its
    line and column (see ``studio.show.controls``); tab and line break only in ``notes``."""
    out: list[Diagnostic] = []
    seen: set[int] = set()  # an alias shares its anchor's nodes: report them once
    stack: list[tuple[Node, str]] = [(root, "")]
    while stack:
        node, key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.entries is not None:
            for k, child in node.entries.items():
                problem = control_problem(k)
                if problem is not None and node.key_marks and k in node.key_marks:
                    line, column = node.key_marks[k]
                    out.append(Diagnostic(shown, line, column, "error",
                                          f"the key {quote(k)}: {problem}"))
                stack.append((child, k))
        elif node.items is not None:
            stack.extend((child, key) for child in node.items)
        elif isinstance(node.value, str):
            problem = control_problem(node.value, multiline=key == "notes")
            if problem is not None:
                out.append(Diagnostic(shown, node.line, node.column, "error",
                                      f"{key or 'value'}: {problem}"))
    return sorted(out, key=lambda d: (d.line, d.column))


def _shown(base: str, relative: str) -> str:
    return os.path.normpath(os.path.join(os.path.dirname(base), relative))


def _validate(model: Any, node: Node, shown: str, diags: list[Diagnostic]) -> Any:
    try:
        return model.model_validate(node.value)
    except ValidationError as exc:
        diags.extend(errors.diagnostics(exc, node, shown))
        return None


# --------------------------------------------------------------------------- catalogue

_CACHE: dict[tuple[str, int, int], tuple[Catalogue | None, list[Diagnostic]]] = {}


def _catalogue(
    path: Path, shown: str, ref: _Ref | None
) -> tuple[Catalogue | None, list[Diagnostic]]:
    try:
        info = path.stat()
        key: tuple[str, int, int] | None = (str(path.resolve()), info.st_mtime_ns, info.st_size)
    except (OSError, ValueError, RuntimeError):
        key = None
    if key is not None and key in _CACHE and _images_unchanged(key):
        return _CACHE[key]
    root, diags = _read(path, shown, ref, "catalogue")
    if root is None:
        return None, diags
    catalogue: Catalogue | None = _validate(Catalogue, root, shown, diags)
    if catalogue is not None:
        _check_catalogue(catalogue, root, shown, diags)
        catalogue = _check_images(catalogue, root, shown, diags)
    result = (catalogue if not any(d.severity == "error" for d in diags) else None, diags)
    if key is not None:
        _CACHE[key] = result
        _IMAGE_STAMPS[key] = _image_stamps(catalogue)
    return result


# the images a cached catalogue named, as they were: a changed image invalidates the entry
_IMAGE_STAMPS: dict[tuple[str, int, int], tuple[tuple[str, int, int], ...]] = {}


def _stamp(path: str) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
        return (path, info.st_mtime_ns, info.st_size)
    except (OSError, ValueError):
        return (path, -1, -1)


def _image_stamps(cat: Catalogue | None) -> tuple[tuple[str, int, int], ...]:
    overlays = cat.overlays.values() if cat is not None else ()
    return tuple(_stamp(o.image) for o in overlays if o.image is not None)


def _images_unchanged(key: tuple[str, int, int]) -> bool:
    return all(_stamp(stamp[0]) == stamp for stamp in _IMAGE_STAMPS.get(key, ()))


def _check_catalogue(cat: Catalogue, root: Node, shown: str, diags: list[Diagnostic]) -> None:
    scenes = root.child("scenes")
    seen: set[str] = set()
    for i, scene in enumerate(cat.scenes):
        node = scenes.child(i) if scenes else None
        if scene in seen and node is not None:
            diags.append(Diagnostic(shown, node.line, node.column, "error",
                                    f"scene {quote(scene)} is listed twice"))
        seen.add(scene)
    if cat.graphics_scene in seen and (node := root.child("graphics_scene")):
        diags.append(Diagnostic(shown, node.line, node.column, "error",
                                "the graphics scene must not also be a program scene"))
    table = root.child("transitions")
    for name, spec in cat.transitions.items():
        kind = getattr(spec, "kind", None)
        node = table.child(name) if table else None
        if kind is not None and kind not in BUILTIN_TRANSITIONS and node is not None:
            diags.append(Diagnostic(
                shown, node.line, node.column, "error",
                f"unknown transition kind {quote(kind)}: use cut, fade [DURATION] or "
                "{ obs_name: NAME, duration: 500ms } for another OBS transition",
            ))


def _check_images(cat: Catalogue, root: Node, shown: str, diags: list[Diagnostic]) -> Catalogue:
    """Every overlay's ``image`` must be a readable image file (relative to the catalogue):
    reported at the ``image`` value. Returns the catalogue with the image paths made absolute
    (OBS needs them so; OBS on another machine needs the same path there)."""
    from studio.show.images import image_problem

    table = root.child("overlays")
    base = os.path.dirname(os.path.abspath(shown))
    resolved: dict[str, Any] = {}
    for key, overlay in cat.overlays.items():
        if overlay.image is None:
            continue
        path = os.path.normpath(os.path.join(base, os.path.expanduser(overlay.image)))
        problem = image_problem(path)
        if problem is not None:
            entry = table.child(key) if table else None
            node = (entry.child("image") if entry else None) or entry or root
            shown_image = os.path.normpath(os.path.join(os.path.dirname(shown), overlay.image))
            diags.append(Diagnostic(shown, node.line, node.column, "error",
                                    f"overlay {quote(key)}: {problem.replace(path, shown_image)}"))
        resolved[key] = overlay.model_copy(update={"image": path})
    if not resolved:
        return cat
    return cat.model_copy(update={"overlays": {**cat.overlays, **resolved}})


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """A validated studio catalogue; ShowError with every problem otherwise."""
    shown = os.fspath(path)
    catalogue, diags = _catalogue(Path(shown), shown, None)
    if catalogue is None:
        raise ShowError(diags)
    return catalogue


# --------------------------------------------------------------------------- show


def check_file(path: str | os.PathLike[str]) -> tuple[Show | None, list[Diagnostic]]:
    """Validate one run-of-show file and what it refers to: (the show or None, all diagnostics)."""
    try:
        return _check_file(os.fspath(path))
    except ShowError:
        raise
    except Exception as exc:  # a bug, not the user's: still one line naming the file
        shown = str(path)
        return None, [Diagnostic(shown, 1, 1, "error", f"internal error while checking: {exc!r}")]


def load_show(path: str | os.PathLike[str]) -> Show:
    """A validated show; ShowError with every error otherwise."""
    show, diags = check_file(path)
    errors_found = [d for d in diags if d.severity == "error"]
    if show is None and not errors_found:  # a valid catalogue or organisers file
        errors_found = [Diagnostic(os.fspath(path), 1, 1, "error",
                                   "not a run-of-show file (no 'show' and 'segments')")]
    if show is None or errors_found:
        raise ShowError(errors_found)
    return show


def file_kind(data: dict[str, Any]) -> str:
    """"show", "catalogue" or "organisers", guessed from the top-level keys."""
    if "segments" in data or "show" in data:
        return "show"
    if "scenes" in data or "graphics_scene" in data:
        return "catalogue"
    if data and all(isinstance(v, dict) for v in data.values()):  # id -> {name, logo}
        return "organisers"
    return "show"


def _check_file(shown: str) -> tuple[Show | None, list[Diagnostic]]:
    root, diags = _read(Path(shown), shown, None, "run-of-show file")
    if root is None:
        return None, diags
    kind = file_kind(root.value)
    if kind == "catalogue":
        catalogue: Catalogue | None = _validate(Catalogue, root, shown, diags)
        if catalogue is not None:
            _check_catalogue(catalogue, root, shown, diags)
            _check_images(catalogue, root, shown, diags)
        return None, diags
    if kind == "organisers":  # logos are checked with the shows that use the file
        _organisers(root, shown, diags, report=True)
        return None, diags
    doc = _Loaded(shown, root, diags)
    sf: ShowFile | None = _validate(ShowFile, root, shown, doc.diags)
    doc.complete = sf is not None
    _resolve_parts(doc, sf)
    from studio.show import crosscheck

    crosscheck.run(doc, sf)
    doc.diags.sort(key=lambda d: (d.path != shown, d.path, d.line, d.column))
    if sf is None or doc.catalogue is None or doc.organisers is None:
        return None, doc.diags
    if any(d.severity == "error" for d in doc.diags):
        return None, doc.diags
    show = Show(
        title=sf.show,
        date=sf.date,
        timezone=sf.timezone,
        segments=tuple(sf.segments),
        catalogue=doc.catalogue,
        organisers=doc.organisers,
        source_path=shown,
    )
    return show, doc.diags


def _resolve_parts(doc: _Loaded, sf: ShowFile | None) -> None:
    """Catalogue, organisers and the valid segments, even when other parts failed."""
    root = doc.root
    data: dict[str, Any] = root.value
    # catalogue
    cat_node = root.child("catalogue")
    if cat_node is not None and isinstance(data.get("catalogue"), str) and data["catalogue"]:
        doc.catalogue_shown = _shown(doc.shown, data["catalogue"])
        ref = _Ref(doc.shown, cat_node.line, cat_node.column)
        doc.catalogue, cat_diags = _catalogue(Path(doc.catalogue_shown), doc.catalogue_shown, ref)
        doc.diags.extend(cat_diags)
    # organisers
    org_node = root.child("organisers")
    org_value = data.get("organisers")
    if org_node is None:
        doc.organisers = {}
    elif isinstance(org_value, str) and org_value:
        doc.organisers_shown = _shown(doc.shown, org_value)
        ref = _Ref(doc.shown, org_node.line, org_node.column)
        file_root, file_diags = _read(Path(doc.organisers_shown), doc.organisers_shown, ref,
                                      "organisers file")
        doc.diags.extend(file_diags)
        if file_root is not None:
            doc.organisers = _organisers(file_root, doc.organisers_shown, doc.diags, report=True)
            doc.organiser_nodes = file_root.entries or {}
    elif isinstance(org_value, dict):
        doc.organisers_shown = doc.shown
        doc.organisers = _organisers(org_node, doc.shown, doc.diags, report=False)
        doc.organiser_nodes = org_node.entries or {}
    # segments: only when the whole file is valid (references are checked on the nodes)
    seg_list = root.child("segments")
    if sf is not None and seg_list is not None and seg_list.items is not None:
        doc.segments = list(zip(sf.segments, seg_list.items, strict=True))


def _organisers(
    node: Node, shown: str, diags: list[Diagnostic], *, report: bool
) -> dict[str, Organiser]:
    """Valid organisers of a mapping; errors reported when ``report`` (else the show did)."""
    out: dict[str, Organiser] = {}
    for key, child in (node.entries or {}).items():
        try:
            out[key] = Organiser.model_validate(child.value)
        except ValidationError as exc:
            if report:
                diags.extend(errors.diagnostics(exc, child, shown))
        if report and not _is_ident(key) and node.key_marks:
            line, column = node.key_marks[key]
            diags.append(Diagnostic(shown, line, column, "error", errors.message(
                {"type": "string_pattern_mismatch", "input": key, "loc": (), "msg": ""})))
    return out


_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _is_ident(text: str) -> bool:
    return _IDENT.fullmatch(text) is not None
