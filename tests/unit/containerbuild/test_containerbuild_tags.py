"""The tag table, case by case, as docker/metadata-action users expect it."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.containerbuild import DEFAULT_RULES, LatestMode, parse_rules
from paved.containerbuild.tags import compute_tags
from paved.errors import UsageError

RULES = parse_rules(DEFAULT_RULES)


@pytest.mark.parametrize(
    ("ref", "changes", "expected"),
    [
        ("refs/heads/main", {}, ("main", "sha-0123456", "latest")),
        ("refs/heads/develop", {}, ("develop", "sha-0123456")),
        ("refs/heads/feature/Login_v2", {}, ("feature-Login_v2", "sha-0123456")),
        (
            "refs/pull/42/merge",
            {"event_name": "pull_request", "pr_number": 42},
            ("pr-42", "sha-0123456"),
        ),
        ("refs/tags/v1.2.3", {}, ("1.2.3", "1.2", "1", "v1.2.3", "sha-0123456", "latest")),
        ("refs/tags/1.2.3", {}, ("1.2.3", "1.2", "1", "sha-0123456", "latest")),
        ("refs/tags/v0.4.1", {}, ("0.4.1", "v0.4.1", "sha-0123456", "latest")),
        ("refs/tags/v2.0.0-rc.1", {}, ("2.0.0-rc.1", "v2.0.0-rc.1", "sha-0123456")),
        (
            "refs/tags/v1.0.0+build.7",
            {},
            ("1.0.0-build.7", "1.0", "1", "v1.0.0-build.7", "sha-0123456", "latest"),
        ),
        ("refs/tags/nightly", {}, ("nightly", "sha-0123456")),
        ("refs/tags/1.2.3rc1", {}, ("1.2.3rc1", "sha-0123456")),
        ("refs/heads/main", {"default_branch": None}, ("main", "sha-0123456")),
        (
            "refs/heads/main",
            {"event_name": "schedule"},
            ("nightly", "main", "sha-0123456", "latest"),
        ),
    ],
    ids=[
        "default-branch",
        "other-branch",
        "branch-with-slash",
        "pull-request",
        "release-v1.2.3",
        "release-without-v",
        "zero-major-no-floating",
        "pre-release-no-floating-no-latest",
        "build-metadata",
        "non-semver-tag",
        "pep440-pre-release-tag",
        "default-branch-unknown",
        "schedule",
    ],
)
def test_default_rules(event, ref, changes, expected):
    assert compute_tags(RULES, event(ref, **changes), LatestMode.AUTO).tags == expected


@pytest.mark.parametrize(
    ("mode", "ref", "latest"),
    [
        (LatestMode.AUTO, "refs/heads/main", True),
        (LatestMode.AUTO, "refs/tags/v1.0.0", True),
        (LatestMode.AUTO, "refs/heads/dev", False),
        (LatestMode.RELEASE, "refs/heads/main", False),
        (LatestMode.RELEASE, "refs/tags/v1.0.0", True),
        (LatestMode.BRANCH, "refs/tags/v1.0.0", False),
        (LatestMode.BRANCH, "refs/heads/main", True),
        (LatestMode.NEVER, "refs/heads/main", False),
    ],
)
def test_latest_is_configurable(event, mode, ref, latest):
    assert ("latest" in compute_tags(RULES, event(ref), mode).tags) is latest


@pytest.mark.parametrize(
    ("branch", "tag"),
    [
        ("feature/ÜBER cool!", "feature-BER-cool-"),
        ("-leading/dash", "leading-dash"),
        ("..dots", "dots"),
        ("release/1.x", "release-1.x"),
        ("a" * 200, "a" * 128),
    ],
)
def test_weird_branch_names_are_sanitised_to_valid_tags(event, branch, tag):
    rules = parse_rules(["type=ref,event=branch"])
    assert compute_tags(rules, event(f"refs/heads/{branch}"), LatestMode.NEVER).tags == (tag,)


def test_a_branch_with_no_usable_character_gives_no_tag_and_says_why(event):
    result = compute_tags(
        parse_rules(["type=ref,event=branch"]), event("refs/heads/---"), LatestMode.NEVER
    )
    assert result.tags == ()
    assert "no character a tag may use" in result.notes[0]


@pytest.mark.parametrize(
    ("rule", "ref", "expected"),
    [
        ("type=raw,value=stable", "refs/heads/dev", ("stable",)),
        ("type=raw,value={{branch}}-{{sha}}", "refs/heads/dev", ("dev-0123456",)),
        ("type=raw,value=nightly-{{date 'YYYYMMDD'}}", "refs/heads/dev", ("nightly-20260304",)),
        ("type=raw,value=edge,enable={{is_default_branch}}", "refs/heads/main", ("edge",)),
        ("type=raw,value=edge,enable={{is_default_branch}}", "refs/heads/dev", ()),
        ("type=raw,value=off,enable=false", "refs/heads/main", ()),
        (
            "type=sha,format=long",
            "refs/heads/dev",
            ("sha-0123456789abcdef0123456789abcdef01234567",),
        ),
        ("type=sha,prefix=git-", "refs/heads/dev", ("git-0123456",)),
        ("type=sha,prefix=", "refs/heads/dev", ("0123456",)),
        ("type=ref,event=branch,prefix=br-,suffix=-x", "refs/heads/dev", ("br-dev-x",)),
        ("type=ref,event=tag", "refs/tags/v1.2.3", ("v1.2.3",)),
        ("type=semver,pattern=v{{major}}.{{minor}}", "refs/tags/v1.2.3", ("v1.2",)),
        ("type=semver,pattern={{version}}", "refs/heads/dev", ()),
        ("type=raw,value={{branch}}", "refs/tags/v1.2.3", ()),
    ],
)
def test_custom_rules(event, rule, ref, expected):
    assert compute_tags(parse_rules([rule]), event(ref), LatestMode.NEVER).tags == expected


def test_rules_that_give_the_same_tag_give_it_once(event):
    rules = parse_rules(["type=raw,value=main", "type=ref,event=branch"])
    assert compute_tags(rules, event("refs/heads/main"), LatestMode.AUTO).tags == ("main", "latest")


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("type=raw,value={{nope}}", "unknown placeholder {{nope}}"),
        ("type=raw,value={{version}}", "unknown placeholder {{version}}"),
        ("type=raw,value=a b", "literal text has ' '"),
        ("type=raw,value={{branch", "unbalanced"),
        ("type=raw", "value= is missing"),
        ("type=semver", "pattern= is missing"),
        ("type=bogus,value=x", "type='bogus' is unknown"),
        ("type=ref,event=push", "event='push'"),
        ("type=sha,format=medium", "format='medium'"),
        ("type=raw,value=x,colour=red", "unknown key colour"),
        ("type=raw,value=x,enable=yes", "enable='yes' is not valid"),
        ("type=raw,value=x,value=y", "value is given twice"),
        ("type=raw,stable", "'stable' is not key=value"),
        ("type=raw,value={{date}}", "needs a format"),
        ("type=pep440", "pattern= is missing"),
        ("type=match", "pattern= is missing"),
        ("type=match,pattern=v(", "not a regular expression"),
        ("type=match,pattern=v(.*),group=2", "has 1 group(s)"),
        ("type=match,pattern=v(.*),group=one", "is not a group number"),
        ("type=semver,pattern={{version}},match=(", "not a regular expression"),
        ("type=raw,value=x,priority=high", "is not a whole number"),
        ("type=edge,event=tag", "unknown key event"),
        ('type=raw,"value=a', "not comma-separated"),
    ],
)
def test_invalid_rules_are_usage_errors_naming_the_rule_and_what_is_valid(rule, says):
    with pytest.raises(UsageError) as caught:
        parse_rules([rule], name="tags")
    message = str(caught.value)
    assert message.startswith(f"tags: tag rule {rule!r}")
    assert says in message
    assert "(valid: " in message


def test_a_rule_that_renders_an_invalid_tag_is_a_usage_error(event):
    rules = parse_rules(["type=raw,value=-{{branch}}"])
    with pytest.raises(UsageError, match="not a valid tag"):
        compute_tags(rules, event("refs/heads/dev"), LatestMode.NEVER)


README = Path(__file__).resolve().parents[3] / "README.md"
README_EVENTS = {
    "push to `main` (default branch)": ("refs/heads/main", {}),
    "tag `v1.2.3`": ("refs/tags/v1.2.3", {}),
    "tag `1.2.3rc1`": ("refs/tags/1.2.3rc1", {}),
    "tag `v2.0.8-beta.67`": ("refs/tags/v2.0.8-beta.67", {}),
    "tag `v0.4.1`": ("refs/tags/v0.4.1", {}),
    "pull request 42": ("refs/pull/42/merge", {"event_name": "pull_request", "pr_number": 42}),
    "schedule on `main`": ("refs/heads/main", {"event_name": "schedule"}),
}


def test_the_readme_table_of_default_tags_is_what_the_defaults_give(event):
    header = "| event | metadata-action's defaults | paved's defaults |"
    block = README.read_text(encoding="utf-8").split(header, 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split("|") for line in block.strip().splitlines()[1:]]
    assert {row[0].strip() for row in rows} == set(README_EVENTS)
    for first, _, ours in rows:
        ref, changes = README_EVENTS[first.strip()]
        expected = tuple(
            tag.strip().strip("`").replace("sha-0123abc", "sha-0123456") for tag in ours.split(",")
        )
        assert compute_tags(RULES, event(ref, **changes), LatestMode.AUTO).tags == expected, first
