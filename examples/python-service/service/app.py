"""The Flask application factory."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, Response, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from service.faults import FaultInjector, Sleep
from service.metrics import METRICS_PATH, Metrics
from service.settings import Settings

EXTENSION_KEY = "service"
DATA_MESSAGE = "Hello from TechCorp API"


@dataclass(frozen=True)
class ServiceState:
    """Everything one app instance owns; kept on app.extensions so tests can reach it."""

    settings: Settings
    metrics: Metrics
    faults: FaultInjector


def create_app(settings: Settings | None = None, *, sleep: Sleep = time.sleep) -> Flask:
    """Build a new, independent app.

    Settings come from the environment unless given. `sleep` is what injected delays
    call, replaceable so tests do not wait.
    """
    settings = Settings.from_env() if settings is None else settings
    app = Flask(__name__)
    state = ServiceState(
        settings=settings,
        metrics=Metrics(settings),
        faults=FaultInjector.from_settings(settings, sleep=sleep),
    )
    app.extensions[EXTENSION_KEY] = state
    state.metrics.instrument(app)

    if settings.faults_enabled:
        # Loud on purpose: a faulted build must never be mistaken for a healthy one.
        app.logger.warning(
            "fault injection enabled on /api/data: error rate %s, delay %ss at rate %s",
            settings.fault_error_rate,
            settings.fault_delay_seconds,
            settings.fault_delay_rate,
        )

    @app.get("/health")
    def health() -> ResponseReturnValue:
        # Never faulted: readiness must stay a separate signal from the error rate,
        # otherwise the orchestrator would pull a canary before its errors are measured.
        return jsonify(
            status="healthy",
            timestamp=int(time.time()),
            version=settings.app_version,
        )

    @app.get("/api/data")
    def data() -> ResponseReturnValue:
        if state.faults.apply():
            return jsonify(
                error="injected fault",
                detail=f"FAULT_ERROR_RATE={settings.fault_error_rate}",
            ), 500
        return jsonify(
            message=DATA_MESSAGE,
            environment=settings.environment,
            version=settings.app_version,
        )

    @app.get(METRICS_PATH)
    def metrics() -> Response:
        return state.metrics.exposition()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        # JSON for every error (404, 405, 500...), keeping headers such as Allow.
        response = error.get_response()
        response.set_data(jsonify(error=error.name, status=error.code).get_data())
        response.content_type = "application/json"
        return response

    return app
