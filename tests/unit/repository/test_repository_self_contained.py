"""A clone stands alone: no tracked file refers to a path outside the repository.

Two checks. Every tracked text file is searched for paths of the machine it was written on
(a sibling `shared/` folder, `/work/`, a home directory; GitHub's runner home `/home/runner`
is the one home every workflow run has). Every Python file's path expressions anchored at
`__file__` (`Path(__file__).resolve().parents[2] / "data"`, a `ROOT.parent`, `".."`) are
evaluated and must stay inside the repository, and every `$GITHUB_ACTION_PATH/...` of an
action must resolve inside it too. The checks are tested on snippets that break them.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[3]
_HERE = PurePosixPath(Path(__file__).resolve().relative_to(ROOT).as_posix())
# Spelt in pieces so that this file does not match itself.
_SIBLING = "sha" + "red"
MACHINE_PATH = re.compile(
    rf"\.\./{_SIBLING}\b"
    rf"|(?<![\w.-]){_SIBLING}/(?:data|seeds|recipes)\b"
    r"|(?<![\w.~-])/(?:work|root|Users|mnt)/"
    r"|(?<![\w.~-])/home/(?!runner/)[\w.-]+"
)
_ACTION_PATH = re.compile(r"\$\{?GITHUB_ACTION_PATH\}?/([\w./-]+)")


def tracked_files() -> list[PurePosixPath]:
    """The files git tracks, as repository-relative paths."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout
    return [PurePosixPath(name) for name in listed.split("\0") if name]


def _text(path: PurePosixPath) -> str | None:
    try:
        return (ROOT / path).read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def machine_paths(text: str) -> list[str]:
    """`line: match` for every path of a particular machine in `text`."""
    return [
        f"{number}: {found.group(0)}"
        for number, line in enumerate(text.splitlines(), start=1)
        for found in MACHINE_PATH.finditer(line)
    ]


def escaping_paths(source: str, where: PurePosixPath) -> list[str]:
    """`line: path` for every path expression in `source` (the file at `where`) that leaves
    the repository. Paths are relative to the repository root; '..' at the front is outside."""
    known: dict[str, PurePosixPath] = {}
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            value = _evaluate(node.value, where, known)
            if isinstance(target, ast.Name) and value is not None:
                known[target.id] = value
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.expr):
            value = _evaluate(node, where, known)
            if value is not None and value.parts[:1] == ("..",):
                found.append(f"{node.lineno}: {value}")
    return sorted(set(found))


def _evaluate(
    node: ast.expr, where: PurePosixPath, known: dict[str, PurePosixPath]
) -> PurePosixPath | None:
    """The repository-relative path `node` denotes, when it is one built from `__file__`."""
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.Call):
        return _call(node, where, known)
    steps = _steps(node)
    if steps is None:
        return None
    base, up, joined = steps
    start = _evaluate(base, where, known)
    if start is None:
        return None
    return _join(_up(start, up), joined)


def _call(
    node: ast.Call, where: PurePosixPath, known: dict[str, PurePosixPath]
) -> PurePosixPath | None:
    """`Path(__file__)` is the file itself; `.resolve()` and `.absolute()` change nothing."""
    if isinstance(node.func, ast.Name) and node.func.id == "Path" and len(node.args) == 1:
        arg = node.args[0]
        return where if isinstance(arg, ast.Name) and arg.id == "__file__" else None
    if isinstance(node.func, ast.Attribute) and node.func.attr in {"resolve", "absolute"}:
        return _evaluate(node.func.value, where, known)
    return None


def _steps(node: ast.expr) -> tuple[ast.expr, int, str] | None:
    """(base, levels up, path joined) for `base.parent`, `base.parents[n]`, `base / "..."`."""
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return node.value, 1, ""
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "parents"
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, int)
    ):
        return node.value.value, node.slice.value + 1, ""
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and isinstance(node.right, ast.Constant)
    ):
        return node.left, 0, str(node.right.value)
    return None


def _up(path: PurePosixPath, levels: int) -> PurePosixPath:
    parts = list(path.parts)
    for _ in range(levels):
        if parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append("..")
    return PurePosixPath(*parts) if parts else PurePosixPath()


def _join(base: PurePosixPath, relative: str) -> PurePosixPath:
    path = base
    for part in PurePosixPath(relative).parts:
        path = _up(path, 1) if part == ".." else path / part
    return path


def action_paths_outside(text: str, action: PurePosixPath) -> list[str]:
    """Every `$GITHUB_ACTION_PATH/...` in an action.yml that resolves outside the repository."""
    return [
        found.group(0)
        for found in _ACTION_PATH.finditer(text)
        if _join(action.parent, found.group(1)).parts[:1] == ("..",)
    ]


def test_no_tracked_file_names_a_path_of_this_machine():
    offending = {
        str(path): hits
        for path in tracked_files()
        if path != _HERE and (text := _text(path)) is not None and (hits := machine_paths(text))
    }
    assert offending == {}


def test_no_python_file_reaches_outside_the_repository():
    offending = {
        str(path): hits
        for path in tracked_files()
        if path.suffix == ".py"
        and (text := _text(path)) is not None
        and (hits := escaping_paths(text, path))
    }
    assert offending == {}


def test_every_action_path_resolves_inside_the_repository():
    actions = [p for p in tracked_files() if p.name in {"action.yml", "action.yaml"}]
    assert actions
    offending = {
        str(path): hits
        for path in actions
        if (text := _text(path)) is not None and (hits := action_paths_outside(text, path))
    }
    assert offending == {}


@pytest.mark.parametrize(
    "line",
    [
        f"cd ../{_SIBLING} && ls",
        f"see ../{_SIBLING}/data/osv-pypi",
        f"cp -r {_SIBLING}/seeds/a.txt .",
        "store = '/work/.paved/metrics.sqlite'",
        "HOME=/home/alice/project",
        "open('/root/.netrc')",
    ],
)
def test_machine_paths_are_caught(line: str):
    assert machine_paths(line)


@pytest.mark.parametrize(
    "line",
    [
        "at Object (/home/runner/work/app/math.test.js:12:5)",
        "RUN python3 -m venv /opt/venv",
        "ROOT / 'tests' / 'data' / 'osv-pypi'",
        "a/../b stays inside",
        "~/.cache/paved/build-test",
    ],
)
def test_ordinary_paths_pass(line: str):
    assert machine_paths(line) == []


@pytest.mark.parametrize(
    "source",
    [
        "DATA = Path(__file__).resolve().parents[3] / 'data'",
        "OSV = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'data'",
        "ROOT = Path(__file__).resolve().parents[2]\nOSV = ROOT.parent / 'x'",
        "ROOT = Path(__file__).parent.parent.parent\nOSV = ROOT / '..' / 'x'",
        "DATA = Path(__file__).resolve().parents[2] / 'data' / '../../x'",
    ],
)
def test_path_expressions_leaving_the_repository_are_caught(source: str):
    assert escaping_paths(source, PurePosixPath("tests/unit/test_x.py"))


@pytest.mark.parametrize(
    "source",
    [
        "DATA = Path(__file__).resolve().parents[2] / 'data'",
        "ROOT = Path(__file__).resolve().parents[2]\nOSV = ROOT / 'tests' / 'data'",
        "HERE = Path(__file__).parent\nUP = HERE.parent / 'fixtures'",
    ],
)
def test_path_expressions_inside_the_repository_pass(source: str):
    assert escaping_paths(source, PurePosixPath("tests/unit/test_x.py")) == []


def test_action_paths_are_resolved_from_the_action_folder():
    action = PurePosixPath("actions/build-test/action.yml")
    inside = 'run: python3 "$GITHUB_ACTION_PATH/../../lib/paved/gha/bootstrap.py"'
    assert action_paths_outside(inside, action) == []
    assert action_paths_outside('run: "$GITHUB_ACTION_PATH/../../../x.py"', action)


@pytest.mark.parametrize(
    "folder", sorted(p.name for p in (ROOT / "tests" / "data").iterdir() if p.is_dir())
)
def test_every_vendored_data_folder_names_its_source_and_licence(folder: str):
    readme = ROOT / "tests" / "data" / folder / "README.md"
    assert readme.is_file(), f"tests/data/{folder} needs a README: source, commit, licence"
    text = readme.read_text(encoding="utf-8").lower()
    assert "source" in text, f"tests/data/{folder}: name the source"
    assert "https://" in text, f"tests/data/{folder}: give the source's address"
    assert re.search(r"licen[cs]e", text), f"tests/data/{folder}: name the licence"
