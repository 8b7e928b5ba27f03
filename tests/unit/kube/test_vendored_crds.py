"""The vendored CRDs: what the 1.20 install strips, and the full schema our routes must meet."""

from __future__ import annotations

import json

import jsonschema
import pytest
from components.kube_crds import GATEWAY_API, ISTIO, documents, for_kubernetes_1_20


def count(node, predicate) -> int:
    if isinstance(node, dict):
        own = sum(1 for key, value in node.items() if predicate(key, value))
        return own + sum(count(value, predicate) for value in node.values())
    if isinstance(node, list):
        return sum(count(item, predicate) for item in node)
    return 0


def is_cel(key, value):
    return key == "x-kubernetes-validations"


def is_empty_default(key, value):
    return key == "default" and value == ""


def test_the_1_20_install_strips_exactly_cel_rules_and_empty_defaults():
    (route,) = documents(GATEWAY_API)
    assert (count(route, is_cel), count(route, is_empty_default)) == (52, 6)
    stripped = for_kubernetes_1_20(route)
    assert (count(stripped, is_cel), count(stripped, is_empty_default)) == (0, 0)
    assert len(json.dumps(stripped)) < len(json.dumps(route))
    assert count(route, is_cel) == 52  # the vendored document itself is left as it was
    assert [d["spec"]["names"]["kind"] for d in documents(ISTIO)] == [
        "VirtualService",
        "DestinationRule",
    ]


def v1_schema():
    (route,) = documents(GATEWAY_API)
    (v1,) = [v for v in route["spec"]["versions"] if v["name"] == "v1"]
    return v1["schema"]["openAPIV3Schema"]


def route(weight):
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "web"},
        "spec": {
            "parentRefs": [{"name": "gateway"}],
            "rules": [{"backendRefs": [{"name": "web-stable", "port": 80, "weight": weight}]}],
        },
    }


def test_the_routes_the_tests_apply_meet_the_full_schema():
    jsonschema.validate(route(1_000_000), v1_schema())
    with pytest.raises(jsonschema.ValidationError, match="1000001 is greater than the maximum"):
        jsonschema.validate(route(1_000_001), v1_schema())
