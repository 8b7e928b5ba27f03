"""A ci-metrics store written by an older paved opens with this one's schema, its data kept."""

from __future__ import annotations

import sqlite3

import pytest
from paved.adapters.store.schema import MIGRATIONS
from paved.adapters.store.sqlite import SqliteStore

pytestmark = pytest.mark.integration


def test_a_version_1_store_gains_the_deploy_tool_and_lists_its_deployments_again(tmp_path):
    path = tmp_path / "metrics.sqlite"
    with sqlite3.connect(path) as db:
        for statement in filter(str.strip, MIGRATIONS[0].split(";")):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO deployments VALUES ('acme/shop', 7, 'a', 'a', 'production', 1.0, 1)"
        )
        db.execute(
            "INSERT INTO pages VALUES ('acme/shop', 'deployments?environment=production&page=1', "
            "'W/\"e\"', NULL, 0)"
        )
        db.execute("INSERT INTO pages VALUES ('acme/shop', 'runs?page=1', 'W/\"r\"', 3, 0)")
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("SELECT id, tool, statuses_final FROM deployments").fetchall() == [
            (7, "", 1)
        ]
        # The deployment pages are listed again (with their payloads); other pages keep ETags.
        assert db.execute("SELECT url FROM pages").fetchall() == [("runs?page=1",)]
