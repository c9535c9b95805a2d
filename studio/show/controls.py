"""Control characters: found in the files (the loader refuses them), escaped on the way out. Pure.

A title with ESC, CR or BEL in it would reach the operator's terminal raw: ESC starts a terminal
control sequence (move the cursor, rewrite the screen, retitle the window), CR overwrites the
line, BEL rings. None belongs in a run-of-show, so the loader reports each one at its value's
line and column (``control_problem``); tab and line break are allowed in ``notes`` only.

Bidirectional controls are refused the same way: the embeddings and overrides U+202A-U+202E
and the isolates U+2066-U+2069 change the order in which a lower third reads on air (and a line
in the terminal) without showing themselves: "Trojan source". The marks U+200E/U+200F (LRM,
RLM) and U+061C (ALM) are allowed: Hebrew and Arabic names need them to place punctuation, and
they open no state that could reorder the text after them.

Text that comes from elsewhere (OBS's scene and source names, error texts) goes through
``printable`` before it is written to a terminal: every control character becomes a visible
escape (``\\x1b``, ``\\r``, ``\\n``), so a line stays one line and no sequence is sent.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (U+0080-U+009F: 0x9B is a one-byte CSI for some terminals),
# and the bidirectional embeddings, overrides and isolates
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_BUT_TAB_AND_NEWLINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x09: "TAB", 0x0A: "line break", 0x0B: "VT",
    0x0C: "FF", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI",
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def name(char: str) -> str:
    """``ESC (U+001B)``."""
    code = ord(char)
    label = _NAMES.get(code)
    return f"{label} (U+{code:04X})" if label else f"U+{code:04X}"


def control_problem(text: str, *, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` for a show file (None: nothing). ``multiline``: tab and line
    break are allowed (notes)."""
    found = (_BUT_TAB_AND_NEWLINE if multiline else _ANY).search(text)
    if found is None:
        return None
    char = found.group()
    if char in "\n\t":
        return (f"{name(char)} in a one-line text: write it on one line "
                "(only notes may have several)")
    if ord(char) > 0x9F:
        return (f"bidirectional control character {name(char)}: remove it "
                "(it reorders the text on air)")
    return f"control character {name(char)}: remove it (terminal control codes are not allowed)"


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape, never sent raw."""
    if _ANY.search(text) is None:
        return text
    return _ANY.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
