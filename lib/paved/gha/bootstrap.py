"""Make the paved venv for an action step once per job, then exec the step inside it.

Runs under the runner's own python3 with the standard library only (no setup-python: it
cannot run offline under act). The venv lives under the tool cache, keyed by a hash of the
runtime lock file, every file of lib/paved and the interpreter, so a later paved step in
the job (or a later job on the same self-hosted runner) reuses it. It is built in a temporary
directory and renamed into place, so a step that dies half-way never leaves a venv that looks
ready. Packages are installed with --require-hashes from requirements/runtime.txt.

Usage (from an action.yml): python3 "$GITHUB_ACTION_PATH/../../lib/paved/gha/bootstrap.py" CAP
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REQUIREMENTS = ROOT / "requirements"
LOCK = REQUIREMENTS / "runtime.txt"
LIBRARY = ROOT / "lib" / "paved"
READY = ".paved-ready"
MINIMUM_PYTHON = (3, 11)


def lock_for(capability: str) -> Path:
    """The capability's own complete lock file (requirements/<capability>.txt, e.g. the
    scanners of security-scan) when it has one, else the shared runtime lock, so a step
    installs only what its capability runs."""
    own = REQUIREMENTS / f"{capability}.txt"
    return own if capability and own.is_file() and own.name != "dev.txt" else LOCK


def runtime_key(lock: Path | None = None) -> str:
    """Hash of what the venv is made from: interpreter, lock file and library sources."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{platform.machine()}|{sys.platform}".encode())
    digest.update((lock or LOCK).read_bytes())
    for path in sorted(LIBRARY.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(LIBRARY).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def cache_root() -> Path:
    """PAVED_TOOL_CACHE, else the runner's tool cache, else ~/.cache/paved."""
    explicit = os.environ.get("PAVED_TOOL_CACHE")
    if explicit:
        return Path(explicit)
    tool_cache = os.environ.get("RUNNER_TOOL_CACHE")
    if tool_cache:
        return Path(tool_cache) / "paved"
    return Path.home() / ".cache" / "paved" / "runtime"


def venv_python(venv: Path) -> Path:
    """The interpreter inside a venv."""
    return venv / "bin" / "python"


def ensure_venv(root: Path, key: str, lock: Path | None = None) -> tuple[Path, bool]:
    """The ready venv for `key`, building it when missing; and whether it was built now."""
    venv = root / f"venv-{key}"
    if (venv / READY).exists():
        return venv, False
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".building-{key}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    print(f"::group::paved: preparing its runtime in {venv}", flush=True)
    try:
        _run([sys.executable, "-m", "venv", str(building)])
        _run(
            [
                str(venv_python(building)),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--quiet",
                "--require-hashes",
                "--no-deps",
                "--only-binary=:all:",
                "-r",
                str(lock or LOCK),
            ]
        )
        site = _site_packages(building)
        shutil.copytree(LIBRARY, site / "paved", ignore=shutil.ignore_patterns("__pycache__"))
        _run([str(venv_python(building)), "-m", "compileall", "-q", str(site / "paved")])
        (building / READY).write_text(key + "\n", encoding="utf-8")
        try:
            building.rename(venv)
        except OSError:
            # Another step built the same venv first: use theirs.
            shutil.rmtree(building, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)
        print("::endgroup::", flush=True)
    return venv, True


def _site_packages(venv: Path) -> Path:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return venv / "lib" / version / "site-packages"


def _run(argv: list[str]) -> None:
    completed = subprocess.run(argv, check=False, stdin=subprocess.DEVNULL)
    if completed.returncode != 0:
        print(
            f"::error title=paved runtime::could not prepare the paved runtime: "
            f"{' '.join(argv[:4])} ... exited with {completed.returncode}",
            flush=True,
        )
        raise SystemExit(3)


def main(argv: list[str]) -> None:
    """Ensure the venv, then replace this process with `python -m paved.gha CAPABILITY`."""
    if sys.version_info < MINIMUM_PYTHON:
        print(
            f"::error title=paved runtime::paved needs Python "
            f"{'.'.join(map(str, MINIMUM_PYTHON))} or newer as the runner's python3; "
            f"found {platform.python_version()} at {sys.executable}",
            flush=True,
        )
        raise SystemExit(3)
    started = time.monotonic()
    lock = lock_for(argv[0] if argv else "")
    venv, built = ensure_venv(cache_root(), runtime_key(lock), lock)
    how = "built" if built else "reused"
    print(f"::debug::paved runtime {how} in {time.monotonic() - started:.3f} s: {venv}", flush=True)
    python = str(venv_python(venv))
    os.execv(python, [python, "-m", "paved.gha", *argv])  # noqa: S606


if __name__ == "__main__":
    main(sys.argv[1:])
