"""An API server that echoes the token back: the token must reach no text paved writes.

The token is chosen with markdown, JSON and HTML specials in it, because an escaped token is
no longer the exact string the runner's masking looks for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "ghs_Echo_me*back[1]&<2>#3"  # noqa: S105 - a planted test secret


class _Echo(BaseHTTPRequestHandler):
    """Answers every request 401 with the Authorization header quoted in the message."""

    def do_GET(self) -> None:
        body = json.dumps({"message": f"Bad credentials: {self.headers.get('Authorization')}"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_token_echoed_in_an_api_error_is_masked_in_log_summary_and_json(tmp_path, echo_server):
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "paved.cli",
            "ci-metrics",
            "--repository=acme/service",
            f"--api-url={echo_server}",
            f"--store={tmp_path / 'metrics.sqlite'}",
            "--request-interval=0",
            f"--json={out / 'outcome.json'}",
            f"--summary={out / 'summary.md'}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_TOKEN": TOKEN, "PYTHONPATH": str(ROOT / "lib")},
        check=False,
        timeout=120,
    )
    written = done.stdout + done.stderr
    written += "".join(p.read_text(encoding="utf-8") for p in out.glob("*") if p.is_file())
    assert done.returncode in {2, 3}, written
    assert "Traceback" not in written
    assert "Echo" not in written, written
    assert "***" in written
