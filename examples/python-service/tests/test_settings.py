import math

import pytest

from service.settings import DEFAULT_HOST, DEFAULT_PORT, Settings, listen_address


def test_defaults_when_nothing_is_set():
    settings = Settings.from_env({})
    assert settings == Settings(
        app_version="unknown",
        environment="development",
        fault_error_rate=0.0,
        fault_delay_seconds=0.0,
        fault_delay_rate=1.0,
    )
    assert not settings.faults_enabled


def test_reads_every_variable():
    settings = Settings.from_env(
        {
            "APP_VERSION": "2.0.1",
            "ENVIRONMENT": "production",
            "FAULT_ERROR_RATE": "0.25",
            "FAULT_DELAY_SECONDS": "1.5",
            "FAULT_DELAY_RATE": "0.5",
        }
    )
    assert settings.app_version == "2.0.1"
    assert settings.environment == "production"
    assert settings.fault_error_rate == 0.25
    assert settings.fault_delay_seconds == 1.5
    assert settings.fault_delay_rate == 0.5
    assert settings.faults_enabled


def test_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "9.9.9")
    monkeypatch.setenv("FAULT_ERROR_RATE", "1")
    settings = Settings.from_env()
    assert settings.app_version == "9.9.9"
    assert settings.fault_error_rate == 1.0


def test_empty_and_blank_values_mean_unset():
    settings = Settings.from_env(
        {"APP_VERSION": "", "ENVIRONMENT": "  ", "FAULT_ERROR_RATE": "", "FAULT_DELAY_RATE": " "}
    )
    assert settings == Settings()


def test_values_are_stripped():
    settings = Settings.from_env({"APP_VERSION": " 1.0.0\n", "FAULT_ERROR_RATE": " 0.5 "})
    assert settings.app_version == "1.0.0"
    assert settings.fault_error_rate == 0.5


def test_settings_are_frozen():
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.app_version = "changed"  # type: ignore[misc]


def test_delay_rate_defaults_to_every_request_when_a_delay_is_set():
    settings = Settings.from_env({"FAULT_DELAY_SECONDS": "2"})
    assert settings.fault_delay_rate == 1.0
    assert settings.faults_enabled


def test_delay_with_zero_rate_is_no_fault():
    assert not Settings(fault_delay_seconds=2.0, fault_delay_rate=0.0).faults_enabled


@pytest.mark.parametrize("name", ["FAULT_ERROR_RATE", "FAULT_DELAY_SECONDS", "FAULT_DELAY_RATE"])
@pytest.mark.parametrize("value", ["abc", "1,5", "0.5s", "--1"])
def test_bad_float_names_variable_value_and_what_is_valid(name, value):
    with pytest.raises(ValueError, match="is not valid") as caught:
        Settings.from_env({name: value})
    message = str(caught.value)
    assert name in message
    assert repr(value) in message
    assert "expected" in message


@pytest.mark.parametrize("name", ["FAULT_ERROR_RATE", "FAULT_DELAY_RATE"])
@pytest.mark.parametrize("value", ["1.5", "-0.1", "2", "nan", "inf"])
def test_rate_out_of_range(name, value):
    with pytest.raises(
        ValueError, match=rf"^{name}=.* is not valid: expected a number from 0 to 1"
    ):
        Settings.from_env({name: value})


@pytest.mark.parametrize("value", ["-1", "-0.001", "inf", "nan"])
def test_delay_must_be_finite_and_not_negative(value):
    with pytest.raises(
        ValueError, match=r"^FAULT_DELAY_SECONDS=.* expected a number of seconds >= 0"
    ):
        Settings.from_env({"FAULT_DELAY_SECONDS": value})


@pytest.mark.parametrize("value", ["0", "1", "0.0", "1.0", "0.001", "1e-3"])
def test_rate_bounds_are_inclusive(value):
    assert Settings.from_env({"FAULT_ERROR_RATE": value}).fault_error_rate == float(value)


def test_direct_construction_is_validated_too():
    with pytest.raises(ValueError, match=r"FAULT_ERROR_RATE=1\.5"):
        Settings(fault_error_rate=1.5)
    with pytest.raises(ValueError, match=r"FAULT_DELAY_SECONDS=-2\.0"):
        Settings(fault_delay_seconds=-2.0)
    with pytest.raises(ValueError, match="FAULT_DELAY_RATE=nan"):
        Settings(fault_delay_rate=math.nan)


def test_listen_address_defaults():
    assert listen_address({}) == (DEFAULT_HOST, DEFAULT_PORT) == ("127.0.0.1", 8080)


def test_listen_address_from_environment(monkeypatch):
    assert listen_address({"HOST": "0.0.0.0", "PORT": "9000"}) == ("0.0.0.0", 9000)  # noqa: S104
    monkeypatch.setenv("PORT", "8181")
    assert listen_address() == ("127.0.0.1", 8181)


@pytest.mark.parametrize("value", ["http", "80.5", "0", "65536", "-1"])
def test_bad_port(value):
    with pytest.raises(ValueError, match=rf"^PORT='{value}' is not valid: expected an integer"):
        listen_address({"PORT": value})
