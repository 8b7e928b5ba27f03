"""A workflow `paved compose` generated runs for real: under act, against this checkout, the
example service is built and tested through the composed build-and-test job, with the
settings the config gave; the delivery jobs wait for their branch."""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from paved.cli import run

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

CONFIG = """\
name: python-service
language: python
working-directory: service
# act pushes to main: the image, the deploys and the metrics are for pushes to release only.
branch: release
build-and-test:
  coverage-threshold: 80
  results-dir: ${{ vars.E2E_RESULTS }}
stages:
  - name: checks
    tasks: [build-and-test]
  - name: image
    tasks: [container-build]
"""


class _Frontend:
    def show(self, rendered) -> None:
        self.text = rendered.console_text

    def fail(self, capability, error) -> None:
        pytest.fail(f"{capability}: {error}")


def test_a_composed_workflow_builds_and_tests_the_service_and_holds_delivery_for_its_branch(
    consumer, run_act, tmp_path: Path
):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "examples" / "python-service", "service")
    consumer.write("pipeline-config.yaml", CONFIG)
    argv = [
        "compose",
        f"--config={consumer.path / 'pipeline-config.yaml'}",
        f"--output={consumer.path / '.github' / 'workflows' / 'main.yaml'}",
    ]
    assert run(argv, _Frontend()) == 0

    done = run_act(consumer, variables={"E2E_RESULTS": str(results)})

    assert done.returncode == 0, done.log[-4000:]
    cases = list(SafeET.parse(results / "junit.xml").getroot().iter("testcase"))
    assert cases
    assert (results / "coverage.xml").is_file()
    # act names a called job [<caller's name>/<called job id>/<its name>].
    assert done.lines("[Build and test/build-and-test/Build and test] 🏁  Job succeeded")
    started = {line.split("/", 1)[0] for line in done.lines("⭐ Run Set up job")}
    # Skipped by their `if:` on a push to main: the image and the metrics never started.
    assert started == {"[Build and test"}
