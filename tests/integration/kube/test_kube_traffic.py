"""Traffic moved by paved's adapter: Service selectors, HTTPRoute and VirtualService weights."""

from __future__ import annotations

import re

import pytest
from kube_support import kubectl_json, service_manifest
from paved.adapters.kube import ObjectRejectedError
from paved.adapters.kube.interface import ObjectRef
from paved.errors import UsageError

pytestmark = pytest.mark.integration


def httproute(namespace: str, stable: int, canary: int) -> dict:
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {
            "parentRefs": [{"name": "gateway"}],
            "rules": [
                {
                    "backendRefs": [
                        {"name": "web-stable", "port": 80, "weight": stable},
                        {"name": "web-canary", "port": 80, "weight": canary},
                    ]
                }
            ],
        },
    }


def virtualservice(namespace: str) -> dict:
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {
            "hosts": ["web"],
            "http": [
                {
                    "route": [
                        {"destination": {"host": "web", "subset": "stable"}, "weight": 90},
                        {"destination": {"host": "web", "subset": "canary"}, "weight": 10},
                    ]
                }
            ],
        },
    }


def test_service_selector_switches_color(kube, kube_cluster, namespace):
    kube.apply(service_manifest(namespace, "web", {"app": "web", "color": "blue"}))
    kube.set_service_selector(namespace, "web", {"app": "web", "color": "green"})
    live = kubectl_json(kube_cluster, "service/web", "-n", namespace)
    assert live["spec"]["selector"] == {"app": "web", "color": "green"}


def test_httproute_weights_move_90_10_to_50_50_to_0_100(kube, kube_cluster, namespace):
    kube.apply(httproute(namespace, 90, 10))
    assert kube.httproute_weights(namespace, "web") == {"web-stable": 90, "web-canary": 10}
    for stable, canary in ((50, 50), (0, 100)):
        kube.set_httproute_weights(namespace, "web", {"web-stable": stable, "web-canary": canary})
        assert kube.httproute_weights(namespace, "web") == {
            "web-stable": stable,
            "web-canary": canary,
        }
        live = kubectl_json(kube_cluster, "httproute/web", "-n", namespace)
        assert [b["weight"] for b in live["spec"]["rules"][0]["backendRefs"]] == [stable, canary]


def test_a_weight_beyond_the_schema_maximum_is_rejected_with_the_field(kube, namespace):
    kube.apply(httproute(namespace, 90, 10))
    kube.set_httproute_weights(namespace, "web", {"web-canary": 1_000_000})  # the maximum
    with pytest.raises(ObjectRejectedError) as caught:
        kube.set_httproute_weights(namespace, "web", {"web-canary": 1_000_001})
    error = caught.value
    assert error.exit_code == 2
    # 1.20 names the field without list indices (spec.rules.backendRefs.weight); newer add them.
    assert re.search(r"spec\.rules(\[0\])?\.backendRefs(\[1\])?\.weight", str(error))
    assert "1000000" in str(error)  # the server says what the limit is
    assert kube.httproute_weights(namespace, "web")["web-canary"] == 1_000_000


def test_an_unknown_backend_is_a_usage_error_naming_the_valid_ones(kube, namespace):
    kube.apply(httproute(namespace, 90, 10))
    with pytest.raises(UsageError, match=r"no backendRef web-green .valid: web-canary, web-stable"):
        kube.set_httproute_weights(namespace, "web", {"web-green": 100})


def test_virtualservice_weights_move_by_subset(kube, kube_cluster, namespace):
    kube.apply(virtualservice(namespace))
    kube.apply(
        {
            "apiVersion": "networking.istio.io/v1beta1",
            "kind": "DestinationRule",
            "metadata": {"name": "web", "namespace": namespace},
            "spec": {
                "host": "web",
                "subsets": [
                    {"name": "stable", "labels": {"track": "stable"}},
                    {"name": "canary", "labels": {"track": "canary"}},
                ],
            },
        }
    )
    assert kube.virtualservice_weights(namespace, "web") == {"stable": 90, "canary": 10}
    for stable, canary in ((50, 50), (0, 100)):
        kube.set_virtualservice_weights(namespace, "web", {"stable": stable, "canary": canary})
        live = kubectl_json(kube_cluster, "virtualservice/web", "-n", namespace)
        assert [r["weight"] for r in live["spec"]["http"][0]["route"]] == [stable, canary]


def test_annotations_record_and_remove_state(kube, namespace):
    ref = ObjectRef("v1", "Service", namespace, "web")
    kube.apply(service_manifest(namespace, "web", {"app": "web"}))
    kube.annotate(ref, {"paved.dev/weight": "10", "paved.dev/step": "1"})
    kube.annotate(ref, {"paved.dev/step": None})
    assert {k: v for k, v in kube.annotations(ref).items() if k.startswith("paved.dev/")} == {
        "paved.dev/weight": "10"
    }
