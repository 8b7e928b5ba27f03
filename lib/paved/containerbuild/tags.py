"""Image tags from tag rules and the Git event, the way docker/metadata-action users expect.

One rule per line, `key=value` pairs separated by commas:

    type=ref,event=branch              the branch name, sanitised      main, feature-x
    type=ref,event=pr                  pr-<number>                     pr-42
    type=ref,event=tag                 the Git tag, sanitised          v1.2.3
    type=semver,pattern={{version}}    from a tag v1.2.3               1.2.3
    type=sha                           sha-<7 hex>                     sha-0123abc
    type=raw,value=stable              literal text or a template      stable

Every rule takes prefix=, suffix= and enable= (true, false or {{is_default_branch}}).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.containerbuild import template
from paved.containerbuild.naming import TAG_MAX, TAG_RULE, is_valid_tag, parse_semver
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from paved.containerbuild.event import GitEvent


class RuleType(StrEnum):
    """What a tag rule derives its tag from."""

    REF = "ref"
    SEMVER = "semver"
    SHA = "sha"
    RAW = "raw"


class RefEvent(StrEnum):
    """Which ref a `type=ref` rule applies to."""

    BRANCH = "branch"
    TAG = "tag"
    PR = "pr"


class LatestMode(StrEnum):
    """When the `latest` tag is added."""

    AUTO = "auto"
    """On a push to the default branch and on a release tag (not a pre-release)."""
    RELEASE = "release"
    """On a release tag only."""
    BRANCH = "branch"
    """On a push to the default branch only."""
    NEVER = "never"


DEFAULT_RULES = (
    "type=ref,event=branch",
    "type=ref,event=pr",
    "type=semver,pattern={{version}}",
    "type=semver,pattern={{major}}.{{minor}}",
    "type=semver,pattern={{major}}",
    "type=sha",
)
ENABLE_VALUES = ("true", "false", "{{is_default_branch}}")
_KEYS = {
    RuleType.REF: {"event"},
    RuleType.SEMVER: {"pattern"},
    RuleType.SHA: {"format"},
    RuleType.RAW: {"value"},
}
_COMMON_KEYS = {"type", "prefix", "suffix", "enable"}
_SHA_FORMATS = ("short", "long")
RULE_HELP = (
    "type=ref,event=branch|tag|pr; type=semver,pattern={{version}}|{{major}}.{{minor}}|"
    "{{major}}; type=sha[,format=short|long]; type=raw,value=TEXT; each may add prefix=, "
    "suffix=, enable=true|false|{{is_default_branch}}"
)


@dataclass(frozen=True)
class TagRule:
    """One parsed tag rule, with the text it came from for error messages."""

    source: str
    type: RuleType
    fields: tuple[tuple[str, str], ...]

    def get(self, key: str, default: str = "") -> str:
        """The value of `key` in the rule."""
        return dict(self.fields).get(key, default)


@dataclass(frozen=True)
class TagSet:
    """The tags one event gets, in rule order, and why some rules gave none."""

    tags: tuple[str, ...]
    notes: tuple[str, ...] = ()


def parse_rules(lines: Sequence[str], *, name: str = "tags") -> tuple[TagRule, ...]:
    """Parse and check rules; an invalid one raises UsageError naming it and what is valid."""
    return tuple(_parse(line.strip(), name) for line in lines if line.strip())


def _parse(line: str, name: str) -> TagRule:  # noqa: C901, PLR0912 - one check per key
    def fail(problem: str, valid: str = RULE_HELP) -> UsageError:
        return UsageError(f"tag rule {line!r}: {problem}", name=name, valid=valid)

    fields: dict[str, str] = {}
    for part in line.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise fail(f"{part.strip()!r} is not key=value")
        if key in fields:
            raise fail(f"{key} is given twice")
        fields[key] = value.strip()
    try:
        kind = RuleType(fields.get("type", ""))
    except ValueError:
        raise fail(f"type={fields.get('type', '')!r} is unknown") from None
    unknown = set(fields) - _COMMON_KEYS - _KEYS[kind]
    if unknown:
        allowed = ", ".join(sorted(_COMMON_KEYS | _KEYS[kind]))
        raise fail(f"unknown key {', '.join(sorted(unknown))} for type={kind}", allowed)
    if fields.get("enable", "true") not in ENABLE_VALUES:
        raise fail(f"enable={fields['enable']!r} is not valid", ", ".join(ENABLE_VALUES))
    allowed_names = list(template.EVENT_PLACEHOLDERS)
    if kind is RuleType.REF and fields.get("event") not in set(RefEvent):
        raise fail(f"event={fields.get('event', '')!r}", "event=branch, event=tag or event=pr")
    if kind is RuleType.SHA and fields.get("format", "short") not in _SHA_FORMATS:
        raise fail(f"format={fields['format']!r}", "format=short or format=long")
    if kind is RuleType.SEMVER:
        allowed_names += template.SEMVER_PLACEHOLDERS
        if not fields.get("pattern"):
            raise fail("pattern= is missing", template.describe(template.SEMVER_PLACEHOLDERS))
    if kind is RuleType.RAW and not fields.get("value"):
        raise fail("value= is missing", "value=TEXT, e.g. value=stable or value={{branch}}-dev")
    for key in ("pattern", "value", "prefix", "suffix"):
        try:
            template.check(fields.get(key, ""), allowed_names)
        except template.TemplateError as exc:
            raise fail(f"{key}: {exc}", template.describe(allowed_names)) from None
    return TagRule(source=line, type=kind, fields=tuple(fields.items()))


def compute_tags(rules: Sequence[TagRule], event: GitEvent, latest: LatestMode) -> TagSet:
    """The tags for `event`, deduplicated in rule order, `latest` last when it applies."""
    tags: list[str] = []
    notes: list[str] = []
    event_values = template.event_values(event)
    for rule in rules:
        enable = rule.get("enable", "true")
        if enable == "false" or (enable != "true" and not event.is_default_branch):
            continue
        body = _body(rule, event, event_values, notes)
        if body is None:
            continue
        values = {**event_values, **_semver_values(event)}
        prefix = template.render(rule.get("prefix"), values, event)
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


def _body(  # noqa: PLR0911 - one return per rule type and event
    rule: TagRule, event: GitEvent, values: dict[str, str], notes: list[str]
) -> str | None:
    """The tag text the rule's type gives for `event` (before prefix and suffix), or None."""
    if rule.type is RuleType.REF:
        wanted = RefEvent(rule.get("event"))
        if wanted is RefEvent.BRANCH:
            return _branch(event, values, rule, notes)
        if wanted is RefEvent.TAG:
            return values["tag"] or None
        return f"pr-{event.pr_number}" if event.pr_number is not None else None
    if rule.type is RuleType.SHA:
        return "sha-" + (event.sha if rule.get("format", "short") == "long" else event.short_sha)
    if rule.type is RuleType.SEMVER:
        version = parse_semver(event.tag or "")
        if version is None:
            return None
        pattern = rule.get("pattern")
        floating = not any(f"{{{{{n}}}}}" in pattern.replace(" ", "") for n in ("version", "patch"))
        if floating and not version.is_stable:
            notes.append(
                f"{rule.source}: no floating tag for {version.version} (0.x or pre-release)"
            )
            return None
        return template.render(pattern, {**values, **template.semver_values(version)}, event)
    return template.render(rule.get("value"), {**values, **_semver_values(event)}, event)


def _branch(event: GitEvent, values: dict[str, str], rule: TagRule, notes: list[str]) -> str | None:
    if event.branch is None:
        return None
    if not values["branch"]:
        notes.append(f"{rule.source}: branch {event.branch!r} has no character a tag may use")
        return None
    return values["branch"]


def _semver_values(event: GitEvent) -> dict[str, str]:
    version = parse_semver(event.tag or "")
    return template.semver_values(version) if version else {}


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
    version = parse_semver(event.tag or "")
    release = version is not None and version.is_release
    if latest is LatestMode.AUTO:
        return release or event.is_default_branch
    if latest is LatestMode.RELEASE:
        return release
    if latest is LatestMode.BRANCH:
        return event.is_default_branch
    return False
