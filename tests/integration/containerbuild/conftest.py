"""container-build against real components: a private dockerd, a registry, the base image."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from components.errors import ComponentError  # noqa: E402
from components.service_image import prepare_context  # noqa: E402
from containerbuild_integration_support import SHA  # noqa: E402


@dataclass(frozen=True)
class PavedRun:
    """One `paved container-build` process."""

    exit_code: int
    stdout: str
    stderr: str
    outcome: dict[str, object]


@pytest.fixture(scope="session")
def service_context(tmp_path_factory, base) -> Path:
    """The example service with its wheels downloaded beside it (the build has no network)."""
    try:
        return prepare_context(ROOT / "examples" / "python-service", tmp_path_factory.mktemp("svc"))
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def paved(tmp_path: Path, engine):
    """Run `python -m paved.cli container-build` with a GitHub-like event."""

    def run(
        context: Path,
        *flags: str,
        ref: str = "refs/heads/main",
        env: dict[str, str] | None = None,
        push: bool = True,
    ) -> PavedRun:
        outcome = tmp_path / "outcome.json"
        outcome.unlink(missing_ok=True)
        event = tmp_path / "event.json"
        event.write_text(
            json.dumps(
                {
                    "repository": {
                        "default_branch": "main",
                        "description": "The example service",
                        "license": {"spdx_id": "MIT"},
                    }
                }
            ),
            encoding="utf-8",
        )
        environ = {
            **engine.env(),
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REF": ref,
            "GITHUB_SHA": SHA,
            "GITHUB_REPOSITORY": "pavedhq/python-service",
            "GITHUB_EVENT_PATH": str(event),
            **(env or {}),
        }
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "paved.cli",
                "container-build",
                str(context),
                "--json",
                str(outcome),
                *(["--push"] if push else []),
                *flags,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
            env=environ,
        )
        document = json.loads(outcome.read_text(encoding="utf-8")) if outcome.exists() else {}
        return PavedRun(completed.returncode, completed.stdout, completed.stderr, document)

    return run


@pytest.fixture
def broken_context(tmp_path: Path, service_context: Path) -> Path:
    """A copy of the service whose Dockerfile has a failing RUN step."""
    target = tmp_path / "broken"
    shutil.copytree(service_context, target)
    dockerfile = target / "Dockerfile"
    text = dockerfile.read_text(encoding="utf-8")
    dockerfile.write_text(
        text.replace("WORKDIR /app\n", "WORKDIR /app\nRUN echo 'about to fail' && exit 7\n"),
        encoding="utf-8",
    )
    return target
