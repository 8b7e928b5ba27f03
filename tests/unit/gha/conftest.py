"""Helpers that read paved's log and output files the way the runner does."""

from __future__ import annotations

import pytest


def runner_commands(log: str) -> list[str]:
    """The lines the runner would act on as workflow commands, honouring stop-commands."""
    found: list[str] = []
    token: str | None = None
    for raw in log.splitlines():
        line = raw.strip()
        if token is not None:
            if line == f"::{token}::":
                token = None
            continue
        if line.startswith("::stop-commands::"):
            token = line.removeprefix("::stop-commands::")
        elif line.startswith("::"):
            found.append(line)
    return found


def parse_output_file(text: str) -> dict[str, str]:
    """Parse GITHUB_OUTPUT as the runner does: name=value or name<<DELIM ... DELIM."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            while lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            index += 1
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@pytest.fixture
def commands_seen():
    return runner_commands


@pytest.fixture
def parse_outputs():
    return parse_output_file
