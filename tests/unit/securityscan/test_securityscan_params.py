"""The action's inputs become `paved security-scan` flags, paths anchored at the workspace."""

from __future__ import annotations

import pytest
from paved.errors import UsageError
from paved.gha.inputs import action_argv, env_name
from paved.securityscan.params import DECLARATION


def _argv(**inputs: str) -> list[str]:
    environ = {"GITHUB_WORKSPACE": "/ws"}
    environ.update({env_name(k.replace("_", "-")): v for k, v in inputs.items()})
    return action_argv(DECLARATION, environ)


def test_defaults_scan_the_workspace_with_a_high_gate():
    argv = _argv()
    assert argv[:2] == ["security-scan", "/ws"]
    assert "--fail-on=high" in argv
    assert "--scanners=auto" in argv
    assert "--repo-root=/ws" in argv


def test_paths_are_anchored_at_the_workspace_and_outside_paths_allowed_where_it_makes_sense():
    argv = _argv(
        working_directory="service",
        ignore_file="security/ignore.yml",
        osv_database="/data/osv-pypi",
        python="service/.venv/bin/python",
        requirements="requirements.txt\nrequirements-dev.txt",
    )
    assert argv[1] == "/ws/service"
    assert "--ignore-file=/ws/security/ignore.yml" in argv
    assert "--osv-database=/data/osv-pypi" in argv
    assert "--python=/ws/service/.venv/bin/python" in argv
    assert [a for a in argv if a.startswith("--requirements")] == [
        "--requirements=requirements.txt",
        "--requirements=requirements-dev.txt",
    ]


def test_a_bad_fail_on_names_the_input_and_what_is_valid():
    with pytest.raises(UsageError, match=r"fail-on.*critical, high, medium, low, info, none"):
        _argv(fail_on="severe")


def test_an_ignore_file_outside_the_workspace_is_refused():
    with pytest.raises(UsageError, match="ignore-file"):
        _argv(ignore_file="../elsewhere.yml")


@pytest.mark.parametrize(
    ("given", "flag"), [("", "--osv-max-age=30"), ("any", "--osv-max-age=any")]
)
def test_the_osv_database_age_limit_reaches_the_cli(given: str, flag: str):
    assert flag in _argv(osv_max_age=given)
