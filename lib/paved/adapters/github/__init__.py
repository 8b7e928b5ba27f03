"""GitHub REST access for ci-metrics, behind an interface."""

from paved.adapters.github.interface import (
    PER_PAGE,
    RESULT_CAP,
    BudgetExhaustedError,
    DeploymentRecord,
    DeploymentStatusRecord,
    GitHubClient,
    JobRecord,
    Page,
    RepositoryInfo,
    RequestTally,
    RunRecord,
)

__all__ = [
    "PER_PAGE",
    "RESULT_CAP",
    "BudgetExhaustedError",
    "DeploymentRecord",
    "DeploymentStatusRecord",
    "GitHubClient",
    "JobRecord",
    "Page",
    "RepositoryInfo",
    "RequestTally",
    "RunRecord",
]
