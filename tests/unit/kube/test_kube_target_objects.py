"""The objects the Kubernetes target derives from a team's manifests (pure)."""

from __future__ import annotations

import pytest
from paved.adapters.deploy.interface import Track
from paved.adapters.deploy.kube_objects import (
    AppObjects,
    KubeRouter,
    deployment_for,
    httproute_for,
    ratio_percent,
    ratio_replicas,
    service_for,
)
from paved.errors import UsageError

TEAM = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "shop", "resourceVersion": "9", "labels": {"team": "a"}},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "shop"}},
        "template": {
            "metadata": {"labels": {"app": "shop"}},
            "spec": {"containers": [{"name": "app", "image": "shop:old"}, {"name": "sidecar"}]},
        },
    },
    "status": {"replicas": 3},
}


def test_a_color_deployment_is_the_team_template_with_name_labels_and_image():
    objects = AppObjects("shop", "prod", KubeRouter.SERVICE)
    green = deployment_for(
        TEAM, objects, Track.CANDIDATE, "blue", image="shop:2", replicas=3, revision=4
    )
    assert green["metadata"]["name"] == "shop-green"
    assert green["metadata"]["labels"] == {"team": "a", "app": "shop", "color": "green"}
    assert green["metadata"]["annotations"] == {"paved.dev/revision": "4"}
    assert "resourceVersion" not in green["metadata"]
    assert "status" not in green
    assert green["spec"]["selector"] == {"matchLabels": {"app": "shop", "color": "green"}}
    assert green["spec"]["template"]["metadata"]["labels"] == {"app": "shop", "color": "green"}
    assert [c.get("image") for c in green["spec"]["template"]["spec"]["containers"]] == [
        "shop:2",
        None,
    ]
    assert TEAM["spec"]["template"]["spec"]["containers"][0]["image"] == "shop:old"


def test_track_names_for_weighted_routers():
    objects = AppObjects("shop", "prod", KubeRouter.ISTIO)
    assert objects.deployment_name(Track.STABLE, "blue") == "shop"
    assert objects.deployment_name(Track.CANDIDATE, "blue") == "shop-canary"
    assert objects.track_labels(Track.CANDIDATE, "blue") == {"track": "canary"}
    colors = AppObjects("shop", "prod", KubeRouter.SERVICE)
    assert colors.deployment_name(Track.STABLE, "green") == "shop-green"
    assert colors.track_service(Track.CANDIDATE) == "shop-preview"


def test_a_deployment_without_match_labels_is_a_usage_error():
    broken = {**TEAM, "spec": {**TEAM["spec"], "selector": {}}}
    objects = AppObjects("shop", "prod", KubeRouter.ISTIO)
    with pytest.raises(UsageError, match=r"no spec\.selector\.matchLabels"):
        deployment_for(broken, objects, Track.STABLE, "blue", image="x", replicas=1, revision=1)


def test_services_and_routes():
    objects = AppObjects("shop", "prod", KubeRouter.GATEWAY_API)
    team = {
        "kind": "Service",
        "metadata": {"name": "shop"},
        "spec": {"clusterIP": "10.0.0.9", "ports": [{"port": 80}]},
    }
    canary = service_for(team, objects, "shop-canary", {"app": "shop", "track": "canary"})
    assert canary["metadata"] == {"name": "shop-canary", "namespace": "prod"}
    assert canary["spec"] == {
        "ports": [{"port": 80}],
        "selector": {"app": "shop", "track": "canary"},
    }
    route = httproute_for(objects, "public", 80)
    assert route["spec"]["parentRefs"] == [{"name": "public"}]
    assert [(b["name"], b["weight"]) for b in route["spec"]["rules"][0]["backendRefs"]] == [
        ("shop-stable", 100),
        ("shop-canary", 0),
    ]


@pytest.mark.parametrize(
    ("total", "weight", "pods"),
    [
        (4, 0, (4, 0)),
        (4, 10, (3, 1)),
        (4, 50, (2, 2)),
        (4, 100, (0, 4)),
        (10, 5, (9, 1)),
        (1, 10, (1, 1)),
        (2, 90, (1, 2)),
    ],
)
def test_replica_ratio(total, weight, pods):
    assert ratio_replicas(total, weight) == pods


def test_ratio_percent():
    assert (ratio_percent(3, 1), ratio_percent(0, 0), ratio_percent(0, 2)) == (25, 0, 100)
