"""kube-apiserver and kube-controller-manager, built once per machine from Debian's source.

No distribution ships the server binaries, but Debian's `kubernetes` source package (1.20.2,
every Go dependency vendored) builds them with Debian's golang-go in about 6-7 minutes on two
cores. The source comes from a private deb-src list so the system's apt state stays as it was;
the binaries are cached under the harness cache, built under a lock so that two sessions never
build at once.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.cache import cache_dir, exclusive
from components.errors import ComponentError

if TYPE_CHECKING:
    from collections.abc import Callable

VERSION = "1.20.2"
SOURCE_PACKAGE = "kubernetes"
BINARIES = ("kube-apiserver", "kube-controller-manager")
BUILD_TOOLS = {"go": "golang-go", "rsync": "rsync", "make": "make", "apt-get": "apt"}
INSTALL = "install the Debian packages golang-go rsync make (`make setup`)"
APT_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
BUILD_TIMEOUT = 1800.0
REFLECT2 = Path("vendor/github.com/modern-go/reflect2")

# Go 1.18 changed reflect.mapiterinit to fill an iterator the caller allocates; reflect2
# v1.0.1 (vendored by 1.20) still expects a returned pointer and faults on the first map it
# iterates (the first custom resource). These are the edits reflect2 v1.0.2 made.
OLD_MAPITERINIT = "func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer) *hiter"
NEW_MAPITERINIT = "func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer, it *hiter)"
OLD_HITER_TAIL = "\t// rest fields are ignored\n}"
NEW_HITER_TAIL = """\tt           unsafe.Pointer
\th           unsafe.Pointer
\tbuckets     unsafe.Pointer
\tbptr        unsafe.Pointer
\toverflow    *[]unsafe.Pointer
\toldoverflow *[]unsafe.Pointer
\tstartBucket uintptr
\toffset      uint8
\twrapped     bool
\tB           uint8
\ti           uint8
\tbucket      uintptr
\tcheckBucket uintptr
}"""
OLD_ITERATE = """\treturn &UnsafeMapIterator{
\t\thiter:      mapiterinit(type2.rtype, *(*unsafe.Pointer)(obj)),"""
NEW_ITERATE = """\tvar it hiter
\tmapiterinit(type2.rtype, *(*unsafe.Pointer)(obj), &it)
\treturn &UnsafeMapIterator{
\t\thiter:      &it,"""


@dataclass(frozen=True)
class ServerBinaries:
    """The two cached binaries, and how long it took to get them this time."""

    apiserver: Path
    controller_manager: Path
    built_seconds: float | None
    """None when they came from the cache."""


def is_built() -> bool:
    """Whether this machine already has the cached binaries."""
    return (cache_dir("kubernetes", VERSION) / "complete").exists()


def server_binaries() -> ServerBinaries:
    """The cached binaries, building them first when this machine has none."""
    root = cache_dir("kubernetes", VERSION)
    complete = root / "complete"
    with exclusive(root / "build.lock"):
        built = None
        if not complete.exists():
            started = time.monotonic()
            _build_into(root)
            built = time.monotonic() - started
            complete.write_text(VERSION + "\n", encoding="utf-8")
    return ServerBinaries(root / "bin" / BINARIES[0], root / "bin" / BINARIES[1], built)


def _build_into(root: Path) -> None:
    missing = [package for tool, package in BUILD_TOOLS.items() if shutil.which(tool) is None]
    if missing:
        msg = f"cannot build kube-apiserver: missing {' '.join(missing)}; {INSTALL}"
        raise ComponentError(msg)
    for stale in root.glob("paved-kube-build-*"):  # left by a session that was killed mid-build
        shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="paved-kube-build-", dir=root) as scratch:
        work = Path(scratch)
        tree = _unpacked_source(work)
        patch_reflect2(tree)
        log = root / "build.log"
        returncode = _make(tree, log)
        if returncode != 0:
            tail = " | ".join(log.read_text(errors="replace").splitlines()[-5:])
            msg = f"building kube-apiserver failed ({returncode}; log {log}): {tail}"
            raise ComponentError(msg)
        bin_dir = root / "bin"
        bin_dir.mkdir(exist_ok=True)
        for name in BINARIES:
            shutil.copy2(tree / "_output" / "bin" / name, bin_dir / name)


def _make(tree: Path, log: Path) -> int:
    """Run the build in its own process group, ended with this interpreter if still running
    (a session that stops early must not leave a build behind)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", f"WHAT={' '.join(f'cmd/{name}' for name in BINARIES)}"],
            cwd=tree,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    stop = _group_killer(process)
    atexit.register(stop)
    try:
        return process.wait(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1
    finally:
        stop()
        atexit.unregister(stop)


def _group_killer(process: subprocess.Popen[bytes]) -> Callable[[], None]:
    def stop() -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    return stop


def _unpacked_source(work: Path) -> Path:
    """Download the source package through a private deb-src list and unpack it."""
    if not APT_SOURCES.exists():
        msg = f"no {APT_SOURCES}: the Kubernetes build needs Debian's apt sources"
        raise ComponentError(msg)
    sources = work / "deb-src.sources"
    sources.write_text(
        APT_SOURCES.read_text(encoding="utf-8").replace("Types: deb\n", "Types: deb-src\n"),
        encoding="utf-8",
    )
    for sub in ("lists/partial", "cache/archives/partial", "src"):
        (work / sub).mkdir(parents=True)
    options = [
        "-o",
        f"Dir::Etc::SourceList={sources}",
        "-o",
        "Dir::Etc::SourceParts=/dev/null",
        "-o",
        f"Dir::State::Lists={work / 'lists'}",
        "-o",
        f"Dir::Cache={work / 'cache'}",
    ]
    _apt(["apt-get", *options, "update", "-qq"], work)
    _apt(["apt-get", *options, "source", "--download-only", SOURCE_PACKAGE], work / "src")
    archives = sorted((work / "src").glob(f"{SOURCE_PACKAGE}_*.orig.tar.gz"))
    if not archives:
        msg = f"apt-get source {SOURCE_PACKAGE} downloaded no .orig.tar.gz"
        raise ComponentError(msg)
    with tarfile.open(archives[0]) as tar:
        tar.extractall(work / "src", filter="tar")
    trees = [path for path in (work / "src").iterdir() if (path / "Makefile").exists()]
    if len(trees) != 1:
        msg = f"expected one unpacked Kubernetes tree, found {trees}"
        raise ComponentError(msg)
    return trees[0]


def _apt(argv: list[str], cwd: Path) -> None:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        msg = f"{' '.join(argv[:1] + argv[-2:])} failed: {result.stderr.strip()[-400:]}"
        raise ComponentError(msg)


def patch_reflect2(tree: Path) -> None:
    """Make vendored reflect2 v1.0.1 iterate maps the way Go >= 1.18 needs."""
    _replace(tree / REFLECT2 / "unsafe_link.go", OLD_MAPITERINIT, NEW_MAPITERINIT)
    _replace(tree / REFLECT2 / "unsafe_link.go", OLD_HITER_TAIL, NEW_HITER_TAIL)
    _replace(tree / REFLECT2 / "unsafe_map.go", OLD_ITERATE, NEW_ITERATE)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        msg = f"{path}: expected the reflect2 v1.0.1 text once, the source changed: {old[:60]!r}"
        raise ComponentError(msg)
    path.write_text(text.replace(old, new), encoding="utf-8")
