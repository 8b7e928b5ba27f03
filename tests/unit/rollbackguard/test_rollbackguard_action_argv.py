"""The action's inputs become `paved rollback-guard` flags and the same GuardOptions."""

from __future__ import annotations

import pytest
from paved.cli import build_parser
from paved.cli.guard_target import sources_from
from paved.cli.rollback_guard import options_from, selectors_from
from paved.errors import UsageError
from paved.gha.inputs import action_argv
from paved.rollbackguard.options import CheckName, Mode
from paved.rollbackguard.params import DECLARATION
from paved.rollbackguard.policy import InconclusivePolicy


def parsed(environ):
    return build_parser("rollback-guard").parse_args(action_argv(DECLARATION, environ))


def test_inputs_reach_the_analysis_with_their_types():
    args = parsed(
        {
            "INPUT_PROMETHEUS_URL": "http://127.0.0.1:9090",
            "INPUT_CHECKS": "error-rate\np95-latency, memory",
            "INPUT_CANDIDATE_SELECTOR": 'app="shop",track="canary"',
            "INPUT_ON_INCONCLUSIVE": "fail",
            "INPUT_INTERVAL": "2.5",
            "INPUT_MEMORY_LIMIT_MB": "64",
            "INPUT_MANN_WHITNEY": "p95-latency",
            "GITHUB_WORKSPACE": "/srv/ws",
        }
    )
    options = options_from(args)
    assert options.checks == (CheckName.ERROR_RATE, CheckName.P95_LATENCY, CheckName.MEMORY)
    assert options.policy.interval_seconds == 2.5
    assert options.policy.on_inconclusive is InconclusivePolicy.FAIL
    assert options.limits.memory_bytes == 64 * 1024 * 1024
    assert selectors_from(args).candidate == 'app="shop",track="canary"'
    assert str(args.record) == "/srv/ws/.paved/rollback-guard/decision.json"
    spec = options.spec()
    assert [c.name for c in spec.checks] == ["error-rate", "p95-latency", "memory"]
    assert [j.check for j in spec.judges] == ["p95-latency"]


def test_the_defaults_are_the_seeds_controller_and_rules():
    options = options_from(parsed({"INPUT_PROMETHEUS_URL": "http://p:9090"}))
    assert (options.policy.interval_seconds, options.policy.looks) == (10.0, 30)
    assert options.limits.error_rate == 0.05
    assert options.limits.p95_factor == 1.25
    assert options.mode is Mode.ANALYSIS
    assert options.policy.on_inconclusive is InconclusivePolicy.HOLD


def test_slo_mode_uses_the_window_and_percent_targets():
    args = parsed(
        {
            "INPUT_PROMETHEUS_URL": "http://p:9090",
            "INPUT_MODE": "slo",
            "INPUT_WINDOW": "900",
            "INPUT_AVAILABILITY_TARGET": "99.5",
            "INPUT_LATENCY_TARGET_MS": "150",
        }
    )
    spec = options_from(args).spec()
    # One judgement, at the first look with data: no-data-limit (4) more looks may wait for it.
    assert (spec.policy.looks, spec.policy.pass_early) == (5, True)
    assert (spec.policy.no_data_limit, spec.policy.interval_seconds) == (4, 10)
    assert spec.policy.window_seconds == 900
    assert [c.threshold.limit for c in spec.checks] == [pytest.approx(0.995), 0.15]


def test_a_prometheus_check_without_prometheus_url_is_a_usage_error():
    args = parsed({"GITHUB_WORKSPACE": "/srv/ws"})
    with pytest.raises(UsageError, match="prometheus-url"):
        sources_from(args, options_from(args), None, lambda: selectors_from(args))


def test_a_target_check_without_a_target_is_a_usage_error():
    args = parsed({"GITHUB_WORKSPACE": "/srv/ws", "INPUT_CHECKS": "ready-ratio"})
    with pytest.raises(UsageError, match="--target"):
        sources_from(args, options_from(args), None, lambda: selectors_from(args))
