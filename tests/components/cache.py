"""Where the harness keeps things between test sessions (engine data, base image tarballs)."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


def cache_dir(*parts: str) -> Path:
    """PAVED_CACHE_DIR, else $XDG_CACHE_HOME/paved, else ~/.cache/paved; created on demand."""
    base = os.environ.get("PAVED_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "paved"
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def exclusive(lock_file: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold an flock on `lock_file`; yields False at once when `wait` is off and it is taken."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
