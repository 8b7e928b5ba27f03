"""OCI labels from the event and the repository, and the event read from GITHUB_* values."""

from __future__ import annotations

import pytest
from containerbuild_support import CREATED, SHA
from paved.containerbuild import DEFAULT_RULES, compute_metadata, event_from, parse_rules
from paved.errors import UsageError

RULES = parse_rules(DEFAULT_RULES)
ENV = {
    "GITHUB_EVENT_NAME": "push",
    "GITHUB_REF": "refs/tags/v1.2.3",
    "GITHUB_SHA": SHA,
    "GITHUB_REPOSITORY": "acme/api",
    "GITHUB_SERVER_URL": "https://github.example",
}
PAYLOAD = {
    "repository": {
        "default_branch": "main",
        "description": "The API",
        "license": {"spdx_id": "Apache-2.0"},
        "html_url": "https://github.example/acme/api",
    }
}


def test_oci_labels_come_from_the_event_and_the_repository():
    event = event_from(ENV, PAYLOAD, CREATED)
    labels = dict(compute_metadata("ghcr.io/acme/api", RULES, event).labels)
    assert labels == {
        "org.opencontainers.image.title": "api",
        "org.opencontainers.image.description": "The API",
        "org.opencontainers.image.source": "https://github.example/acme/api",
        "org.opencontainers.image.url": "https://github.example/acme/api",
        "org.opencontainers.image.revision": SHA,
        "org.opencontainers.image.version": "1.2.3",
        "org.opencontainers.image.created": "2026-03-04T05:06:07Z",
        "org.opencontainers.image.licenses": "Apache-2.0",
    }


def test_labels_without_payload_leave_out_what_is_unknown_and_extra_labels_win():
    event = event_from({**ENV, "GITHUB_REF": "refs/heads/dev"}, None, CREATED)
    metadata = compute_metadata(
        "r/acme/api", RULES, event, title="API", extra_labels={"team": "core"}
    )
    labels = dict(metadata.labels)
    assert "org.opencontainers.image.licenses" not in labels
    assert "org.opencontainers.image.description" not in labels
    assert labels["org.opencontainers.image.title"] == "API"
    assert labels["org.opencontainers.image.version"] == "dev"
    assert labels["team"] == "core"
    assert metadata.references == ("r/acme/api:dev", "r/acme/api:sha-0123456")
    assert "manifest:org.opencontainers.image.version=dev" in metadata.annotations


def test_a_pull_request_event_takes_its_number_from_the_payload():
    env = {**ENV, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": "refs/pull/7/merge"}
    event = event_from(env, {"number": 7, "pull_request": {"base": {"ref": "main"}}}, CREATED)
    assert event.pr_number == 7
    assert event.base_ref == "main"
    assert compute_metadata("r/a", RULES, event).tags == ("pr-7", "sha-0123456")


def test_noassertion_is_not_a_licence():
    payload = {"repository": {"license": {"spdx_id": "NOASSERTION"}}}
    assert event_from(ENV, payload, CREATED).licenses is None


@pytest.mark.parametrize(
    "missing", ["GITHUB_REF", "GITHUB_SHA", "GITHUB_REPOSITORY", "GITHUB_EVENT_NAME"]
)
def test_a_missing_github_variable_is_named(missing):
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(UsageError, match=missing):
        event_from(env, None, CREATED)


def test_no_rule_applying_is_a_usage_error():
    event = event_from({**ENV, "GITHUB_REF": "refs/heads/dev"}, None, CREATED)
    with pytest.raises(UsageError, match="no tag rule gives a tag"):
        compute_metadata("r/a", parse_rules(["type=ref,event=pr"]), event)
