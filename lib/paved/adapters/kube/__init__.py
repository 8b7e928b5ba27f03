"""A Kubernetes cluster behind an interface; the official client lives in `official`."""

from paved.adapters.kube.interface import (
    FIELD_MANAGER,
    AccessDeniedError,
    AlreadyExistsError,
    Cluster,
    ConflictError,
    MissingApiError,
    ObjectNotFoundError,
    ObjectRef,
    ObjectRejectedError,
    Revision,
    RollbackImpossibleError,
    RolloutPhase,
    RolloutStatus,
)

__all__ = [
    "FIELD_MANAGER",
    "AccessDeniedError",
    "AlreadyExistsError",
    "Cluster",
    "ConflictError",
    "MissingApiError",
    "ObjectNotFoundError",
    "ObjectRef",
    "ObjectRejectedError",
    "Revision",
    "RollbackImpossibleError",
    "RolloutPhase",
    "RolloutStatus",
]
