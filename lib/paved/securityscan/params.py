"""security-scan's parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.adapters.scanners.interface import Resolution
from paved.params import Choice, Declaration, Integer, Lines, PathParam, Program, Text, repo_root
from paved.securityscan.advisorydb import DEFAULT_MAX_AGE, MaxAge
from paved.securityscan.options import DEFAULT_EXCLUDE, FAIL_ON_CHOICES

DECLARATION = Declaration(
    "security-scan",
    description="Scan a project the way the security-scan action does: bandit, pip-audit (or "
    "an offline OSV database), detect-secrets, pip-licenses, cyclonedx-py and Trivy, in "
    "parallel; one findings model, SARIF 2.1.0 per tool, a severity gate. A scanner that "
    "cannot run fails the scan (exit 3) unless marked optional.",
    params=(
        PathParam(
            name="working-directory",
            default=".",
            positional=True,
            metavar="PROJECT",
            help="The project directory, relative to the workspace.",
        ),
        Text(
            name="scanners",
            default="auto",
            help="Comma-separated scanners: auto, or any of bandit, dependencies, secrets, "
            "licenses, sbom, trivy. auto runs bandit, dependencies, secrets and sbom, plus "
            "licenses when python is set and trivy when image is set.",
        ),
        Text(
            name="optional",
            help="Comma-separated scanners whose failure or absence is reported without "
            "failing the step.",
        ),
        Choice(
            name="fail-on",
            choices=FAIL_ON_CHOICES,
            default="high",
            help="The gate: fail on findings at or above critical, high, medium, low or info; "
            "none never fails on findings.",
        ),
        PathParam(
            name="ignore-file",
            help="YAML ignore file, relative to the workspace; each entry needs id, reason and "
            "expires (YYYY-MM-DD). An expired entry fails the step.",
        ),
        PathParam(
            name="osv-database",
            allow_outside=True,
            help="An OSV PyPI database directory (`paved advisories update` or `import` makes "
            "one); when set the dependency audit runs offline against it instead of pip-audit's "
            "online services, after checking it is one.",
        ),
        MaxAge(
            name="osv-max-age",
            default=str(DEFAULT_MAX_AGE.days),
            help="Days the OSV database's newest record may be old before the scan stops with "
            "exit code 3, or any for no limit.",
        ),
        Lines(
            name="requirements",
            metavar="FILE",
            help="Requirements files, one per line, relative to the project. Empty means "
            "requirements*.txt in the project, else the dependencies its pyproject.toml "
            "([project].dependencies) or setup.cfg (install_requires) declares.",
        ),
        Choice(
            name="resolve",
            choices=Resolution,
            default="auto",
            help="How the dependency audit finds the packages to check: auto resolves the "
            "requirements (or the pyproject/setup.cfg dependencies) with pip's resolver, "
            "transitive dependencies included, and when that fails audits the pinned direct "
            "requirements with a warning naming what was not audited; require stops with exit "
            "code 3 instead; off audits only the == pins.",
        ),
        Program(
            name="python",
            help="Interpreter of the project's installed environment (e.g. "
            "service/.venv/bin/python); dependencies, licenses and the SBOM then read it "
            "instead of the requirements files.",
        ),
        Text(
            name="image",
            help="A container image reference for Trivy (which must be on PATH).",
        ),
        Text(
            name="exclude",
            default=",".join(DEFAULT_EXCLUDE),
            help="Comma-separated directory names (anywhere in the project) or project-relative "
            "paths whose bandit and detect-secrets findings are left out, or none. The "
            "project's own bandit configuration ([tool.bandit], .bandit) and secrets baseline "
            "decide instead when it has them.",
        ),
        PathParam(
            name="secrets-baseline",
            help="A detect-secrets baseline file, relative to the workspace; secrets already in "
            "it are not new. Empty means the project's .secrets.baseline when it has one.",
        ),
        Text(
            name="license-allow",
            help="Comma-separated licenses the project may depend on; others are medium findings.",
        ),
        Text(
            name="license-deny",
            help="Comma-separated licenses the project must not depend on (high findings).",
        ),
        PathParam(
            name="output-dir",
            allow_outside=True,
            help="Where the SARIF files and the SBOM go. Empty means "
            "<project>/.paved/security-scan.",
        ),
        Integer(
            name="jobs",
            action=False,
            minimum=0,
            default="0",
            help="Scanners at once (0 all, 1 one after another).",
        ),
        repo_root("SARIF and annotations name files"),
    ),
)
