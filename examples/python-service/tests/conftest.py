from collections.abc import Callable

import pytest
from flask import Flask

from service import Settings, create_app

# Settings a test did not ask for must not leak in from the developer's or CI's shell.
SERVICE_VARIABLES = (
    "APP_VERSION",
    "ENVIRONMENT",
    "FAULT_ERROR_RATE",
    "FAULT_DELAY_SECONDS",
    "FAULT_DELAY_RATE",
    "HOST",
    "PORT",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in SERVICE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sleeps() -> list[float]:
    """Delays the app asked for; filled by the fake sleep that make_app installs."""
    return []


@pytest.fixture
def make_app(sleeps) -> Callable[..., Flask]:
    def make(**settings: object) -> Flask:
        return create_app(Settings(**settings), sleep=sleeps.append)

    return make


@pytest.fixture
def client(make_app):
    return make_app(app_version="1.2.3", environment="test").test_client()
