"""An OCI registry, spoken to through the distribution API, behind an interface."""

from paved.adapters.registry.interface import MANIFEST_TYPES, Manifest, Registry

__all__ = ["MANIFEST_TYPES", "Manifest", "Registry"]
