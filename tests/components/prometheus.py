"""Debian's Prometheus on 127.0.0.1, scraping every second the targets a test lists.

One server per test session. Targets come from a file_sd file (Prometheus watches it), so a
test adds its own stable and canary instances, labelled `app` and `track`, without a
restart. `stop()` and `start()` let a test take the server away in the middle of an analysis
and bring it back on the same port with the same data.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.errors import ComponentError
from components.registry import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

INSTALL = "install the Debian package prometheus (`make setup`, or apt-get install prometheus)"
BINARY = "/usr/bin/prometheus"
START_TIMEOUT = 30.0
SCRAPE_SECONDS = 1.0
GLOBAL = f"""\
global:
  scrape_interval: {SCRAPE_SECONDS:g}s
  scrape_timeout: 900ms
  evaluation_interval: {SCRAPE_SECONDS:g}s
"""
SCRAPE_FILE_TARGETS = """\
scrape_configs:
  - job_name: app
    file_sd_configs:
      - files: [targets.json]
        refresh_interval: 1s
"""
CONFIG = GLOBAL + SCRAPE_FILE_TARGETS


@dataclass(frozen=True)
class Target:
    """One instance to scrape, and the labels its series get."""

    address: str
    """host:port of its /metrics."""
    app: str
    track: str


class LocalPrometheus:
    """A Prometheus process the test controls."""

    def __init__(self, root: Path, binary: str, scrape_configs: str = SCRAPE_FILE_TARGETS) -> None:
        self.root = root
        self.binary = binary
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.targets: list[Target] = []
        self.lock = threading.Lock()
        (root / "prometheus.yml").write_text(GLOBAL + scrape_configs, encoding="utf-8")
        self._write_targets()

    def _write_targets(self) -> None:
        groups = [
            {"targets": [t.address], "labels": {"app": t.app, "track": t.track}}
            for t in self.targets
        ]
        staging = self.root / "targets.json.new"
        staging.write_text(json.dumps(groups), encoding="utf-8")
        staging.replace(self.root / "targets.json")

    def add_target(self, target: Target) -> None:
        """Scrape `target` from now on (Prometheus picks the file up within a second)."""
        with self.lock:
            self.targets.append(target)
            self._write_targets()

    def remove_app(self, app: str) -> None:
        """Stop scraping every instance of `app`."""
        with self.lock:
            self.targets = [t for t in self.targets if t.app != app]
            self._write_targets()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start (again) on the same port and data directory; wait until it is ready."""
        if self.running:
            return
        log = (self.root / "prometheus.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.binary,
                f"--config.file={self.root / 'prometheus.yml'}",
                f"--storage.tsdb.path={self.root / 'data'}",
                "--storage.tsdb.retention.time=2h",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.root,
        )
        log.close()
        self._wait_ready()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL); queries fail until `start`."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                tail = (self.root / "prometheus.log").read_text(errors="replace").splitlines()[-5:]
                msg = f"prometheus exited with {self.process.returncode}: {' | '.join(tail)}"
                raise ComponentError(msg)
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        msg = f"prometheus did not become ready on {self.url} within {START_TIMEOUT:.0f} s"
        raise ComponentError(msg)

    def wait_scraped(self, app: str, count: int, timeout: float = 15.0) -> None:
        """Wait until `count` instances of `app` have been scraped successfully."""
        query = urllib.parse.urlencode({"query": f'sum(up{{app="{app}"}})'})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"{self.url}/api/v1/query?{query}", timeout=5) as r:  # noqa: S310
                result = json.load(r)["data"]["result"]
            if result and float(result[0]["value"][1]) >= count:
                return
            time.sleep(0.2)
        msg = f"prometheus did not scrape {count} instances of {app} within {timeout:.0f} s"
        raise ComponentError(msg)


@contextmanager
def running_prometheus(scrape_configs: str = SCRAPE_FILE_TARGETS) -> Iterator[LocalPrometheus]:
    """A ready Prometheus for the session (scraping the file's targets unless given its own
    `scrape_configs:` section); stopped and removed on exit."""
    binary = shutil.which("prometheus") or (BINARY if Path(BINARY).exists() else None)
    if binary is None:
        raise ComponentError(f"prometheus is not installed: {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="paved-prometheus-") as tmp:
        server = LocalPrometheus(Path(tmp), binary, scrape_configs)
        try:
            server.start()
            yield server
        finally:
            server.stop()
