"""The advisories action under act: import a database, then judge its age as a scan would."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OSV = ROOT / "tests" / "data" / "osv-pypi"

pytestmark = pytest.mark.e2e

WORKFLOW = """\
name: advisories
on: push
permissions: {}
jobs:
  refresh:
    runs-on: ubuntu-latest
    steps:
      - id: imported
        uses: pavedhq/paved/actions/advisories@v1
        with:
          operation: import
          source: ${{ vars.E2E_SOURCE }}
          database: ${{ vars.E2E_DB }}
          max-age: any
      - id: shown
        continue-on-error: true
        uses: pavedhq/paved/actions/advisories@v1
        with:
          database: ${{ vars.E2E_DB }}
      - env:
          IMPORTED: ${{ steps.imported.outputs.result }}
          RECORDS: ${{ steps.imported.outputs.records }}
          WRITTEN: ${{ steps.imported.outputs.written }}
          NEWEST: ${{ steps.imported.outputs.newest-modified }}
          SHOWN: ${{ steps.shown.outputs.result }}
          LIMIT: ${{ steps.shown.outputs.max-age-days }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          {
            printf 'imported=%s\\nrecords=%s\\nwritten=%s\\n' "$IMPORTED" "$RECORDS" "$WRITTEN"
            printf 'newest=%s\\nshown=%s\\nlimit=%s\\n' "$NEWEST" "$SHOWN" "$LIMIT"
          } > "$OUT/outputs.txt"
"""


def test_the_action_imports_a_database_and_a_stale_one_fails_its_step(
    consumer, run_act, tmp_path: Path
):
    results = tmp_path / "results"
    results.mkdir()
    database = tmp_path / "osv-pypi"
    consumer.write(".github/workflows/advisories.yml", WORKFLOW)

    run = run_act(
        consumer,
        variables={
            "E2E_SOURCE": str(OSV),
            "E2E_DB": str(database),
            "E2E_RESULTS": str(results),
        },
    )

    assert run.returncode == 0, run.log[-4000:]
    text = (results / "outputs.txt").read_text(encoding="utf-8")
    outputs = dict(line.split("=", 1) for line in text.splitlines())
    assert outputs == {
        "imported": "passed",
        "records": "46",
        "written": "46",
        "newest": "2024-07-11T17:21:37.216928+00:00",
        "shown": "failed",
        "limit": "30",
    }
    assert len(list((database / "vulns").glob("*/*.json"))) == 46
    assert run.lines("too old to audit against")
