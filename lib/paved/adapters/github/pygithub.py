"""The PyGithub backend: PyGithub's Requester for transport, its object model for parsing.

List pages go through `Requester.requestJson` rather than PaginatedList, because a
PaginatedList cannot send If-None-Match nor tell a 304 apart, and its urllib3 retry hides
retried attempts from the budget. So this module owns retries (Retry-After on 403/429), the
request budget and the ETags; PyGithub owns authentication, the API base URL (GitHub
Enterprise), connections, and turning JSON into WorkflowRun/WorkflowJob/Deployment objects.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from typing import TYPE_CHECKING, Any

import github
import requests
from github import Auth, Github
from github.Deployment import Deployment
from github.DeploymentStatus import DeploymentStatus
from github.WorkflowJob import WorkflowJob
from github.WorkflowRun import WorkflowRun

from paved import log
from paved.adapters.github.convert import deployment, job, run, status
from paved.adapters.github.interface import (
    PER_PAGE,
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
from paved.errors import EnvironmentProblemError, PavedError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    Refusal = Callable[[int, str, str], PavedError]
    """Words a 401/403/404 answer (status, path, GitHub's message) as paved's error."""

_UNAUTHORIZED = 401
_FORBIDDEN = 403
_NOT_FOUND = 404
_TOO_MANY = 429
_NOT_MODIFIED = 304
_ERROR = 400


class PyGithubClient(GitHubClient):
    """GitHub through PyGithub, counting every request against a budget."""

    def __init__(
        self,
        token: str,
        *,
        api_url: str = "https://api.github.com",
        max_requests: int = 900,
        rate_reserve: int = 20,
        request_interval: float = 0.25,
        max_retries: int = 4,
        max_wait_seconds: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tally = RequestTally()
        self._github = Github(
            auth=Auth.Token(token) if token else None,
            base_url=api_url.rstrip("/"),
            per_page=PER_PAGE,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            timeout=30,
        )
        self._max_requests = max_requests
        self._reserve = rate_reserve
        self._interval = request_interval
        self._max_retries = max_retries
        self._max_wait = max_wait_seconds
        self._sleep = sleep
        self._last = 0.0

    def repository(self, repo: str, etag: str | None) -> Page[RepositoryInfo]:
        path = f"/repos/{repo}"
        status_code, headers, data = self._get(path, {}, etag)
        if status_code == _NOT_MODIFIED:
            return Page(url=path, not_modified=True, etag=etag)
        if not isinstance(data, dict) or not isinstance(data.get("full_name"), str):
            msg = f"GitHub answered {path} with a body that is not a repository"
            raise EnvironmentProblemError(msg, hint="check --api-url points at a GitHub API")
        info = RepositoryInfo(data["full_name"], data.get("default_branch") or "main")
        return Page(url=path, not_modified=False, items=(info,), etag=headers.get("etag"))

    def runs_page(self, repo: str, created: str, page: int, etag: str | None) -> Page[RunRecord]:
        params = {"created": created, "per_page": PER_PAGE, "page": page}
        return self._list(
            f"/repos/{repo}/actions/runs",
            params,
            etag,
            lambda d: [run(self._make(WorkflowRun, r)) for r in d["workflow_runs"]],
        )

    def jobs_page(self, repo: str, run_id: int, page: int, etag: str | None) -> Page[JobRecord]:
        params = {"filter": "all", "per_page": PER_PAGE, "page": page}
        return self._list(
            f"/repos/{repo}/actions/runs/{run_id}/jobs",
            params,
            etag,
            lambda d: [job(self._make(WorkflowJob, j), run_id) for j in d["jobs"]],
        )

    def deployments_page(
        self, repo: str, environment: str, page: int, etag: str | None
    ) -> Page[DeploymentRecord]:
        params = {"environment": environment, "per_page": PER_PAGE, "page": page}
        return self._list(
            f"/repos/{repo}/deployments",
            params,
            etag,
            lambda d: [deployment(self._make(Deployment, x)) for x in d],
        )

    def statuses_page(
        self, repo: str, deployment_id: int, page: int, etag: str | None
    ) -> Page[DeploymentStatusRecord]:
        params = {"per_page": PER_PAGE, "page": page}
        return self._list(
            f"/repos/{repo}/deployments/{deployment_id}/statuses",
            params,
            etag,
            lambda d: [status(self._make(DeploymentStatus, x), deployment_id) for x in d],
        )

    def _make(self, klass: type[Any], raw: dict[str, Any]) -> Any:  # noqa: ANN401 - PyGithub class
        return self._github.create_from_raw_data(klass, raw)

    def _list(
        self,
        path: str,
        params: dict[str, Any],
        etag: str | None,
        parse: Callable[[Any], list[Any]],
    ) -> Page[Any]:
        url = f"{path}?{urllib.parse.urlencode(params)}"
        status_code, headers, data = self._get(path, params, etag)
        if status_code == _NOT_MODIFIED:
            return Page(url=url, not_modified=True, etag=etag)
        try:
            items = tuple(parse(data))
        except (KeyError, TypeError, AttributeError) as exc:
            msg = f"GitHub answered {path} with a body paved cannot read ({exc!r})"
            raise EnvironmentProblemError(
                msg, hint="check --api-url points at a GitHub API"
            ) from exc
        total = data.get("total_count") if isinstance(data, dict) else None
        return Page(
            url=url,
            not_modified=False,
            items=items,
            total_count=total,
            etag=headers.get("etag"),
            has_next='rel="next"' in headers.get("link", ""),
        )

    def _get(
        self, path: str, params: dict[str, Any], etag: str | None
    ) -> tuple[int, dict[str, Any], Any]:
        return self.call("GET", path, params=params, etag=etag)

    def call(
        self,
        verb: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        etag: str | None = None,
        body: dict[str, Any] | None = None,
        refusal: Refusal | None = None,
    ) -> tuple[int, dict[str, Any], Any]:
        """One request on the budget, retried on a secondary rate limit: (status, headers,
        checked JSON body). `refusal` words a 401/403/404 (default: the read-access one)."""
        headers = {"If-None-Match": etag} if etag else {}
        for attempt in range(self._max_retries + 1):
            self._check_budget()
            self._pace()
            try:
                code, answer, text = self._github.requester.requestJson(
                    verb, path, parameters=params or {}, headers=headers, input=body
                )
            except (requests.RequestException, github.GithubException, OSError) as exc:
                msg = f"cannot reach the GitHub API for {path}: {exc}"
                raise EnvironmentProblemError(msg, hint="check --api-url and the network") from exc
            self._count(code, answer)
            wait = _retry_after(code, answer, text)
            if wait is not None and attempt < self._max_retries:
                if wait > self._max_wait:
                    msg = f"GitHub asks to wait {wait:.0f} s before {path}"
                    raise BudgetExhaustedError(msg, hint="the next sync resumes where this stopped")
                log.info(f"secondary rate limit on {path}: waiting {wait:.0f} s (Retry-After)")
                self.tally.retries += 1
                self.tally.waited_seconds += wait
                self._sleep(wait)
                continue
            return code, answer, _check(code, path, text, answer, refusal or _read_refusal)
        msg = f"GitHub kept refusing {path} after {self._max_retries} retries"
        raise BudgetExhaustedError(msg, hint="the next sync resumes where this stopped")

    def _check_budget(self) -> None:
        if self.tally.counted >= self._max_requests:
            msg = f"the request budget of {self._max_requests} is used up"
            raise BudgetExhaustedError(msg, hint="the next sync resumes where this one stopped")
        remaining = self.tally.rate_remaining
        if remaining is not None and remaining <= self._reserve:
            msg = f"only {remaining} requests left in GitHub's rate limit (reserve {self._reserve})"
            raise BudgetExhaustedError(msg, hint="the next sync resumes where this one stopped")

    def _pace(self) -> None:
        gap = self._interval - (time.monotonic() - self._last)
        if gap > 0:
            self._sleep(gap)
        self._last = time.monotonic()

    def _count(self, code: int, headers: dict[str, Any]) -> None:
        tally = self.tally
        tally.statuses[code] = tally.statuses.get(code, 0) + 1
        if code == _NOT_MODIFIED:
            tally.not_modified += 1
        else:
            tally.counted += 1
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and str(remaining).isdigit():
            tally.rate_remaining = int(remaining)


def _retry_after(code: int, headers: dict[str, Any], body: str) -> float | None:
    """Seconds to wait before retrying a secondary rate limit, or None if not one."""
    if code not in {_FORBIDDEN, _TOO_MANY}:
        return None
    value = headers.get("retry-after")
    if value is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            return 60.0
    if headers.get("x-ratelimit-remaining") == "0":
        reset = headers.get("x-ratelimit-reset")
        if reset and str(reset).isdigit():
            return max(0.0, int(reset) - time.time())
    if "secondary rate limit" in body.lower():
        return 60.0  # GitHub's documented default when no header says how long
    return None


def _read_refusal(code: int, path: str, message: str) -> PavedError:
    """A 401/403/404 to a read: the token or the repository is wrong."""
    if code == _UNAUTHORIZED:
        return UsageError(f"GitHub refused the token ({message})", name="token")
    return UsageError(
        f"GitHub answered {code} for {path} ({message})",
        name="repository",
        valid="owner/name of a repository the token can read (actions: read)",
    )


def _check(code: int, path: str, body: str, headers: dict[str, Any], refusal: Refusal) -> Any:  # noqa: ANN401 - JSON
    """The JSON body of a GitHub answer, after its status and content type are checked.

    A GitHub outage page (HTML with a 5xx), a redirect to a login page (a wrong --api-url or a
    proxy) or a body that is not JSON is one clear error, never a parser's traceback.
    """
    if code == _NOT_MODIFIED:
        return None
    if _REDIRECT_FIRST <= code < _ERROR:
        where = headers.get("location") or "somewhere else"
        msg = f"GitHub answered {code} for {path}, a redirect to {where}, not an API answer"
        raise EnvironmentProblemError(
            msg, hint="check --api-url (GitHub Enterprise Server: https://HOST/api/v3)"
        )
    data = _json_body(body, headers)
    if code < _ERROR:
        if data is _NOT_JSON:
            kind = headers.get("content-type") or "no content type"
            msg = f"GitHub answered {path} with {kind}, not JSON"
            raise EnvironmentProblemError(msg, hint="check --api-url points at a GitHub API")
        return data
    message = data.get("message", "") if isinstance(data, dict) else _plain_text(body)
    if code in {_UNAUTHORIZED, _NOT_FOUND, _FORBIDDEN}:
        raise refusal(code, path, message)
    msg = f"GitHub answered {code} for {path} ({message})"
    raise EnvironmentProblemError(msg, hint="try again later")


_NOT_JSON = object()
"""What _json_body gives for a body that is not JSON."""
_REDIRECT_FIRST = 300


def _json_body(body: str, headers: dict[str, Any]) -> Any:  # noqa: ANN401 - JSON
    if not body:
        return None
    if "json" not in str(headers.get("content-type", "application/json")).lower():
        return _NOT_JSON
    try:
        return json.loads(body)
    except ValueError:
        return _NOT_JSON


def _plain_text(body: str) -> str:
    """The first words of a non-JSON error page, tags dropped, for the error message."""
    text = " ".join(re.sub(r"<[^>]*>", " ", body).split())
    return text[:160] or "an empty answer"
