"""Tags, OCI labels and annotations for one event: everything the image is named and marked with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from paved.containerbuild.tags import LatestMode, compute_tags
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from paved.containerbuild.event import GitEvent
    from paved.containerbuild.rules import TagRule

OCI = "org.opencontainers.image."
LABEL_KEYS = ("title", "description", "source", "url", "revision", "version", "created", "licenses")


@dataclass(frozen=True)
class ImageMetadata:
    """What an image is called and what it says about itself."""

    names: tuple[str, ...]
    """registry/repository of every image, without a tag; the first is the one reported."""
    tags: tuple[str, ...]
    """Tags only (1.2.3, latest); `references` adds the names."""
    labels: tuple[tuple[str, str], ...]
    version: str
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The first image's name."""
        return self.names[0]

    @property
    def references(self) -> tuple[str, ...]:
        """name:tag for every image and tag, image by image (metadata-action's `tags`)."""
        return tuple(f"{name}:{tag}" for name in self.names for tag in self.tags)

    @property
    def annotations(self) -> tuple[str, ...]:
        """The OCI labels as manifest annotations (`manifest:key=value`), for buildx."""
        return tuple(f"manifest:{key}={value}" for key, value in self.labels if key.startswith(OCI))


def compute_metadata(
    names: str | Sequence[str],
    rules: Sequence[TagRule],
    event: GitEvent,
    *,
    latest: LatestMode = LatestMode.AUTO,
    title: str | None = None,
    extra_labels: Mapping[str, str] | None = None,
) -> ImageMetadata:
    """Tags and labels for `event`; raise UsageError when no rule gives a tag."""
    tag_set = compute_tags(rules, event, latest)
    if not tag_set.tags:
        raise UsageError(
            f"no tag rule gives a tag for this {event.event_name} event on {event.ref}",
            name="tags",
            valid="add a rule that applies, such as type=sha or type=raw,value=edge",
        )
    version = next((t for t in tag_set.tags if t != "latest"), tag_set.tags[0])
    oci = {
        "title": title or event.repository.rsplit("/", 1)[-1],
        "description": event.description,
        "source": event.source_url,
        "url": event.html_url or event.source_url,
        "revision": event.sha,
        "version": version,
        "created": event.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": event.licenses,
    }
    labels = {OCI + key: value for key, value in oci.items() if value}
    labels.update(extra_labels or {})
    return ImageMetadata(
        names=(names,) if isinstance(names, str) else tuple(names),
        tags=tag_set.tags,
        labels=tuple(labels.items()),
        version=version,
        notes=tag_set.notes,
    )


def parse_labels(lines: Sequence[str], *, name: str = "labels") -> dict[str, str]:
    """`key=value` lines as a mapping; raise UsageError naming a line that is not one."""
    labels: dict[str, str] = {}
    for line in (item.strip() for item in lines):
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{line!r} is not key=value", name=name, valid="key=value, one a line")
        labels[key.strip()] = value
    return labels
