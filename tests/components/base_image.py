"""The example service's base image, built offline once: debootstrap bookworm + python3, imported.

The root filesystem is made with debootstrap from the mirror this machine's apt uses, packed as
a tarball under the cache (keyed by suite, variant and package list), and imported with
`docker import` whenever an engine lacks it. Later sessions reuse the tarball, or the image
itself when the engine's data root is cached too.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.apt_mirror import debian_mirror
from components.cache import cache_dir, exclusive
from components.errors import ComponentError

if TYPE_CHECKING:
    from components.docker_engine import DockerEngine

NAME = "paved/base:bookworm-python3"
SUITE = "bookworm"
VARIANT = "minbase"
INCLUDE = ("python3", "python3-venv", "ca-certificates")
INSTALL = "install the Debian package debootstrap (`make setup`, or apt-get install debootstrap)"
_KEY_LABEL = "paved.base.key"
_EXCLUDES = ("./var/cache/apt/archives/*.deb", "./var/lib/apt/lists/*")
"""Downloaded packages and index files: half the tree, and of no use in an image."""


@dataclass(frozen=True)
class BaseImage:
    """The base image in an engine, and what making it cost this time."""

    name: str
    tarball: Path
    bootstrap_seconds: float | None
    """debootstrap + tar, or None when the cached tarball was used."""
    import_seconds: float | None
    """docker import, or None when the engine already had the image."""


def key() -> str:
    """What the tarball depends on."""
    text = f"{SUITE}|{VARIANT}|{','.join(sorted(INCLUDE))}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def ensure_base_image(engine: DockerEngine, name: str = NAME) -> BaseImage:
    """The base image in `engine`, built or imported as needed."""
    tarball = cache_dir("base-images") / f"{SUITE}-{VARIANT}-{key()}.tar"
    bootstrap = None
    with exclusive(tarball.with_suffix(".lock")):
        if not tarball.exists():
            bootstrap = build_tarball(tarball)
    imported = None
    found = engine.docker(
        "image", "inspect", "--format", '{{index .Config.Labels "' + _KEY_LABEL + '"}}', name
    )
    if found.returncode != 0 or found.stdout.strip() != key():
        started = time.monotonic()
        done = engine.docker(
            "import", "--change", f"LABEL {_KEY_LABEL}={key()}", str(tarball), name, timeout=600
        )
        if done.returncode != 0:
            msg = f"docker import of {tarball} failed: {done.stderr.strip()}"
            raise ComponentError(msg)
        imported = time.monotonic() - started
    return BaseImage(
        name=name, tarball=tarball, bootstrap_seconds=bootstrap, import_seconds=imported
    )


def build_tarball(tarball: Path) -> float:
    """debootstrap into a temporary directory and pack it; returns the seconds it took."""
    debootstrap = shutil.which("debootstrap") or shutil.which("/usr/sbin/debootstrap")
    if debootstrap is None:
        raise ComponentError(f"debootstrap is not installed: {INSTALL}")
    mirror = debian_mirror(SUITE)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="paved-rootfs-") as tmp:
        root = Path(tmp) / "root"
        argv = [
            debootstrap,
            f"--variant={VARIANT}",
            f"--include={','.join(INCLUDE)}",
            SUITE,
            str(root),
            mirror,
        ]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=1800, check=False)
        if done.returncode != 0:
            tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-5:])
            msg = f"debootstrap of {SUITE} from {mirror} failed: {tail}"
            raise ComponentError(msg)
        partial = tarball.with_suffix(".partial")
        excludes = [f"--exclude={pattern}" for pattern in _EXCLUDES]
        subprocess.run(
            ["tar", "--numeric-owner", *excludes, "-C", str(root), "-cf", str(partial), "."],
            check=True,
            timeout=600,
        )
        partial.rename(tarball)  # a half-written tarball is never used
    return time.monotonic() - started
