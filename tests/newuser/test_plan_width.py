"""``studio plan`` tables fit: 80 columns when piped, the terminal's width on one, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from studio.show.export import render
from studio.show.loader import load_show

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = ROOT / "schedules/digital-vecka-2021/2021-01-19-tisdag.yaml"
NOW = datetime(2021, 1, 1, tzinfo=UTC)


def test_piped_plan_is_80_wide_and_keeps_everything(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "studio", "plan", str(TUESDAY)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env={**os.environ, "COLUMNS": "250"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    show = load_show(TUESDAY)
    text = " ".join(" ".join(line.split()) for line in lines)
    for seg in show.segments:
        assert seg.display_title in text and seg.scene in text and seg.id in text
        for overlay in seg.overlays:
            assert overlay in text
    assert "Region Västerbotten · live-bug, partners, 1 LT" in text
    assert "stream start, rec start" in text


def test_a_wide_terminal_gets_the_titles_in_their_column() -> None:
    show = load_show(TUESDAY)
    full = render(show, "table", NOW)  # no width: as wide as it is
    wide = render(show, "table", NOW, width=400)
    assert wide == full
    middle = render(show, "table", NOW, width=160).splitlines()
    assert "TITLE" in middle[4] and "ORGANISER" not in middle[4]
    assert max(len(line) for line in middle) <= 160
    assert any(line.startswith("    Region Västerbotten · live-bug") for line in middle)
