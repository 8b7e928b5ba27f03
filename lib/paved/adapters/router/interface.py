"""A load balancer in front of an app's instances: server slots with weights and states.

The Docker-host target moves traffic only through this interface. HAProxy's runtime API is
the one backend (`haproxy.py`): no reload, so no connection is dropped by a change. Backends
raise EnvironmentProblemError when the router cannot be reached (exit 3), UsageError when a
backend or server named by the user does not exist.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum

MAX_WEIGHT = 256
"""HAProxy's largest server weight; weights are integers 0..MAX_WEIGHT."""


class AdminState(StrEnum):
    """What the operator asks of a server."""

    READY = "ready"
    """Takes new requests by its weight."""
    DRAIN = "drain"
    """Finishes what it has and takes no new requests."""
    MAINT = "maint"
    """Out of service: a free slot."""


@dataclass(frozen=True)
class ServerSlot:
    """One server line of a router backend, as the router reports it now."""

    backend: str
    name: str
    address: str
    port: int
    weight: int
    admin: AdminState
    sessions: int
    """Requests (sessions) it is serving now."""


@dataclass(frozen=True)
class ServerCounters:
    """A server slot's cumulative HTTP answer counters since the router started (they only
    grow; a window's figures are the difference of two readings)."""

    name: str
    responses: int
    """HTTP answers of every class the server gave."""
    errors: int
    """Of them, 5xx answers (the server's own, and HAProxy's when the server failed)."""


class Router(ABC):
    """Changes where a backend's requests go, at run time."""

    @abstractmethod
    def servers(self, backend: str) -> tuple[ServerSlot, ...]:
        """Every server slot of `backend`, in configuration order."""

    @abstractmethod
    def set_address(self, backend: str, server: str, address: str, port: int) -> None:
        """Point a slot at address:port."""

    @abstractmethod
    def set_weight(self, backend: str, server: str, weight: int) -> None:
        """Set a slot's weight (0..MAX_WEIGHT); the very next request follows it."""

    @abstractmethod
    def set_state(self, backend: str, server: str, state: AdminState) -> None:
        """Put a slot in service, drain it, or take it out."""

    @abstractmethod
    def counters(self, backend: str) -> tuple[ServerCounters, ...]:
        """Every server slot's answer counters, read now (the router's own, no scrape)."""
