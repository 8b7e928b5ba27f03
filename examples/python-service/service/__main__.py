"""`python -m service`: serve on $HOST:$PORT, with gunicorn when it is installed."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import TYPE_CHECKING

from flask import Flask

from service.app import create_app
from service.settings import Settings, listen_address

if TYPE_CHECKING:
    from gunicorn.app.base import BaseApplication

# One process, so metrics and the deterministic fault spread cover all traffic; threads
# give it concurrency (injected delays must not stall every other request).
GUNICORN_WORKERS = 1
GUNICORN_THREADS = 4


def gunicorn_available() -> bool:
    return importlib.util.find_spec("gunicorn") is not None


def gunicorn_server(app: Flask, host: str, port: int) -> BaseApplication:
    """A gunicorn server for `app`, configured in code so no gunicorn CLI is needed."""
    # Imported here because gunicorn is optional (and unavailable on Windows).
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", GUNICORN_WORKERS)
            self.cfg.set("threads", GUNICORN_THREADS)
            self.cfg.set("accesslog", "-")
            # The control socket lets an operator change the worker count, which must stay
            # 1, and it writes under $HOME, which a read-only container may not allow.
            self.cfg.set("control_socket_disable", True)

        def load(self) -> Flask:
            return app

    return _Server()


def run_gunicorn(app: Flask, host: str, port: int) -> None:
    gunicorn_server(app, host, port).run()


def run_flask(app: Flask, host: str, port: int) -> None:
    app.run(host=host, port=port)


def main(environ: Mapping[str, str] | None = None) -> None:
    # Both are validated before anything binds, so a bad value stops the start at once.
    host, port = listen_address(environ)
    app = create_app(Settings.from_env(environ))
    runner = run_gunicorn if gunicorn_available() else run_flask
    runner(app, host, port)


if __name__ == "__main__":
    main()
