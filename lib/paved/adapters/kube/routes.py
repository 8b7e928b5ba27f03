"""Traffic weights inside router objects, read and changed as data (no I/O; unit-tested).

Gateway API HTTPRoute: `spec.rules[].backendRefs[]` carry `name` and `weight` (default 1).
Istio VirtualService: `spec.http[].route[]` carry `destination.subset` and `weight`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_HTTPROUTE_WEIGHT = 1


def httproute_weights(route: Mapping[str, Any]) -> dict[str, int]:
    """backendRef name -> weight, from the first rule that names each backend."""
    weights: dict[str, int] = {}
    for rule in (route.get("spec") or {}).get("rules") or []:
        for ref in rule.get("backendRefs") or []:
            weights.setdefault(str(ref["name"]), int(ref.get("weight", DEFAULT_HTTPROUTE_WEIGHT)))
    return weights


def with_httproute_weights(route: Mapping[str, Any], weights: Mapping[str, int]) -> list[Any]:
    """The route's `spec.rules` with the named backends' weights set."""
    rules = copy.deepcopy((route.get("spec") or {}).get("rules") or [])
    seen: set[str] = set()
    for rule in rules:
        for ref in rule.get("backendRefs") or []:
            if ref.get("name") in weights:
                ref["weight"] = weights[ref["name"]]
                seen.add(ref["name"])
    _require_all(route, "backendRef", weights, seen, httproute_weights(route))
    return rules


def virtualservice_weights(service: Mapping[str, Any]) -> dict[str, int]:
    """Destination subset -> weight, from the first HTTP route that names each subset."""
    weights: dict[str, int] = {}
    for http in (service.get("spec") or {}).get("http") or []:
        for route in http.get("route") or []:
            subset = (route.get("destination") or {}).get("subset")
            if subset is not None:
                weights.setdefault(str(subset), int(route.get("weight", 0)))
    return weights


def with_virtualservice_weights(
    service: Mapping[str, Any], weights: Mapping[str, int]
) -> list[Any]:
    """The VirtualService's `spec.http` with the named subsets' weights set."""
    http = copy.deepcopy((service.get("spec") or {}).get("http") or [])
    seen: set[str] = set()
    for entry in http:
        for route in entry.get("route") or []:
            subset = str((route.get("destination") or {}).get("subset"))
            if subset in weights:
                route["weight"] = weights[subset]
                seen.add(subset)
    _require_all(service, "destination subset", weights, seen, virtualservice_weights(service))
    return http


def _require_all(
    obj: Mapping[str, Any],
    what: str,
    weights: Mapping[str, int],
    seen: set[str],
    present: Mapping[str, int],
) -> None:
    missing = sorted(set(weights) - seen)
    if missing:
        meta = obj.get("metadata") or {}
        where = f"{obj.get('kind', 'object')} {meta.get('namespace', '')}/{meta.get('name', '')}"
        raise UsageError(
            f"{where} has no {what} {', '.join(missing)}",
            valid=", ".join(sorted(present)) or "none",
        )
