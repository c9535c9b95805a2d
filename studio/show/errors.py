"""pydantic validation errors -> Diagnostics at the line and column of the offending value or key.

pydantic's ``loc`` names document keys and list indexes, plus items that are not in the document
(union branches such as ``str`` or ``function-before[...]``, ``[key]`` for a bad mapping key).
The walk follows the items the node tree has and skips the others; of the branches of a union
only the most plausible one's errors are kept.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from studio.show.diagnostics import Diagnostic
from studio.show.yamlpos import Node, quote

# every key the file formats know, for "did you mean" hints
KNOWN_KEYS = (
    "show", "date", "timezone", "catalogue", "organisers", "segments", "id", "start", "duration",
    "title", "organiser", "scene", "transition", "overlays", "lower_thirds", "notes", "manual",
    "stream", "record", "name", "role", "at", "for", "logo", "scenes", "graphics_scene",
    "lower_third", "transitions", "source", "name_input", "role_input", "obs_name",
)

_WANTED = {
    "string_type": "text", "dict_type": "a mapping of keys", "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys", "list_type": "a list",
}
_TYPE_ERRORS = ("string_type", "dict_type", "model_type", "model_attributes_type", "list_type")


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {quote(match[0])}?)" if match else ""


def describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def message(err: Any) -> str:
    kind: str = err["type"]
    value = err.get("input")
    loc = err["loc"]
    msg: str = err["msg"]
    if kind == "missing":
        return f"missing required key {quote(loc[-1])}"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return f"unknown key {quote(key)}{suggest(key, KNOWN_KEYS)}"
    if kind in ("value_error", "assertion_error"):
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_type":
        hint = " (put it in quotes)" if isinstance(value, int | float | bool) else ""
        return f"expected text, not {describe(value)}{hint}"
    if kind == "string_pattern_mismatch":
        return (
            f"bad id {value!r}: use letters, digits, '-', '_' and '.', "
            "starting with a letter or digit"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"must not be empty (expected at least {err.get('ctx', {}).get('min_length', 1)})"
    if kind == "list_type":
        return f"expected a list, not {describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, not {describe(value)}"
    if kind.startswith("date"):
        reason = err.get("ctx", {}).get("error")
        return f"bad date {value!r}: use YYYY-MM-DD" + (f" ({reason})" if reason else "")
    if kind.startswith("bool"):
        return f"expected true or false, not {describe(value)}"
    if kind == "literal_error":
        return f"{msg[0].lower()}{msg[1:]}, not {describe(value)}"
    return f"{msg[0].lower()}{msg[1:]}" if msg else kind


def _walk(root: Node, loc: tuple[Any, ...]) -> tuple[Node, tuple[int, int], tuple[Any, ...], Any]:
    """-> (deepest node, position to report, matched prefix, first skipped item or None)."""
    node = root
    parent: Node | None = None
    last_key: str | None = None
    prefix: list[Any] = []
    first_tag: Any = None
    position = (node.line, node.column)
    for item in loc:
        child = node.child(item)
        if child is None:
            if item == "[key]" and parent is not None and parent.key_marks and last_key:
                position = parent.key_marks.get(last_key, position)
            elif first_tag is None:
                first_tag = item
            continue
        if first_tag is None:
            prefix.append(item)
        parent, node = node, child
        last_key = item if isinstance(item, str) else None
        position = (node.line, node.column)
    return node, position, tuple(prefix), first_tag


def diagnostics(exc: ValidationError, root: Node, path: str) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    # a missing key's name ends its loc: it is not in the document and is no union branch
    walked = [
        (err, *_walk(root, tuple(err["loc"])[: -1 if err["type"] == "missing" else None]))
        for err in errors
    ]
    # union branches: per matched prefix, keep the branch with the fewest errors, preferring
    # branches whose failure is not a mere "wrong type" (that is the branch the user did not mean)
    branches: dict[tuple[Any, ...], dict[Any, list[int]]] = {}
    for i, (_err, _node, _pos, prefix, tag) in enumerate(walked):
        if tag is not None and tag != "[key]":
            branches.setdefault(prefix, {}).setdefault(tag, []).append(i)
    dropped: set[int] = set()
    overrides: dict[int, str] = {}
    for tags in branches.values():
        if len(tags) < 2:
            continue

        def rank(tag: Any, tags: dict[Any, list[int]] = tags) -> tuple[int, int]:
            only_type = all(walked[i][0]["type"] in _TYPE_ERRORS for i in tags[tag])
            return (1 if only_type else 0, len(tags[tag]))

        best = min(tags, key=rank)
        for tag, indexes in tags.items():
            if tag != best:
                dropped.update(indexes)
        if rank(best)[0] and all(rank(tag)[0] and len(ix) == 1 for tag, ix in tags.items()):
            # the value fits no branch at all: name every accepted kind
            wanted = [_WANTED.get(walked[ix[0]][0]["type"], "") for ix in tags.values()]
            value = walked[tags[best][0]][0].get("input")
            overrides[tags[best][0]] = (
                f"expected {' or '.join(dict.fromkeys(w for w in wanted if w))}, "
                f"not {describe(value)}"
            )
    out: list[Diagnostic] = []
    seen: set[tuple[int, int, str]] = set()
    for i, (err, _node, position, _prefix, _tag) in enumerate(walked):
        if i in dropped:
            continue
        line, column = position
        text = overrides.get(i) or message(err)
        if err["type"] == "extra_forbidden":
            line, column = _key_position(root, tuple(err["loc"])) or position
        if (line, column, text) in seen:
            continue
        seen.add((line, column, text))
        out.append(Diagnostic(path, line, column, "error", text))
    return out


def _key_position(root: Node, loc: tuple[Any, ...]) -> tuple[int, int] | None:
    """The position of the key ``loc[-1]`` in the mapping that ``loc[:-1]`` leads to."""
    node = root
    for item in loc[:-1]:
        child = node.child(item)
        if child is not None:
            node = child
    if node.key_marks is not None and isinstance(loc[-1], str):
        return node.key_marks.get(loc[-1])
    return None
