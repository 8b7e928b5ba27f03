"""The action bootstrap: which venv a step uses, and when it is rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paved.gha import bootstrap


@pytest.fixture
def fake_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A paved checkout with a lock file and a small library, for the key to hash."""
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "runtime.txt").write_text("pyyaml==6.0.3 --hash=sha256:ab\n")
    library = tmp_path / "lib" / "paved"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text('"""paved."""\n')
    monkeypatch.setattr(bootstrap, "LOCK", tmp_path / "requirements" / "runtime.txt")
    monkeypatch.setattr(bootstrap, "LIBRARY", library)
    return tmp_path


def test_key_is_stable_and_ignores_bytecode(fake_tree: Path):
    first = bootstrap.runtime_key()
    cache = fake_tree / "lib" / "paved" / "__pycache__"
    cache.mkdir()
    (cache / "x.pyc").write_bytes(b"\0")
    assert bootstrap.runtime_key() == first


@pytest.mark.parametrize("change", ["library", "new-module", "lock"])
def test_key_changes_when_what_the_venv_is_made_from_changes(fake_tree: Path, change: str):
    before = bootstrap.runtime_key()
    if change == "library":
        (fake_tree / "lib" / "paved" / "__init__.py").write_text('"""paved 2."""\n')
    elif change == "new-module":
        (fake_tree / "lib" / "paved" / "extra.py").write_text("")
    else:
        (fake_tree / "requirements" / "runtime.txt").write_text("pyyaml==6.0.2\n")
    assert bootstrap.runtime_key() != before


def test_cache_root_prefers_paved_then_runner_tool_cache(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RUNNER_TOOL_CACHE", "/opt/hostedtoolcache")
    monkeypatch.delenv("PAVED_TOOL_CACHE", raising=False)
    assert bootstrap.cache_root() == Path("/opt/hostedtoolcache/paved")
    monkeypatch.setenv("PAVED_TOOL_CACHE", "/cache/paved")
    assert bootstrap.cache_root() == Path("/cache/paved")


def test_a_ready_venv_is_reused_without_running_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    ready = tmp_path / "venv-abc"
    ready.mkdir()
    (ready / bootstrap.READY).write_text("abc\n")

    def refuse(argv: list[str]) -> None:
        pytest.fail(f"ran {argv}")

    monkeypatch.setattr(bootstrap, "_run", refuse)
    assert bootstrap.ensure_venv(tmp_path, "abc") == (ready, False)


def test_a_half_built_venv_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    half = tmp_path / "venv-abc"
    half.mkdir()  # no ready marker: an earlier step died while building

    calls: list[list[str]] = []

    def fail(argv: list[str]) -> None:
        calls.append(argv)
        raise SystemExit(3)

    monkeypatch.setattr(bootstrap, "_run", fail)
    with pytest.raises(SystemExit):
        bootstrap.ensure_venv(tmp_path, "abc")
    assert calls, "a venv without the ready marker must be rebuilt"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".building-")]
    assert leftovers == []
    shutil.rmtree(half)


def test_a_capability_with_its_own_lock_gets_its_own_venv(
    fake_tree: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(bootstrap, "REQUIREMENTS", fake_tree / "requirements")
    (fake_tree / "requirements" / "security-scan.txt").write_text(
        "bandit==1.9.4 --hash=sha256:cd\n"
    )
    (fake_tree / "requirements" / "dev.txt").write_text("ruff==1\n")

    assert bootstrap.lock_for("security-scan").name == "security-scan.txt"
    assert bootstrap.lock_for("build-test") == bootstrap.LOCK
    assert bootstrap.lock_for("dev") == bootstrap.LOCK
    assert bootstrap.runtime_key(bootstrap.lock_for("security-scan")) != bootstrap.runtime_key()
