"""The Git event an image is built for: what triggered the run, from which ref and repository.

The front end reads GITHUB_* variables and the event payload; this module only turns those
values into a GitEvent (no environment, no files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

_PULL_REF = re.compile(r"refs/pull/(?P<number>[0-9]+)/(?:merge|head)")
_SHA = re.compile(r"[0-9a-f]{7,64}")
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})


@dataclass(frozen=True)
class GitEvent:
    """Everything tags and labels are computed from."""

    event_name: str
    """push, pull_request, workflow_dispatch, schedule... (GITHUB_EVENT_NAME)."""
    ref: str
    """refs/heads/<branch>, refs/tags/<tag> or refs/pull/<n>/merge (GITHUB_REF)."""
    sha: str
    """The commit built (GITHUB_SHA), full length."""
    repository: str
    """owner/name (GITHUB_REPOSITORY)."""
    created: datetime
    """When the image is made (the build start, or SOURCE_DATE_EPOCH), timezone-aware UTC."""
    server_url: str = "https://github.com"
    default_branch: str | None = None
    """From the event payload's repository; None when unknown (then no branch is default)."""
    pr_number: int | None = None
    base_ref: str | None = None
    """The pull request's target branch."""
    description: str | None = None
    licenses: str | None = None
    """SPDX identifier of the repository's licence, from the payload."""
    html_url: str | None = None

    @property
    def branch(self) -> str | None:
        """The branch pushed to, or None for tags and pull requests."""
        prefix = "refs/heads/"
        return self.ref[len(prefix) :] if self.ref.startswith(prefix) else None

    @property
    def tag(self) -> str | None:
        """The Git tag pushed, or None."""
        prefix = "refs/tags/"
        return self.ref[len(prefix) :] if self.ref.startswith(prefix) else None

    @property
    def is_pull_request(self) -> bool:
        """Whether the run is for a pull request."""
        return self.pr_number is not None

    @property
    def is_default_branch(self) -> bool:
        """A push to the repository's default branch."""
        return self.branch is not None and self.branch == self.default_branch

    @property
    def short_sha(self) -> str:
        """The first seven characters of the commit, as Git and metadata-action show it."""
        return self.sha[:7]

    @property
    def source_url(self) -> str:
        """The repository's web address."""
        return f"{self.server_url.rstrip('/')}/{self.repository}"


def event_from(
    environ: Mapping[str, str], payload: Mapping[str, object] | None, created: datetime
) -> GitEvent:
    """A GitEvent from GITHUB_* values and the event payload (parsed JSON, or None).

    Raise UsageError naming the variable that is missing or not valid.
    """
    values = {name: environ.get(name, "").strip() for name in _REQUIRED}
    for name, value in values.items():
        if not value:
            raise UsageError(
                "is not set", name=name, valid=_REQUIRED[name] + " (set it, or pass the flag)"
            )
    sha = values["GITHUB_SHA"].lower()
    if not _SHA.fullmatch(sha):
        raise UsageError(f"{sha!r} is not a commit SHA", name="GITHUB_SHA", valid="hex digits")
    body = payload or {}
    repo = _mapping(body.get("repository"))
    pull = _mapping(body.get("pull_request"))
    license_info = _mapping(repo.get("license"))
    ref = values["GITHUB_REF"]
    return GitEvent(
        event_name=values["GITHUB_EVENT_NAME"],
        ref=ref,
        sha=sha,
        repository=values["GITHUB_REPOSITORY"],
        created=created,
        server_url=environ.get("GITHUB_SERVER_URL") or "https://github.com",
        default_branch=_text(repo.get("default_branch")) or None,
        pr_number=_pr_number(values["GITHUB_EVENT_NAME"], ref, body, pull),
        base_ref=environ.get("GITHUB_BASE_REF") or _text(_mapping(pull.get("base")).get("ref")),
        description=_text(repo.get("description")) or None,
        licenses=_spdx(license_info.get("spdx_id")),
        html_url=_text(repo.get("html_url")) or None,
    )


_REQUIRED = {
    "GITHUB_EVENT_NAME": "an event name such as push or pull_request",
    "GITHUB_REF": "a ref such as refs/heads/main or refs/tags/v1.2.3",
    "GITHUB_SHA": "the commit SHA",
    "GITHUB_REPOSITORY": "owner/name",
}


def _pr_number(
    event_name: str, ref: str, body: Mapping[str, object], pull: Mapping[str, object]
) -> int | None:
    number = body.get("number", pull.get("number"))
    if isinstance(number, int) and not isinstance(number, bool):
        return number
    match = _PULL_REF.fullmatch(ref)
    if match:
        return int(match["number"])
    if event_name in PULL_REQUEST_EVENTS:
        raise UsageError(
            f"a {event_name} event without a pull request number",
            name="GITHUB_REF",
            valid="refs/pull/<number>/merge, or an event payload with 'number'",
        )
    return None


def _spdx(value: object) -> str | None:
    text = _text(value)
    # GitHub reports NOASSERTION when it cannot tell the licence: that is not a licence.
    return text if text and text != "NOASSERTION" else None


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
