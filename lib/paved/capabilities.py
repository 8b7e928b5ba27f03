"""The one list of capabilities: the CLI, the action entry, the docs tests and the contract
tests all read it. Module paths are strings, so reading the list imports nothing.

Adding a capability is its package (`paved/<package>/`, with `params.py` holding its
DECLARATION), its CLI handler (`paved/cli/<module>.py` with `handle(args) -> Rendered`), its
report, its action.yml and README section, and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paved.params import Declaration


@dataclass(frozen=True)
class Capability:
    """One capability: `paved <name>` and `actions/<name>/action.yml`."""

    name: str
    package: str
    """The pure package: `<package>.params` holds its DECLARATION."""
    handler: str
    """The CLI module with `handle(args) -> Rendered`: picks the concrete adapters."""
    summary: str
    """One line of `paved --help`."""
    action: bool = True
    """It has `actions/<name>/action.yml` (compose is a command-line tool only)."""

    @property
    def params_module(self) -> str:
        """The module holding the DECLARATION."""
        return f"{self.package}.params"


CAPABILITIES: tuple[Capability, ...] = (
    Capability("build-test", "paved.buildtest", "paved.cli.build_test", "install, format check, lint and test a project; gate on tests and coverage"),  # noqa: E501
    Capability("container-build", "paved.containerbuild", "paved.cli.container_build", "build an image, tag and label it, push it and verify its digest in the registry"),  # noqa: E501
    Capability("security-scan", "paved.securityscan", "paved.cli.security_scan", "SAST, dependency audit, secrets, licenses, SBOM and image scan; one gate"),  # noqa: E501
    Capability("deploy-strategy", "paved.deploystrategy", "paved.cli.deploy_strategy", "roll an image out (direct, blue-green, canary) with checks between steps; resumable"),  # noqa: E501
    Capability("rollback-guard", "paved.rollbackguard", "paved.cli.rollback_guard", "judge a release by its real metrics against thresholds and stable; never pass without data"),  # noqa: E501
    Capability("ci-metrics", "paved.cimetrics", "paved.cli.ci_metrics", "pipeline and DORA metrics from the GitHub API, synced incrementally into SQLite"),  # noqa: E501
    Capability("advisories", "paved.securityscan.advisories", "paved.cli.advisories", "download, import or show the OSV database of security-scan's offline audit"),  # noqa: E501
    Capability("compose", "paved.compose", "paved.cli.compose", "write a team's pipeline workflow from its pipeline-config.yaml; --check finds drift", action=False),  # noqa: E501
)  # fmt: skip


def find(name: str) -> Capability | None:
    """The capability called `name`, or None."""
    for capability in CAPABILITIES:
        if capability.name == name:
            return capability
    return None


def names() -> tuple[str, ...]:
    """Every capability's name, in the list's order."""
    return tuple(capability.name for capability in CAPABILITIES)


def declaration(capability: Capability) -> Declaration:
    """The capability's DECLARATION (imports its package, and only that)."""
    import importlib  # noqa: PLC0415 - reading the list stays import-free

    found: Declaration = importlib.import_module(capability.params_module).DECLARATION
    return found
