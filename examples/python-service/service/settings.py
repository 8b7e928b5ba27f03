"""Configuration read from the environment once, at start-up.

Every invalid value fails fast with a ValueError that names the variable, the value given
and what would have been accepted, so a bad deployment dies at boot instead of serving
half-configured.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_VERSION = "unknown"
DEFAULT_ENVIRONMENT = "development"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MAX_PORT = 65535

_RATE_RANGE = "a number from 0 to 1 (e.g. 0.25)"
_SECONDS_RANGE = "a number of seconds >= 0 (e.g. 1.5)"
_PORT_RANGE = "an integer from 1 to 65535"


def _invalid(name: str, value: object, expected: str) -> ValueError:
    return ValueError(f"{name}={value!r} is not valid: expected {expected}")


def _text(environ: Mapping[str, str], name: str, default: str) -> str:
    # Empty counts as unset: orchestrators often template a variable to "".
    value = environ.get(name, "").strip()
    return value or default


def _float(environ: Mapping[str, str], name: str, default: float, expected: str) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise _invalid(name, raw, expected) from None


def _check_rate(name: str, value: float) -> None:
    # NaN fails both comparisons, so it is rejected here too.
    if not 0.0 <= value <= 1.0:
        raise _invalid(name, value, _RATE_RANGE)


@dataclass(frozen=True)
class Settings:
    """What the service needs to know about its deployment.

    The fault fields exist so canary and rollback experiments can make a build bad on
    purpose; all of them default to "no fault".
    """

    app_version: str = DEFAULT_VERSION
    environment: str = DEFAULT_ENVIRONMENT
    fault_error_rate: float = 0.0
    fault_delay_seconds: float = 0.0
    fault_delay_rate: float = 1.0

    def __post_init__(self) -> None:
        # Validated here, not only in from_env, so Settings built in code are checked too.
        _check_rate("FAULT_ERROR_RATE", self.fault_error_rate)
        _check_rate("FAULT_DELAY_RATE", self.fault_delay_rate)
        if not (math.isfinite(self.fault_delay_seconds) and self.fault_delay_seconds >= 0):
            raise _invalid("FAULT_DELAY_SECONDS", self.fault_delay_seconds, _SECONDS_RANGE)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (os.environ unless given)."""
        env = os.environ if environ is None else environ
        return cls(
            app_version=_text(env, "APP_VERSION", DEFAULT_VERSION),
            environment=_text(env, "ENVIRONMENT", DEFAULT_ENVIRONMENT),
            fault_error_rate=_float(env, "FAULT_ERROR_RATE", 0.0, _RATE_RANGE),
            fault_delay_seconds=_float(env, "FAULT_DELAY_SECONDS", 0.0, _SECONDS_RANGE),
            fault_delay_rate=_float(env, "FAULT_DELAY_RATE", 1.0, _RATE_RANGE),
        )

    @property
    def faults_enabled(self) -> bool:
        """True when any request may be failed or delayed on purpose."""
        return self.fault_error_rate > 0 or (
            self.fault_delay_seconds > 0 and self.fault_delay_rate > 0
        )


def listen_address(environ: Mapping[str, str] | None = None) -> tuple[str, int]:
    """Host and port to serve on, from HOST and PORT.

    The default host is loopback so a developer's run is not exposed; containers set
    HOST=0.0.0.0 explicitly.
    """
    env = os.environ if environ is None else environ
    host = _text(env, "HOST", DEFAULT_HOST)
    raw_port = env.get("PORT", "").strip()
    if not raw_port:
        return host, DEFAULT_PORT
    try:
        port = int(raw_port)
    except ValueError:
        raise _invalid("PORT", raw_port, _PORT_RANGE) from None
    if not 1 <= port <= MAX_PORT:
        raise _invalid("PORT", raw_port, _PORT_RANGE)
    return host, port
