"""Versions read from a Git tag: semantic versions (type=semver) and PEP 440 (type=pep440).

Both give the same placeholders, so one pattern works for either: {{raw}} (the tag as
written), {{version}} (cleaned), {{major}}, {{minor}}, {{patch}}.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from paved.containerbuild.naming import parse_semver, sanitize_tag


@dataclass(frozen=True)
class TagVersion:
    """A version and the placeholder values a tag pattern may use."""

    raw: str
    """The text the version was read from, '/' made '-' (p1/v1.2.3 -> p1-v1.2.3)."""
    version: str
    """Cleaned: 1.2.3 from v1.2.3, 2.0.8-beta.67, 1.2.3rc2, 1.2.3.post1 (PEP 440's spelling)."""
    major: int
    minor: int
    patch: int
    final: bool
    """Not a pre-, dev- or post-release: may move floating tags and `latest`."""

    @property
    def floating(self) -> bool:
        """Whether {{major}} and {{major}}.{{minor}} tags follow it: a final release from 1.0 on."""
        return self.final and self.major > 0

    def values(self) -> dict[str, str]:
        """The placeholder values, sanitised for tags (a PEP 440 '+local' becomes '-local')."""
        return {
            "raw": sanitize_tag(self.raw),
            "version": sanitize_tag(self.version),
            "major": str(self.major),
            "minor": str(self.minor),
            "patch": str(self.patch),
        }


def semver(text: str) -> TagVersion | None:
    """The semantic version `text` spells (a leading v allowed), or None."""
    parsed = parse_semver(text)
    if parsed is None:
        return None
    return TagVersion(
        raw=text.replace("/", "-"),
        version=parsed.version,
        major=parsed.major,
        minor=parsed.minor,
        patch=parsed.patch,
        final=parsed.is_release,
    )


def pep440(text: str) -> TagVersion | None:
    """The PEP 440 version `text` spells (v1.2.3, 1.2.3rc1, 1.0.dev4, 2024.1), or None."""
    try:
        parsed = Version(text)
    except InvalidVersion:
        return None
    release = (*parsed.release, 0, 0)
    return TagVersion(
        raw=text.replace("/", "-"),
        version=str(parsed),
        major=release[0],
        minor=release[1],
        patch=release[2],
        final=not (parsed.is_prerelease or parsed.is_postrelease or parsed.is_devrelease),
    )


def is_release(tag: str) -> bool:
    """A Git tag that names a final release, as semver or PEP 440 (0.x included)."""
    found = semver(tag) or pep440(tag)
    return found is not None and found.final
