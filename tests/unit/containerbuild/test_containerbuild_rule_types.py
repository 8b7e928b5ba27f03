"""Every rule type against docker/metadata-action's own documented examples (its README's
tables for semver, pep440, match, schedule, edge and ref), case by case."""

from __future__ import annotations

import pytest
from containerbuild_support import make_event
from paved.containerbuild import LatestMode, parse_rules
from paved.containerbuild.tags import compute_tags


def _tags(rule: str, ref: str, **changes: object) -> tuple[str, ...]:
    return compute_tags(parse_rules([rule]), make_event(ref, **changes), LatestMode.NEVER).tags


@pytest.mark.parametrize(
    ("kind", "tag", "pattern", "match", "expected"),
    [
        ("semver", "v1.2.3", "{{raw}}", "", "v1.2.3"),
        ("semver", "v1.2.3", "{{version}}", "", "1.2.3"),
        ("semver", "v1.2.3", "{{major}}.{{minor}}", "", "1.2"),
        ("semver", "v1.2.3", "v{{major}}", "", "v1"),
        ("semver", "v1.2.3", "{{minor}}", "", "2"),
        ("semver", "v1.2.3", "{{patch}}", "", "3"),
        ("semver", "p1/v1.2.3", "{{version}}", r"v(\d.\d.\d)$", "1.2.3"),
        ("semver", "v2.0.8-beta.67", "{{raw}}", "", "v2.0.8-beta.67"),
        ("semver", "v2.0.8-beta.67", "{{version}}", "", "2.0.8-beta.67"),
        ("semver", "v2.0.8-beta.67", "{{major}}", "", "2.0.8-beta.67"),
        ("semver", "v2.0.8-beta.67", "{{major}}.{{minor}}", "", "2.0.8-beta.67"),
        ("semver", "1.2.3-rc.1", "{{major}}.{{minor}}", "", "1.2.3-rc.1"),
        ("pep440", "1.2.3", "{{raw}}", "", "1.2.3"),
        ("pep440", "1.2.3", "{{version}}", "", "1.2.3"),
        ("pep440", "v1.2.3", "{{version}}", "", "1.2.3"),
        ("pep440", "1.2.3", "{{major}}.{{minor}}", "", "1.2"),
        ("pep440", "1.2.3", "v{{major}}", "", "v1"),
        ("pep440", "v1.2.3rc2", "{{raw}}", "", "v1.2.3rc2"),
        ("pep440", "1.2.3rc2", "{{version}}", "", "1.2.3rc2"),
        ("pep440", "p1/v1.2.3", "{{version}}", r"v(\d.\d.\d)$", "1.2.3"),
        ("pep440", "1.2.3rc2", "{{major}}.{{minor}}", "", "1.2.3rc2"),
        ("pep440", "1.2.3post1", "{{major}}.{{minor}}", "", "1.2.3.post1"),
        ("pep440", "1.2.3beta2", "{{major}}.{{minor}}", "", "1.2.3b2"),
        ("pep440", "1.0dev4", "{{major}}.{{minor}}", "", "1.0.dev4"),
        ("pep440", "v1.2.3rc1", "{{version}}", "", "1.2.3rc1"),
        ("pep440", "v1.2.3rc1", "{{major}}", "", "1.2.3rc1"),
        ("pep440", "2024.1", "{{major}}", "", "2024"),
    ],
)
def test_version_rules(kind, tag, pattern, match, expected):
    rule = f"type={kind},pattern={pattern}" + (f",match={match}" if match else "")
    assert _tags(rule, f"refs/tags/{tag}") == (expected,)


def test_pep440_floating_tags_only_for_final_releases_and_latest_only_for_them():
    rules = parse_rules(["type=pep440,pattern={{version}}", "type=pep440,pattern={{major}}"])
    final = compute_tags(rules, make_event("refs/tags/1.2.3"), LatestMode.AUTO)
    pre = compute_tags(rules, make_event("refs/tags/1.2.3rc1"), LatestMode.AUTO)
    assert final.tags == ("1.2.3", "1", "latest")
    assert pre.tags == ("1.2.3rc1",)


def test_a_tag_that_is_no_version_gives_no_version_tag_and_says_why():
    rules = parse_rules(["type=pep440,pattern={{version}}"])
    result = compute_tags(rules, make_event("refs/tags/release-candidate"), LatestMode.NEVER)
    assert result.tags == ()
    assert "'release-candidate' is not a pep440 version" in result.notes[0]


@pytest.mark.parametrize(
    ("tag", "pattern", "group", "expected"),
    [
        ("v1.2.3", r"\d.\d.\d", "0", "1.2.3"),
        ("v2.0.8-beta.67", "v(.*)", "1", "2.0.8-beta.67"),
        ("v2.0.8-beta.67", r"v(\d.\d)", "1", "2.0"),
        ("20200110-RC2", r"\d+", "0", "20200110"),
        ("p1/v1.2.3", r"p1/v(\d.\d.\d)", "1", "1.2.3"),
    ],
)
def test_match(tag, pattern, group, expected):
    assert _tags(f"type=match,pattern={pattern},group={group}", f"refs/tags/{tag}") == (expected,)


def test_match_with_a_comma_in_the_pattern_is_quoted_as_csv_and_value_replaces_the_tag():
    rule = r'type=match,"pattern=v(\d{1,3}\.\d{1,3})",group=1,value=v10.20.30'
    assert _tags(rule, "refs/heads/dev") == ("10.20",)
    quoted = r'type=match,"pattern=v(\d{1,3}\.\d{1,3})",group=1'
    assert _tags(quoted, "refs/tags/v4.5.6") == ("4.5",)
    assert _tags("type=match,pattern=x(.*),group=1", "refs/tags/v1.2.3") == ()


@pytest.mark.parametrize(
    ("rule", "event_name", "expected"),
    [
        ("type=schedule", "schedule", ("nightly",)),
        ("type=schedule,pattern=nightly", "schedule", ("nightly",)),
        ("type=schedule,pattern={{date 'YYYYMMDD'}}", "schedule", ("20260304",)),
        ("type=schedule,pattern={{date 'YYYYMMDD-HHmmss'}}", "schedule", ("20260304-050607",)),
        ("type=schedule", "push", ()),
    ],
)
def test_schedule(rule, event_name, expected):
    assert _tags(rule, "refs/heads/main", event_name=event_name) == expected


@pytest.mark.parametrize(
    ("rule", "ref", "expected"),
    [
        ("type=edge", "refs/heads/main", ("edge",)),
        ("type=edge", "refs/heads/dev", ()),
        ("type=edge,branch=dev", "refs/heads/dev", ("edge",)),
        ("type=edge,branch=dev", "refs/heads/main", ()),
        ("type=edge", "refs/tags/v1.2.3", ()),
    ],
)
def test_edge(rule, ref, expected):
    assert _tags(rule, ref) == expected


def test_edge_without_a_known_default_branch_says_to_name_one():
    rules = parse_rules(["type=edge"])
    event = make_event("refs/heads/main", default_branch=None)
    result = compute_tags(rules, event, LatestMode.NEVER)
    assert result.tags == ()
    assert "give branch=" in result.notes[0]


@pytest.mark.parametrize(
    ("event", "ref", "rule", "expected"),
    [
        ("pull_request", "refs/pull/2/merge", "type=ref,event=pr", "pr-2"),
        ("push", "refs/heads/master", "type=ref,event=branch", "master"),
        ("push", "refs/heads/my/branch", "type=ref,event=branch", "my-branch"),
        ("push", "refs/tags/v1.2.3", "type=ref,event=tag", "v1.2.3"),
        ("push", "refs/tags/v2.0.8-beta.67", "type=ref,event=tag", "v2.0.8-beta.67"),
        ("workflow_dispatch", "refs/heads/master", "type=ref,event=branch", "master"),
        ("pull_request", "refs/pull/2/merge", "type=ref,event=pr,prefix=mr-", "mr-2"),
    ],
)
def test_ref(event, ref, rule, expected):
    number = 2 if event == "pull_request" else None
    assert _tags(rule, ref, event_name=event, pr_number=number) == (expected,)


def test_tags_come_in_priority_order_whatever_the_rule_order():
    rules = parse_rules(["type=sha", "type=raw,value=foo", "type=semver,pattern={{version}}"])
    event = make_event("refs/tags/v1.2.3")
    assert compute_tags(rules, event, LatestMode.NEVER).tags == ("1.2.3", "foo", "sha-0123456")
    lowered = parse_rules(["type=sha", "type=raw,value=foo,priority=1"])
    assert compute_tags(lowered, event, LatestMode.NEVER).tags == ("sha-0123456", "foo")


def test_is_not_default_branch_enables_a_rule_off_the_default_branch():
    rule = "type=raw,value=preview,enable={{is_not_default_branch}}"
    assert _tags(rule, "refs/heads/dev") == ("preview",)
    assert _tags(rule, "refs/heads/main") == ()
