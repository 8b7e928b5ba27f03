"""The test harness's Kubernetes control plane: cold start, memory, and a rollout's latency.

Starts the source-built control plane (etcd + kube-apiserver + kube-controller-manager, the
pod emulator, the CRDs) `--runs` times and prints medians with min and max:
- cold start: first process started -> controller-manager healthy (binaries already cached;
  the one-time build is timed by tests/components/kube_build.py and printed when it happens);
- memory: resident size of each process after a 3-replica Deployment rolled out;
- rollout: an image change applied with paved's adapter -> the rollout complete.

    python benchmarks/kube_control_plane.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "lib")]

from components import kube_build, kube_crds, kubernetes  # noqa: E402
from components.kube_nodes import NODE_SELECTOR, PodEmulator  # noqa: E402
from kubernetes import config  # noqa: E402
from paved.adapters.kube.official import connect  # noqa: E402


def deployment(image: str) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "bench", "namespace": "default"},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "bench"}},
            "template": {
                "metadata": {"labels": {"app": "bench"}},
                "spec": {
                    "nodeSelector": dict(NODE_SELECTOR),
                    "containers": [{"name": "app", "image": image}],
                },
            },
        },
    }


def one_run() -> tuple[float, dict[str, float], float]:
    with kubernetes.running_cluster() as cluster:
        api = config.new_client_from_config(config_file=str(cluster.kubeconfig))
        kube_crds.install(api, strip=True)
        emulator = PodEmulator(api)
        emulator.start()
        kube = connect(str(cluster.kubeconfig))
        try:
            kube.apply(deployment("bench:1"))
            kube.wait_for_rollout("default", "bench", timeout_seconds=60)
            started = time.monotonic()
            kube.apply(deployment("bench:2"))
            done = kube.wait_for_rollout("default", "bench", timeout_seconds=60, poll_seconds=0.05)
            rollout = time.monotonic() - started
            if not done.phase.finished:
                raise SystemExit(f"the rollout did not finish: {done}")
            return cluster.cold_start_seconds, cluster.resident_megabytes(), rollout
        finally:
            kube.close()
            emulator.stop()
            api.close()


def summary(label: str, values: list[float], unit: str) -> str:
    return (
        f"{label:<28} median {statistics.median(values):7.2f} {unit}"
        f"  (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["PAVED_KUBE"] = "source"
    binaries = kube_build.server_binaries()
    if binaries.built_seconds is not None:
        print(
            f"one-time build of kube-apiserver + kube-controller-manager: "
            f"{binaries.built_seconds:.0f} s"
        )
    starts, rollouts, memory = [], [], {}
    for _ in range(args.runs):
        start, sizes, rollout = one_run()
        starts.append(start)
        rollouts.append(rollout)
        for name, size in sizes.items():
            memory.setdefault(name, []).append(size)
    print(summary("cold start", starts, "s"))
    print(summary("image change -> rolled out", rollouts, "s"))
    for name, sizes in sorted(memory.items()):
        print(summary(f"resident {name}", sizes, "MB"))
    print(summary("resident total", [sum(v) for v in zip(*memory.values(), strict=True)], "MB"))


if __name__ == "__main__":
    main()
