"""Many processes opening one new ci-metrics store at once (scheduled jobs, matrix runs)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from paved.adapters.store.schema import MIGRATIONS

ROOT = Path(__file__).resolve().parents[3]
OPENERS = 40

_OPEN = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from paved.adapters.store.interface import StoreError
from paved.adapters.store.sqlite import SqliteStore
try:
    SqliteStore(Path(sys.argv[1]))
except StoreError as exc:
    print(f"FAILED: {exc}", flush=True)
    sys.exit(1)
"""

pytestmark = pytest.mark.integration


def test_forty_concurrent_first_opens_all_succeed_with_one_schema(tmp_path):
    store = tmp_path / "nested" / "metrics.sqlite"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN, str(store), str(ROOT / "lib")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(OPENERS)
    ]
    failures = []
    for opener in openers:
        output, _ = opener.communicate(timeout=120)
        if opener.returncode != 0:
            failures.append(output.strip())
    assert failures == []
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "jobs", "pages"} <= tables
