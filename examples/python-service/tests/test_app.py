import importlib
import logging
import time

import pytest

from service import Settings, create_app
from service.app import DATA_MESSAGE, EXTENSION_KEY


def test_health_payload(client):
    before = int(time.time())
    response = client.get("/health")
    after = int(time.time())
    assert response.status_code == 200
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"status", "timestamp", "version"}
    assert body["status"] == "healthy"
    assert body["version"] == "1.2.3"
    assert isinstance(body["timestamp"], int)
    assert before <= body["timestamp"] <= after


def test_data_payload(client):
    response = client.get("/api/data")
    assert response.status_code == 200
    assert response.get_json() == {
        "message": DATA_MESSAGE,
        "environment": "test",
        "version": "1.2.3",
    }
    assert DATA_MESSAGE == "Hello from TechCorp API"


def test_version_and_environment_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "4.5.6")
    monkeypatch.setenv("ENVIRONMENT", "staging")
    client = create_app().test_client()
    assert client.get("/health").get_json()["version"] == "4.5.6"
    assert client.get("/api/data").get_json() == {
        "message": DATA_MESSAGE,
        "environment": "staging",
        "version": "4.5.6",
    }


def test_defaults_without_environment():
    client = create_app().test_client()
    assert client.get("/health").get_json()["version"] == "unknown"
    data = client.get("/api/data").get_json()
    assert data["environment"] == "development"
    assert data["version"] == "unknown"


def test_invalid_environment_stops_the_factory(monkeypatch):
    monkeypatch.setenv("FAULT_ERROR_RATE", "lots")
    with pytest.raises(ValueError, match="FAULT_ERROR_RATE='lots'"):
        create_app()


def test_factory_keeps_its_state_on_the_app(make_app):
    app = make_app(app_version="7")
    state = app.extensions[EXTENSION_KEY]
    assert state.settings.app_version == "7"
    assert state.metrics.registry is not make_app().extensions[EXTENSION_KEY].metrics.registry


def statuses(client, path, count):
    return [client.get(path).status_code for _ in range(count)]


@pytest.mark.parametrize(
    ("rate", "pattern"),
    [
        (0.0, [200, 200, 200, 200]),
        (0.25, [200, 200, 200, 500]),
        (0.5, [200, 500, 200, 500]),
        (1.0, [500, 500, 500, 500]),
    ],
)
def test_error_rate_over_4_requests(make_app, rate, pattern):
    client = make_app(fault_error_rate=rate).test_client()
    assert statuses(client, "/api/data", 4) == pattern


@pytest.mark.parametrize(
    ("rate", "errors"), [(0.0, 0), (0.01, 1), (0.1, 10), (0.25, 25), (0.9, 90), (1.0, 100)]
)
def test_error_rate_over_100_requests(make_app, rate, errors):
    client = make_app(fault_error_rate=rate).test_client()
    assert statuses(client, "/api/data", 100).count(500) == errors


def test_injected_error_has_a_json_body(make_app):
    client = make_app(fault_error_rate=1.0).test_client()
    response = client.get("/api/data")
    assert response.status_code == 500
    assert response.is_json
    assert response.get_json() == {"error": "injected fault", "detail": "FAULT_ERROR_RATE=1.0"}


def test_health_is_never_faulted(make_app, sleeps):
    client = make_app(
        fault_error_rate=1.0, fault_delay_seconds=5.0, fault_delay_rate=1.0
    ).test_client()
    assert statuses(client, "/health", 20) == [200] * 20
    assert sleeps == []


def test_health_does_not_use_up_the_fault_spread(make_app):
    client = make_app(fault_error_rate=0.25).test_client()
    statuses(client, "/health", 3)
    assert statuses(client, "/api/data", 4) == [200, 200, 200, 500]


def test_delay_goes_through_the_injected_sleep(make_app, sleeps):
    client = make_app(fault_delay_seconds=2.5, fault_delay_rate=0.25).test_client()
    assert statuses(client, "/api/data", 100) == [200] * 100
    assert sleeps == [2.5] * 25


def test_delay_from_environment_applies_to_every_request(monkeypatch):
    monkeypatch.setenv("FAULT_DELAY_SECONDS", "0.75")
    slept = []
    client = create_app(sleep=slept.append).test_client()
    statuses(client, "/api/data", 3)
    assert slept == [0.75] * 3


def test_enabled_faults_are_logged(make_app, caplog):
    with caplog.at_level(logging.WARNING):
        make_app(fault_error_rate=0.1)
    assert "fault injection enabled" in caplog.text


def test_no_fault_warning_without_faults(make_app, caplog):
    with caplog.at_level(logging.WARNING):
        make_app()
    assert "fault injection" not in caplog.text


def test_apps_do_not_share_fault_state(make_app):
    first = make_app(fault_error_rate=0.5).test_client()
    second = make_app(fault_error_rate=0.5).test_client()
    assert statuses(first, "/api/data", 1) == [200]
    assert statuses(second, "/api/data", 1) == [200]


def test_unknown_path_is_a_json_404(client):
    response = client.get("/no/such/path")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Not Found", "status": 404}


def test_wrong_method_is_a_json_405_with_allow(client):
    response = client.post("/api/data")
    assert response.status_code == 405
    assert response.get_json() == {"error": "Method Not Allowed", "status": 405}
    assert "GET" in response.headers["Allow"]


def test_unhandled_exception_is_a_json_500(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("bug")

    app.logger.disabled = True
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": "Internal Server Error", "status": 500}


def test_wsgi_module_exposes_an_app(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "wsgi-test")
    # Reloaded so the module-level app is built under this test's environment.
    module = importlib.reload(importlib.import_module("wsgi"))
    assert module.app.test_client().get("/health").get_json()["version"] == "wsgi-test"


def test_settings_are_importable_from_the_package():
    assert Settings().app_version == "unknown"
