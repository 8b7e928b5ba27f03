"""Debian's HAProxy on 127.0.0.1 with an admin stats socket: the Docker-host target's router.

One frontend per backend; every backend has free server slots (`server-template`, in
maintenance) that the target points at containers through the runtime API.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.errors import ComponentError
from components.processes import stop
from components.registry import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

INSTALL = "install the Debian package haproxy (`make setup`, or apt-get install haproxy)"
START_TIMEOUT = 10.0
SLOTS = 8


@dataclass(frozen=True)
class RunningHaproxy:
    """A running HAProxy."""

    socket: Path
    """The runtime API (stats socket, level admin)."""
    ports: dict[str, int]
    """Frontend port on 127.0.0.1 per backend name."""
    log_file: Path

    def url(self, backend: str) -> str:
        """Where users reach `backend`."""
        return f"http://127.0.0.1:{self.ports[backend]}"

    def command(self, line: str) -> str:
        """One runtime API command and its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(5)
            conn.connect(str(self.socket))
            conn.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()


def config(sock: Path, ports: dict[str, int]) -> str:
    """The configuration: retries on connection failures, no health checks of its own
    (readiness is the target's to judge; slots start in maintenance)."""
    lines = [
        "global",
        f"    stats socket {sock} mode 600 level admin",
        "    maxconn 4000",
        "defaults",
        "    mode http",
        "    timeout connect 2s",
        "    timeout client 30s",
        "    timeout server 30s",
        "    retries 3",
        "    option redispatch",
        "    retry-on conn-failure empty-response",
    ]
    for backend, port in ports.items():
        lines += [
            f"frontend {backend}",
            f"    bind 127.0.0.1:{port}",
            f"    default_backend {backend}",
            f"backend {backend}",
            "    balance roundrobin",
            f"    server-template slot 1-{SLOTS} 127.0.0.1:9 disabled weight 0",
        ]
    return "\n".join(lines) + "\n"


@contextmanager
def running_haproxy(backends: tuple[str, ...]) -> Iterator[RunningHaproxy]:
    """Start haproxy in the foreground; stop it on exit."""
    binary = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if binary is None:
        raise ComponentError(f"haproxy is not installed: {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="pvd-hap-", dir="/tmp") as tmp:
        root = Path(tmp)
        running = RunningHaproxy(
            socket=root / "admin.sock",
            ports={backend: free_port() for backend in backends},
            log_file=root / "haproxy.log",
        )
        cfg = root / "haproxy.cfg"
        cfg.write_text(config(running.socket, running.ports), encoding="utf-8")
        with running.log_file.open("wb") as log:
            process = subprocess.Popen(
                [binary, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait(running, process)
            yield running
        finally:
            stop(process)


def _wait(running: RunningHaproxy, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = " | ".join(running.log_file.read_text(errors="replace").splitlines()[-5:])
            msg = f"haproxy exited with {process.returncode}: {tail}"
            raise ComponentError(msg)
        if running.socket.exists():
            try:
                running.command("show info")
            except OSError:
                pass
            else:
                return
        time.sleep(0.05)
    msg = f"haproxy did not open its stats socket {running.socket} within {START_TIMEOUT:.0f} s"
    raise ComponentError(msg)
