"""The front end picks the analysis: readiness + smoke by default, rollback-guard's metric
analysis when a Prometheus is named, with deploy-strategy's flags reaching its policy."""

from __future__ import annotations

from deploystrategy_support import FakeClock, FakeTarget
from paved.cli import build_parser
from paved.cli.deploy_strategy import analysis_from, options_from
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.rollbackguard.deploy_analysis import MetricAnalysis
from paved.rollbackguard.policy import InconclusivePolicy

BASE = ["deploy-strategy", "--app=shop", "--image=127.0.0.1:5000/shop:2"]


def chosen(*flags):
    args = build_parser("deploy-strategy").parse_args([*BASE, *flags])
    target = FakeTarget(FakeClock())
    return analysis_from(args, target, options_from(args)), options_from(args)


def test_without_prometheus_the_default_analysis_runs():
    analysis, options = chosen()
    assert isinstance(analysis, ReadinessAndSmoke)
    assert options.hold_limit == 2


def test_with_prometheus_the_metric_analysis_runs_with_the_deploy_flags():
    analysis, options = chosen(
        "--prometheus-url=http://127.0.0.1:9",
        "--metric-checks=error-rate",
        "--error-rate-limit=0.02",
        "--analysis-interval=2",
        "--analysis-window=30",
        "--min-requests=20",
        "--on-inconclusive=fail",
        "--hold-limit=4",
        '--candidate-selector=app="shop",track="canary"',
    )
    assert isinstance(analysis, MetricAnalysis)
    policy = analysis.spec.policy
    assert (policy.interval_seconds, policy.window_seconds, policy.min_requests) == (2, 30, 20)
    assert policy.on_inconclusive is InconclusivePolicy.FAIL
    assert [c.name for c in analysis.spec.checks] == ["error-rate"]
    assert analysis.source.selectors.candidate == 'app="shop",track="canary"'
    assert options.hold_limit == 4
