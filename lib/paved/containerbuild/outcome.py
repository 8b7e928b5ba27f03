"""What a container-build run produced: the image, its digest, and what the registry says."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.model import Result

if TYPE_CHECKING:
    from paved.adapters.docker import BuildResult
    from paved.containerbuild.metadata import ImageMetadata


class FailureKind(StrEnum):
    """Why a run did not pass."""

    BUILD_FAILED = "build-failed"
    PUSH_FAILED = "push-failed"
    DIGEST_MISMATCH = "digest-mismatch"
    TAG_MISSING = "tag-missing"


@dataclass(frozen=True)
class Failure:
    """One reason the run failed, as data (report.containerbuild.failure_message words it),
    located where that helps."""

    kind: FailureKind
    file: str | None = None
    """Repository-relative Dockerfile path, for a failing step."""
    line: int | None = None
    step: int | None = None
    """The failing build step's number (0 when the builder did not say)."""
    instruction: str | None = None
    """The failing Dockerfile instruction; None when the failing step is not known."""
    reference: str | None = None
    """name:tag of a tag that is missing or differs."""
    digest: str | None = None
    """The digest pushed (and expected under every tag)."""
    found: str | None = None
    """The digest the registry has under the tag."""
    detail: str = ""
    """The tool's own words: the step's error, the push's last line."""


@dataclass(frozen=True)
class TagCheck:
    """What the registry answered for one pushed tag."""

    tag: str
    registry_digest: str | None
    """None when the registry has no manifest under the tag."""
    expected: str
    name: str = ""
    """The image (registry/repository) the tag belongs to."""

    @property
    def reference(self) -> str:
        """name:tag."""
        return f"{self.name}:{self.tag}"

    @property
    def matches(self) -> bool:
        """The tag names exactly the image we pushed."""
        return self.registry_digest == self.expected


@dataclass(frozen=True)
class ContainerBuildOutcome:
    """The whole result of container-build."""

    metadata: ImageMetadata
    builder: str
    """buildx or docker (the classic builder)."""
    engine_version: str
    dockerfile: str
    build: BuildResult
    build_command: str
    push: bool
    digest: str | None = None
    image_size_bytes: int | None = None
    pushed_size_bytes: int | None = None
    tag_checks: tuple[TagCheck, ...] = ()
    """Every tag of every image, as read back from its registry."""
    digests: tuple[tuple[str, str], ...] = ()
    """(image name, digest) of each image pushed, in order; `digest` is the first one's."""
    failures: tuple[Failure, ...] = ()

    @property
    def result(self) -> Result:
        """Passed only when nothing failed."""
        return Result.FAILED if self.failures else Result.PASSED

    @property
    def image(self) -> str | None:
        """name@sha256:..., the reference security-scan and deploy-strategy take."""
        return f"{self.metadata.name}@{self.digest}" if self.digest and self.pushed else None

    @property
    def pushed(self) -> bool:
        """Every image is in its registry under every tag."""
        return (
            self.push
            and not self.failures
            and bool(self.tag_checks)
            and all(c.matches for c in self.tag_checks)
        )

    @property
    def verified(self) -> bool:
        """Every tag was read back from the registry and names the digest we report."""
        return self.pushed
