"""container-build: tags and labels, build and push, a digest verified against the registry."""

from paved.containerbuild.core import build_and_push
from paved.containerbuild.event import GitEvent, event_from
from paved.containerbuild.metadata import ImageMetadata, compute_metadata, parse_labels
from paved.containerbuild.options import (
    Builder,
    BuildSecret,
    ContainerBuildOptions,
    ImageName,
    RegistryCredentials,
    parse_build_args,
    parse_images,
    parse_secrets,
)
from paved.containerbuild.outcome import ContainerBuildOutcome, Failure, FailureKind, TagCheck
from paved.containerbuild.rules import DEFAULT_RULES, parse_rules
from paved.containerbuild.tags import LatestMode

__all__ = [
    "DEFAULT_RULES",
    "BuildSecret",
    "Builder",
    "ContainerBuildOptions",
    "ContainerBuildOutcome",
    "Failure",
    "FailureKind",
    "GitEvent",
    "ImageMetadata",
    "ImageName",
    "LatestMode",
    "RegistryCredentials",
    "TagCheck",
    "build_and_push",
    "compute_metadata",
    "event_from",
    "parse_build_args",
    "parse_images",
    "parse_labels",
    "parse_rules",
    "parse_secrets",
]
