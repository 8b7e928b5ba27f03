"""Rollout status and undo decided from objects, in the order kubectl checks them."""

from __future__ import annotations

import pytest
from paved.adapters.kube import RollbackImpossibleError, RolloutPhase
from paved.adapters.kube.rollout import (
    history_of,
    owned_by,
    rollback_patch,
    rollback_target,
    same_template,
    status_of,
)


def deployment(generation=2, observed=2, status=None, paused=False, annotations=None):
    return {
        "metadata": {
            "name": "web",
            "namespace": "prod",
            "generation": generation,
            "resourceVersion": "41",
            "uid": "d-1",
            "annotations": annotations or {"deployment.kubernetes.io/revision": "2"},
        },
        "spec": {
            "replicas": 3,
            "paused": paused,
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "app", "image": "web:2"}]},
            },
        },
        "status": {"observedGeneration": observed, **(status or {})},
    }


def replica_set(revision, image, owner="d-1", extra=None):
    return {
        "metadata": {
            "name": f"web-{revision}",
            "annotations": {"deployment.kubernetes.io/revision": str(revision), **(extra or {})},
            "ownerReferences": [{"uid": owner, "controller": True}],
        },
        "spec": {
            "replicas": 0,
            "template": {
                "metadata": {"labels": {"app": "web", "pod-template-hash": f"h{revision}"}},
                "spec": {"containers": [{"name": "app", "image": image}]},
            },
        },
    }


FULL = {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3}


@pytest.mark.parametrize(
    ("generation", "observed", "status", "phase"),
    [
        (3, 2, FULL, RolloutPhase.WAITING_FOR_CONTROLLER),
        (2, 2, {**FULL, "updatedReplicas": 1}, RolloutPhase.UPDATING),
        (2, 2, {**FULL, "replicas": 4}, RolloutPhase.TERMINATING_OLD),
        (2, 2, {**FULL, "availableReplicas": 2}, RolloutPhase.WAITING_AVAILABLE),
        (2, 2, FULL, RolloutPhase.COMPLETE),
        (
            2,
            2,
            {
                **FULL,
                "updatedReplicas": 1,
                "conditions": [{"type": "Progressing", "reason": "ProgressDeadlineExceeded"}],
            },
            RolloutPhase.DEADLINE_EXCEEDED,
        ),
    ],
)
def test_phase_follows_kubectl_order(generation, observed, status, phase):
    judged = status_of(deployment(generation, observed, status))
    assert judged.phase is phase
    assert judged.phase.finished is (
        phase in {RolloutPhase.COMPLETE, RolloutPhase.DEADLINE_EXCEEDED}
    )


def test_an_unobserved_spec_wins_over_an_old_deadline():
    stale = {"conditions": [{"type": "Progressing", "reason": "ProgressDeadlineExceeded"}]}
    assert status_of(deployment(3, 2, stale)).phase is RolloutPhase.WAITING_FOR_CONTROLLER


def test_history_is_ordered_and_only_owned_sets_count():
    sets = [replica_set(3, "web:3"), replica_set(1, "web:1"), replica_set(2, "x", owner="other")]
    assert [r.number for r in history_of(owned_by(sets, "d-1"))] == [1, 3]


def test_undo_picks_the_revision_before_the_newest():
    sets = [replica_set(1, "web:1"), replica_set(3, "web:3"), replica_set(2, "web:2")]
    assert rollback_target(deployment(), sets, None)["metadata"]["name"] == "web-2"
    assert rollback_target(deployment(), sets, 1)["metadata"]["name"] == "web-1"


def test_undo_refuses_paused_and_single_revision():
    with pytest.raises(RollbackImpossibleError, match="paused"):
        rollback_target(deployment(paused=True), [replica_set(1, "a"), replica_set(2, "b")], None)
    with pytest.raises(RollbackImpossibleError, match="no earlier revision"):
        rollback_target(deployment(), [replica_set(1, "a")], None)


def test_the_patch_copies_the_template_without_its_hash_and_keeps_paved_state():
    live = deployment(
        annotations={
            "deployment.kubernetes.io/revision": "2",
            "paved.dev/rollout": "step=2",
            "team/note": "new",
        }
    )
    target = replica_set(1, "web:1", extra={"team/note": "old"})
    patch = rollback_patch(live, target)
    assert patch[0] == {"op": "replace", "path": "/metadata/resourceVersion", "value": "41"}
    template = patch[1]["value"]
    assert template["metadata"]["labels"] == {"app": "web"}
    assert template["spec"]["containers"][0]["image"] == "web:1"
    assert patch[2]["value"] == {
        "deployment.kubernetes.io/revision": "2",
        "paved.dev/rollout": "step=2",
        "team/note": "old",
    }
    assert not same_template(live, target)
    assert same_template(live, replica_set(2, "web:2"))


def test_apply_writes_the_default_protocol_of_list_map_keys():
    from paved.adapters.kube.manifests import for_apply  # noqa: PLC0415

    service = {
        "kind": "Service",
        "spec": {"ports": [{"port": 80}, {"port": 53, "protocol": "UDP"}]},
    }
    assert [p["protocol"] for p in for_apply(service)["spec"]["ports"]] == ["TCP", "UDP"]
    assert "protocol" not in service["spec"]["ports"][0]  # the input is left alone
    deploy = {
        "kind": "Deployment",
        "spec": {
            "template": {"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 1}]}]}}
        },
    }
    container = for_apply(deploy)["spec"]["template"]["spec"]["containers"][0]
    assert container["ports"] == [{"containerPort": 1, "protocol": "TCP"}]
    assert for_apply({"kind": "ConfigMap", "data": {"a": "b"}}) == {
        "kind": "ConfigMap",
        "data": {"a": "b"},
    }
