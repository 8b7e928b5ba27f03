"""What `make demo` needs around act: the three pushes (each a real change of the service),
one act run of the composed pipeline per push, watched line by line for its jobs, their
times and outputs, and the timeline printed at the end.

act prints every line of a job as `[<caller job>/<called workflow>/<job name>] ...` (or
`[<workflow name>/<job>] ...` for its own bookkeeping); `🏁  Job succeeded|failed` ends a
job, and paved's actions echo each output as `| output <name>=<value>` under act. That is all
this module reads: what the pipeline did comes from the pipeline's own log.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

STAGING = "python-service-staging"
PRODUCTION = "python-service"
"""The apps on the Docker host (examples/consumer/pipeline-config.yaml): one HAProxy
backend each."""
NETWORK = "paved-demo"
LOAD_RATE = 40.0
"""Requests per second through HAProxy to production while the pipeline runs."""
_TAG = re.compile(r"^\[(?P<tag>[^\]]+)\]\s")
_OUTPUT = re.compile(r"\|\s+output (?P<name>[a-z0-9-]+)=(?P<value>.*)$")
_END = re.compile(r"🏁\s+Job (?P<result>succeeded|failed)")
DORA = re.compile(r"DORA \(records[^\n]*")


@dataclass
class Timeline:
    """What happened, in order, and how long each part took."""

    started: float = field(default_factory=time.monotonic)
    parts: list[tuple[str, float, float, str]] = field(default_factory=list)
    """(name, start offset, seconds, outcome)."""

    @contextmanager
    def part(self, name: str) -> Iterator[list[str]]:
        """Time one part; what the body appends to the list is its outcome."""
        began = time.monotonic()
        outcome: list[str] = []
        print(f"\n=== {name}", flush=True)
        try:
            yield outcome
        finally:
            ended = time.monotonic()
            self.parts.append((name, began - self.started, ended - began, "; ".join(outcome)))

    def mark(self, name: str) -> None:
        """A part that ran from the start until now (the start-up)."""
        self.parts.append((name, 0.0, time.monotonic() - self.started, ""))

    def add(self, name: str, began: float, ended: float, outcome: str = "") -> None:
        """A part timed elsewhere (monotonic clock readings), e.g. one job of an act run."""
        self.parts.append((name, began - self.started, ended - began, outcome))

    def text(self) -> str:
        """The timeline as the demo prints it at the end, in the order things started."""
        lines = ["", "paved demo timeline", "-------------------"]
        for name, at, seconds, outcome in sorted(self.parts, key=lambda part: part[1]):
            said = f": {outcome}" if outcome else ""
            lines.append(f"at {at:6.1f} s  took {seconds:6.1f} s  {name}{said}")
        lines.append(f"total {time.monotonic() - self.started:.1f} s (with the stop)")
        return "\n".join(lines)


@dataclass
class JobSpan:
    """One job of an act run as its log showed it."""

    job: str
    """The caller's job id in the composed workflow (deploy-production, ...)."""
    first: float
    last: float
    result: str = ""
    """succeeded or failed ('' while it runs)."""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class ActRun:
    """One `act push` of the composed pipeline: its exit code and its jobs."""

    workflow_name: str
    jobs: dict[str, JobSpan] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    code: int | None = None

    def follow(self, argv: list[str], cwd: Path) -> int:
        """Run act, echo its log, record each job's first and last line, result, outputs."""
        with subprocess.Popen(
            argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as act:
            assert act.stdout is not None  # stdout=PIPE above
            for line in act.stdout:
                sys.stdout.write(line)
                self._read(line.rstrip("\n"), time.monotonic())
            self.code = act.wait()
        sys.stdout.flush()
        return self.code

    def _read(self, line: str, now: float) -> None:
        self.lines.append(line)
        tagged = _TAG.match(line)
        if tagged is None:
            return
        parts = tagged["tag"].split("/")
        job = parts[1] if parts[0].strip() == self.workflow_name and len(parts) > 1 else parts[0]
        job = job.strip()
        span = self.jobs.setdefault(job, JobSpan(job, now, now))
        span.last = now
        if ended := _END.search(line):
            span.result = ended["result"]
        if output := _OUTPUT.search(line):
            span.outputs[output["name"]] = output["value"].strip()

    def ran(self, job: str) -> JobSpan | None:
        """The job, if it ran (act prints nothing for a job whose `if:` is false)."""
        span = self.jobs.get(job)
        return span if span is not None and span.result else None

    def output(self, job: str, name: str) -> str:
        """An output of a job that ran, or ''."""
        span = self.jobs.get(job)
        return span.outputs.get(name, "") if span else ""

    def dora(self) -> str:
        """ci-metrics' DORA line, or ''."""
        return next((m[0].strip() for line in self.lines if (m := DORA.search(line))), "")


@dataclass(frozen=True)
class Push:
    """One commit of the consumer repository: a version of the service and what it changes."""

    version: str
    change: str
    edit: Callable[[Path], None] | None = None
    """Changes the repository's files; None: the service as it is."""


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit one file; loud when the text to change is not there (the example changed)."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        msg = f"paved demo: {path} has no {old!r} to change"
        raise SystemExit(msg)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_message(repo: Path) -> None:
    """v2: what /api/data says, with its test (a reviewed change the pipeline tests)."""
    old, new = '"Hello from TechCorp API"', '"Hello from the TechCorp API"'
    replace_in(repo / "service" / "service" / "app.py", old, new)
    replace_in(repo / "service" / "tests" / "test_app.py", old, new)


def fault_knob_on(repo: Path) -> None:
    """v3: the image turns the service's fault knob on, 20 % of /api/data answered 500."""
    replace_in(
        repo / "service" / "Dockerfile",
        "    PYTHONUNBUFFERED=1\n",
        "    PYTHONUNBUFFERED=1 \\\n    FAULT_ERROR_RATE=0.2\n",
    )


PUSHES = (
    Push("v1", "the service as it is"),
    Push("v2", "a new /api/data message, with its test", new_message),
    Push("v3", "the fault knob on in the image (FAULT_ERROR_RATE=0.2)", fault_knob_on),
)


def live_version(url: str) -> str:
    """What the app's users get now: the version field of /health (the commit it was built
    from: the pipeline builds with APP_VERSION=github.sha)."""
    with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:  # noqa: S310 - loopback
        return str(json.loads(answer.read()).get("version", "?"))


def docker_discovery(docker_host: str, label: str, relabel: str) -> str:
    """Prometheus' scrape section: the engine's containers that carry `label` (name=value),
    found by Docker service discovery; `relabel` is the relabel_configs list (YAML, indented
    six spaces) that picks the address and labels the series."""
    return f"""\
scrape_configs:
  - job_name: app
    docker_sd_configs:
      - host: {docker_host}
        refresh_interval: 1s
        port: 8080
        filters:
          - name: label
            values: ["{label}"]
    relabel_configs:
{relabel}"""


INSTANCES = """\
      - source_labels: [__meta_docker_port_private, __meta_docker_port_public]
        regex: "8080;.+"
        action: keep
      - source_labels: [__meta_docker_container_label_paved_dev_app]
        target_label: app
      - source_labels: [__meta_docker_container_label_paved_dev_revision]
        target_label: revision
      - source_labels: [__meta_docker_port_public_ip, __meta_docker_port_public]
        regex: "(.+);(.+)"
        replacement: "$1:$2"
        target_label: __address__
"""
"""The Docker host's app instances (deploy-strategy labels them paved.dev/app and
paved.dev/revision), scraped on their published loopback port."""
