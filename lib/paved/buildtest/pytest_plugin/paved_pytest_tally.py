"""A pytest plugin build-test loads into the project's own pytest (`-p paved_pytest_tally`).

It writes pytest's own verdict on every report, as the terminal summary counts it (passed,
failed, skipped, xfailed, xpassed, error, ...), to the JSON file named by PAVED_PYTEST_TALLY.
It runs in the project's venv, so it imports nothing but the standard library.
"""

from __future__ import annotations

import json
import os
from typing import Any

_STATE: dict[str, Any] = {"config": None, "counts": {}, "collection_errors": []}


def pytest_configure(config: Any) -> None:  # noqa: ANN401 - pytest's objects, untyped here
    """Keep the config: the categories come from its pytest_report_teststatus hook."""
    _STATE["config"] = config


def pytest_collectreport(report: Any) -> None:  # noqa: ANN401
    """A module that cannot be collected is a collection error; a skipped one, a skip."""
    if report.failed:
        _STATE["collection_errors"].append(report.nodeid)
    elif report.skipped:
        _count("skipped")


def pytest_runtest_logreport(report: Any) -> None:  # noqa: ANN401
    """Count each report under the category pytest's own summary puts it in."""
    config = _STATE["config"]
    if config is None or not getattr(report, "count_towards_summary", True):
        return
    status = config.hook.pytest_report_teststatus(report=report, config=config)
    category = status[0] if status else ""
    if category:
        _count(str(category))


def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:  # noqa: ANN401
    """Write the tally where build-test will read it."""
    path = os.environ.get("PAVED_PYTEST_TALLY")
    if not path or hasattr(session.config, "workerinput"):
        return  # no file asked for, or an xdist worker (the controller counts for all)
    document = {
        "schema": "paved/pytest-tally/v1",
        "counts": _STATE["counts"],
        "collection_errors": _STATE["collection_errors"],
        "exit_status": int(exitstatus),
    }
    with open(path, "w", encoding="utf-8") as handle:  # noqa: PTH123 - no pathlib needed
        json.dump(document, handle)


def _count(category: str) -> None:
    counts = _STATE["counts"]
    counts[category] = counts.get(category, 0) + 1
