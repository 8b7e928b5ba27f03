"""The ignore file: each entry an id, a reason and an expiry date. Pure (text in, entries out).

    ignore:
      - id: PYSEC-2023-62            # an advisory id or alias, or a rule id (B101)
        reason: not reachable: we never set session.permanent
        expires: 2026-12-31          # ISO date; an expired entry fails the run
        package: flask               # optional: only for this package

Errors carry file:line:column from the YAML node marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import yaml
from packaging.utils import canonicalize_name

from paved.errors import ConfigError, Location

if TYPE_CHECKING:
    from collections.abc import Iterable

    from paved.adapters.scanners.interface import Finding

_REQUIRED = ("id", "reason", "expires")
_KEYS = (*_REQUIRED, "package")
_VALID_ENTRY = "a mapping with id, reason and expires (YYYY-MM-DD), and optionally package"


@dataclass(frozen=True)
class IgnoreEntry:
    """One accepted risk."""

    id: str
    reason: str
    expires: date
    location: Location
    package: str | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether this entry covers `finding` (its id or any alias; the package if given)."""
        names = {n.upper() for n in (finding.id, *finding.aliases)}
        if self.id.upper() not in names:
            return False
        if self.package is None:
            return True
        return finding.package is not None and canonicalize_name(
            finding.package
        ) == canonicalize_name(self.package)


def parse_ignore_file(text: str, source: str, today: date) -> tuple[IgnoreEntry, ...]:
    """The entries of an ignore file; any problem (a missing reason or expiry, a date that
    is not ISO, an expired entry) raises ConfigError naming file:line:column."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"is not valid YAML: {getattr(exc, 'problem', exc)}",
            valid="a YAML mapping with an `ignore:` list",
            location=_location(source, mark),
        ) from exc
    if root is None:
        return ()
    if not isinstance(root, yaml.MappingNode):
        raise _error(source, root, "the document is not a mapping", "a mapping with `ignore:`")
    entries_node = None
    for key, value in root.value:
        if key.value != "ignore":
            raise _error(source, key, f"unknown key {key.value!r}", "ignore")
        entries_node = value
    if entries_node is None or (
        isinstance(entries_node, yaml.ScalarNode) and entries_node.value in {"", "null", "~"}
    ):
        return ()
    if not isinstance(entries_node, yaml.SequenceNode):
        raise _error(source, entries_node, "`ignore` is not a list", _VALID_ENTRY)
    return tuple(_entry(source, node, today) for node in entries_node.value)


def _entry(source: str, node: yaml.Node, today: date) -> IgnoreEntry:
    if not isinstance(node, yaml.MappingNode):
        raise _error(source, node, "an ignore entry is not a mapping", _VALID_ENTRY)
    fields: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if key.value not in _KEYS:
            raise _error(source, key, f"unknown key {key.value!r}", ", ".join(_KEYS))
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            raise _error(source, value, f"{key.value} is empty or not a plain value", _VALID_ENTRY)
        fields[key.value] = value
    for name in _REQUIRED:
        if name not in fields:
            raise _error(source, node, f"the entry has no {name}", _VALID_ENTRY)
    expires_node = fields["expires"]
    try:
        expires = date.fromisoformat(str(expires_node.value).strip())
    except ValueError:
        raise _error(
            source, expires_node, f"expires {expires_node.value!r} is not a date", "YYYY-MM-DD"
        ) from None
    identifier = str(fields["id"].value).strip()
    if expires < today:
        raise _error(
            source,
            expires_node,
            f"the ignore entry for {identifier} expired on {expires.isoformat()}",
            "remove the entry or, with a new reason, a date from today on",
        )
    package = fields.get("package")
    return IgnoreEntry(
        id=identifier,
        reason=str(fields["reason"].value).strip(),
        expires=expires,
        location=_location(source, node.start_mark),
        package=str(package.value).strip() if package is not None else None,
    )


def _location(source: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(source)
    return Location(source, mark.line + 1, mark.column + 1)


def _error(source: str, node: yaml.Node, message: str, valid: str) -> ConfigError:
    return ConfigError(message, valid=valid, location=_location(source, node.start_mark))


def apply_ignores(
    findings: Iterable[Finding], entries: Iterable[IgnoreEntry]
) -> tuple[tuple[Finding, ...], tuple[tuple[Finding, IgnoreEntry], ...]]:
    """(findings still reported, (finding, entry) pairs the ignore file accepted)."""
    rules = tuple(entries)
    kept: list[Finding] = []
    ignored: list[tuple[Finding, IgnoreEntry]] = []
    for finding in findings:
        entry = next((e for e in rules if e.matches(finding)), None)
        if entry is None:
            kept.append(finding)
        else:
            ignored.append((finding, entry))
    return tuple(kept), tuple(ignored)
