"""Detection time: first bad request served -> rollback-guard's FAIL verdict, through
Debian's Prometheus scraping the example service every second.

Each run starts a fresh stable and a fresh canary (FAULT_ERROR_RATE=0.2 on /api/data) as real
processes, waits until Prometheus scrapes both, then starts load on both (RATE rps each) and
the analysis at the same moment (error rate <= 5 % over a 10 s window, at least
--min-requests canary requests, failure limit 0). The first bad request is the first 5xx the
load client sees. The time to the verdict splits into:

  scrape      first bad request -> Prometheus holds the canary's first 5xx sample (a side
              poller asks every 100 ms): the scrape spacing;
  wait        -> the start of the deciding look: rate() needs a second sample of a new
              series, the window needs --min-requests canary requests, looks are spaced;
  decision    -> the verdict: the deciding look's queries (failure limit 0: no
              confirmation looks).

Healthy runs (--healthy-runs, same setup without the fault, 10 looks) count false FAILs.
Medians (min-max) over the runs, per look interval, side by side.

    python benchmarks/rollback_detection.py [--runs 5] [--intervals 1.0,0.5] [--healthy-runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "tests"))

from components.example_service import running_service, service_python  # noqa: E402
from components.prometheus import LocalPrometheus, Target, running_prometheus  # noqa: E402
from paved.adapters.http.interface import LoadProfile  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402
from paved.adapters.prometheus.http_api import HttpApiPrometheus  # noqa: E402
from paved.rollbackguard import catalog  # noqa: E402
from paved.rollbackguard.analysis import AnalysisSpec, run_analysis  # noqa: E402
from paved.rollbackguard.clock import Clock  # noqa: E402
from paved.rollbackguard.policy import AnalysisPolicy  # noqa: E402
from paved.rollbackguard.record import DecisionRecord, Reason, Verdict  # noqa: E402
from paved.rollbackguard.source import PrometheusObservations, TrackSelectors  # noqa: E402

RATE = 25.0
CLOCK = Clock(time.time, time.monotonic, time.sleep)


@dataclass(frozen=True)
class Detection:
    """One bad-canary run, in seconds from the first bad request."""

    verdict: Verdict
    scrape: float
    wait: float
    decision: float

    @property
    def total(self) -> float:
        return self.scrape + self.wait + self.decision


class FirstErrorWatch:
    """Polls Prometheus every 100 ms until it holds a 5xx sample of the canary."""

    def __init__(self, client: HttpApiPrometheus, selector: str) -> None:
        self.client = client
        self.query = f'count(http_requests_total{{{selector},status=~"5.."}})'
        self.seen: float | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.done.is_set() and self.seen is None:
            if self.client.instant(self.query):
                self.seen = time.monotonic()
            self.done.wait(0.1)

    def stop(self) -> float | None:
        self.done.set()
        self.thread.join(5)
        return self.seen


def _policy(interval: float, min_requests: int, looks: int) -> AnalysisPolicy:
    return AnalysisPolicy(
        interval_seconds=interval,
        window_seconds=10.0,
        looks=looks,
        failure_limit=0,
        consecutive_error_limit=3,
        no_data_limit=looks,
        min_requests=min_requests,
        required_passes=3,
    )


def _analyse(
    prometheus: LocalPrometheus,
    python: Path,
    logs: Path,
    faults: dict[str, str],
    policy: AnalysisPolicy,
) -> tuple[DecisionRecord, float, float | None, float | None]:
    """(record, analysis start, first failure, first 5xx in Prometheus), monotonic seconds."""
    app = f"bench-{uuid.uuid4().hex[:8]}"
    load = ThreadedLoadGenerator()
    with ExitStack() as stack:
        stable = stack.enter_context(running_service(python, logs, "stable"))
        canary = stack.enter_context(running_service(python, logs, "canary", faults))
        prometheus.add_target(Target(stable.address, app, "stable"))
        prometheus.add_target(Target(canary.address, app, "canary"))
        stack.callback(prometheus.remove_app, app)
        prometheus.wait_scraped(app, 2)
        selectors = TrackSelectors(f'app="{app}",track="canary"', f'app="{app}",track="stable"')
        client = HttpApiPrometheus(prometheus.url)
        source = PrometheusObservations(client, selectors)
        spec = AnalysisSpec(app, (catalog.error_rate(),), policy)
        profile = LoadProfile(f"{stable.url}/api/data", RATE, 2000, 60.0)
        stack.callback(load.start(profile).stop)
        started = time.monotonic()
        canary_run = load.start(LoadProfile(f"{canary.url}/api/data", RATE, 2000, 60.0))
        watch = FirstErrorWatch(client, selectors.candidate)
        record = run_analysis(spec, source, CLOCK)
        report = canary_run.stop()
        visible = watch.stop()
    first = started + report.failure_times[0] if report.failure_times else None
    return record, started, first, visible


def detect(
    prometheus: LocalPrometheus, python: Path, logs: Path, interval: float, min_requests: int
) -> Detection:
    """One run with a bad canary."""
    policy = _policy(interval, min_requests, looks=int(30 / interval))
    record, started, first, visible = _analyse(
        prometheus, python, logs, {"FAULT_ERROR_RATE": "0.2"}, policy
    )
    last = record.last_look
    if first is None or visible is None or last is None:
        msg = "the canary served no failure, or Prometheus never stored one"
        raise RuntimeError(msg)
    look_start = started + (last.index - 1) * interval
    verdict_at = started + record.seconds
    return Detection(
        record.verdict,
        scrape=visible - first,
        wait=look_start - visible,
        decision=verdict_at - look_start,
    )


def _figure(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--intervals", default="1.0,0.5", help="look intervals, comma-separated")
    parser.add_argument("--min-requests", type=int, default=50)
    parser.add_argument("--healthy-runs", type=int, default=5)
    args = parser.parse_args()
    intervals = [float(v) for v in args.intervals.split(",")]
    python = service_python()
    with tempfile.TemporaryDirectory() as tmp, running_prometheus() as prometheus:
        logs = Path(tmp)
        print(
            f"canary 20 % errors, {RATE:g} rps per version, window 10 s, "
            f"min requests {args.min_requests}, Prometheus scrape 1 s; {args.runs} runs each"
        )
        print(
            f"{'interval':>8}  {'total':>20}  {'scrape':>20}  {'wait':>20}  {'decision':>20}  fails"
        )
        for interval in intervals:
            runs = [
                detect(prometheus, python, logs, interval, args.min_requests)
                for _ in range(args.runs)
            ]
            fails = sum(run.verdict is Verdict.FAIL for run in runs)
            print(
                f"{interval:>7g}s  {_figure([r.total for r in runs]):>20}  "
                f"{_figure([r.scrape for r in runs]):>20}  "
                f"{_figure([r.wait for r in runs]):>20}  "
                f"{_figure([r.decision for r in runs]):>20}  {fails}/{len(runs)}"
            )
        false_fails = 0
        passes = 0
        for _ in range(args.healthy_runs):
            record, *_ = _analyse(prometheus, python, logs, {}, _policy(1.0, args.min_requests, 10))
            false_fails += record.verdict is Verdict.FAIL
            passes += record.verdict is Verdict.PASS and record.ending.reason is Reason.PASSED
        if args.healthy_runs:
            print(
                f"healthy canary: {false_fails} false FAIL of {args.healthy_runs} "
                f"({passes} passed, the rest held)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
