"""container-build end to end: the example service's workflow calls paved's reusable workflow
under act, against a private Docker engine and registry on loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import act_local  # noqa: E402

pytestmark = pytest.mark.e2e

CALLER = """\
name: release
on: push
permissions: {}
jobs:
  image:
    uses: pavedhq/paved/.github/workflows/container-build.yml@v1
    permissions:
      contents: read
      packages: write
    with:
      context: service
      registry: ${{ vars.E2E_REGISTRY }}
      image-name: acme/python-service
      build-args: APP_VERSION=e2e
      prepare-command: >-
        python3 -m pip download --quiet --only-binary=:all: --python-version 3.11
        --implementation cp --abi cp311 --platform manylinux2014_x86_64
        -r requirements.txt -d wheels
  report:
    needs: image
    if: ${{ always() }}
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - env:
          RESULT: ${{ needs.image.outputs.result }}
          IMAGE: ${{ needs.image.outputs.image }}
          DIGEST: ${{ needs.image.outputs.digest }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          printf 'result=%s\\nimage=%s\\ndigest=%s\\n' "$RESULT" "$IMAGE" "$DIGEST" \\
            > "$OUT/outputs.txt"
"""


def test_the_example_service_image_is_pushed_and_its_digest_is_the_registrys(  # noqa: PLR0917 - fixtures
    consumer, act, paved_checkout, tool_cache, engine, base, local_registry, tmp_path: Path
):
    results = tmp_path / "results"
    results.mkdir()
    consumer.add_tree(ROOT / "examples" / "python-service", "service")
    consumer.write(".github/workflows/release.yml", CALLER)
    consumer.commit()
    argv = act_local.act_command(
        act,
        paved_checkout,
        {"E2E_REGISTRY": local_registry.host, "E2E_RESULTS": str(results)},
        {"PAVED_TOOL_CACHE": str(tool_cache), "DOCKER_HOST": engine.host},
    )

    done = subprocess.run(
        argv, cwd=consumer.path, capture_output=True, text=True, timeout=900, check=False
    )

    log = done.stdout + done.stderr
    (tmp_path / "act.log").write_text(log, encoding="utf-8")
    assert done.returncode == 0, log[-4000:]
    outputs = dict(
        line.split("=", 1)
        for line in (results / "outputs.txt").read_text(encoding="utf-8").splitlines()
    )
    name = f"{local_registry.host}/acme/python-service"
    assert outputs["result"] == "passed"
    assert outputs["image"] == f"{name}@{outputs['digest']}"
    # act's push payload names no default branch, so `latest` is not added here (on GitHub it is).
    for tag in ("main", f"sha-{_head(consumer.path)[:7]}"):
        assert local_registry.manifest_digest("acme/python-service", tag) == outputs["digest"], tag
    assert "container-build passed" in log


def _head(repo: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
