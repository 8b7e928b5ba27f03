"""Every action step imports all of paved: what it imports must be in the runtime lock."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

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
