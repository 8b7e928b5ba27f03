"""The GitHub interface: list pages of runs, jobs and deployments, conditionally and on a budget.

Records are plain values whose times are UTC epoch seconds (floats): metrics load 100,000
runs and twice as many jobs at once, and a float costs a fraction of a datetime to make, to
subtract and to compare (see benchmarks/ci_metrics.py). Datetimes stay at the edges: a backend
converts the API's, the metrics take their window as datetimes. A backend also translates its
library's objects and exceptions (paved.errors types, plus BudgetExhaustedError below) so the
capability never sees the HTTP library.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, NamedTuple, TypeVar

from paved.errors import EnvironmentProblemError

PER_PAGE = 100
"""Items per list page: GitHub's maximum, so a sync costs as few requests as it can."""
RESULT_CAP = 1000
"""A filtered runs list never returns more than this many results, whatever total_count says."""


class RunRecord(NamedTuple):
    """One workflow run as the runs list shows it (its latest attempt).

    A NamedTuple, not a frozen dataclass: metrics load 100,000 of these at once, and a tuple
    is several times cheaper to build.
    """

    id: int
    workflow_id: int
    workflow: str
    """The workflow's file name (`ci.yml`), or its name when the API gives no path."""
    head_branch: str
    head_sha: str
    event: str
    status: str
    conclusion: str | None
    run_attempt: int
    created_at: float
    updated_at: float
    run_started_at: float | None = None


class JobRecord(NamedTuple):
    """One job of one attempt of a run (jobs are listed with filter=all); a NamedTuple too."""

    id: int
    run_id: int
    run_attempt: int
    name: str
    status: str
    conclusion: str | None
    created_at: float | None
    started_at: float | None
    completed_at: float | None
    head_sha: str = ""


@dataclass(frozen=True)
class DeploymentRecord:
    """One GitHub Deployment."""

    id: int
    sha: str
    ref: str
    environment: str
    created_at: float
    tool: str = ""
    """The deploy tool its payload names (`tool: paved` on paved's own); empty otherwise."""


@dataclass(frozen=True)
class DeploymentStatusRecord:
    """One status of a deployment (success, failure, error, inactive, in_progress...)."""

    id: int
    deployment_id: int
    state: str
    created_at: float


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One list page; `not_modified` means a 304: the stored copy is still right."""

    url: str
    """The request's identity (path and query): the key its ETag is stored under."""
    not_modified: bool
    items: tuple[T, ...] = ()
    total_count: int | None = None
    etag: str | None = None
    has_next: bool = False


@dataclass
class RequestTally:
    """What a sync cost, as GitHub counts it."""

    counted: int = 0
    """Requests answered with anything but 304: these count against the rate limit."""
    not_modified: int = 0
    """304 answers to conditional requests: free."""
    retries: int = 0
    """Requests repeated after a secondary rate limit (403/429 with Retry-After)."""
    waited_seconds: float = 0.0
    rate_remaining: int | None = None
    statuses: dict[int, int] = field(default_factory=dict)


class BudgetExhaustedError(EnvironmentProblemError):
    """The request budget (or the rate limit's reserve) is used up: stop cleanly, resume later."""


@dataclass(frozen=True)
class RepositoryInfo:
    """What the sync needs to know about the repository."""

    full_name: str
    default_branch: str


class GitHubClient(ABC):
    """Read-only access to a repository's Actions history."""

    tally: RequestTally

    @abstractmethod
    def repository(self, repo: str, etag: str | None) -> Page[RepositoryInfo]:
        """The repository's name and default branch, as a one-item page (conditional too)."""

    @abstractmethod
    def runs_page(self, repo: str, created: str, page: int, etag: str | None) -> Page[RunRecord]:
        """One page of runs created in `created` (GitHub's `created` search syntax)."""

    @abstractmethod
    def jobs_page(self, repo: str, run_id: int, page: int, etag: str | None) -> Page[JobRecord]:
        """One page of a run's jobs, every attempt (filter=all)."""

    @abstractmethod
    def deployments_page(
        self, repo: str, environment: str, page: int, etag: str | None
    ) -> Page[DeploymentRecord]:
        """One page of deployments to `environment`, newest first."""

    @abstractmethod
    def statuses_page(
        self, repo: str, deployment_id: int, page: int, etag: str | None
    ) -> Page[DeploymentStatusRecord]:
        """One page of a deployment's statuses, newest first."""


class DeploymentState(StrEnum):
    """A GitHub deployment status's state (the ones paved posts)."""

    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    SUCCESS = "success"
    FAILURE = "failure"
    ERROR = "error"
    INACTIVE = "inactive"


PAVED_TOOL = "paved"
"""The payload's `tool` on the deployments paved makes: how paved's are told from others."""
TERMINAL_STATES = frozenset({"success", "failure", "error", "inactive"})
"""A deployment whose latest status is one of these is over: a new rollout gets a new one."""


@dataclass(frozen=True)
class DeploymentRequest:
    """The GitHub Deployment one rollout is recorded as."""

    repository: str
    """owner/name."""
    sha: str
    """The commit deployed (the deployment's ref)."""
    environment: str
    app: str
    image: str
    description: str
    production: bool
    """GitHub's production_environment: the environment end users use."""
    task: str = "deploy"


@dataclass(frozen=True)
class ExistingDeployment:
    """A deployment already on GitHub for the same commit, task and environment."""

    id: int
    app: str | None
    """From the payload paved writes; None for a deployment something else made."""
    image: str | None


@dataclass(frozen=True)
class StatusUpdate:
    """One deployment status to post."""

    state: DeploymentState
    description: str
    environment_url: str | None = None
    log_url: str | None = None


class DeploymentPublisher(ABC):
    """Write access to a repository's Deployments (the token needs deployments: write)."""

    @abstractmethod
    def deployments(self, request: DeploymentRequest) -> tuple[ExistingDeployment, ...]:
        """Deployments of the request's sha, task and environment, newest first."""

    @abstractmethod
    def latest_state(self, repository: str, deployment_id: int) -> str | None:
        """The state of a deployment's newest status (None: it has none)."""

    @abstractmethod
    def create(self, request: DeploymentRequest) -> int:
        """Create the deployment; its id."""

    @abstractmethod
    def post_status(self, repository: str, deployment_id: int, update: StatusUpdate) -> None:
        """Add a status to the deployment."""
