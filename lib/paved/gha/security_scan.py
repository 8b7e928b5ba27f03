"""The security-scan action's inputs (as action.yml declares them) and their CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from paved.gha.inputs import EnumInput, MultilineInput, PathInput, StringInput
from paved.securityscan.advisorydb import DEFAULT_MAX_AGE
from paved.securityscan.options import FAIL_ON_CHOICES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.gha.inputs import Inputs, InputSpec

WORKING_DIRECTORY = PathInput("working-directory", default=".")
SCANNERS = StringInput("scanners", default="auto")
OPTIONAL = StringInput("optional", default="")
FAIL_ON = EnumInput("fail-on", choices=FAIL_ON_CHOICES, default="high")
IGNORE_FILE = PathInput("ignore-file", default="")
OSV_DATABASE = PathInput("osv-database", allow_outside=True, default="")
OSV_MAX_AGE = StringInput("osv-max-age", default=str(DEFAULT_MAX_AGE.days))
REQUIREMENTS = MultilineInput("requirements", default=())
PYTHON = StringInput("python", default="")
IMAGE = StringInput("image", default="")
SECRETS_BASELINE = PathInput("secrets-baseline", default="")
LICENSE_ALLOW = StringInput("license-allow", default="")
LICENSE_DENY = StringInput("license-deny", default="")
OUTPUT_DIR = PathInput("output-dir", allow_outside=True, default="")

INPUTS: tuple[InputSpec[object], ...] = (  # type: ignore[assignment]
    WORKING_DIRECTORY,
    SCANNERS,
    OPTIONAL,
    FAIL_ON,
    IGNORE_FILE,
    OSV_DATABASE,
    OSV_MAX_AGE,
    REQUIREMENTS,
    PYTHON,
    IMAGE,
    SECRETS_BASELINE,
    LICENSE_ALLOW,
    LICENSE_DENY,
    OUTPUT_DIR,
)


def to_argv(inputs: Inputs, environ: Mapping[str, str]) -> list[str]:
    """The `paved security-scan` arguments for validated inputs; values are data, never code."""
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    project = workspace / inputs.value(WORKING_DIRECTORY)
    # flag=value throughout: a value such as "-x" must never be read as a flag of its own.
    argv = [
        "security-scan",
        str(project),
        f"--repo-root={workspace}",
        f"--scanners={inputs.value(SCANNERS)}",
        f"--optional={inputs.value(OPTIONAL)}",
        f"--fail-on={inputs.value(FAIL_ON)}",
        f"--osv-max-age={inputs.value(OSV_MAX_AGE)}",
        f"--license-allow={inputs.value(LICENSE_ALLOW)}",
        f"--license-deny={inputs.value(LICENSE_DENY)}",
    ]
    for flag, spec in (
        ("--ignore-file", IGNORE_FILE),
        ("--osv-database", OSV_DATABASE),
        ("--secrets-baseline", SECRETS_BASELINE),
        ("--output-dir", OUTPUT_DIR),
    ):
        value = inputs.value(spec)
        if value:
            argv.append(f"{flag}={workspace / value}")
    python = inputs.value(PYTHON)
    if python:
        # A path is relative to the workspace; a bare name (python3) is looked up on PATH.
        argv.append(f"--python={workspace / python if '/' in python else python}")
    argv += inputs.flags((("--image", IMAGE),))
    argv += inputs.repeated((("--requirements", REQUIREMENTS),))
    return argv
