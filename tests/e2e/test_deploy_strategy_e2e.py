"""deploy-strategy end to end: a consumer's workflow calls paved's reusable deploy workflow
under act, which canaries 2.0.0 over the live 1.0.0 on a private Docker engine behind Debian's
HAProxy, all on loopback."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "examples"), str(ROOT / "tests")]
import act_local  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from components.haproxy import running_haproxy  # noqa: E402
from components.service_versions import build_versions  # noqa: E402

pytestmark = pytest.mark.e2e
APP = "shop-e2e"

CALLER = """\
name: deliver
on: push
permissions: {}
jobs:
  deploy:
    uses: pavedhq/paved/.github/workflows/deploy.yml@v1
    permissions:
      contents: read
      deployments: write
    with:
      app: shop-e2e
      image: ${{ vars.E2E_IMAGE }}
      strategy: canary
      environment: staging
      canary-steps: "10,50,100"
      step-seconds: "1"
      smoke: /health json.version=2.0.0
      haproxy-socket: ${{ vars.E2E_HAPROXY_SOCKET }}
      docker-host: ${{ vars.E2E_DOCKER_HOST }}
      docker-network: paved-e2e
      runs-on: ubuntu-latest
  report:
    needs: deploy
    if: ${{ always() }}
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - env:
          RESULT: ${{ needs.deploy.outputs.result }}
          STATUS: ${{ needs.deploy.outputs.status }}
          ID: ${{ needs.deploy.outputs.deployment-id }}
          WEIGHT: ${{ needs.deploy.outputs.final-weight }}
          PREVIOUS: ${{ needs.deploy.outputs.previous-image }}
          OUT: ${{ vars.E2E_RESULTS }}
        run: |
          printf 'result=%s\\nstatus=%s\\nid=%s\\nweight=%s\\nprevious=%s\\n' \\
            "$RESULT" "$STATUS" "$ID" "$WEIGHT" "$PREVIOUS" > "$OUT/outputs.txt"
"""


def test_the_reusable_deploy_workflow_canaries_a_new_version(  # noqa: PLR0917 - fixtures
    consumer, act, paved_checkout, tool_cache, engine, base, local_registry, tmp_path: Path
):
    try:
        images = build_versions(
            engine, local_registry, ROOT / "examples" / "python-service", tmp_path / "images"
        )
    except ComponentError as exc:
        pytest.fail(str(exc))
    results = tmp_path / "results"
    results.mkdir()
    with running_haproxy((APP,)) as haproxy:
        common = [
            f"--app={APP}", f"--docker-host={engine.host}", f"--haproxy-socket={haproxy.socket}",
            "--docker-network=paved-e2e", f"--record={tmp_path / 'record.jsonl'}",
        ]  # fmt: skip
        first = subprocess.run(
            [sys.executable, "-m", "paved.cli", "deploy-strategy", *common, f"--image={images.v1}"],
            capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
        )  # fmt: skip
        assert first.returncode == 0, first.stderr
        consumer.write(".github/workflows/deliver.yml", CALLER)
        consumer.commit()
        argv = act_local.act_command(
            act,
            paved_checkout,
            {
                "E2E_IMAGE": images.v2,
                "E2E_HAPROXY_SOCKET": str(haproxy.socket),
                "E2E_DOCKER_HOST": engine.host,
                "E2E_RESULTS": str(results),
            },
            {"PAVED_TOOL_CACHE": str(tool_cache)},
        )
        done = subprocess.run(
            argv, cwd=consumer.path, capture_output=True, text=True, timeout=900, check=False
        )
        log = done.stdout + done.stderr
        (tmp_path / "act.log").write_text(log, encoding="utf-8")
        with urllib.request.urlopen(f"{haproxy.url(APP)}/api/data", timeout=5) as response:  # noqa: S310 - http on loopback
            served = response.read().decode()
        ids = engine.docker("ps", "-aq", f"--filter=label=paved.dev/app={APP}").stdout.split()
        if ids:
            engine.docker("rm", "--force", *ids)
    assert done.returncode == 0, log[-4000:]
    outputs = dict(
        line.split("=", 1)
        for line in (results / "outputs.txt").read_text(encoding="utf-8").splitlines()
    )
    assert outputs == {
        "result": "passed",
        "status": "succeeded",
        "id": f"{APP}-2",
        "weight": "100",
        "previous": images.v1,
    }
    assert '"version":"2.0.0"' in served
    assert "deploy-strategy succeeded: shop-e2e to staging" in log
