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


# mode -> (status, headers, body) of every answer; "echo" quotes the Authorization header.
ANSWERS = {
    "outage-page": (502, {"Content-Type": "text/html"}, "<html><b>Unicorn!</b> down</html>"),
    "redirect": (302, {"Location": "http://127.0.0.1:9/login"}, ""),
    "truncated-json": (200, {"Content-Type": "application/json"}, '{"full_name": "a'),
    "wrong-shape": (200, {"Content-Type": "application/json"}, "[1, 2, 3]"),
    "html-200": (200, {"Content-Type": "text/html"}, "<html>sign in</html>"),
}


class _Echo(BaseHTTPRequestHandler):
    """Answers every request as its server's mode says (default: 401 echoing the token)."""

    def do_GET(self) -> None:
        mode = getattr(self.server, "mode", "echo")
        if mode == "echo":
            message = f"Bad credentials: {self.headers.get('Authorization')}"
            status, headers, body = (
                401,
                {"Content-Type": "application/json"},
                json.dumps({"message": message}),
            )
        else:
            status, headers, body = ANSWERS[mode]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _sync(tmp_path: Path, server: ThreadingHTTPServer) -> tuple[subprocess.CompletedProcess, str]:
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "paved.cli",
            "ci-metrics",
            "--repository=acme/service",
            f"--api-url=http://127.0.0.1:{server.server_address[1]}",
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
    return done, written


def test_a_token_echoed_in_an_api_error_is_masked_in_log_summary_and_json(tmp_path, echo_server):
    done, written = _sync(tmp_path, echo_server)
    assert done.returncode in {2, 3}, written
    assert "Traceback" not in written
    assert "Echo" not in written, written
    assert "***" in written


@pytest.mark.parametrize("mode", sorted(ANSWERS))
def test_an_answer_that_is_not_the_api_is_one_line_and_exit_3_never_a_traceback(
    tmp_path, echo_server, mode
):
    echo_server.mode = mode
    done, written = _sync(tmp_path, echo_server)
    assert done.returncode == 3, written
    assert "Traceback" not in written
    assert done.stderr.strip().count("\n") == 0, done.stderr
    outcome = json.loads((tmp_path / "out" / "outcome.json").read_text(encoding="utf-8"))
    assert outcome["result"] == "error"
