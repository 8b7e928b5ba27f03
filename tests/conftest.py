"""Fixtures for the real components every tier shares (started once per test session)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from components import base_image, docker_engine, example_service, prometheus, registry
from components.errors import ComponentError


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
