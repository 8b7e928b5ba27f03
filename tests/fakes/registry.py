"""The Registry fake: manifests in a dict, a tag that drifts on request."""

# ruff: noqa: ARG002 - the fake implements the whole interface and ignores what it does not need

from __future__ import annotations

from paved.adapters.registry import Manifest, Registry

from fakes.docker import DIGEST


class FakeRegistry(Registry):
    """Holds manifests by tag; `drift` makes a tag name another digest than was put."""

    def __init__(self, drift: dict[str, str] | None = None) -> None:
        self.tags: dict[str, str] = {}
        self.drift = drift or {}
        self.puts: list[str] = []

    def ping(self) -> None:
        return

    def manifest(self, repository: str, reference: str) -> Manifest | None:
        digest = (
            self.drift.get(reference)
            or self.tags.get(reference)
            or (reference if reference == DIGEST else None)
        )
        return (
            Manifest(digest=digest, media_type="m", body=b"{}", content_size=10) if digest else None
        )

    def put_manifest(self, repository: str, reference: str, manifest: Manifest) -> str:
        self.puts.append(reference)
        self.tags[reference] = manifest.digest
        return manifest.digest
