"""A bug in paved still ends in one line and a documented exit code, never a traceback."""

from __future__ import annotations

import json

from paved import cli
from paved.cli import build_test


def test_an_unexpected_exception_is_exit_3_one_line_and_an_error_outcome(
    monkeypatch, tmp_path, capsys
):
    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(build_test, "handle", broken)
    outcome = tmp_path / "outcome.json"
    code = cli.run(["build-test", str(tmp_path), f"--json={outcome}"], cli.ConsoleFrontend())
    err = capsys.readouterr().err
    assert code == 3
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0
    assert "internal error (ZeroDivisionError: division by zero)" in err
    document = json.loads(outcome.read_text(encoding="utf-8"))
    assert (document["result"], document["exit_code"]) == ("error", 3)
