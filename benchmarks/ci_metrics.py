"""ci-metrics: what a sync costs in requests, and how fast the metrics come out of the store.

sync:      a generated repository of 10,000 runs (100 a day for 100 days, one job each),
           served by the replay server (tests/components/github_replay.py); a first sync
           into an empty store, then an immediate re-sync. Requests are counted by the
           server: those that count against the rate limit, and 304s (free).
aggregate: 100,000 runs and 200,000 jobs in a SQLite store; the time to load the window
           from the store and compute every metric (pipeline and DORA).
Targets (issue 5): a re-sync of an unchanged repository costs at most a few requests, all
304s; aggregating 100,000 runs takes under 2 s. Medians of the repetitions are printed.

    python benchmarks/ci_metrics.py [--runs 10000] [--repeat 3] [--aggregate-runs 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "lib"), str(ROOT / "tests")]

from components.github_history import HistoryBuilder, JobSpec, RunSpec  # noqa: E402
from components.github_replay import ReplayServer  # noqa: E402
from paved import log  # noqa: E402
from paved.adapters.github.interface import JobRecord, Page, RunRecord  # noqa: E402
from paved.adapters.github.pygithub import PyGithubClient  # noqa: E402
from paved.adapters.store.sqlite import SqliteStore  # noqa: E402
from paved.cimetrics import CiMetricsOptions, collect_metrics  # noqa: E402

NOW = datetime(2024, 5, 10, 12, tzinfo=UTC)


class _Quiet:
    def __getattr__(self, name: str) -> object:
        return lambda *_args, **_kwargs: None


def _sync(server: ReplayServer, store: Path, days: int, *, jobs: bool) -> tuple[int, int, float]:
    server.reset_stats()
    client = PyGithubClient(
        "dummy", api_url=server.url, max_requests=10**6, rate_reserve=-1, request_interval=0
    )
    options = CiMetricsOptions("bench/repo", NOW, days=days, fetch_jobs=jobs)
    started = time.perf_counter()
    database = SqliteStore(store)
    collect_metrics(options, client, database)
    database.close()
    elapsed = time.perf_counter() - started
    counted = sum(n for k, n in server.stats.items() if k != "304")
    return counted, server.stats["304"], elapsed


def bench_sync(runs: int, repeat: int) -> None:
    """First sync and immediate re-sync of a generated repository."""
    per_day = 100
    days = max(1, runs // per_day)
    first = NOW - timedelta(days=days)
    every = timedelta(days=days) / runs
    specs = [
        RunSpec(
            10**6 + n,
            first + n * every,
            300 + n % 240,
            "failure" if n % 10 == 0 else "success",
            jobs=(JobSpec("build", 200, queued=n % 30),),
        )
        for n in range(runs)
    ]
    with ReplayServer() as server:
        server.add(HistoryBuilder(server.exchanges).repository("bench/repo", specs))
        for jobs in (False, True):
            firsts, agains, times = [], [], []
            for _ in range(repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    store = Path(tmp) / "metrics.sqlite"
                    counted, _free, seconds = _sync(server, store, days // 2 + 1, jobs=jobs)
                    firsts.append(counted)
                    times.append(seconds)
                    agains.append(_sync(server, store, days // 2 + 1, jobs=jobs))
            label = "with jobs" if jobs else "runs only"
            again_counted = statistics.median(a[0] for a in agains)
            again_free = statistics.median(a[1] for a in agains)
            print(
                f"sync {runs} runs ({label}): first sync {statistics.median(firsts):.0f} "
                f"requests in {statistics.median(times):.1f} s; immediate re-sync "
                f"{again_counted:.0f} counted + {again_free:.0f} answered 304 "
                f"in {statistics.median(a[2] for a in agains):.2f} s"
            )


def bench_aggregate(runs: int, repeat: int) -> None:
    """Load the window from the store and compute every metric."""
    days = 60
    # Records hold times as UTC epoch seconds.
    first = (NOW - timedelta(days=days)).timestamp()
    every = days * 86400 / runs
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "metrics.sqlite")
        for offset in range(0, runs, 1000):
            batch = []
            jobs: list[JobRecord] = []
            for n in range(offset, min(runs, offset + 1000)):
                created = first + n * every
                workflow = ("ci.yml", "deploy.yml", "nightly.yml")[n % 3]
                batch.append(RunRecord(
                    n + 1, n % 3, workflow, "main" if n % 4 else f"feature-{n % 50}",
                    f"{n // 3:040x}", "push", "completed",
                    "failure" if n % 9 == 0 else "success", 1 + (n % 17 == 0), created,
                    created + 200 + n % 300, created,
                ))  # fmt: skip
                jobs.extend(
                    JobRecord(
                        10**7 + 2 * n + k, n + 1, 1, f"job-{k}", "completed", "success",
                        created, created + 3 + n % 20, created + 100,
                    )
                    for k in range(2)
                )  # fmt: skip
            runs_page = Page("", not_modified=False, items=tuple(batch))
            store.save_runs("bench/repo", f"runs-{offset}", runs_page)
            page = Page("", not_modified=False, items=tuple(jobs))
            store.save_jobs("bench/repo", f"jobs-{offset}", batch[0].id, page, last=False)
        options = CiMetricsOptions(
            "bench/repo", NOW, days=days // 2, sync=False, deploy_workflows=("deploy.yml",)
        )
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            outcome = collect_metrics(options, None, store)
            times.append(time.perf_counter() - started)
        store.close()
    total = outcome.overall.total + outcome.previous.total
    print(
        f"aggregate {total} runs (jobs of the reporting window: {2 * outcome.overall.total}) "
        "from the store: median "
        f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}); "
        "target < 2 s"
    )


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--aggregate-runs", type=int, default=100_000)
    args = parser.parse_args()
    log.install(_Quiet())  # type: ignore[arg-type]
    bench_aggregate(args.aggregate_runs, max(args.repeat, 5))
    bench_sync(args.runs, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
