"""The small template language of tag rules: `{{branch}}`, `{{version}}`, `{{date 'YYYYMMDD'}}`.

A template is literal tag text with placeholders. Literal text must already be valid tag
text; values that come from the event (a branch name) are sanitised before they are put in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from paved.containerbuild.naming import TAG_RULE, sanitize_tag

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from paved.containerbuild.event import GitEvent

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]+)(?:\s+'(?P<arg>[^']*)')?\s*\}\}")
_LITERAL = re.compile(r"[A-Za-z0-9_.-]*")
_DATE_TOKENS = (
    ("YYYY", "%Y"),
    ("MM", "%m"),
    ("DD", "%d"),
    ("HH", "%H"),
    ("mm", "%M"),
    ("ss", "%S"),
)

EVENT_PLACEHOLDERS = ("branch", "tag", "sha", "base_ref", "pr", "date")
"""Usable in every template."""
VERSION_PLACEHOLDERS = ("raw", "version", "major", "minor", "patch")
"""Usable in the pattern (and prefix, suffix) of a semver or pep440 rule."""


class TemplateError(ValueError):
    """A template that cannot work; the message says why and what is valid."""


def describe(names: Collection[str]) -> str:
    """The placeholders in `names`, as a user writes them."""
    return ", ".join("{{date 'YYYYMMDD'}}" if n == "date" else "{{" + n + "}}" for n in names)


def check(template: str, allowed: Collection[str]) -> None:
    """Raise TemplateError if `template` uses an unknown placeholder or invalid literal text."""
    for match in PLACEHOLDER.finditer(template):
        name = match["name"]
        if name not in allowed:
            msg = f"unknown placeholder {match[0]} (valid: {describe(allowed)})"
            raise TemplateError(msg)
        if name == "date" and match["arg"] is None:
            msg = "{{date}} needs a format, such as {{date 'YYYYMMDD'}}"
            raise TemplateError(msg)
        if name != "date" and match["arg"] is not None:
            msg = f"{match[0]} takes no argument"
            raise TemplateError(msg)
    literal = PLACEHOLDER.sub("", template)
    if "{{" in literal or "}}" in literal:
        msg = "unbalanced '{{' or '}}'"
        raise TemplateError(msg)
    if not _LITERAL.fullmatch(literal):
        bad = sorted({c for c in literal if not _LITERAL.fullmatch(c)})
        msg = f"literal text has {''.join(bad)!r}: tags may only use {TAG_RULE}"
        raise TemplateError(msg)


def event_values(event: GitEvent) -> dict[str, str]:
    """Placeholder values from the event, sanitised for tags; empty when not applicable."""
    return {
        "branch": sanitize_tag(event.branch or ""),
        "tag": sanitize_tag(event.tag or ""),
        "sha": event.short_sha,
        "base_ref": sanitize_tag(event.base_ref or "") if event.is_pull_request else "",
        "pr": str(event.pr_number) if event.pr_number is not None else "",
    }


def render(template: str, values: Mapping[str, str], event: GitEvent) -> str | None:
    """The template with its placeholders filled, or None when a value it needs is empty."""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        name = match["name"]
        if name == "date":
            return _date(event, match["arg"] or "")
        value = values.get(name, "")
        if not value:
            missing = True
        return value

    text = PLACEHOLDER.sub(fill, template)
    return None if missing else text


def _date(event: GitEvent, pattern: str) -> str:
    for token, directive in _DATE_TOKENS:
        pattern = pattern.replace(token, directive)
    return sanitize_tag(event.created.strftime(pattern))
