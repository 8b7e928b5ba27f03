"""Docker's naming rules for tags and repositories, and semantic versions from Git tags."""

from __future__ import annotations

import re
from dataclasses import dataclass

TAG_MAX = 128
TAG_RULE = "letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'"
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_NOT_TAG_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_REPOSITORY = re.compile(
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
)
_REGISTRY = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
_SEMVER = re.compile(
    r"v?(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.(?P<patch>0|[1-9][0-9]*)"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)


def is_valid_tag(tag: str) -> bool:
    """Whether Docker accepts `tag` as an image tag."""
    return _TAG.fullmatch(tag) is not None


def sanitize_tag(text: str) -> str:
    """Make any text (a branch name) a valid tag part: bad runs become '-', no leading . or -.

    The result may be empty when nothing usable is left; callers cut the whole tag to 128.
    """
    return _NOT_TAG_CHARS.sub("-", text).lstrip(".-")


def is_valid_repository(name: str) -> bool:
    """Whether `name` is a valid repository path (lower case, / separated components)."""
    return len(name) <= 255 and _REPOSITORY.fullmatch(name) is not None  # noqa: PLR2004


def is_valid_registry(host: str) -> bool:
    """Whether `host` looks like a registry host with an optional port."""
    return _REGISTRY.fullmatch(host) is not None


@dataclass(frozen=True)
class SemVer:
    """A semantic version read from a Git tag such as v1.2.3 or 2.0.0-rc.1."""

    major: int
    minor: int
    patch: int
    prerelease: str | None = None
    build: str | None = None

    @property
    def version(self) -> str:
        """The version without the leading v; '+build' becomes '-build' (tags have no '+')."""
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.build:
            text += f"-{self.build}"
        return text

    @property
    def is_release(self) -> bool:
        """Not a pre-release: a release tag (0.x included) may move `latest`."""
        return self.prerelease is None

    @property
    def is_stable(self) -> bool:
        """A release from 1.0.0 on that is not a pre-release: only these get floating tags."""
        return self.major > 0 and self.prerelease is None


def parse_semver(tag: str) -> SemVer | None:
    """The semantic version in a Git tag, or None when the tag is not one."""
    match = _SEMVER.fullmatch(tag)
    if match is None:
        return None
    return SemVer(
        major=int(match["major"]),
        minor=int(match["minor"]),
        patch=int(match["patch"]),
        prerelease=match["pre"],
        build=match["build"],
    )
