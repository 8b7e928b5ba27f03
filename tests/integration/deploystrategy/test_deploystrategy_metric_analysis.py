"""`paved deploy-strategy --prometheus-url=...` on the Docker host: rollback-guard's metric
analysis between canary steps, with Debian's Prometheus scraping the containers the rollout
starts, and real traffic through HAProxy."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from components.prometheus import Target
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import ThreadedLoadGenerator
from paved.adapters.router.haproxy import HaproxyRuntime

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
STABLE_REVISION = "1"
"""The first (direct) deploy's revision: its containers are stable, every later one a canary."""


def paved(host, image, *flags, outcome=None):
    argv = [
        sys.executable, "-m", "paved.cli", "deploy-strategy",
        f"--app={host.app}", f"--image={image}", *host.cli_flags(),
        "--ready-timeout=30", "--smoke=/health json.status=healthy",
        *([f"--json={outcome}"] if outcome else []), *flags,
    ]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)


@contextmanager
def scraped(engine, prometheus, app):
    """Every container of `app` scraped as its track (stable or canary) while it runs."""
    stop = threading.Event()
    seen: set[str] = set()

    def watch():
        while not stop.wait(0.3):
            listed = engine.docker(
                "ps", f"--filter=label=paved.dev/app={app}",
                "--filter=label=paved.dev/role=instance",
                "--format", '{{.ID}} {{.Label "paved.dev/revision"}} {{.Ports}}',
            ).stdout  # fmt: skip
            for line in listed.splitlines():
                cid, revision, ports = [*line.split(" ", 2), "", ""][:3]
                if cid in seen or "->" not in ports:
                    continue
                seen.add(cid)
                address = ports.split("->")[0].split(",")[0]
                track = "stable" if revision == STABLE_REVISION else "canary"
                prometheus.add_target(Target(address, app, track))

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        prometheus.remove_app(app)


def failed_by_server(host) -> dict[tuple[str, int], int]:
    """HAProxy's own count of 5xx and failed responses per server address."""
    stats = HaproxyRuntime(host.haproxy_socket).command("show stat")
    rows = csv.DictReader(io.StringIO(stats.lstrip("# ")))
    slots = {
        s.name: (s.address, s.port) for s in HaproxyRuntime(host.haproxy_socket).servers(host.app)
    }
    return {
        slots[row["svname"]]: int(row["hrsp_5xx"] or 0) + int(row["eresp"] or 0)
        for row in rows
        if row["pxname"] == host.app and row["svname"] in slots
    }


def analysis_flags(prometheus, app):
    return [
        f"--prometheus-url={prometheus.url}",
        f'--candidate-selector=app="{app}",track="canary"',
        f'--stable-selector=app="{app}",track="stable"',
        "--metric-checks=error-rate",
        "--analysis-interval=1",
        "--analysis-window=10",
        "--min-requests=10",
        "--canary-steps=50,100",
        "--step-seconds=12",
        "--hold-limit=3",
    ]


def test_a_canary_with_20_percent_errors_is_rolled_back_by_the_metrics_and_a_healthy_one_promoted(
    docker_host, service_images, engine, prometheus_running, tmp_path
):
    first = paved(docker_host, service_images.v1, "--strategy=direct", "--replicas=2")
    assert first.returncode == 0, first.stderr
    profile = LoadProfile(f"{docker_host.url}/api/data", 30, 20_000, 240, concurrency=4)
    load = ThreadedLoadGenerator().start(profile)
    try:
        with scraped(engine, prometheus_running, docker_host.app):
            stable = {
                (s.address, s.port)
                for s in HaproxyRuntime(docker_host.haproxy_socket).servers(docker_host.app)
                if s.weight > 0
            }
            out = tmp_path / "bad.json"
            bad = paved(
                docker_host,
                service_images.v2,
                *analysis_flags(prometheus_running, docker_host.app),
                "--env=FAULT_ERROR_RATE=0.2",
                outcome=out,
            )
            assert bad.returncode == 1, bad.stdout + bad.stderr
            outcome = json.loads(out.read_text(encoding="utf-8"))
            assert outcome["status"] == "rolled-back"
            assert "threshold" in outcome["reason"] or "error-rate" in outcome["reason"], outcome
            [analysed] = [s for s in outcome["steps"] if s["kind"] == "analyse"]
            assert analysed["verdict"] == "fail"
            [rate] = [m for m in analysed["measurements"] if m["name"] == "error-rate"]
            assert rate["value"] > 0.05
            assert not rate["ok"]
            # The stable version's servers answered every request they were given.
            failed = failed_by_server(docker_host)
            assert all(failed.get(address, 0) == 0 for address in stable), failed

            # The selectors name the track, not the revision: wait until the failed canary's
            # errors have left the 10 s analysis window (plus a scrape) before the next canary.
            time.sleep(12)
            good = tmp_path / "good.json"
            healthy = paved(
                docker_host,
                service_images.v2,
                *analysis_flags(prometheus_running, docker_host.app),
                outcome=good,
            )
            assert healthy.returncode == 0, healthy.stdout + healthy.stderr
            promoted = json.loads(good.read_text(encoding="utf-8"))
            assert (promoted["status"], promoted["final_weight"]) == ("succeeded", 100)
            verdicts = [s["verdict"] for s in promoted["steps"] if s["kind"] == "analyse"]
            assert verdicts == ["pass", "pass"]
    finally:
        report = load.stop()
    assert report.requests > 0
