"""HAProxy through its runtime API (the stats socket at `level admin`): no reload, no drop."""

from __future__ import annotations

import csv
import socket
from pathlib import Path

from paved.adapters.router.interface import (
    MAX_WEIGHT,
    AdminState,
    Router,
    ServerCounters,
    ServerSlot,
)
from paved.errors import EnvironmentProblemError, UsageError

_TIMEOUT = 5.0
_HINT = (
    "start HAProxy with `stats socket <path> level admin` in its global section "
    "(Debian: apt-get install haproxy), or point --haproxy-socket at it"
)
_MISSING = ("No such backend", "No such server")
_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "other")
_REFUSED = ("Permission denied", "Unknown command", "Require ", "Invalid ")


class HaproxyRuntime(Router):
    """One command per connection on the unix socket (HAProxy's non-interactive mode)."""

    def __init__(self, socket_path: Path | str) -> None:
        self.socket_path = Path(socket_path)

    def command(self, line: str) -> str:
        """Send one runtime API command; return HAProxy's answer."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(_TIMEOUT)
                conn.connect(str(self.socket_path))
                conn.sendall(line.encode() + b"\n")
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
        except OSError as exc:
            msg = f"HAProxy's runtime API at {self.socket_path} is not reachable ({exc})"
            raise EnvironmentProblemError(msg, hint=_HINT) from exc
        answer = b"".join(chunks).decode(errors="replace").strip()
        if answer.startswith(_MISSING):
            raise UsageError(
                f"HAProxy answered {answer!r} to {line!r}",
                name="router-backend",
                valid="a backend (and its server slots) in HAProxy's configuration",
            )
        if answer.startswith(_REFUSED):
            msg = f"HAProxy refused {line!r}: {answer}"
            raise EnvironmentProblemError(msg, hint="the stats socket needs `level admin`")
        return answer

    def _rows(self, backend: str) -> list[dict[str, str]]:
        # Type 4 = servers only; iid -1 = every proxy (filtered here, so a missing backend
        # is reported as one).
        text = self.command("show stat -1 4 -1")
        rows = [
            row
            for row in csv.DictReader(text.lstrip("# ").splitlines())
            if row.get("pxname") == backend
        ]
        if not rows:
            raise UsageError(
                f"HAProxy has no backend {backend!r} with servers",
                name="router-backend",
                valid="a backend with server slots (server-template) in HAProxy's configuration",
            )
        return rows

    def servers(self, backend: str) -> tuple[ServerSlot, ...]:
        slots = []
        for row in self._rows(backend):
            address, _, port = (row.get("addr") or ":0").rpartition(":")
            status = row.get("status", "")
            admin = (
                AdminState.MAINT
                if status.startswith("MAINT")
                else AdminState.DRAIN
                if status.startswith("DRAIN")
                else AdminState.READY
            )
            slots.append(
                ServerSlot(
                    backend=backend,
                    name=row["svname"],
                    address=address,
                    port=int(port or 0),
                    weight=int(row.get("weight") or 0),
                    admin=admin,
                    sessions=int(row.get("scur") or 0),
                )
            )
        return tuple(slots)

    def counters(self, backend: str) -> tuple[ServerCounters, ...]:
        return tuple(
            ServerCounters(
                row["svname"],
                responses=sum(_count(row, f"hrsp_{kind}") for kind in _CLASSES),
                errors=_count(row, "hrsp_5xx"),
            )
            for row in self._rows(backend)
        )

    def set_address(self, backend: str, server: str, address: str, port: int) -> None:
        self.command(f"set server {backend}/{server} addr {address} port {port}")

    def set_weight(self, backend: str, server: str, weight: int) -> None:
        if not 0 <= weight <= MAX_WEIGHT:
            raise UsageError(f"weight {weight}", name="weight", valid=f"0..{MAX_WEIGHT}")
        self.command(f"set weight {backend}/{server} {weight}")

    def set_state(self, backend: str, server: str, state: AdminState) -> None:
        self.command(f"set server {backend}/{server} state {state.value}")


def _count(row: dict[str, str], column: str) -> int:
    text = row.get(column) or "0"
    return int(text) if text.isdigit() else 0
