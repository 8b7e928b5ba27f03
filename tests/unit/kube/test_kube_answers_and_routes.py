"""Router weights as data, and the API server's refusals as paved errors."""

from __future__ import annotations

import json

import pytest
from paved.adapters.kube import AccessDeniedError, ObjectNotFoundError, ObjectRejectedError
from paved.adapters.kube.answers import ConflictError, Request, error_for
from paved.adapters.kube.interface import ObjectRef
from paved.adapters.kube.routes import (
    httproute_weights,
    virtualservice_weights,
    with_httproute_weights,
    with_virtualservice_weights,
)
from paved.errors import ExitCode, UsageError

ROUTE = {
    "kind": "HTTPRoute",
    "metadata": {"name": "web", "namespace": "prod"},
    "spec": {
        "rules": [
            {"backendRefs": [{"name": "stable", "weight": 90}, {"name": "canary", "weight": 10}]},
            {"backendRefs": [{"name": "stable"}]},
        ]
    },
}
SERVICE = {
    "kind": "VirtualService",
    "metadata": {"name": "web", "namespace": "prod"},
    "spec": {
        "http": [
            {
                "route": [
                    {"destination": {"host": "web", "subset": "stable"}, "weight": 90},
                    {"destination": {"host": "web", "subset": "canary"}, "weight": 10},
                ]
            }
        ]
    },
}


def test_httproute_weights_read_and_set_in_every_rule():
    assert httproute_weights(ROUTE) == {"stable": 90, "canary": 10}
    rules = with_httproute_weights(ROUTE, {"stable": 0, "canary": 100})
    assert [[ref.get("weight") for ref in r["backendRefs"]] for r in rules] == [[0, 100], [0]]
    assert ROUTE["spec"]["rules"][1]["backendRefs"][0] == {"name": "stable"}  # input untouched


def test_an_absent_weight_is_the_gateway_api_default():
    assert httproute_weights({"spec": {"rules": [{"backendRefs": [{"name": "a"}]}]}}) == {"a": 1}


def test_virtualservice_weights_by_subset():
    assert virtualservice_weights(SERVICE) == {"stable": 90, "canary": 10}
    http = with_virtualservice_weights(SERVICE, {"stable": 50, "canary": 50})
    assert [r["weight"] for r in http[0]["route"]] == [50, 50]
    with pytest.raises(UsageError, match=r"no destination subset green .valid: canary, stable"):
        with_virtualservice_weights(SERVICE, {"green": 1})


REF = ObjectRef("gateway.networking.k8s.io/v1", "HTTPRoute", "prod", "web")
PATCH = Request("PATCH", REF, "httproutes.gateway.networking.k8s.io")


def status(message, **details):
    return json.dumps({"kind": "Status", "message": message, "details": details}).encode()


def test_forbidden_names_verb_and_resource():
    error = error_for(PATCH, 403, status('httproutes is forbidden: User "x" cannot patch'))
    assert isinstance(error, AccessDeniedError)
    assert error.exit_code == ExitCode.ENVIRONMENT
    assert str(error).startswith(
        "the Kubernetes token may not patch httproutes.gateway.networking.k8s.io in namespace prod"
    )
    listing = Request("GET", REF, "httproutes.gateway.networking.k8s.io", collection=True)
    assert "may not list" in str(error_for(listing, 403, b""))


def test_invalid_lists_each_field_cause():
    body = status(
        "HTTPRoute is invalid",
        causes=[{"field": "spec.rules[0].backendRefs[0].weight", "message": "must be <= 1000000"}],
    )
    error = error_for(PATCH, 422, body)
    assert isinstance(error, ObjectRejectedError)
    assert error.exit_code == ExitCode.USAGE
    assert str(error) == (
        "the API server rejected HTTPRoute prod/web: "
        "spec.rules[0].backendRefs[0].weight: must be <= 1000000"
    )


def test_other_answers():
    assert isinstance(error_for(PATCH, 404, b""), ObjectNotFoundError)
    conflict = error_for(PATCH, 409, status("Apply failed with 1 conflict"))
    assert isinstance(conflict, ConflictError)
    assert "another manager" in str(conflict)
    assert error_for(PATCH, 401, b"not json").exit_code == ExitCode.ENVIRONMENT
    assert "answered 500" in str(error_for(PATCH, 500, status("etcd is down")))
