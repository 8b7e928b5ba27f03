"""A private OCI registry: Debian's docker-registry (distribution 2.8) on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.errors import ComponentError
from components.processes import stop

if TYPE_CHECKING:
    from collections.abc import Iterator

BINARY = "/usr/bin/docker-registry"
INSTALL = (
    "install the Debian package docker-registry (`make setup`, or apt-get install docker-registry)"
)
START_TIMEOUT = 20.0
MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
ACCEPT = ", ".join(MANIFEST_TYPES)


@dataclass(frozen=True)
class LocalRegistry:
    """A running registry."""

    host: str
    """127.0.0.1:<port>, the registry part of image names."""
    storage: Path

    def manifest_digest(self, repository: str, reference: str) -> str | None:
        """What the registry says `reference` is: its Docker-Content-Digest, checked by hash."""
        request = urllib.request.Request(
            f"http://{self.host}/v2/{repository}/manifests/{reference}", headers={"Accept": ACCEPT}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body = response.read()
                header = response.headers["Docker-Content-Digest"]
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise
        computed = "sha256:" + hashlib.sha256(body).hexdigest()
        if header != computed:
            msg = f"the registry's digest header {header} is not the hash of its body {computed}"
            raise AssertionError(msg)
        return header

    def tags(self, repository: str) -> list[str]:
        """The repository's tags (empty when it does not exist)."""
        url = f"http://{self.host}/v2/{repository}/tags/list"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return list(json.load(response).get("tags") or [])
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return []
            raise


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_registry() -> Iterator[LocalRegistry]:
    """Start the registry with filesystem storage under a temporary directory; stop it on exit."""
    binary = shutil.which("docker-registry") or (BINARY if Path(BINARY).exists() else None)
    if binary is None:
        raise ComponentError(f"docker-registry is not installed: {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="paved-registry-") as tmp:
        root = Path(tmp)
        port = free_port()
        config = root / "config.yml"
        config.write_text(
            "version: 0.1\n"
            "log:\n  level: warn\n"
            f"storage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
            "  delete:\n    enabled: true\n"
            f"http:\n  addr: 127.0.0.1:{port}\n",
            encoding="utf-8",
        )
        log_file = root / "registry.log"
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                [binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait(f"127.0.0.1:{port}", process, log_file)
            yield LocalRegistry(host=f"127.0.0.1:{port}", storage=root / "data")
        finally:
            stop(process)


def _wait(host: str, process: subprocess.Popen[bytes], log_file: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = " | ".join(log_file.read_text(errors="replace").splitlines()[-5:])
            msg = f"docker-registry exited with {process.returncode}: {tail}"
            raise ComponentError(msg)
        try:
            with urllib.request.urlopen(f"http://{host}/v2/", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    msg = f"docker-registry did not answer on {host} within {START_TIMEOUT:.0f} s"
    raise ComponentError(msg)
