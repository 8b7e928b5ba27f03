"""The dependency audit on the full resolved set, with pip's real resolver and PyPI.

Expected advisories are computed here from the vendored YAML records alone (their explicit
`affected[].versions` lists), independently of paved's range matching.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import yaml
from packaging.utils import canonicalize_name
from scan_support import OFFLINE, OSV, ROOT, copy_project, make_project, scan

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration

OLD_WEB = ROOT / "tests" / "fixtures" / "old-web-project"
PINNED = {"flask", "requests", "pyyaml", "jinja2"}
# pip cannot reach this (nothing listens on port 9 of loopback), as on an air-gapped runner.
NO_INDEX = {
    "PIP_INDEX_URL": "http://127.0.0.1:9/simple/",
    "PIP_EXTRA_INDEX_URL": "",
    "PIP_FIND_LINKS": "",
    "PIP_CONFIG_FILE": "/dev/null",
    "PIP_RETRIES": "0",
    "PIP_TIMEOUT": "2",
}


def _resolved_by_pip(requirements: Path, tmp_path: Path) -> dict[str, str]:
    report = tmp_path / "pip-report.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(report),
            "-r",
            str(requirements),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {
        str(canonicalize_name(i["metadata"]["name"])): i["metadata"]["version"] for i in installs
    }


def _listed_advisories(package: str, version: str) -> set[str]:
    """The ids of the vendored records whose versions list names `version` of `package`."""
    folder = OSV / "vulns" / package
    found = set()
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected", []):
            about = affected.get("package", {})
            named = canonicalize_name(about.get("name", "")) == package
            if named and version in [str(v) for v in affected.get("versions", [])]:
                found.add(record["id"])
    return found


def test_every_advisory_of_the_pins_and_their_resolved_dependencies_is_found(tmp_path: Path):
    project = copy_project(OLD_WEB, tmp_path, "web")
    resolved = _resolved_by_pip(project / "requirements.txt", tmp_path)
    expected = {
        (name, advisory)
        for name, version in resolved.items()
        for advisory in _listed_advisories(name, version)
    }
    # The fixture is only worth something if transitive packages have records too. (flask
    # 0.12.2 asks for Werkzeug>=0.7, so pip picks the newest Werkzeug, which the 2024
    # records do not list: it is audited, with nothing to find.)
    assert "werkzeug" in resolved
    assert {"urllib3", "idna"} <= {name for name, _ in expected}
    assert {name for name, _ in expected} >= PINNED

    code, outcome, log = scan(project, *OFFLINE, "--scanners=dependencies")

    assert code == 1, log
    found = {(str(canonicalize_name(f["package"])), f["id"]) for f in outcome["findings"]}
    assert found == expected
    for finding in outcome["findings"]:
        name = str(canonicalize_name(finding["package"]))
        assert finding["installed_version"] == resolved[name]
        if name in PINNED:
            assert (finding["dependency"], finding["via"]) == (
                "direct",
                f"{name}=={resolved[name]}",
            )
            continue
        assert finding["dependency"] == "transitive"
    urllib3 = next(f for f in outcome["findings"] if f["package"].lower() == "urllib3")
    # urllib3 comes with requests: the finding names the line that brought it in.
    assert (urllib3["via"], urllib3["file"], urllib3["line"]) == (
        "requests==2.19.0",
        "web/requirements.txt",
        3,
    )
    [run] = outcome["scanners"]
    assert run["checked"] == len(resolved)


def test_an_unpinned_line_is_resolved_not_fatal(tmp_path: Path):
    project = make_project(
        tmp_path, "app", {"requirements.txt": "werkzeug>=0.7,<0.15\n-e .\nrequests==2.19.0\n"}
    )
    code, outcome, log = scan(project, *OFFLINE, "--scanners=dependencies")
    assert code == 1, log
    packages = {str(canonicalize_name(f["package"])) for f in outcome["findings"]}
    # werkzeug resolved to 0.14.1, which has advisories; requests and its urllib3 too.
    assert {"werkzeug", "requests", "urllib3"} <= packages
    werkzeug = next(f for f in outcome["findings"] if f["package"].lower() == "werkzeug")
    assert (werkzeug["installed_version"], werkzeug["dependency"]) == ("0.14.1", "direct")


def test_a_library_with_no_requirements_file_is_audited_from_pyproject(tmp_path: Path):
    project = make_project(
        tmp_path,
        "lib",
        {
            "pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n'
            'dependencies = [\n  "requests==2.19.0",\n]\n'
        },
    )
    code, outcome, log = scan(project, *OFFLINE, "--scanners=dependencies")
    assert code == 1, log
    urllib3 = next(f for f in outcome["findings"] if f["package"].lower() == "urllib3")
    assert (urllib3["dependency"], urllib3["via"]) == ("transitive", "requests==2.19.0")
    assert (urllib3["file"], urllib3["line"]) == ("lib/pyproject.toml", 5)


def test_setup_cfg_install_requires_is_audited(tmp_path: Path):
    project = make_project(
        tmp_path,
        "lib",
        {"setup.cfg": "[metadata]\nname = lib\n\n[options]\ninstall_requires =\n    idna==2.7\n"},
    )
    code, outcome, log = scan(project, *OFFLINE, "--scanners=dependencies")
    assert code == 1, log
    assert {(f["package"], f["dependency"]) for f in outcome["findings"]} == {("idna", "direct")}


def test_a_library_with_no_dependencies_passes(tmp_path: Path):
    project = make_project(
        tmp_path, "lib", {"pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n'}
    )
    code, outcome, log = scan(project, *OFFLINE, "--scanners=dependencies")
    assert code == 0, log
    assert outcome["scanners"][0]["checked"] == 0


def test_without_an_index_the_direct_pins_are_audited_with_a_warning(tmp_path: Path):
    project = make_project(
        tmp_path, "app", {"requirements.txt": "requests==2.19.0\nwerkzeug>=0.7\n"}
    )
    code, outcome, log = scan(project, *OFFLINE, "--scanners=dependencies", env=NO_INDEX)
    assert code == 1, log
    assert {f["package"] for f in outcome["findings"]} == {"requests"}
    assert "could not be resolved" in log
    assert "NOT AUDITED" in log
    assert "app/requirements.txt:2 werkzeug>=0.7" in log

    code, outcome, log = scan(
        project, *OFFLINE, "--scanners=dependencies", "--resolve=require", env=NO_INDEX
    )
    assert code == 3, log
    assert "pip could not resolve" in log
