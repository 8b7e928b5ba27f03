"""A private Docker engine: `dockerd` on its own socket, no iptables, no bridge.

The data root lives in the cache (so imported base images and build cache survive between
sessions); the socket, exec root and pid file live in a short temporary directory. Only one
engine may use a data root at a time, so a second concurrent session gets a fresh one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.cache import cache_dir, exclusive
from components.errors import ComponentError

if TYPE_CHECKING:
    from collections.abc import Iterator

INSTALL = "install the Debian package docker.io (`make setup`, or apt-get install docker.io)"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


@dataclass(frozen=True)
class DockerEngine:
    """A running engine."""

    host: str
    """unix://<socket>, for DOCKER_HOST."""
    socket: Path
    data_root: Path
    storage_driver: str
    log_file: Path

    def env(self) -> dict[str, str]:
        """The environment for docker clients that should use this engine."""
        return {**os.environ, "DOCKER_HOST": self.host}

    def docker(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run the docker client against this engine."""
        return subprocess.run(
            ["docker", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _storage_driver() -> str:
    """overlay2 when the kernel has overlayfs (checked: works here), vfs otherwise."""
    filesystems = Path("/proc/filesystems").read_text(encoding="utf-8")
    return "overlay2" if "overlay" in filesystems else "vfs"


@contextmanager
def running_engine(data_root: Path | None = None) -> Iterator[DockerEngine]:
    """Start dockerd, wait until it answers (bounded), stop it on exit."""
    dockerd = shutil.which("dockerd")
    if dockerd is None or shutil.which("docker") is None:
        raise ComponentError(f"dockerd or docker is not installed: {INSTALL}")
    if os.geteuid() != 0:
        raise ComponentError("dockerd needs root here (no rootless setup): run the tests as root")
    driver = _storage_driver()
    with ExitStack() as stack:
        root = data_root or cache_dir("docker-data", driver)
        if not stack.enter_context(exclusive(root.parent / f"{root.name}.lock", wait=False)):
            # Another session uses the cached data root: a cold private one is still correct.
            root = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="paved-docker-data-"))
            )
        # Unix socket paths are limited to 108 bytes: keep the runtime paths short.
        run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pvd-", dir="/tmp")))
        engine = DockerEngine(
            host=f"unix://{run_dir / 'docker.sock'}",
            socket=run_dir / "docker.sock",
            data_root=root,
            storage_driver=driver,
            log_file=run_dir / "dockerd.log",
        )
        process = _start(dockerd, engine, run_dir)
        try:
            _wait(engine, process)
            _clear_leftovers(engine)
            yield engine
        finally:
            _stop(process)


def _start(dockerd: str, engine: DockerEngine, run_dir: Path) -> subprocess.Popen[bytes]:
    argv = [
        dockerd,
        "--iptables=false",
        "--ip6tables=false",
        "--bridge=none",
        "--host",
        engine.host,
        "--data-root",
        str(engine.data_root),
        "--exec-root",
        str(run_dir / "exec"),
        "--pidfile",
        str(run_dir / "docker.pid"),
        "--storage-driver",
        engine.storage_driver,
    ]
    with engine.log_file.open("wb") as log:
        return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait(engine: DockerEngine, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = engine.log_file.read_text(errors="replace").splitlines()[-5:]
            msg = f"dockerd exited with {process.returncode}: " + " | ".join(tail)
            raise ComponentError(msg)
        if engine.socket.exists() and engine.docker("version", timeout=10).returncode == 0:
            return
        time.sleep(0.2)
    _stop(process)
    msg = (
        f"dockerd did not answer on {engine.socket} within {START_TIMEOUT:.0f} s "
        f"(log: {engine.log_file})"
    )
    raise ComponentError(msg)


def _clear_leftovers(engine: DockerEngine) -> None:
    """Drop the stopped containers and unused networks an earlier, killed session left in the
    cached data root. Each test network takes one of the engine's few default address pools;
    left to pile up, they make `docker network create` fail ("no available ... address pool").
    Images and build cache stay: they are what the cache is for."""
    for argv in (("container", "prune", "--force"), ("network", "prune", "--force")):
        done = engine.docker(*argv, timeout=120)
        if done.returncode != 0:
            msg = f"docker {' '.join(argv)} failed on the test engine: {done.stderr.strip()}"
            raise ComponentError(msg)
    _drop_stale_bridges(engine)


def _drop_stale_bridges(engine: DockerEngine) -> None:
    """Delete idle `br-*` bridges that no network of this engine owns.

    A dockerd that was killed (a cancelled session) leaves its networks' bridges in the kernel
    with their subnets; every later engine then skips those subnets, and after a few dozen
    `docker network create` finds no free default pool. An idle bridge (DOWN: no container
    attached) of an engine that is gone is safe to delete; while another dockerd runs (another
    test session), its idle bridges cannot be told apart, so nothing is deleted then.
    """
    ip = shutil.which("ip")
    if ip is None or _dockerd_count() > 1:
        return
    ours = engine.docker("network", "ls", "--quiet", "--no-trunc", timeout=60).stdout.split()
    owned = {f"br-{network_id[:12]}" for network_id in ours}
    listed = subprocess.run(
        [ip, "-brief", "link", "show", "type", "bridge"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in listed.stdout.splitlines():
        fields = line.split()
        if len(fields) < 2 or not fields[0].startswith("br-") or fields[0] in owned:
            continue
        if fields[1] == "DOWN":
            subprocess.run([ip, "link", "delete", fields[0]], capture_output=True, check=False)


def _dockerd_count() -> int:
    """How many dockerd processes run on this machine (ours included)."""
    count = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv0 = cmdline.read_bytes().split(b"\0", 1)[0]
        except OSError:
            continue
        count += argv0.endswith(b"dockerd")
    return count


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
