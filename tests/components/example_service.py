"""The example service as real processes (`python -m service`) in a venv made once from its
requirements.txt (cached between sessions, keyed by the file's hash)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.cache import cache_dir, exclusive
from components.errors import ComponentError
from components.registry import free_port
from components.service_image import run_pip

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

SERVICE = Path(__file__).resolve().parents[2] / "examples" / "python-service"
START_TIMEOUT = 20.0


def service_python() -> Path:
    """A venv's python with the service's requirements installed."""
    requirements = SERVICE / "requirements.txt"
    key = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    root = cache_dir("example-service-venv")
    venv = root / key
    python = venv / "bin" / "python"
    with exclusive(root / f"{key}.lock"):
        if (venv / ".complete").exists():
            return python
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run_pip([*pip, "-r", str(requirements)], f"pip install -r {requirements}")
        (venv / ".complete").touch()
    return python


@dataclass(frozen=True)
class ServiceInstance:
    """One running instance."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def _wait(instance: ServiceInstance, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            tail = " | ".join(log.read_text(errors="replace").splitlines()[-5:])
            msg = f"the example service exited with {instance.process.returncode}: {tail}"
            raise ComponentError(msg)
        try:
            with urllib.request.urlopen(f"{instance.url}/health", timeout=2) as answer:  # noqa: S310 - http on loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    msg = f"the example service did not answer /health on {instance.url}"
    raise ComponentError(msg)


@contextmanager
def running_service(
    python: Path, log_dir: Path, name: str, faults: Mapping[str, str] | None = None
) -> Iterator[ServiceInstance]:
    """Start one instance on a free loopback port with `faults` (FAULT_ERROR_RATE, ...)."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "APP_VERSION": name,
        "ENVIRONMENT": "test",
        **(faults or {}),
    }
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(python), "-m", "service"],
            cwd=SERVICE,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    instance = ServiceInstance(port, process)
    try:
        _wait(instance, log)
        yield instance
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
