"""Image tags from tag rules (paved.containerbuild.rules) and the Git event, the way
docker/metadata-action users expect: highest priority first, deduplicated, `latest` last."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.containerbuild import template, versions
from paved.containerbuild.naming import TAG_MAX, TAG_RULE, is_valid_tag, sanitize_tag
from paved.containerbuild.rules import RefEvent, RuleType, TagRule
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from paved.containerbuild.event import GitEvent
    from paved.containerbuild.versions import TagVersion


class LatestMode(StrEnum):
    """When the `latest` tag is added."""

    AUTO = "auto"
    """On a push to the default branch and on a final-release tag (not a pre-release)."""
    RELEASE = "release"
    """On a final-release tag only."""
    BRANCH = "branch"
    """On a push to the default branch only."""
    NEVER = "never"


SCHEDULE_EVENT = "schedule"


@dataclass(frozen=True)
class TagSet:
    """The tags one event gets, in priority order, and why some rules gave none."""

    tags: tuple[str, ...]
    notes: tuple[str, ...] = ()


def compute_tags(rules: Sequence[TagRule], event: GitEvent, latest: LatestMode) -> TagSet:
    """The tags for `event`, deduplicated in rule order, `latest` last when it applies."""
    tags: list[str] = []
    notes: list[str] = []
    event_values = template.event_values(event)
    for rule in rules:
        if not _enabled(rule, event):
            continue
        found = _body(rule, event, notes)
        if found is None:
            continue
        body, version = found
        values = {**event_values, **(version.values() if version else {})}
        prefix = template.render(rule.get("prefix", _prefix(rule)), values, event)
        suffix = template.render(rule.get("suffix"), values, event)
        if prefix is None or suffix is None:
            notes.append(f"{rule.source}: a prefix or suffix value is empty for this event")
            continue
        tag = _finish(rule, prefix + body + suffix, notes)
        if tag not in tags:
            tags.append(tag)
    if _wants_latest(event, latest) and "latest" not in tags:
        tags.append("latest")
    return TagSet(tags=tuple(tags), notes=tuple(notes))


def _enabled(rule: TagRule, event: GitEvent) -> bool:
    enable = rule.get("enable", "true")
    if enable == "{{is_default_branch}}":
        return event.is_default_branch
    if enable == "{{is_not_default_branch}}":
        return not event.is_default_branch
    return enable == "true"


def _prefix(rule: TagRule) -> str:
    """The prefix when the rule names none: sha- and pr- (an explicit prefix= replaces it)."""
    if rule.type is RuleType.SHA:
        return "sha-"
    return "pr-" if rule.type is RuleType.REF and rule.get("event") == RefEvent.PR else ""


Found = tuple[str, "TagVersion | None"]


def _body(rule: TagRule, event: GitEvent, notes: list[str]) -> Found | None:  # noqa: PLR0911 - one return per rule type
    """The tag text the rule gives for `event` (before prefix and suffix), or None."""
    values = template.event_values(event)
    if rule.type is RuleType.REF:
        return _ref(rule, event, values, notes)
    if rule.type is RuleType.SHA:
        return (event.sha if rule.get("format", "short") == "long" else event.short_sha), None
    if rule.type in {RuleType.SEMVER, RuleType.PEP440}:
        return _version(rule, event, notes)
    if rule.type is RuleType.MATCH:
        return _match(rule, event, notes)
    if rule.type is RuleType.SCHEDULE:
        if event.event_name != SCHEDULE_EVENT:
            return None
        return _rendered(rule.get("pattern", "nightly") or "nightly", values, event)
    if rule.type is RuleType.EDGE:
        return _edge(rule, event, notes)
    return _rendered(rule.get("value"), values, event)


def _rendered(text: str, values: dict[str, str], event: GitEvent) -> Found | None:
    body = template.render(text, values, event)
    return (body, None) if body else None


def _ref(rule: TagRule, event: GitEvent, values: dict[str, str], notes: list[str]) -> Found | None:
    wanted = RefEvent(rule.get("event"))
    if wanted is RefEvent.TAG:
        return (values["tag"], None) if values["tag"] else None
    if wanted is RefEvent.PR:
        return (str(event.pr_number), None) if event.pr_number is not None else None
    if event.branch is None:
        return None
    if not values["branch"]:
        notes.append(f"{rule.source}: branch {event.branch!r} has no character a tag may use")
        return None
    return values["branch"], None


def _edge(rule: TagRule, event: GitEvent, notes: list[str]) -> Found | None:
    branch = rule.get("branch") or event.default_branch
    if event.branch is None:
        return None
    if branch is None:
        notes.append(f"{rule.source}: the default branch is unknown; give branch=")
        return None
    return ("edge", None) if event.branch == branch else None


def _subject(rule: TagRule, event: GitEvent) -> str | None:
    """What a semver, pep440 or match rule reads: value= (a template), else the Git tag."""
    if rule.get("value"):
        return template.render(rule.get("value"), template.event_values(event), event)
    return event.tag


def _version(rule: TagRule, event: GitEvent, notes: list[str]) -> Found | None:
    subject = _subject(rule, event)
    if not subject:
        return None
    regex = rule.regex
    if regex is not None:
        found = regex.search(subject)
        if found is None:
            notes.append(f"{rule.source}: match= does not match {subject!r}")
            return None
        subject = found[1 if regex.groups else 0] or ""
    parse = versions.semver if rule.type is RuleType.SEMVER else versions.pep440
    version = parse(subject)
    if version is None:
        notes.append(f"{rule.source}: {subject!r} is not a {rule.type} version")
        return None
    body = _pattern_body(rule, version, event, notes)
    return (body, version) if body else None


def _pattern_body(
    rule: TagRule, version: TagVersion, event: GitEvent, notes: list[str]
) -> str | None:
    pattern = rule.get("pattern")
    compact = pattern.replace(" ", "")
    if compact == "{{raw}}":
        return version.values()["raw"]
    floating = not any(f"{{{{{n}}}}}" in compact for n in ("version", "patch", "raw"))
    if floating and not version.final:
        # metadata-action: a pre-release only ever gets its full version, whatever the pattern.
        return version.values()["version"]
    if floating and not version.floating:
        notes.append(f"{rule.source}: no floating tag for {version.version} (major version 0)")
        return None
    return template.render(pattern, {**template.event_values(event), **version.values()}, event)


def _match(rule: TagRule, event: GitEvent, notes: list[str]) -> Found | None:
    subject = _subject(rule, event)
    regex = rule.regex
    if not subject or regex is None:
        return None
    found = regex.search(subject)
    group = int(rule.get("group", "0") or "0")
    if found is None or found[group] is None:
        notes.append(f"{rule.source}: the pattern does not match {subject!r}")
        return None
    body = sanitize_tag(found[group])
    return (body, None) if body else None


def _finish(rule: TagRule, tag: str, notes: list[str]) -> str:
    if len(tag) > TAG_MAX:
        notes.append(f"{rule.source}: cut to {TAG_MAX} characters")
        tag = tag[:TAG_MAX]
    if not is_valid_tag(tag):
        raise UsageError(
            f"tag rule {rule.source!r} gives {tag!r}, which is not a valid tag",
            name="tags",
            valid=TAG_RULE,
        )
    return tag


def _wants_latest(event: GitEvent, latest: LatestMode) -> bool:
    release = versions.is_release(event.tag) if event.tag else False
    if latest is LatestMode.AUTO:
        return release or event.is_default_branch
    if latest is LatestMode.RELEASE:
        return release
    if latest is LatestMode.BRANCH:
        return event.is_default_branch
    return False
