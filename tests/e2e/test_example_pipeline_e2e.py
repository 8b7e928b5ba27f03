"""The example consumer's committed pipeline (what `make demo` runs): build and test, scan,
then an image pushed and verified, all three through paved's reusable workflows under act."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import act_local  # noqa: E402

pytestmark = pytest.mark.e2e

OSV = ROOT / "tests" / "data" / "osv-pypi"


def test_the_example_pipeline_builds_scans_and_ships_a_verified_image(  # noqa: PLR0917 - fixtures
    consumer, act, paved_checkout, tool_cache, engine, base, local_registry
):
    shutil.rmtree(consumer.path)
    shutil.copytree(ROOT / "examples" / "consumer", consumer.path)
    # ci.yml is the path under test; the composed main.yaml (deploys, guard) is not run here.
    (consumer.path / ".github" / "workflows" / "main.yaml").unlink()
    consumer.add_tree(ROOT / "examples" / "python-service", "service")
    consumer.commit()
    variables = {
        "PAVED_REGISTRY": local_registry.host,
        "PAVED_IMAGE_NAME": "acme/python-service",
        "PAVED_OSV_DATABASE": str(OSV),
        "PAVED_OSV_MAX_AGE": "any",  # the vendored records end in 2024
    }
    argv = act_local.act_command(
        act,
        paved_checkout,
        variables,
        {"PAVED_TOOL_CACHE": str(tool_cache), "DOCKER_HOST": engine.host},
    )

    done = subprocess.run(
        argv, cwd=consumer.path, capture_output=True, text=True, timeout=1200, check=False
    )

    log = done.stdout + done.stderr
    (consumer.path.parent / "act.log").write_text(log, encoding="utf-8")
    assert done.returncode == 0, log[-4000:]
    assert re.search(r"tests passed: (\d+)/\1, coverage", log), log[-3000:]
    assert "security scan: passed (0 high)" in log
    image = re.search(r"\| image: (\S+)@(sha256:[0-9a-f]{64})", log)
    assert image, log[-3000:]
    assert image[1] == f"{local_registry.host}/acme/python-service"
    assert local_registry.manifest_digest("acme/python-service", "main") == image[2]
