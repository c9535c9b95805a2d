"""The README's screenshots of the views, taken by the same headless Chromium as the tests:
``.venv/bin/python -m tests.views.screenshots docs/img``. A rehearsal of Digital vecka's
Tuesday from 09:28:30 (Mötesplatserna in its last two minutes: amber), then nudged 3 min so the
rundown shows delays and what they cost."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.views.cdp import Chromium
from tests.views.service import Service, free_port

ROOT = Path(__file__).resolve().parents[2]
SHOW = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"
SIZES = {"1920x1080": (1920, 1080, False), "390x844": (390, 844, True)}


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        svc = Service(SHOW, Path(work), free_port(), "--from", "09:28:30")
        browser = Chromium()
        try:
            tabs = {}
            for view in ("presenter", "rundown"):
                for name, (w, h, mobile) in SIZES.items():
                    tab = browser.tab()
                    tab.size(w, h, mobile=mobile)
                    tab.navigate(f"{svc.url}/{view}")
                    tab.until("!document.body.classList.contains('offline') && "
                              "!document.body.classList.contains('connecting')")
                    tabs[view, name] = tab
            for name in SIZES:
                tab = tabs["presenter", name]
                tab.until("document.getElementById('remaining').className.includes('warn')")
                tab.screenshot(out / f"presenter-{name}.png")
            assert svc.post({"action": "nudge", "seconds": 180, "client": "docs"})[0] == 200
            for name in SIZES:
                tab = tabs["rundown", name]
                tab.until("document.getElementById('consequences').children.length > 0")
                tab.until("document.querySelector('li.on_air') !== null")
                tab.eval("new Promise(r => setTimeout(r, 800))")  # the smooth scroll ends
                tab.screenshot(out / f"rundown-{name}.png")
        finally:
            browser.close()
            svc.stop()
    for p in sorted(out.glob("*.png")):
        print(p)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
