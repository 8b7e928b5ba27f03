"""Generated repositories for the replay server: real recorded run and job objects as templates.

Each generated run is a copy of a real run from the recordings with its id, times, branch,
commit, workflow and conclusion replaced; each job likewise. Plain Python, no pytest.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from components.github_replay import Exchange, Repository, load_exchanges, stamp


@dataclass(frozen=True)
class JobSpec:
    """A job of a generated run."""

    name: str
    seconds: float
    conclusion: str = "success"
    queued: float = 5.0
    attempt: int = 1


@dataclass(frozen=True)
class RunSpec:
    """A generated run."""

    id: int
    created: datetime
    seconds: float
    conclusion: str | None = "success"
    status: str = "completed"
    branch: str = "main"
    sha: str = ""
    workflow: str = "ci.yml"
    event: str = "push"
    attempt: int = 1
    jobs: tuple[JobSpec, ...] = field(default=())


def _templates(exchanges: list[Exchange]) -> tuple[dict, dict, tuple[tuple[str, str], ...]]:
    run = job = None
    headers: tuple[tuple[str, str], ...] = ()
    for ex in exchanges:
        if ex.path.endswith("/actions/runs/3881497935") and run is None:
            run = json.loads(ex.body)
        if ex.path.endswith("/actions/runs/3881497935/jobs") and job is None:
            job = json.loads(ex.body)["jobs"][0]
        if ex.path == "/repos/PyGithub/PyGithub/actions/runs":
            headers = ex.headers
    assert run is not None
    assert job is not None
    return run, job, headers


class HistoryBuilder:
    """Makes Repository objects from RunSpecs."""

    def __init__(self, exchanges: list[Exchange] | None = None) -> None:
        self.run_template, self.job_template, self.headers = _templates(
            exchanges or load_exchanges()
        )
        self._job_ids = 10**10

    def repository(
        self, full_name: str, runs: list[RunSpec], default_branch: str = "main"
    ) -> Repository:
        repo = Repository(
            full_name,
            {"full_name": full_name, "default_branch": default_branch, "id": 1},
            template_headers=self.headers,
        )
        for spec in runs:
            self.put(repo, spec)
        return repo

    def put(self, repo: Repository, spec: RunSpec) -> None:
        """Add or replace a run, and add its jobs."""
        run = copy.copy(self.run_template)
        started = spec.created
        run.update(
            id=spec.id,
            name=spec.workflow.removesuffix(".yml"),
            path=f".github/workflows/{spec.workflow}",
            workflow_id=abs(hash(spec.workflow)) % 10**8,
            head_branch=spec.branch,
            head_sha=spec.sha or f"{spec.id:040x}",
            event=spec.event,
            status=spec.status,
            conclusion=spec.conclusion,
            run_attempt=spec.attempt,
            created_at=stamp(spec.created),
            run_started_at=stamp(started),
            updated_at=stamp(started + timedelta(seconds=spec.seconds)),
        )
        repo.runs[spec.id] = run
        jobs = repo.jobs.setdefault(spec.id, [])
        for job_spec in spec.jobs:
            jobs.append(self.job(spec, run["head_sha"], job_spec))

    def job(self, run: RunSpec, sha: str, spec: JobSpec) -> dict:
        """A job object of `run`."""
        self._job_ids += 1
        job = copy.copy(self.job_template)
        created = run.created + timedelta(seconds=1)
        started = created + timedelta(seconds=spec.queued)
        job.update(
            id=self._job_ids,
            run_id=run.id,
            run_attempt=spec.attempt,
            name=spec.name,
            head_sha=sha,
            status="completed",
            conclusion=spec.conclusion,
            created_at=stamp(created),
            started_at=stamp(started),
            completed_at=stamp(started + timedelta(seconds=spec.seconds)),
        )
        return job

    def rerun(
        self,
        repo: Repository,
        run_id: int,
        *,
        conclusion: str,
        after: timedelta,
        jobs: tuple[JobSpec, ...],
    ) -> None:
        """Re-run a run: its attempt goes up, it ends `after` later, new jobs join the old."""
        run = repo.runs[run_id]
        attempt = run["run_attempt"] + 1
        ended = datetime.fromisoformat(run["updated_at"]) + after
        run.update(
            run_attempt=attempt,
            conclusion=conclusion,
            run_started_at=stamp(ended - timedelta(seconds=60)),
            updated_at=stamp(ended),
        )
        spec = RunSpec(run_id, ended - timedelta(seconds=61), 60)
        for job_spec in jobs:
            repo.jobs[run_id].append(
                self.job(
                    spec,
                    run["head_sha"],
                    JobSpec(
                        job_spec.name,
                        job_spec.seconds,
                        job_spec.conclusion,
                        job_spec.queued,
                        attempt,
                    ),
                )
            )
        repo.mutated = True
