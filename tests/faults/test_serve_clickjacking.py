"""Red team: a foreign page held ``studio serve``'s page in an invisible iframe; one click on
the hidden TAKE put the next segment on air (the frame's websocket carries serve's own Origin,
so the Origin check let it through). The page now refuses to be framed by any page
(``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for browsers without CSP): a real
Chromium loads the foreign page, refuses the frame, and no tab (no screen) is started."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from pathlib import Path

from tests.faults.serving import free_port, serving, tabs
from tests.views.cdp import Chromium


def test_a_foreign_page_cannot_hold_serves_page_in_a_frame(tmp_path: Path) -> None:
    with serving(tmp_path, "--from", "08:59:50") as served:
        with urllib.request.urlopen(f"http://localhost:{served.port}/", timeout=30) as page:
            assert page.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        evil = (f'<p>CLICK HERE</p><iframe src="http://localhost:{served.port}/" '
                'style="opacity:0" width="1200" height="700"></iframe>').encode()

        class Evil(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # (http.server's name)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(evil)

            def log_message(self, *args: object) -> None:
                pass

        foreign = http.server.HTTPServer(("127.0.0.1", free_port()), Evil)
        threading.Thread(target=foreign.serve_forever, daemon=True).start()
        chromium = Chromium()
        try:
            tab = chromium.tab()
            tab.call("Log.enable")
            tab.call("Runtime.enable")
            tab.navigate(f"http://127.0.0.1:{foreign.server_address[1]}/")
            # the browser says it refused the frame (the page's console)...
            tab.wait_event("Log.entryAdded", "frame-ancestors", timeout=30)
            # ...and serve started no screen for it
            assert tabs(served.proc.pid) == []
            tab.close()
        finally:
            chromium.close()
            foreign.shutdown()
