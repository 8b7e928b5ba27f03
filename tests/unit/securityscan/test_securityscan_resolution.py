"""Tracing a resolved set to its requirement lines, declared dependencies, exclusion patterns."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from packaging.requirements import Requirement
from paved.adapters.scanners.bandit import exclude_globs
from paved.adapters.scanners.declared import declared_dependencies
from paved.adapters.scanners.detect_secrets import baseline_excludes, excluded_files
from paved.adapters.scanners.interface import Finding, FindingKind, Severity
from paved.adapters.scanners.requirements import RequirementLine, direct_pins
from paved.adapters.scanners.resolver import packages_from_report
from paved.report import sarif
from paved.report.securityscan import dependency
from paved.report.securityscan_text import where


def _install(name: str, version: str, *requires: str) -> dict[str, object]:
    return {"metadata": {"name": name, "version": version, "requires_dist": list(requires)}}


def _line(text: str, number: int) -> RequirementLine:
    return RequirementLine(Requirement(text), "app/requirements.txt", number)


REPORT = json.dumps(
    {
        "install": [
            _install("requests", "2.19.0", "urllib3<1.24", 'PySocks; extra == "socks"'),
            _install("urllib3", "1.23", 'brotli; extra == "brotli"'),
            _install("Flask", "0.12.2", "Werkzeug>=0.7"),
            _install("Werkzeug", "3.1.9", "MarkupSafe>=2.1.1"),
            _install("MarkupSafe", "3.0.4"),
            _install("PySocks", "1.7.1"),
        ]
    }
)


def test_every_package_is_traced_to_the_line_that_brought_it_in():
    lines = [_line("flask==0.12.2", 1), _line("requests[socks]==2.19.0", 2)]
    packages = {p.name: p for p in packages_from_report("t", REPORT, lines)}
    assert (packages["Flask"].direct, packages["Flask"].via) == (True, "flask==0.12.2")
    assert (packages["MarkupSafe"].direct, packages["MarkupSafe"].line) == (False, 1)
    assert packages["MarkupSafe"].via == "flask==0.12.2"
    assert (packages["urllib3"].via, packages["urllib3"].line) == ("requests[socks]==2.19.0", 2)
    # Only the extra the project asked for brings PySocks in.
    assert packages["PySocks"].via == "requests[socks]==2.19.0"


def test_a_dependency_of_an_extra_nobody_asked_for_has_no_origin():
    packages = {p.name: p for p in packages_from_report("t", REPORT, [_line("requests", 1)])}
    assert packages["urllib3"].direct is False
    assert packages["PySocks"].via is None
    assert packages["PySocks"].direct is None


def test_direct_pins_split_pinned_from_unpinned_lines():
    pins, unpinned = direct_pins("t", [_line("idna==2.7", 1), _line("werkzeug>=0.7", 2)])
    assert [(p.name, p.version, p.direct, p.line) for p in pins] == [("idna", "2.7", True, 1)]
    assert [line.text for line in unpinned] == ["werkzeug>=0.7"]


def test_pyproject_dependencies_with_their_lines(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = [\n  "idna>=3",\n  "attrs==25.1.0",\n]\n',
        encoding="utf-8",
    )
    lines = declared_dependencies("t", tmp_path, tmp_path)
    assert lines is not None
    assert [(line.text, line.file, line.line) for line in lines] == [
        ("idna>=3", "pyproject.toml", 4),
        ("attrs==25.1.0", "pyproject.toml", 5),
    ]


def test_dynamic_dependencies_fall_back_to_setup_cfg_or_none(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndynamic = ["dependencies"]\n', encoding="utf-8"
    )
    assert declared_dependencies("t", tmp_path, tmp_path) is None
    (tmp_path / "setup.cfg").write_text(
        "[options]\ninstall_requires =\n    six\n    tomli; python_version < '3.11'\n",
        encoding="utf-8",
    )
    lines = declared_dependencies("t", tmp_path, tmp_path)
    assert [line.text for line in lines or ()] == ["six", 'tomli; python_version < "3.11"']


def test_a_project_with_no_dependencies_declares_an_empty_set(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert declared_dependencies("t", tmp_path, tmp_path) == ()


def test_detect_secrets_exclusion_matches_names_anywhere_and_relative_paths():
    pattern = re.compile(excluded_files(("tests", "src/gen")))
    assert pattern.search("tests/a.py")
    assert pattern.search("./pkg/tests/a.py")
    assert pattern.search("src/gen/x.py")
    assert not pattern.search("contests.py")
    assert not pattern.search("lib/src/gen/x.py")
    assert excluded_files(()) == "^$"


def test_bandit_globs_never_match_a_longer_name():
    project = Path("/p")
    assert exclude_globs(project, "tests") == ("/p/tests/*", "/p/*/tests/*")
    assert exclude_globs(project, "src/gen") == ("/p/src/gen/*", "/p/src/gen")


def test_a_baselines_own_exclude_patterns_are_read():
    baseline = {
        "filters_used": [
            {"path": "detect_secrets.filters.heuristic.is_sequential_string"},
            {"path": "detect_secrets.filters.regex.should_exclude_file", "pattern": ["^docs/"]},
        ]
    }
    assert baseline_excludes(json.dumps(baseline)) == ["^docs/"]
    assert baseline_excludes("not json") == []


def test_an_advisory_says_direct_or_transitive_and_through_which_line():
    advisory = Finding(
        id="PYSEC-2018-32",
        tool="osv-offline",
        rule="PYSEC-2018-32",
        severity=Severity.UNKNOWN,
        message="urllib3 before 1.23 ...",
        kind=FindingKind.VULNERABILITY,
        package="urllib3",
        installed_version="1.23",
        file="app/requirements.txt",
        line=2,
        via="requests==2.19.0",
        direct=False,
    )
    assert (
        where(advisory)
        == "urllib3 1.23 (transitive, via requests==2.19.0 at app/requirements.txt:2)"
    )
    assert dependency(advisory) == "transitive"
    assert "(a dependency of requests==2.19.0)" in sarif.message(advisory)
    pinned = replace(advisory, package="requests", installed_version="2.19.0", direct=True)
    assert where(pinned) == "requests 2.19.0 (direct, app/requirements.txt:2)"
    assert dependency(replace(advisory, direct=None)) is None
