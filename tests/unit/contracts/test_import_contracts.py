"""The import contracts hold by pattern: packages that do not exist yet are covered too.

Each test copies the library, adds a package the way a later change would (a capability
package, an adapter kind with a backend), runs import-linter with the repository's own
.importlinter on the copy, and reads which contract broke.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tmp_path: Path, files: dict[str, str]) -> str:
    library = tmp_path / "lib"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "lib" / "paved", library / "paved", ignore=skip)
    for name, text in files.items():
        path = library / "paved" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    completed = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(library), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout + completed.stderr


NEW_KIND = {
    "adapters/router/__init__.py": "",
    "adapters/router/interface.py": "class Router: ...\n",
    "adapters/router/haproxy.py": "import subprocess\n",
}


def test_the_tree_as_it_is_keeps_every_contract(tmp_path):
    out = _lint(tmp_path, {})
    assert "0 broken" in out, out


def test_a_new_capability_may_use_a_new_adapter_kinds_interface(tmp_path):
    out = _lint(
        tmp_path,
        {
            **NEW_KIND,
            "rolloutx/__init__.py": "from paved.adapters.router.interface import Router\n",
        },
    )
    assert "0 broken" in out, out


MISBEHAVING = {
    "usesbackend/__init__.py": "from paved.adapters.router import haproxy\n",
    "runsprocess/__init__.py": "import subprocess\n",
    "opensdatabase/__init__.py": "import sqlite3\n",
    "usesbuildtest/__init__.py": "from paved.buildtest import judge\n",
    "writestext/__init__.py": "from paved.report import markdown\n",
    "adapters/router/reachesup.py": "from paved.buildtest import judge\n",
}
"""New packages, each breaking one rule (one import-linter run checks them all)."""


def test_new_packages_that_misbehave_break_the_contracts_by_pattern(tmp_path):
    out = _lint(tmp_path, {**NEW_KIND, **MISBEHAVING})
    broken = out.split("Broken contracts", 1)[-1]
    for expected in (
        "paved.usesbackend is not allowed to import paved.adapters.router.haproxy",
        "paved is not allowed to import subprocess",
        "paved.runsprocess -> subprocess",
        "paved.opensdatabase -> sqlite3",
        "paved.usesbuildtest is not allowed to import paved.buildtest",
        "paved.writestext is not allowed to import paved.report",
        "paved.adapters is not allowed to import paved.buildtest",
    ):
        assert expected in broken, out
    # The new adapter's own subprocess use is allowed: adapters are where clients live.
    assert "paved.adapters.router.haproxy -> subprocess" not in broken
