"""Declared help texts reach argparse as written."""

from __future__ import annotations

import argparse

import pytest
from paved.cli.declared import add_declared
from paved.params import Declaration, Integer


def test_a_percent_sign_in_a_declared_help_text_shows_in_help_and_does_not_crash(capsys):

    parser = argparse.ArgumentParser(prog="paved demo")
    declaration = Declaration(
        "demo", params=(Integer(name="share", default="10", help="Send 10 % of requests."),)
    )
    add_declared(parser, declaration)
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    assert "Send 10 % of requests." in capsys.readouterr().out
