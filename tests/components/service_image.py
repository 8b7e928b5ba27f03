"""The example service as a build context: its files plus the wheels its Dockerfile installs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from components.errors import ComponentError

if TYPE_CHECKING:
    from pathlib import Path

PIP_TARGET = (
    "--only-binary=:all:",
    "--python-version",
    "3.11",
    "--implementation",
    "cp",
    "--abi",
    "cp311",
    "--platform",
    "manylinux2014_x86_64",
)
"""The base image's Python (bookworm: CPython 3.11 on x86-64), whatever runs this."""


def download_wheels(requirements: Path, target: Path) -> None:
    """pip download the requirements' wheels for the image's Python into `target`."""
    argv = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--disable-pip-version-check",
        *PIP_TARGET,
    ]
    run_pip([*argv, "-r", str(requirements), "-d", str(target)], f"pip download of {requirements}")


def run_pip(argv: list[str], what: str) -> None:
    """Run a pip command; a failure is a ComponentError with pip's last words."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        msg = f"{what} failed (PyPI reachable?): {done.stderr.strip()[-500:]}"
        raise ComponentError(msg)


def prepare_context(service: Path, target: Path) -> Path:
    """A copy of the service (no caches) with its wheels in `wheels/`; returns the copy."""
    context = target / service.name
    shutil.copytree(
        service,
        context,
        ignore=shutil.ignore_patterns(
            "__pycache__", ".pytest_cache", ".ruff_cache", ".coverage", ".paved", "wheels"
        ),
    )
    download_wheels(context / "requirements.txt", context / "wheels")
    return context
