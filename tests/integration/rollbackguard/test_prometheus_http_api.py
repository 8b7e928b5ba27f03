"""The Prometheus adapter against a real server, and against servers that are not one."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from paved.adapters.prometheus.http_api import HttpApiPrometheus
from paved.adapters.prometheus.interface import PrometheusQueryError, PrometheusUnavailableError

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
from components.registry import free_port


def test_an_instant_query_reads_the_vector(prometheus_running):
    client = HttpApiPrometheus(prometheus_running.url)
    samples = client.instant("vector(1) + 1", at=time.time())
    assert [s.value for s in samples] == [2.0]
    assert client.instant('up{job="no-such-job"}') == ()
    assert client.instant("scalar(vector(0.5))")[0].value == 0.5


def test_invalid_promql_is_a_usage_error_naming_the_query(prometheus_running):
    client = HttpApiPrometheus(prometheus_running.url)
    with pytest.raises(PrometheusQueryError, match="rejected the query") as caught:
        client.instant("sum(rate(x[5m])")
    assert "sum(rate(x[5m])" in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_closed_port_is_unavailable():
    client = HttpApiPrometheus(f"http://127.0.0.1:{free_port()}", timeout_seconds=1)
    with pytest.raises(PrometheusUnavailableError, match="did not answer") as caught:
        client.instant("up")
    assert caught.value.exit_code == 3


@pytest.fixture
def not_prometheus(tmp_path):
    """A real HTTP server that answers /api/v1/query with a file that is not JSON's type."""
    (tmp_path / "api" / "v1").mkdir(parents=True)
    (tmp_path / "api" / "v1" / "query").write_text('{"status": "success"}', encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_an_answer_that_is_not_the_api_json_is_unavailable(not_prometheus):
    with pytest.raises(PrometheusUnavailableError, match="not the Prometheus API"):
        HttpApiPrometheus(not_prometheus).instant("up")
    with pytest.raises(PrometheusUnavailableError, match="HTTP 404"):
        HttpApiPrometheus(f"{not_prometheus}/elsewhere").instant("up")


@pytest.fixture
def cut_short():
    """A real TCP server that promises 100 bytes of JSON and closes after one."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def answer():
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            )

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    thread.join(5)
    server.close()


def test_an_answer_cut_short_is_unavailable_not_a_traceback(cut_short):
    with pytest.raises(PrometheusUnavailableError, match="Prometheus at") as caught:
        HttpApiPrometheus(cut_short, timeout_seconds=2).instant("up")
    assert caught.value.exit_code == 3
