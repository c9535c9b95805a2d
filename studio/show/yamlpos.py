"""Safe YAML with positions: text -> plain Python data plus a tree of line/column marks.

Our own composer over PyYAML's event stream (libyaml's C parser when present), so that

* only ``true``/``false``, plain integers and floats and ``null`` are resolved implicitly:
  ``start: 19:30`` stays the text "19:30" (YAML 1.1 makes it 1170), ``no``/``on`` stay text and
  ``2021-01-19`` stays text (pydantic parses it where a date is wanted);
* duplicate keys are errors (PyYAML silently keeps the last one);
* hostile input is refused quickly: a size limit (checked by the caller), a nesting depth
  limit, an alias count limit and a limit on the number of nodes after expanding aliases
  (alias bombs), and no recursive aliases;
* tags (``!!python/object``, ``!!set``...) are refused instead of constructing anything;
* every value keeps where it was written, so any later error can point at its line and column.

Pure: imports only PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events as ev

try:  # libyaml: ~20x faster event parsing
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_DEPTH = 50
MAX_ALIASES = 100
MAX_NODES = 400_000  # after expanding aliases; a week of 1,000 segments is ~25,000

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan"),
}
_STR_TAG = "tag:yaml.org,2002:str"
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")  # first characters of non-text plain scalars
_PLAIN_TAGS = {
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


_DROP = "\x00duplicate"  # marks the value of a duplicate key, which is dropped


class YamlProblem(Exception):
    """A problem that stops reading the document; positions are 1-based."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(slots=True, eq=False)
class Node:
    """One value as written: its constructed data and where it starts (1-based)."""

    value: Any
    line: int
    column: int
    # mappings: key -> value node, and key -> (line, column) of the key itself
    entries: dict[str, Node] | None = None
    key_marks: dict[str, tuple[int, int]] | None = None
    # sequences: the item nodes
    items: list[Node] | None = None
    size: int = 1
    text: str | None = None  # scalars: the text as written

    def child(self, key: Any) -> Node | None:
        if self.entries is not None and isinstance(key, str):
            return self.entries.get(key)
        if self.items is not None and isinstance(key, int) and 0 <= key < len(self.items):
            return self.items[key]
        return None


@dataclass(slots=True)
class _Frame:
    node: Node
    key: str | None = None
    key_mark: tuple[int, int] = (0, 0)
    anchor: str | None = None
    total_before: int = 0
    expect_key: bool = False


def quote(text: Any) -> str:
    """``'text'`` for messages; repr() when it holds quotes, line breaks or other oddities."""
    text = str(text)
    return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)


def _pos(mark: Any) -> tuple[int, int]:
    return int(mark.line) + 1, int(mark.column) + 1


def resolve_plain(text: str) -> Any:
    """A plain (unquoted) scalar: null, true/false, int, float, else the text itself."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    special = _SPECIAL_FLOATS.get(text.lower())
    if special is not None:
        return special
    return text


def _scalar(event: ev.ScalarEvent) -> Any:
    tag = event.tag
    plain = event.style in (None, "") and event.implicit[0]
    if tag is None:
        return resolve_plain(event.value) if plain else event.value
    if tag in ("!", _STR_TAG):
        return event.value
    if tag in _PLAIN_TAGS:
        value: Any = resolve_plain(event.value)
        kind = tag.rsplit(":", 1)[1]
        if kind == "float" and type(value) in (int, float):
            return float(value)
        if type(value) is {"int": int, "bool": bool, "null": type(None)}.get(kind):
            return value
        raise YamlProblem(*_pos(event.start_mark), f"{event.value!r} is not a valid !!{kind}")
    raise YamlProblem(
        *_pos(event.start_mark), f"YAML tag {tag} is not supported: write plain values"
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = _pos(mark) if mark is not None else (1, 1)
    problem = (exc.problem or exc.context or "cannot parse").strip()
    all_lines = text.split("\n")
    if line > len(all_lines):  # at the end of the input: point after its last character
        line, column = len(all_lines), len(all_lines[-1]) + 1
    lines = text.split("\n", line)
    source = lines[line - 1] if len(lines) >= line else ""
    indent = source[: len(source) - len(source.lstrip(" \t"))]
    if "\t" in indent or source[column - 1 : column] == "\t" or "'\\t'" in problem:
        tab = indent.find("\t") + 1 if "\t" in indent else column
        return YamlProblem(line, tab, "tab character: YAML indents with spaces, not tabs")
    if "nesting depth" in problem:
        return YamlProblem(line, column, f"nested too deeply (at most {MAX_DEPTH} levels)")
    context = f" ({exc.context.strip()})" if exc.context and exc.problem else ""
    return YamlProblem(line, column, f"YAML syntax error: {problem}{context}")


def compose(text: str) -> tuple[Node | None, list[YamlProblem]]:
    """Parse one YAML document into a Node tree (None for an empty document) and the problems
    that did not stop reading (duplicate keys: the first one is kept).

    Raises YamlProblem for syntax errors, tags, aliases and depth beyond limits.
    """
    parser = _Parser(text)
    problems: list[YamlProblem] = []
    try:
        return _compose(parser, problems), problems
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character
        if not isinstance(char, int):
            char = ord(str(char)[:1] or " ")
        raise YamlProblem(
            line, column, f"character U+{char:04X} is not allowed in YAML: remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, "YAML error: " + " ".join(str(exc).split())) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _compose(parser: Any, problems: list[YamlProblem]) -> Node | None:
    """The event loop, kept flat for speed (it runs once per value of a 1,000-segment week)."""
    scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
    mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    document_start = ev.DocumentStartEvent
    anchors: dict[str, Node] = {}
    stack: list[_Frame] = []
    frame: _Frame | None = None  # == stack[-1]
    root: Node | None = None
    documents = aliases = total = 0
    get_event, check_event = parser.get_event, parser.check_event
    while check_event():
        event = get_event()
        cls = type(event)
        node: Node
        if cls is scalar_event:
            mark = event.start_mark
            if frame is not None and frame.expect_key:  # a key: keep its text and position
                key = event.value
                line, column = mark.line + 1, mark.column + 1
                if key == "<<" and not event.style:
                    raise YamlProblem(line, column, "merge keys (<<) are not supported")
                if event.tag not in (None, "!", _STR_TAG):
                    raise YamlProblem(line, column, f"YAML tag {event.tag} is not supported")
                entries = frame.node.entries
                assert entries is not None and frame.node.key_marks is not None
                if key in entries:
                    first = frame.node.key_marks[key][0]
                    problems.append(YamlProblem(
                        line, column, f"duplicate key {quote(key)} (first written on line {first})"
                    ))
                    key = _DROP
                frame.key = key
                frame.key_mark = (line, column)
                frame.expect_key = False
                total += 1
                continue
            value = event.value
            if event.tag is not None:
                value = _scalar(event)
            elif not event.style and (not value or value[0] in _MAYBE_NOT_TEXT):
                value = resolve_plain(value)
            node = Node(value, mark.line + 1, mark.column + 1, text=event.value)
            total += 1
            if event.anchor:
                anchors[event.anchor] = node
        elif cls is mapping_end or cls is sequence_end:
            assert frame is not None
            node = frame.node
            node.size = total - frame.total_before
            if frame.anchor:
                anchors[frame.anchor] = node
            stack.pop()
            frame = stack[-1] if stack else None
        elif cls is mapping_start or cls is sequence_start:
            line, column = _pos(event.start_mark)
            if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise YamlProblem(
                    line, column, f"YAML tag {event.tag} is not supported: write plain values"
                )
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(line, column, f"nested too deeply (at most {MAX_DEPTH} levels)")
            if frame is not None and frame.expect_key:
                raise YamlProblem(line, column, "a key must be a plain text, not a list or mapping")
            if cls is mapping_start:
                new = Node({}, line, column, entries={}, key_marks={})
            else:
                new = Node([], line, column, items=[])
            frame = _Frame(new, anchor=event.anchor, total_before=total,
                           expect_key=cls is mapping_start)
            stack.append(frame)
            total += 1
            continue
        elif cls is alias_event:
            line, column = _pos(event.start_mark)
            aliases += 1
            target = anchors.get(event.anchor or "")
            if target is None:
                raise YamlProblem(line, column, f"unknown or recursive alias *{event.anchor}")
            if aliases > MAX_ALIASES:
                raise YamlProblem(line, column, f"too many aliases (at most {MAX_ALIASES})")
            if frame is not None and frame.expect_key:
                raise YamlProblem(line, column, "a key must be a plain text, not an alias")
            node = target
            total += target.size
        elif cls is document_start:
            documents += 1
            if documents > 1:
                raise YamlProblem(*_pos(event.start_mark), "only one YAML document per file")
            continue
        else:  # stream start/end, document end
            continue
        if total > MAX_NODES:
            raise YamlProblem(
                node.line, node.column,
                f"document too large: more than {MAX_NODES} values after expanding aliases",
            )
        if frame is None:
            root = node
            continue
        parent = frame.node
        if parent.items is not None:
            parent.items.append(node)
            parent.value.append(node.value)
            continue
        key = frame.key
        frame.expect_key = True
        if key == _DROP or key is None:
            continue
        assert parent.entries is not None and parent.key_marks is not None
        parent.entries[key] = node
        parent.key_marks[key] = frame.key_mark
        parent.value[key] = node.value
    return root
