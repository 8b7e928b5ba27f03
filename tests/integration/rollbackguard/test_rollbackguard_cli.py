"""`paved rollback-guard` against the session's Prometheus and real service processes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from paved.cli import run

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from components.registry import free_port

ROOT = Path(__file__).resolve().parents[3]


class Frontend:
    def __init__(self) -> None:
        self.shown = []
        self.failed = []

    def show(self, rendered) -> None:
        self.shown.append(rendered)

    def fail(self, capability, error) -> None:
        self.failed.append((capability, error))


def guard(release, tmp_path, *flags):
    frontend = Frontend()
    record = tmp_path / "decision.json"
    code = run(
        [
            "rollback-guard",
            f"--prometheus-url={release.source.client.base_url}",
            f"--app={release.app}",
            f"--candidate-selector={release.source.selectors.candidate}",
            f"--stable-selector={release.source.selectors.stable}",
            f"--record={record}",
            f"--json={tmp_path / 'outcome.json'}",
            *flags,
        ],
        frontend,
    )
    assert frontend.failed == []
    return code, json.loads(record.read_text(encoding="utf-8")), frontend.shown[0]


def test_a_bad_canary_fails_with_exit_1_and_a_record_of_every_look(make_release, tmp_path):
    with make_release({"FAULT_ERROR_RATE": "0.2"}) as release:
        code, record, rendered = guard(
            release, tmp_path, "--interval=1", "--window=10", "--looks=10", "--no-data-limit=10"
        )
    assert code == 1
    assert (record["verdict"], record["reason"], record["decided_by"]) == (
        "fail",
        "failure-limit",
        "error-rate",
    )
    assert record["looks"][-1]["readings"][0]["candidate"] > 0.05
    assert (tmp_path / "outcome.json").read_text(encoding="utf-8") == rendered.json_document
    assert rendered.outputs["verdict"] == "fail"
    assert rendered.outputs["rolled-back"] == "false"
    assert "| look |" in rendered.summary_markdown


def test_the_slo_mode_passes_a_healthy_service(make_release, tmp_path):
    with make_release({}) as release:
        release.wait_requests(100)
        code, record, _ = guard(
            release, tmp_path, "--mode=slo", "--window=10", "--min-requests=100"
        )
    assert code == 0, record["reason_text"]
    assert [r["check"] for r in record["looks"][0]["readings"]] == ["availability", "latency"]
    assert record["looks"][0]["readings"][0]["candidate"] == 1.0


def test_the_slo_mode_fails_a_service_without_traffic(make_release, tmp_path):
    with make_release(canary_traffic=False) as release:
        code, record, _ = guard(
            release, tmp_path, "--mode=slo", "--window=10", "--no-data-limit=1", "--interval=0.5"
        )
    assert code == 1
    assert len(record["looks"]) == 2  # it waited one more look for data, then failed
    assert record["verdict"] == "fail"
    assert record["looks"][0]["readings"][0]["reason"] == "too-few-requests"


def test_prometheus_never_answering_is_exit_3_and_outputs_match_the_action(tmp_path):
    frontend = Frontend()
    record = tmp_path / "decision.json"
    code = run(
        [
            "rollback-guard",
            f"--prometheus-url=http://127.0.0.1:{free_port()}",
            "--interval=0.2",
            "--looks=2",
            f"--record={record}",
        ],
        frontend,
    )
    assert code == 3
    document = json.loads(record.read_text(encoding="utf-8"))
    assert (document["result"], document["verdict"]) == ("error", "hold")
    scalars = {
        name.replace("_", "-")
        for name, value in document.items()
        if not isinstance(value, (dict, list)) and name not in {"schema", "capability"}
    }
    action = yaml.safe_load((ROOT / "actions" / "rollback-guard" / "action.yml").read_text())
    assert set(action["outputs"]) == {*scalars, "outcome-path"}
