"""One rule for naming a file in annotations and SARIF: relative to the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.model import repo_relative


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("/repo/app/a.py", None, "app/a.py"),
        ("/repo", None, "."),
        ("/repo/", None, "."),
        ("/elsewhere/a.py", None, "/elsewhere/a.py"),
        ("/repository-two/a.py", None, "/repository-two/a.py"),
        ("app/a.py", "/repo/service", "service/app/a.py"),
        ("./app/../b.py", "/repo/service", "service/b.py"),
        ("../../outside.py", "/repo/service", "/outside.py"),
    ],
)
def test_paths_are_named_from_the_repository_root(path, base, expected):
    assert repo_relative(path, "/repo", base=base) == expected


def test_path_objects_work_alike():
    assert repo_relative(Path("/repo/app/a.py"), Path("/repo")) == "app/a.py"
