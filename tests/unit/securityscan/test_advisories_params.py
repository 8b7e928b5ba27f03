"""advisories' declaration: the CLI and the action read the same parameters, checked alike."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from paved.cli import build_parser
from paved.cli.advisories import default_database, options_from
from paved.errors import UsageError
from paved.gha.inputs import action_argv, env_name
from paved.securityscan.advisories.params import DECLARATION


def _options(*argv: str):
    return options_from(build_parser("advisories").parse_args(["advisories", *argv]))


def test_show_is_the_default_on_the_cached_database_with_a_30_day_limit(monkeypatch, tmp_path):
    monkeypatch.setenv("PAVED_CACHE_DIR", str(tmp_path))
    options = _options()
    assert options.operation == "show"
    assert options.database == tmp_path / "advisories" / "osv-pypi"
    assert options.policy.max_age == timedelta(days=30)


def test_xdg_cache_home_moves_the_default_database(monkeypatch, tmp_path):
    monkeypatch.delenv("PAVED_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_database() == tmp_path / "paved" / "advisories" / "osv-pypi"


def test_import_takes_a_source_and_any_age(tmp_path):
    options = _options("import", str(tmp_path), "--database", str(tmp_path / "db"), "--max-age=any")
    assert (options.source, options.database) == (tmp_path, tmp_path / "db")
    assert options.policy.max_age is None


def test_import_without_a_source_names_what_is_missing():
    with pytest.raises(UsageError, match="source: import needs a SOURCE"):
        _options("import")


def test_a_source_is_refused_where_it_would_be_ignored(tmp_path):
    with pytest.raises(UsageError, match="only import takes a SOURCE"):
        _options("show", str(tmp_path))


@pytest.mark.parametrize(
    "url", ["http://osv.example/all.zip", "ftp://127.0.0.1/all.zip", "notaurl", "https://"]
)
def test_update_refuses_an_address_before_connecting(url: str):
    with pytest.raises(UsageError, match=r"url: .* is not an address to download"):
        _options("update", f"--url={url}")


@pytest.mark.parametrize(
    "url", ["https://mirror.example/PyPI/all.zip", "http://127.0.0.1:8080/a.zip"]
)
def test_update_accepts_https_and_loopback_http(url: str):
    assert _options("update", f"--url={url}").url == url


def test_an_unknown_operation_is_refused_with_the_choices():
    with pytest.raises(UsageError, match="show, update, import"):
        _options("refresh")


def test_the_action_passes_operation_and_source_as_positionals_anchored_at_the_workspace():
    environ = {
        "GITHUB_WORKSPACE": "/ws",
        env_name("operation"): "import",
        env_name("source"): "transfer/all.zip",
        env_name("max-age"): "any",
    }
    argv = action_argv(DECLARATION, environ)
    assert argv[:3] == ["advisories", "import", str(Path("/ws/transfer/all.zip"))]
    assert "--max-age=any" in argv


def test_a_bad_max_age_input_names_the_input():
    environ = {"GITHUB_WORKSPACE": "/ws", env_name("max-age"): "-3"}
    with pytest.raises(UsageError, match=r"max-age: .* is not a maximum age"):
        action_argv(DECLARATION, environ)
