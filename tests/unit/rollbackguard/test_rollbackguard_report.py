"""The decision record's renderings: JSON with every look, a table, a timeline, the reason."""

import json
import math

from paved.adapters.deploy.interface import AnalysisRequest
from paved.adapters.deploy.interface import Verdict as DeployVerdict
from paved.report.rollbackguard import record_json, summary_table, timeline
from paved.rollbackguard import catalog
from paved.rollbackguard.analysis import AnalysisSpec, run_analysis
from paved.rollbackguard.classify import Observation
from paved.rollbackguard.deploy_analysis import MetricAnalysis
from paved.rollbackguard.policy import AnalysisPolicy
from rollbackguard_support import DOWN, FakeTime, ScriptedSource, ok

SPEC = AnalysisSpec("shop", (catalog.error_rate(), catalog.p95_latency()), AnalysisPolicy(looks=4))


def failing_record():
    source = ScriptedSource(
        {
            "error-rate": [ok(0.0), DOWN, Observation(math.nan, 0.0, 3), ok(0.2)],
            "p95-latency": [ok(0.01, stable=0.01)],
        }
    )
    return run_analysis(SPEC, source, FakeTime().clock())


def test_json_keeps_every_look_reading_and_reason_and_has_no_nan():
    document = json.loads(record_json(failing_record()))
    assert document["schema"] == "paved/rollback-guard/v1"
    assert document["verdict"] == "fail"
    assert document["reason"] == "failure-limit"
    assert document["decided_by"] == "error-rate"
    assert [look["outcome"] for look in document["looks"]] == ["pass", "error", "no-data", "fail"]
    third = document["looks"][2]["readings"][0]
    assert (third["reason"], third["candidate"], third["requests"]) == (
        "too-few-requests",
        None,
        3,
    )
    assert "did not answer" in document["looks"][1]["readings"][0]["detail"]
    assert document["policy"]["on_inconclusive"] == "hold"
    assert "20.00 %" in document["reason_text"]


def test_table_and_timeline_show_each_look_with_its_figures():
    record = failing_record()
    text = summary_table(record)
    assert text.splitlines()[0].startswith("**rollback-guard: fail** for shop")
    assert "20.00 % breaches 5.00 %" in text
    assert "too few requests (3)" in text
    lines = timeline(record).splitlines()
    assert len(lines) == 5
    assert "backend error" in lines[1]
    assert lines[-1].split("verdict ")[1].startswith("fail: a threshold was breached")


def test_metric_analysis_speaks_the_deploy_interface():
    time = FakeTime()
    records = []
    source = ScriptedSource({"error-rate": [ok(0.0)], "p95-latency": [ok(0.01, stable=0.01)]})
    analysis = MetricAnalysis(SPEC, source, time.clock(), on_record=records.append)
    result = analysis.analyse(AnalysisRequest("cart", 10, 3.0, None, None))
    assert result.verdict is DeployVerdict.PASS
    assert len(records[0].looks) == 3
    assert records[0].app == "cart"
    assert [(m.name, m.threshold, m.ok) for m in result.measurements] == [
        ("error-rate", "<= 0.05", True),
        ("p95-latency", "<= 1.25 x stable", True),
    ]


def test_metric_analysis_never_passes_on_a_silent_backend():
    source = ScriptedSource({"error-rate": [DOWN], "p95-latency": [DOWN]})
    analysis = MetricAnalysis(SPEC, source, FakeTime().clock())
    result = analysis.analyse(AnalysisRequest("cart", 10, 0.0, None, None))
    assert result.verdict is DeployVerdict.INCONCLUSIVE
    assert not result.passed
