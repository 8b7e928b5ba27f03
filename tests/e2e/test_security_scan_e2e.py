"""security-scan end to end: a consumer workflow calls paved's reusable workflow under act."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

pytestmark = pytest.mark.e2e

CALLER = """\
name: security
on: push
permissions: {}
jobs:
  scan:
    uses: pavedhq/paved/.github/workflows/security-scan.yml@v1
    permissions:
      contents: read
      security-events: write
    with:
      working-directory: service
      osv-database: ${{ vars.E2E_OSV }}
      osv-max-age: any # the vendored records end in 2024
      output-dir: ${{ vars.E2E_RESULTS }}
      upload-sarif: true
  report:
    needs: scan
    if: ${{ always() }}
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - env:
          RESULT: ${{ needs.scan.outputs.result }}
          CRITICAL: ${{ needs.scan.outputs.critical }}
          HIGH: ${{ needs.scan.outputs.high }}
          UNKNOWN: ${{ needs.scan.outputs.unknown }}
          MEDIUM: ${{ needs.scan.outputs.medium }}
          LOW: ${{ needs.scan.outputs.low }}
          SARIF: ${{ needs.scan.outputs.sarif-dir }}
          SBOM: ${{ needs.scan.outputs.sbom-path }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          {
            printf 'result=%s\\ncritical=%s\\nhigh=%s\\n' "$RESULT" "$CRITICAL" "$HIGH"
            printf 'unknown=%s\\nmedium=%s\\nlow=%s\\n' "$UNKNOWN" "$MEDIUM" "$LOW"
            printf 'sarif=%s\\nsbom=%s\\n' "$SARIF" "$SBOM"
          } > "$OUT/outputs.txt"
"""


def _outputs(results: Path) -> dict[str, str]:
    text = (results / "outputs.txt").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines())


def test_reusable_workflow_scans_the_example_service_offline(consumer, run_act, tmp_path: Path):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "examples" / "python-service", "service")
    consumer.write(".github/workflows/security.yml", CALLER)

    osv = str((DATA / "osv-pypi").resolve())
    run = run_act(consumer, variables={"E2E_RESULTS": str(results), "E2E_OSV": osv})

    assert run.returncode == 0, run.log[-4000:]
    outputs = _outputs(results)
    assert outputs["result"] == "passed"
    assert (outputs["critical"], outputs["high"], outputs["unknown"]) == ("0", "0", "0")
    # bandit's B101 on the service's test asserts: left out by exclude's default (tests).
    assert outputs["low"] == "0"
    assert outputs["sarif"] == str(results / "sarif")
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    files = sorted(Path(outputs["sarif"]).glob("*.sarif"))
    assert [f.name for f in files] == ["bandit.sarif", "detect-secrets.sarif", "osv-offline.sarif"]
    for file in files:
        jsonschema.Draft4Validator(schema).validate(json.loads(file.read_text(encoding="utf-8")))
    sbom = json.loads(Path(outputs["sbom"]).read_text(encoding="utf-8"))
    assert {c["name"] for c in sbom["components"]} >= {"flask", "gunicorn", "prometheus-client"}
    # The upload step is skipped under act (its offline stand-in would fail the job).
    assert not run.lines("offline stand-in for github/codeql-action/upload-sarif ran")
