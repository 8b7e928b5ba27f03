"""HAProxy server weights for a traffic split, and the state's label form."""

from __future__ import annotations

import pytest
from paved.adapters.deploy.docker_host import effective_percent, server_weights
from paved.adapters.deploy.interface import (
    Lease,
    RolloutState,
    RolloutStatus,
    TrafficSplit,
)
from paved.adapters.router.interface import MAX_WEIGHT
from paved.errors import UsageError


@pytest.mark.parametrize("stable_servers", [1, 2, 3, 5])
@pytest.mark.parametrize("candidate_servers", [1, 2, 3])
@pytest.mark.parametrize("percent", [1, 5, 10, 25, 33, 50, 90, 99])
def test_weights_give_the_split_asked_for(percent, stable_servers, candidate_servers):
    stable, candidate = server_weights(percent, stable_servers, candidate_servers)
    assert 1 <= stable <= MAX_WEIGHT
    assert 1 <= candidate <= MAX_WEIGHT
    got = effective_percent(stable * stable_servers, candidate * candidate_servers)
    exact_fits = max((100 - percent) * candidate_servers, percent * stable_servers) <= MAX_WEIGHT
    # Exact when HAProxy's range holds the exact ratio; within one percent otherwise.
    assert got == percent if exact_fits else abs(got - percent) <= 1


def test_all_or_nothing_splits_leave_one_side_at_zero():
    assert server_weights(0, 2, 1) == (1, 0)
    assert server_weights(100, 2, 1) == (0, 1)
    assert server_weights(50, 2, 0) == (1, 0)
    assert server_weights(50, 0, 2) == (0, 1)


def test_a_split_outside_0_to_100_is_a_usage_error():
    with pytest.raises(UsageError, match=r"weight: a traffic weight of 101 .*\(valid: 0..100\)"):
        TrafficSplit(101)


def test_state_and_lease_survive_their_label_form():
    state = RolloutState(
        app="shop",
        revision=3,
        strategy="canary",
        image="r/shop@sha256:ab",
        previous_image=None,
        replicas=2,
        plan_digest="d1g",
        step_index=7,
        weight=50,
        status=RolloutStatus.IN_PROGRESS,
        promoted=False,
        started_at=1.5,
        updated_at=2.25,
        holder="run-9",
    )
    labels = state.to_labels()
    assert all(key.startswith("paved.dev/rollout-") for key in labels)
    assert RolloutState.from_labels(labels) == state
    assert RolloutState.from_labels({"paved.dev/rollout-app": "shop"}) is None
    lease = Lease("shop", "run-9", 1.0, 901.0)
    assert Lease.from_labels(lease.to_labels()) == lease
    assert lease.expired(901.0)
    assert not lease.expired(900.9)
