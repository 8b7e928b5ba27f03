import pytest

import service.__main__ as entry


@pytest.fixture
def calls(monkeypatch):
    recorded = []

    def fake(name):
        return lambda app, host, port: recorded.append((name, app, host, port))

    monkeypatch.setattr(entry, "run_gunicorn", fake("gunicorn"))
    monkeypatch.setattr(entry, "run_flask", fake("flask"))
    return recorded


def test_main_prefers_gunicorn(calls):
    entry.main({"PORT": "9090", "APP_VERSION": "3.0"})
    [(runner, app, host, port)] = calls
    assert (runner, host, port) == ("gunicorn", "127.0.0.1", 9090)
    assert app.test_client().get("/health").get_json()["version"] == "3.0"


def test_main_falls_back_to_flask_without_gunicorn(calls, monkeypatch):
    monkeypatch.setattr(entry, "gunicorn_available", lambda: False)
    entry.main({"HOST": "::1"})
    [(runner, _, host, port)] = calls
    assert (runner, host, port) == ("flask", "::1", 8080)


def test_main_reads_os_environ_by_default(calls, monkeypatch):
    monkeypatch.setenv("PORT", "7070")
    entry.main()
    assert calls[0][3] == 7070


@pytest.mark.parametrize(
    ("environ", "message"),
    [({"PORT": "eighty"}, "PORT='eighty'"), ({"FAULT_DELAY_SECONDS": "-3"}, "FAULT_DELAY_SECONDS")],
)
def test_main_refuses_bad_configuration_before_serving(calls, environ, message):
    with pytest.raises(ValueError, match=message):
        entry.main(environ)
    assert calls == []


def test_gunicorn_is_available_here():
    assert entry.gunicorn_available()


def test_gunicorn_server_is_configured_in_code(make_app):
    app = make_app()
    server = entry.gunicorn_server(app, "127.0.0.1", 8181)
    assert server.cfg.bind == ["127.0.0.1:8181"]
    assert server.cfg.workers == entry.GUNICORN_WORKERS == 1
    assert server.cfg.threads == entry.GUNICORN_THREADS
    assert server.cfg.control_socket_disable is True
    assert server.load() is app


def test_run_gunicorn_runs_the_configured_server(make_app, monkeypatch):
    ran = []

    class FakeServer:
        def run(self):
            ran.append(True)

    monkeypatch.setattr(entry, "gunicorn_server", lambda app, host, port: FakeServer())
    entry.run_gunicorn(make_app(), "127.0.0.1", 8080)
    assert ran == [True]


def test_run_flask_uses_the_builtin_server(make_app, monkeypatch):
    app = make_app()
    seen = {}
    monkeypatch.setattr(app, "run", lambda **kwargs: seen.update(kwargs))
    entry.run_flask(app, "127.0.0.1", 8082)
    assert seen == {"host": "127.0.0.1", "port": 8082}
