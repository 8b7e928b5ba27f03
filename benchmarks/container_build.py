"""Cold and warm build times of the example service image, through `paved container-build`.

Each run builds examples/python-service from the offline base image on a private dockerd,
pushes it to a private registry on loopback and verifies every tag (what CI does).

cold:  a fresh engine (empty data root, as on a clean runner) with only the base image
       imported (not timed; making the base image is timed once, see --base-image).
warm:  the same build again, everything cached (a re-run of the same commit).
edit:  one source file of the service changed: only the layers after `COPY service/` rebuild.
--base-image also times making the base image from nothing (debootstrap + tar + docker
import) in a temporary cache, once.

Figures are medians (min-max) of build time as the builder reports it, and of the whole
command (build + push + verify), in seconds.

    python benchmarks/container_build.py [--runs 3] [--base-image]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from components import base_image, docker_engine, registry  # noqa: E402
from components.service_image import prepare_context  # noqa: E402

SHA = "0123456789abcdef0123456789abcdef01234567"


def paved_build(
    engine: docker_engine.DockerEngine, host: str, context: Path, out: Path
) -> tuple[float, float]:
    """(build seconds as reported, whole command seconds) of one container-build run."""
    env = {
        **engine.env(),
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SHA": SHA,
        "GITHUB_REPOSITORY": "pavedhq/python-service",
        "PYTHONPATH": str(ROOT / "lib"),
    }
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "paved.cli",
            "container-build",
            str(context),
            f"--registry={host}",
            "--push",
            "--json",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"container-build failed ({done.returncode}): {done.stderr[-2000:]}")
    return float(json.loads(out.read_text(encoding="utf-8"))["build_seconds"]), wall


def show(label: str, runs: list[tuple[float, float]]) -> None:
    """One line: medians with min-max."""
    build = [r[0] for r in runs]
    wall = [r[1] for r in runs]
    print(
        f"{label:<6} build {statistics.median(build):6.2f} s ({min(build):.2f}-{max(build):.2f})   "
        f"build+push+verify {statistics.median(wall):6.2f} s ({min(wall):.2f}-{max(wall):.2f})"
        f"   n={len(runs)}"
    )


def base_image_cold() -> None:
    """Time the base image from nothing: debootstrap, tar, docker import into a fresh engine."""
    with tempfile.TemporaryDirectory(prefix="paved-bench-cache-") as cache:
        os.environ["PAVED_CACHE_DIR"] = cache
        with docker_engine.running_engine(Path(cache) / "docker-data") as engine:
            made = base_image.ensure_base_image(engine)
        del os.environ["PAVED_CACHE_DIR"]
        size = made.tarball.stat().st_size
    print(
        f"base   debootstrap+tar {made.bootstrap_seconds or 0:6.2f} s   docker import "
        f"{made.import_seconds or 0:6.2f} s   (tarball {size / 2**20:.0f} MiB)"
    )


def main() -> int:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--base-image", action="store_true", help="also time the base image from nothing"
    )
    args = parser.parse_args()
    if args.base_image:
        base_image_cold()
    with (
        tempfile.TemporaryDirectory(prefix="paved-bench-") as tmp,
        registry.running_registry() as reg,
    ):
        context = prepare_context(ROOT / "examples" / "python-service", Path(tmp))
        out = Path(tmp) / "outcome.json"
        cold, warm, edit = [], [], []
        for index in range(args.runs):
            with docker_engine.running_engine(Path(tmp) / f"cold-{index}") as fresh:
                base_image.ensure_base_image(fresh)
                cold.append(paved_build(fresh, reg.host, context, out))
        with docker_engine.running_engine() as engine:
            base_image.ensure_base_image(engine)
            warm.append(paved_build(engine, reg.host, context, out))  # fills the cache
            warm.clear()
            _measure(engine, reg.host, context, out, args.runs, warm, edit)
            driver = engine.storage_driver
        print(f"example service image, {driver}, classic builder, {os.cpu_count()} CPUs")
        show("cold", cold)
        show("warm", warm)
        show("edit", edit)
    return 0


def _measure(  # noqa: PLR0917 - the figures it fills
    engine: docker_engine.DockerEngine,
    host: str,
    context: Path,
    out: Path,
    runs: int,
    warm: list[tuple[float, float]],
    edit: list[tuple[float, float]],
) -> None:
    warm.extend(paved_build(engine, host, context, out) for _ in range(runs))
    app = context / "service" / "__init__.py"
    original = app.read_text(encoding="utf-8")
    for index in range(runs):
        app.write_text(original + f"\n# benchmark edit {index}\n", encoding="utf-8")
        edit.append(paved_build(engine, host, context, out))


if __name__ == "__main__":
    sys.exit(main())
