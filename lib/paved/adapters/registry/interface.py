"""The registry interface: what container-build asks an OCI registry after pushing.

Backends raise EnvironmentProblemError when the registry cannot be reached and UsageError
when it refuses our credentials.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_TYPES = (OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST)
"""Every manifest kind we accept, in the Accept header of each manifest request."""


@dataclass(frozen=True)
class Manifest:
    """A manifest as the registry stores it."""

    digest: str
    """The registry's Docker-Content-Digest: sha256:<hex> of `body`."""
    media_type: str
    body: bytes
    content_size: int | None = None
    """Config plus layers in bytes (compressed, as stored); None for an index."""


class Registry(ABC):
    """An OCI distribution API endpoint."""

    @abstractmethod
    def ping(self) -> None:
        """Make sure the registry answers /v2/ (with our credentials, if any)."""

    @abstractmethod
    def manifest(self, repository: str, reference: str) -> Manifest | None:
        """The manifest for a tag or digest, or None when the registry has none."""

    @abstractmethod
    def put_manifest(self, repository: str, reference: str, manifest: Manifest) -> str:
        """Store `manifest` under a tag (or its digest); return the digest the registry reports."""
