"""build-test: build, check and test a project; judge it against a gate."""

from paved.buildtest.core import build_and_test
from paved.buildtest.options import BuildTestOptions, Formatter, Language, Linter, Shell
from paved.buildtest.outcome import BuildTestOutcome, FailureKind, GateFailure, StepKind

__all__ = [
    "BuildTestOptions",
    "BuildTestOutcome",
    "FailureKind",
    "Formatter",
    "GateFailure",
    "Language",
    "Linter",
    "Shell",
    "StepKind",
    "build_and_test",
]
