"""What a user can ask deploy-strategy to do, validated once at the edge."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import StrEnum

# Re-exported: deploy-strategy's flags, executor and tests know them from here.
from paved.adapters.smoke.interface import SmokeCheck as SmokeCheck  # noqa: PLC0414
from paved.adapters.smoke.interface import parse_smoke_check as parse_smoke_check  # noqa: PLC0414
from paved.errors import UsageError

DEFAULT_CANARY_WEIGHTS = (10, 50, 100)
"""The seed's promotion steps: 10 % -> 50 % -> 100 %."""
_APP_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?")


class Strategy(StrEnum):
    """How the new version replaces the live one."""

    DIRECT = "direct"
    """Update in place with the target's rolling update; undo on failure."""
    BLUE_GREEN = "blue-green"
    """A full second copy, smoke-checked, then all traffic switched; the old one kept during
    the bake window for an instant rollback."""
    CANARY = "canary"
    """A small copy that takes a growing share of traffic, analysed at every step."""

    @classmethod
    def parse(cls, text: str) -> Strategy:
        """The strategy named `text`, or a UsageError listing the valid ones."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise UsageError(
                f"unknown strategy {text!r}",
                name="strategy",
                valid=", ".join(s.value for s in cls),
            ) from None


class SmokeVia(StrEnum):
    """How smoke checks reach a track on Kubernetes."""

    AUTO = "auto"
    """The proxy from a runner outside the cluster, direct from a pod inside it."""
    PROXY = "proxy"
    """Through the API server's service proxy, with the rollout's own credentials."""
    DIRECT = "direct"
    """To the track's Service by cluster DNS (<svc>.<ns>.svc), which resolves only inside."""

    def resolved(self, *, in_cluster: bool) -> SmokeVia:
        """PROXY or DIRECT: AUTO decided by where paved runs (`in_cluster`: the runner is a pod,
        KUBERNETES_SERVICE_HOST is set)."""
        if self is SmokeVia.AUTO:
            return SmokeVia.DIRECT if in_cluster else SmokeVia.PROXY
        return self


@dataclass(frozen=True)
class CanaryStep:
    """One weight of a canary rollout and how long it is analysed there."""

    weight: int
    """Percent of traffic on the canary during this step, 1..100."""
    analysis_seconds: float
    gate: bool = False
    """Stop after this step until a person approves (a GitHub environment approval)."""


@dataclass(frozen=True)
class DeployOptions:
    """Everything deploy-strategy needs to run one rollout."""

    app: str
    image: str
    strategy: Strategy = Strategy.CANARY
    canary_steps: tuple[CanaryStep, ...] = tuple(
        CanaryStep(w, 30.0) for w in DEFAULT_CANARY_WEIGHTS
    )
    replicas: int | None = None
    """Instances of the new version at the end; None = as many as the live version has."""
    canary_replicas: int = 1
    bake_seconds: float = 60.0
    """Blue-green: how long the new color is analysed with all traffic, old color still up."""
    ready_timeout_seconds: float = 120.0
    smoke_checks: tuple[SmokeCheck, ...] = (SmokeCheck("/health"),)
    lease_ttl_seconds: float = 900.0
    holder: str = "paved"
    approve_gates: bool = False
    """Pass manual gates: the approved re-run after a GitHub environment approval."""
    hold_limit: int = 2
    """An inconclusive analysis (no data, no backend) holds the weight and runs again this
    many times; inconclusive after that fails the step (rolled back, never promoted)."""


def parse_app(text: str) -> str:
    """An app name usable as a container name prefix, a Kubernetes name and a label value."""
    if not _APP_NAME.fullmatch(text):
        raise UsageError(
            f"{text!r} is not a valid app name",
            name="app",
            valid="lower-case letters, digits and '-', 1-42 characters, starting and ending "
            "with a letter or digit",
        )
    return text


def check_weights(weights: tuple[int, ...], *, name: str = "canary-steps") -> tuple[int, ...]:
    """The weights if they increase, stay in 1..100 and end at 100; else one UsageError."""
    valid = "increasing whole percentages in 1..100 ending at 100, e.g. 10,50,100"
    if not weights:
        raise UsageError("no canary weights given", name=name, valid=valid)
    for weight in weights:
        if not 1 <= weight <= 100:  # noqa: PLR2004 - percent
            raise UsageError(f"weight {weight} is outside 1..100", name=name, valid=valid)
    for before, after in itertools.pairwise(weights):
        if after <= before:
            raise UsageError(
                f"weights must increase, but {after} follows {before}", name=name, valid=valid
            )
    if weights[-1] != 100:  # noqa: PLR2004 - percent
        raise UsageError(f"the last weight is {weights[-1]}, not 100", name=name, valid=valid)
    return weights


def parse_weight_list(text: str) -> tuple[int, ...]:
    """`10,50,100` -> (10, 50, 100), validated."""
    weights = []
    for part in (p.strip() for p in text.split(",")):
        if not part.isdigit():
            raise UsageError(
                f"{part!r} in {text!r} is not a whole number",
                name="canary-steps",
                valid="comma-separated whole percentages ending at 100, e.g. 10,50,100",
            )
        weights.append(int(part))
    return check_weights(tuple(weights))


def weights_by_increment(step_weight: int, max_weight: int = 100) -> tuple[int, ...]:
    """Flagger's form: step 20, max 60 -> 20, 40, 60, then 100 (promotion)."""
    for name, value in (("step-weight", step_weight), ("max-weight", max_weight)):
        if not 1 <= value <= 100:  # noqa: PLR2004 - percent
            raise UsageError(f"{value} is outside 1..100", name=name, valid="1..100")
    if step_weight > max_weight:
        raise UsageError(
            f"the step {step_weight} is larger than the maximum {max_weight}",
            name="step-weight",
            valid=f"1..{max_weight}",
        )
    weights = list(range(step_weight, max_weight + 1, step_weight))
    if weights[-1] != 100:  # noqa: PLR2004 - percent
        weights.append(100)
    return check_weights(tuple(weights), name="step-weight")


def canary_steps(
    weights: tuple[int, ...], analysis_seconds: float, gates: frozenset[int] = frozenset()
) -> tuple[CanaryStep, ...]:
    """CanarySteps for `weights`; a gate after each weight named in `gates`."""
    if analysis_seconds < 0:
        raise UsageError(
            f"{analysis_seconds} s is negative", name="step-seconds", valid="0 or more seconds"
        )
    unknown = sorted(gates - set(weights[:-1]))
    if unknown:
        raise UsageError(
            f"no canary step has weight {unknown[0]}",
            name="gate-after",
            valid=", ".join(str(w) for w in weights[:-1]) or "none (a single step)",
        )
    return tuple(CanaryStep(w, analysis_seconds, gate=w in gates) for w in weights)


def check_positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    """`value` if it is > 0 (or >= 0); else a UsageError naming the flag."""
    if value < 0 or (value == 0 and not allow_zero):
        raise UsageError(
            f"{value} is not allowed", name=name, valid="0 or more" if allow_zero else "above 0"
        )
    return value
