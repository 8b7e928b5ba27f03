"""The SBOM with cyclonedx-py: CycloneDX JSON of an environment or of requirements files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.scanners import process, shape
from paved.adapters.scanners.dependencies import dependency_set
from paved.adapters.scanners.interface import Scanner, ScannerError, ScanReport, ScanTarget
from paved.adapters.scanners.requirements import pinned_lines

if TYPE_CHECKING:
    from pathlib import Path

TOOL = "cyclonedx-py"
REPORT_SHAPE = {
    "bomFormat": shape.Literal("CycloneDX"),
    "specVersion": str,
    "components": shape.Optional([{"name": str}]),
}
"""A CycloneDX JSON document: its format, version and components."""
SBOM_NAME = "sbom.cdx.json"


class CycloneDxScanner(Scanner):
    """Writes `<output>/sbom.cdx.json`; it has no findings, its path is the result."""

    tool = TOOL

    def scan(self, target: ScanTarget) -> ScanReport:
        output = target.output_dir / SBOM_NAME
        output.parent.mkdir(parents=True, exist_ok=True)
        base = [*process.module_command("cyclonedx_py")]
        common = ["--of", "JSON", "-o", str(output), "--output-reproducible"]
        expected = 0
        if target.python:
            argv = [*base, "environment", *common, target.python]
        elif target.requirements:
            argv = [*base, "requirements", *common, str(_one_file(target))]
            expected = len(pinned_lines(target.requirements, target.repo_root))
        else:
            # No requirements file: the project's declared dependencies, resolved.
            packages = dependency_set(TOOL, target)
            resolved = target.output_dir / "sbom-resolved-requirements.txt"
            resolved.write_text(
                "".join(f"{p.name}=={p.version}\n" for p in packages), encoding="utf-8"
            )
            argv = [*base, "requirements", *common, str(resolved)]
            expected = len(packages)
        done = process.run(
            TOOL, argv, cwd=target.project_dir, install_hint="pip install cyclonedx-bom"
        )
        if done.exit_code != 0 or not output.is_file():
            raise ScannerError(TOOL, f"wrote no SBOM (exit code {done.exit_code}): {done.tail()}")
        components = count_components(output)
        if expected and not components:
            # cyclonedx-py can exit 0 with an empty document; that SBOM would be a lie.
            raise ScannerError(TOOL, f"wrote an SBOM without components: {done.tail()}")
        return ScanReport(tool=TOOL, artifact=output, checked=components)


def _one_file(target: ScanTarget) -> Path:
    """cyclonedx-py reads one requirements file: several are joined by `-r` lines in a file
    of their own (it does not follow `-r` lines read from stdin)."""
    if len(target.requirements) == 1:
        return target.requirements[0]
    joined = target.output_dir / "sbom-requirements.txt"
    joined.write_text("".join(f"-r {path}\n" for path in target.requirements), encoding="utf-8")
    return joined


def count_components(path: Path) -> int:
    """How many components the SBOM lists."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScannerError(TOOL, f"wrote an SBOM that cannot be read: {exc.strerror}") from exc
    document = shape.load(TOOL, text, REPORT_SHAPE)
    return len(document.get("components") or [])
