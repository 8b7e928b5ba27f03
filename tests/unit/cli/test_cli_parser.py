import contextvars
import subprocess
import sys

import pytest
from paved import __version__
from paved.cli import build_parser, main, run


def test_version_prints_and_exits_zero(frontend, capsys):
    with pytest.raises(SystemExit) as caught:
        run(["--version"], frontend)
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"paved {__version__}\n"
    assert frontend.failed == frontend.shown == []


def test_build_test_help_exits_zero_and_documents_the_gate(frontend, capsys):
    with pytest.raises(SystemExit) as caught:
        run(["build-test", "--help"], frontend)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: paved build-test")
    assert "--coverage-threshold PERCENT" in out
    assert "--json PATH" in out


def test_no_capability_prints_help_and_is_a_usage_error(frontend, capsys):
    assert run([], frontend) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: paved")
    assert "build-test" in out
    assert "Exit codes: 0 ok, 1 the check failed, 2 usage" in " ".join(out.split())


def test_an_unknown_capability_lists_the_known_ones(frontend):
    assert run(["deploy-everything"], frontend) == 2
    capability, message = frontend.only_error()
    assert capability == "deploy-everything"
    assert "invalid choice: 'deploy-everything'" in message
    assert "'build-test'" in message


def test_an_unknown_flag_is_a_usage_error_pointing_at_help(frontend, tmp_path):
    assert run(["build-test", "--colour", str(tmp_path)], frontend) == 2
    capability, message = frontend.only_error()
    assert capability == "build-test"
    assert message == "unrecognized arguments: --colour (see 'paved --help')"


def test_a_flag_missing_its_value_is_a_usage_error(frontend):
    assert run(["build-test", "--language"], frontend) == 2
    _, message = frontend.only_error()
    assert message.startswith("argument --language: expected one argument")


def test_the_console_script_reports_errors_on_stderr_and_exits_2(tmp_path, capsys):
    argv = ["build-test", "--language", "cobol", str(tmp_path)]
    with pytest.raises(SystemExit) as caught:
        contextvars.copy_context().run(main, argv)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("paved build-test: error: --language: 'cobol' is not a choice")


def test_every_capability_is_listed_but_only_the_chosen_one_is_imported():
    probe = (
        "import sys, paved.cli as c; c.build_parser('build-test'); "
        "print(sorted(m for m in sys.modules if m.startswith('paved.cli.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "paved.cli.build_test" in loaded
    assert "paved.cli.ci_metrics" not in loaded
    listing = build_parser().format_help()
    for name in ("build-test", "container-build", "security-scan", "ci-metrics"):
        assert name in listing
