"""Deploy targets (Docker host, Kubernetes) and the analysis between rollout steps."""

from paved.adapters.deploy.interface import (
    LABEL_PREFIX,
    Analysis,
    AnalysisRequest,
    AnalysisResult,
    DeployTarget,
    Lease,
    LeaseHeldError,
    Measurement,
    Readiness,
    RolloutState,
    RolloutStatus,
    TargetView,
    Track,
    TrafficSplit,
    Verdict,
    Workload,
)

__all__ = [
    "LABEL_PREFIX",
    "Analysis",
    "AnalysisRequest",
    "AnalysisResult",
    "DeployTarget",
    "Lease",
    "LeaseHeldError",
    "Measurement",
    "Readiness",
    "RolloutState",
    "RolloutStatus",
    "TargetView",
    "Track",
    "TrafficSplit",
    "Verdict",
    "Workload",
]
