"""Every action step imports all of paved: what it imports must be in the runtime lock."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LIBRARY = ROOT / "lib" / "paved"
PINNED = re.compile(r"^([A-Za-z0-9_.-]+)==", re.MULTILINE)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level_modules() -> dict[str, str]:
    """Top-level modules imported anywhere in lib/paved -> one file that imports it."""
    found: dict[str, str] = {}
    for path in LIBRARY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_pinned_in_the_runtime_lock():
    pinned = {
        _normal(n) for n in PINNED.findall((ROOT / "requirements" / "runtime.txt").read_text())
    }
    distributions = packages_distributions()
    missing = {}
    for module, where in _imported_top_level_modules().items():
        if module == "paved" or module in sys.stdlib_module_names:
            continue
        owners = {_normal(d) for d in distributions.get(module, [module])}
        if not owners & pinned:
            missing[module] = where
    assert missing == {}, f"imported by paved but not in requirements/runtime.txt: {missing}"


def _declared_dependencies() -> set[str]:
    import tomllib  # noqa: PLC0415 - only this test reads pyproject

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normal(re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0]) for d in project["dependencies"]}


def test_every_third_party_import_is_a_declared_dependency():
    """`pip install .` alone must give a paved whose every module imports."""
    declared = _declared_dependencies()
    distributions = packages_distributions()
    missing = {}
    for module, where in _imported_top_level_modules().items():
        if module == "paved" or module in sys.stdlib_module_names:
            continue
        owners = {_normal(d) for d in distributions.get(module, [module])}
        if not owners & declared:
            missing[module] = where
    assert missing == {}, f"imported by paved but not in [project].dependencies: {missing}"


LOCKS = sorted((ROOT / "requirements").glob("*.txt"))


def _pins(lock: Path) -> dict[str, str]:
    return {
        _normal(m[0]): m[1]
        for m in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(), re.MULTILINE)
    }


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_lock_is_complete_so_it_installs_with_no_deps(lock):
    """A lock installed with --no-deps must pin every requirement of every package it pins.

    Checked against the installed metadata of the dev venv (which holds every lock's pins):
    each requirement whose marker applies here must be pinned in the same file.
    """
    from importlib.metadata import PackageNotFoundError, distribution  # noqa: PLC0415

    from packaging.requirements import Requirement  # noqa: PLC0415

    pins = _pins(lock)
    unpinned = {}
    for name in pins:
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue  # not installed here (a marker excludes it on this interpreter)
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            if _normal(requirement.name) not in pins:
                unpinned[f"{name} -> {requirement.name}"] = lock.name
    assert unpinned == {}


def test_every_locked_install_uses_no_deps():
    """pip resolves extras (coverage[toml]) before pins in --require-hashes mode; --no-deps
    installs exactly the lock, so a new upstream release cannot break set-up."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    installs = [line for line in makefile if "--require-hashes" in line]
    assert installs, "the Makefile installs its lock with --require-hashes"
    assert all("--no-deps" in line for line in installs), installs
    bootstrap = ast.parse((LIBRARY / "gha" / "bootstrap.py").read_text(encoding="utf-8"))
    argvs = [
        [e.value for e in node.elts if isinstance(e, ast.Constant)]
        for node in ast.walk(bootstrap)
        if isinstance(node, ast.List)
    ]
    locked = [argv for argv in argvs if "--require-hashes" in argv]
    assert locked, "the bootstrap installs its lock with --require-hashes"
    assert all("--no-deps" in argv for argv in locked), locked
