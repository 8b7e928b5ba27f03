"""Tag rules as docker/metadata-action writes them, parsed and checked once.

One rule per line, `key=value` pairs separated by commas (CSV: quote a value that has a
comma, `"pattern=v(\\d{1,3})"`):

    type=schedule[,pattern=nightly]     on a schedule event       nightly, 20260304
    type=semver,pattern={{version}}     from a Git tag v1.2.3     1.2.3, 1.2, 1
    type=pep440,pattern={{version}}     from a Git tag 1.2.3rc1   1.2.3rc1
    type=match,pattern=v(.*),group=1    a regex on the Git tag    2.0.8-beta.67
    type=edge[,branch=main]             a push to that branch     edge
    type=ref,event=branch|tag|pr        the ref, sanitised        main, v1.2.3, pr-42
    type=raw,value=stable               literal text or template  stable
    type=sha[,format=long]              the commit                sha-0123abc

Every rule takes prefix=, suffix=, enable= and priority= (higher first, as metadata-action).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.containerbuild import template
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence


class RuleType(StrEnum):
    """What a tag rule derives its tag from."""

    SCHEDULE = "schedule"
    SEMVER = "semver"
    PEP440 = "pep440"
    MATCH = "match"
    EDGE = "edge"
    REF = "ref"
    RAW = "raw"
    SHA = "sha"


class RefEvent(StrEnum):
    """Which ref a `type=ref` rule applies to."""

    BRANCH = "branch"
    TAG = "tag"
    PR = "pr"


DEFAULT_RULES = (
    "type=schedule",
    "type=semver,pattern={{version}}",
    "type=semver,pattern={{major}}.{{minor}}",
    "type=semver,pattern={{major}}",
    "type=ref,event=branch",
    "type=ref,event=tag",
    "type=ref,event=pr",
    "type=sha",
)
"""metadata-action's defaults (schedule, branch, tag, pr) plus the semver tags and sha-<7>."""

PRIORITY = {
    RuleType.SCHEDULE: 1000,
    RuleType.SEMVER: 900,
    RuleType.PEP440: 900,
    RuleType.MATCH: 800,
    RuleType.EDGE: 700,
    RuleType.REF: 600,
    RuleType.RAW: 200,
    RuleType.SHA: 100,
}
"""metadata-action's default priorities: the order of the tags, the first is the version."""

ENABLE_VALUES = ("true", "false", "{{is_default_branch}}", "{{is_not_default_branch}}")
_KEYS = {
    RuleType.SCHEDULE: {"pattern"},
    RuleType.SEMVER: {"pattern", "value", "match"},
    RuleType.PEP440: {"pattern", "value", "match"},
    RuleType.MATCH: {"pattern", "group", "value"},
    RuleType.EDGE: {"branch"},
    RuleType.REF: {"event"},
    RuleType.RAW: {"value"},
    RuleType.SHA: {"format"},
}
_COMMON_KEYS = {"type", "prefix", "suffix", "enable", "priority"}
_SHA_FORMATS = ("short", "long")
_PRIORITY = re.compile(r"-?[0-9]{1,9}")
RULE_HELP = (
    "type=schedule[,pattern=nightly]; type=semver|pep440,pattern={{version}}|{{major}}.{{minor}}|"
    "{{major}}|{{raw}}; type=match,pattern=REGEX[,group=N]; type=edge[,branch=NAME]; "
    "type=ref,event=branch|tag|pr; type=sha[,format=short|long]; type=raw,value=TEXT; each may "
    "add prefix=, suffix=, priority=N, enable=true|false|{{is_default_branch}}"
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

    def has(self, key: str) -> bool:
        """Whether the rule sets `key` (an empty prefix= is set)."""
        return key in dict(self.fields)

    @property
    def priority(self) -> int:
        """priority=, else the type's default."""
        given = self.get("priority")
        return int(given) if given else PRIORITY[self.type]

    @property
    def regex(self) -> re.Pattern[str] | None:
        """The compiled match= (semver, pep440) or pattern= (match) regular expression."""
        source = self.get("pattern" if self.type is RuleType.MATCH else "match")
        return re.compile(source) if source else None


def parse_rules(lines: Sequence[str], *, name: str = "tags") -> tuple[TagRule, ...]:
    """Parse and check rules, highest priority first (stable); an invalid one raises
    UsageError naming it and what is valid."""
    rules = [_parse(line.strip(), name) for line in lines if line.strip()]
    return tuple(sorted(rules, key=lambda rule: -rule.priority))


def _parse(line: str, name: str) -> TagRule:
    def fail(problem: str, valid: str = RULE_HELP) -> UsageError:
        return UsageError(f"tag rule {line!r}: {problem}", name=name, valid=valid)

    fields: dict[str, str] = {}
    try:
        parts = next(csv.reader([line], skipinitialspace=True, strict=True))
    except csv.Error as exc:
        raise fail(f"not comma-separated key=value pairs ({exc})") from None
    for part in parts:
        key, sep, value = part.partition("=")
        key = key.strip().lower()
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
    problem = _common_problem(fields) or _type_problem(kind, fields)
    if problem is not None:
        raise fail(*problem)
    return TagRule(source=line, type=kind, fields=tuple(fields.items()))


def _common_problem(fields: dict[str, str]) -> tuple[str, str] | None:
    if fields.get("enable", "true") not in ENABLE_VALUES:
        return f"enable={fields['enable']!r} is not valid", ", ".join(ENABLE_VALUES)
    if "priority" in fields and not _PRIORITY.fullmatch(fields["priority"]):
        return f"priority={fields['priority']!r} is not a whole number", "priority=900"
    return None


def _type_problem(kind: RuleType, fields: dict[str, str]) -> tuple[str, str] | None:  # noqa: C901, PLR0911, PLR0912 - one check per type and key
    allowed = list(template.EVENT_PLACEHOLDERS)
    templated = ["value", "prefix", "suffix"]
    if kind is RuleType.REF and fields.get("event") not in set(RefEvent):
        return f"event={fields.get('event', '')!r}", "event=branch, event=tag or event=pr"
    if kind is RuleType.SHA and fields.get("format", "short") not in _SHA_FORMATS:
        return f"format={fields['format']!r}", "format=short or format=long"
    if kind in {RuleType.SEMVER, RuleType.PEP440}:
        allowed += template.VERSION_PLACEHOLDERS
        templated.append("pattern")
        if not fields.get("pattern"):
            return "pattern= is missing", template.describe(template.VERSION_PLACEHOLDERS)
    if kind is RuleType.SCHEDULE:
        templated.append("pattern")
    if kind is RuleType.RAW and not fields.get("value"):
        return "value= is missing", "value=TEXT, e.g. value=stable or value={{branch}}-dev"
    if kind is RuleType.MATCH:
        if not fields.get("pattern"):
            return "pattern= is missing", r"a regular expression, e.g. pattern=v(\d+\.\d+)"
        if not fields.get("group", "0").isdigit():
            return f"group={fields['group']!r} is not a group number", "group=0, group=1, ..."
    regex_key = "pattern" if kind is RuleType.MATCH else "match"
    if fields.get(regex_key):
        try:
            compiled = re.compile(fields[regex_key])
        except re.error as exc:
            return f"{regex_key}= is not a regular expression: {exc}", "a Python regex"
        if kind is RuleType.MATCH and int(fields.get("group", "0")) > compiled.groups:
            return (
                f"group={fields['group']} but the pattern has {compiled.groups} group(s)",
                f"group=0 to group={compiled.groups}",
            )
    for key in templated:
        try:
            template.check(fields.get(key, ""), allowed)
        except template.TemplateError as exc:
            return f"{key}: {exc}", template.describe(allowed)
    return None
