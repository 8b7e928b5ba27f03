"""What a Python project says about itself in its configuration files. Pure: texts in, facts out."""

from __future__ import annotations

import configparser
import tomllib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

TEST_REQUIREMENT_FILES = (
    "requirements/tests.txt",
    "requirements/test.txt",
    "requirements/testing.txt",
    "tests/requirements.txt",
    "test/requirements.txt",
    "testing/requirements.txt",
    "requirements-test.txt",
    "requirements-tests.txt",
    "requirements-testing.txt",
    "requirements-dev.txt",
)
"""Where projects keep what their tests need, in the order they are installed."""

RUNTIME_REQUIREMENT_FILES = ("requirements.txt",)

CONFIG_FILES = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "tox.ini",
    ".flake8",
    "ruff.toml",
    ".ruff.toml",
    ".pre-commit-config.yaml",
    *RUNTIME_REQUIREMENT_FILES,
    *TEST_REQUIREMENT_FILES,
    "requirements/dev.txt",
    "requirements/lint.txt",
    "requirements/style.txt",
)
"""Every file (relative to the project) whose text the decisions below may read."""


@dataclass(frozen=True)
class ProjectFiles:
    """The configuration files a project has, parsed once."""

    texts: Mapping[str, str] = field(default_factory=dict)
    """Path relative to the project -> text, for the files of CONFIG_FILES that exist."""
    pyproject: Mapping[str, object] = field(default_factory=dict)
    """pyproject.toml as a document; empty when there is none."""

    def has(self, name: str) -> bool:
        """Whether the project has this file."""
        return name in self.texts

    def tool(self, name: str) -> Mapping[str, object] | None:
        """The [tool.<name>] table of pyproject.toml, or None."""
        tools = self.pyproject.get("tool")
        table = tools.get(name) if isinstance(tools, dict) else None
        return table if isinstance(table, dict) else None

    def ini_sections(self, name: str) -> set[str]:
        """The section names of an INI file (setup.cfg, tox.ini, .flake8); empty if unreadable."""
        parser = self._ini(name)
        return set(parser.sections()) if parser else set()

    def ini_section(self, name: str, section: str) -> dict[str, str]:
        """One section of an INI file as key -> value; empty when it has none."""
        parser = self._ini(name)
        if parser is None or not parser.has_section(section):
            return {}
        return dict(parser.items(section))

    def _ini(self, name: str) -> configparser.ConfigParser | None:
        text = self.texts.get(name)
        if text is None:
            return None
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text, source=name)
        except configparser.Error:
            return None
        return parser

    @property
    def name(self) -> str | None:
        """The distribution's name ([project] name, or setup.cfg's [metadata] name)."""
        project = self.pyproject.get("project")
        name = project.get("name") if isinstance(project, dict) else None
        if isinstance(name, str):
            return name
        return self.ini_section("setup.cfg", "metadata").get("name")


def project_files(texts: Mapping[str, str], where: str) -> ProjectFiles:
    """Parse what was read; a pyproject.toml that is not TOML is a usage error naming `where`."""
    pyproject: dict[str, object] = {}
    text = texts.get("pyproject.toml")
    if text is not None:
        try:
            pyproject = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(
                f"is not valid TOML: {exc}",
                name=f"{where}/pyproject.toml",
                valid="a pyproject.toml that parses",
            ) from exc
    return ProjectFiles(texts=dict(texts), pyproject=pyproject)
