"""Fixtures for the real components every tier shares (started once per test session)."""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from components import base_image, docker_engine, example_service, kube_build, prometheus, registry
from components import kubernetes as control_plane
from components.docker_host_app import app_on_docker_host
from components.errors import ComponentError
from components.service_versions import ServiceImages, build_versions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def engine():
    """A private Docker engine on its own socket; fails with what to install if it cannot start."""
    try:
        with docker_engine.running_engine() as running:
            yield running
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def local_registry():
    """A private OCI registry on 127.0.0.1."""
    try:
        with registry.running_registry() as running:
            yield running
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def base(engine):
    """The offline base image (debootstrap bookworm + python3), in the engine."""
    try:
        return base_image.ensure_base_image(engine)
    except ComponentError as exc:
        pytest.fail(str(exc))


KUBE_FIXTURES = {"kube_cluster", "kube_harness", "kube_pods_run"}


def pytest_collection_modifyitems(session, config, items):
    """Start the one-time Kubernetes build at once, so it overlaps the tests that run first."""
    wanted = any(KUBE_FIXTURES & set(getattr(item, "fixturenames", ())) for item in items)
    if wanted and not control_plane.uses_kind() and not kube_build.is_built():
        # The fixture's own server_binaries() call waits on the same build lock.
        threading.Thread(target=_build_quietly, name="kube-build", daemon=True).start()


def _build_quietly():
    # A failure here is reported by the fixture, which calls it again.
    with contextlib.suppress(ComponentError):
        kube_build.server_binaries()


@pytest.fixture(scope="session")
def kube_harness():
    """A Kubernetes API server with the HTTPRoute and Istio CRDs and an emulated node:
    (the cluster, its pod emulator).

    Fails with what to install if it cannot start (etcd-server, golang-go for the first build).
    """
    from components import kube_crds  # noqa: PLC0415 - needs the kubernetes client
    from components.kube_nodes import PodEmulator  # noqa: PLC0415
    from kubernetes import config  # noqa: PLC0415

    try:
        with control_plane.running_cluster() as cluster:
            api = config.new_client_from_config(config_file=str(cluster.kubeconfig))
            kube_crds.install(api, strip=cluster.provider == "source")
            emulator = PodEmulator(api, bind_all=cluster.provider == "source")
            emulator.start()
            try:
                yield cluster, emulator
            finally:
                emulator.stop()
                api.close()
            if emulator.errors:  # a harness fault must not pass for a product result
                pytest.fail(
                    f"the pod emulator met {len(emulator.errors)} errors: {emulator.errors[:3]}"
                )
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def kube_cluster(kube_harness):
    """The harness's cluster (pods get readiness; their containers do not run)."""
    return kube_harness[0]


@pytest.fixture(scope="session")
def kube_pods_run(kube_harness, engine):
    """The harness's cluster, where pods annotated test.paved.dev/container=docker run their
    container on the test Docker engine, at the pod IP the cluster's Endpoints list."""
    cluster, emulator = kube_harness
    emulator.attach_engine(engine)
    return cluster


@pytest.fixture(scope="session")
def prometheus_server():
    """Debian's Prometheus on 127.0.0.1, scraping its file_sd targets every second."""
    try:
        with prometheus.running_prometheus() as running:
            yield running
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def prometheus_running(prometheus_server):
    """The session's Prometheus, started again if an earlier test stopped it."""
    try:
        prometheus_server.start()
    except ComponentError as exc:
        pytest.fail(str(exc))
    return prometheus_server


@pytest.fixture(scope="session")
def service_python():
    """The python of a venv with the example service's requirements (made once, cached)."""
    try:
        return example_service.service_python()
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def service_images(engine, local_registry, base, tmp_path_factory) -> ServiceImages:
    """The example service in four versions, pushed to the local registry, by digest."""
    try:
        return build_versions(
            engine,
            local_registry,
            ROOT / "examples" / "python-service",
            tmp_path_factory.mktemp("deploy-images"),
        )
    except ComponentError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def docker_host(engine, service_images):
    """A fresh app name and HAProxy per test (the Docker-host target's place for it)."""
    del service_images  # built first, so a test's images exist
    try:
        with app_on_docker_host(engine) as host:
            yield host
    except ComponentError as exc:
        pytest.fail(str(exc))
