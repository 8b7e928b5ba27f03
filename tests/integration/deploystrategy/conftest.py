"""deploy-strategy against real components: a private dockerd, a registry, Debian's HAProxy."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from components.errors import ComponentError  # noqa: E402
from components.haproxy import running_haproxy  # noqa: E402
from components.service_image import prepare_context  # noqa: E402
from paved.adapters.deploy.containers import ContainerEngine  # noqa: E402
from paved.adapters.deploy.docker_host import DockerHostSettings, DockerHostTarget  # noqa: E402
from paved.adapters.http.stdlib import StdlibHttpClient  # noqa: E402
from paved.adapters.router.haproxy import HaproxyRuntime  # noqa: E402

NETWORK = "paved-it"
_names = itertools.count(1)


@dataclass(frozen=True)
class ServiceImages:
    """The example service in three versions, pushed to the local registry, by digest."""

    v1: str
    v2: str
    never_ready: str
    """Serves on 8081 while its HEALTHCHECK probes 8080: it runs, and is never ready."""


def _docker(engine, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["docker", *args],
        input=stdin,
        env=engine.env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"docker {' '.join(args[:2])} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def _push(engine, local_registry, tag: str) -> str:
    _docker(engine, "push", tag)
    repository, _, reference = tag.partition("/")[2].rpartition(":")
    digest = local_registry.manifest_digest(repository, reference)
    assert digest, f"the registry has no {tag}"
    return f"{tag.rpartition(':')[0]}@{digest}"


def _derive(engine, tmp_path: Path, base_tag: str, tag: str, *lines: str) -> None:
    folder = tmp_path / tag.rpartition(":")[2]
    folder.mkdir()
    text = "\n".join((f"FROM {base_tag}", *lines, ""))
    (folder / "Dockerfile").write_text(text, encoding="utf-8")
    _docker(engine, "build", "--quiet", "--tag", tag, str(folder))


@pytest.fixture(scope="session")
def service_images(engine, local_registry, base, tmp_path_factory) -> ServiceImages:
    """Build the example service once (1.0.0), derive 2.0.0 and a never-ready 3.0.0, push all."""
    tmp = tmp_path_factory.mktemp("deploy-images")
    try:
        context = prepare_context(ROOT / "examples" / "python-service", tmp)
    except ComponentError as exc:
        pytest.fail(str(exc))
    name = f"{local_registry.host}/shop"
    _docker(
        engine, "build", "--quiet", "--build-arg", "APP_VERSION=1.0.0", "--tag",
        f"{name}:1.0.0", str(context),
    )  # fmt: skip
    _derive(engine, tmp, f"{name}:1.0.0", f"{name}:2.0.0", "ENV APP_VERSION=2.0.0")
    # The image's own entry point reads PORT; its HEALTHCHECK still probes 8080.
    _derive(
        engine, tmp, f"{name}:1.0.0", f"{name}:3.0.0",
        "ENV APP_VERSION=3.0.0 PORT=8081", 'CMD ["python3", "-m", "service"]',
    )  # fmt: skip
    return ServiceImages(
        v1=_push(engine, local_registry, f"{name}:1.0.0"),
        v2=_push(engine, local_registry, f"{name}:2.0.0"),
        never_ready=_push(engine, local_registry, f"{name}:3.0.0"),
    )


@dataclass(frozen=True)
class DockerHost:
    """One app's place on the Docker host: its HAProxy backend and a target for it."""

    app: str
    url: str
    """Where users reach the app (HAProxy's frontend)."""
    haproxy_socket: Path
    docker_host: str
    network: str

    def target(self, **settings) -> DockerHostTarget:
        return DockerHostTarget(
            ContainerEngine(self.docker_host),
            HaproxyRuntime(self.haproxy_socket),
            StdlibHttpClient(),
            DockerHostSettings(backend=self.app, network=self.network, **settings),
        )

    def cli_flags(self) -> list[str]:
        return [
            "--target=docker",
            f"--docker-host={self.docker_host}",
            f"--haproxy-socket={self.haproxy_socket}",
            f"--docker-network={self.network}",
        ]


@pytest.fixture
def docker_host(engine, service_images):
    """A fresh app name and HAProxy per test; every container of the app removed afterwards."""
    app = f"shop{os.getpid() % 1000}-{next(_names)}"
    try:
        with running_haproxy((app,)) as haproxy:
            yield DockerHost(app, haproxy.url(app), haproxy.socket, engine.host, NETWORK)
    except ComponentError as exc:
        pytest.fail(str(exc))
    finally:
        ids = _docker(engine, "ps", "--all", "--quiet", f"--filter=label=paved.dev/app={app}")
        if ids.split():
            _docker(engine, "rm", "--force", *ids.split())
