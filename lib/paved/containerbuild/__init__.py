"""container-build: tags and labels, build and push, a digest verified against the registry."""

from paved.containerbuild.core import build_and_push
from paved.containerbuild.event import GitEvent, event_from
from paved.containerbuild.metadata import ImageMetadata, compute_metadata, parse_labels
from paved.containerbuild.options import (
    Builder,
    BuildSecret,
    ContainerBuildOptions,
    RegistryCredentials,
    parse_build_args,
    parse_secrets,
)
from paved.containerbuild.outcome import ContainerBuildOutcome, Failure, FailureKind, TagCheck
from paved.containerbuild.tags import DEFAULT_RULES, LatestMode, parse_rules

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
    "LatestMode",
    "RegistryCredentials",
    "TagCheck",
    "build_and_push",
    "compute_metadata",
    "event_from",
    "parse_build_args",
    "parse_labels",
    "parse_rules",
    "parse_secrets",
]
