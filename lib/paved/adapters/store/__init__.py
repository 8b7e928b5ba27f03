"""Where ci-metrics keeps synced history, behind an interface."""

from paved.adapters.store.interface import (
    CachedPage,
    History,
    MetricsStore,
    StoreError,
    SyncState,
)

__all__ = ["CachedPage", "History", "MetricsStore", "StoreError", "SyncState"]
