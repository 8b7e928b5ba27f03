"""The load generator and probe against a real HTTP server on loopback."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import StdlibHttpClient, ThreadedLoadGenerator, percentiles
from paved.errors import UsageError

pytestmark = pytest.mark.integration


class _Handler(http.server.BaseHTTPRequestHandler):
    """/ok answers 200 after 20 ms; /bad answers 500; every third /mixed is a 500."""

    count = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        with _Handler.lock:
            _Handler.count += 1
            n = _Handler.count
        if self.path == "/ok":
            time.sleep(0.02)
        status = 500 if self.path == "/bad" or (self.path == "/mixed" and n % 3 == 0) else 200
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_run_stops_at_its_request_count_and_measures_latency(server):
    report = ThreadedLoadGenerator().run(LoadProfile(f"{server}/ok", 200, 60, 30, concurrency=4))
    assert report.requests == 60
    assert report.failures == 0
    assert report.statuses == {200: 60}
    assert report.latency.p50 >= 20
    assert report.latency.p50 <= report.latency.p95 <= report.latency.p99 <= report.latency.max


def test_a_run_stops_at_its_time_bound(server):
    report = ThreadedLoadGenerator().run(LoadProfile(f"{server}/ok", 20, 10_000, 1.0))
    assert 5 <= report.requests <= 21  # the schedule never exceeds rate x time (+1)
    assert report.seconds < 3


def test_5xx_and_refused_connections_are_failures_with_their_reasons(server):
    mixed = ThreadedLoadGenerator().run(LoadProfile(f"{server}/mixed", 300, 90, 30))
    assert mixed.requests == 90
    assert mixed.failures == mixed.statuses[500] == 30
    assert len(mixed.failure_times) == 30
    refused = ThreadedLoadGenerator().run(LoadProfile("http://127.0.0.1:9/", 100, 5, 10))
    assert refused.failures == 5
    assert refused.latency is None
    assert list(refused.errors) == ["ConnectionRefusedError"]


def test_a_stopped_run_reports_what_it_sent(server):
    run = ThreadedLoadGenerator().start(LoadProfile(f"{server}/ok", 50, 100_000, 60))
    time.sleep(0.5)
    report = run.stop()
    assert 1 <= report.requests <= 40
    assert run.stop() is report


def test_the_probe_never_raises_for_what_the_server_does(server):
    http = StdlibHttpClient()
    assert http.get(f"{server}/bad").status == 500
    assert http.get(f"{server}/bad").failed
    gone = http.get("http://127.0.0.1:9/health", timeout_seconds=1)
    assert (gone.status, gone.failed) == (None, True)
    with pytest.raises(UsageError, match="is not an http"):
        http.get("ftp://127.0.0.1/x")


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    got = percentiles(values)
    assert (got.p50, got.p95, got.p99, got.max) == (50, 95, 99, 100)
    assert percentiles([]) is None
