"""The API server's service proxy, as smoke checks use it from outside the cluster (no I/O).

`GET /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}` reaches one of the Service's
ready endpoints with the caller's own credentials, so a runner that cannot resolve
`<svc>.<ns>.svc` still checks the track it deploys. The app's answers pass through as they
are; the API server's own answers (no ready endpoint, a pod it cannot reach, RBAC) come back as
a v1 Status object, which `read_answer` tells apart from the app's and words.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from paved.adapters.http.interface import HttpResponse
from paved.adapters.kube.interface import AccessDeniedError
from paved.errors import EnvironmentProblemError

PROXY_VERB = "get"
PROXY_RESOURCE = "services/proxy"
"""What RBAC must grant for a smoke check through the proxy."""
_UNAUTHORIZED = 401
_FORBIDDEN = 403
_NOT_FOUND = 404
_UNAVAILABLE = 503
_PROXY_FAILURES = {500, 502, 503, 504}
"""Statuses the API server answers itself when it cannot reach the Service's pods."""


@dataclass(frozen=True)
class ServicePort:
    """One port of one Service, as the proxy path names it."""

    namespace: str
    service: str
    port: int | str
    """The Service's port number or name."""

    @property
    def path(self) -> str:
        """The proxy's resource path, without a trailing slash."""
        quote = urllib.parse.quote
        name = f"{quote(self.service, safe='')}:{quote(str(self.port), safe='')}"
        return f"/api/v1/namespaces/{quote(self.namespace, safe='')}/services/{name}/proxy"

    def base(self, server: str) -> str:
        """The proxy's URL on the API server `server` (https://host:port)."""
        return server.rstrip("/") + self.path


def _api_status(body: bytes) -> dict[str, Any] | None:
    """The v1 Status object the API server answered with, or None for the app's own body."""
    try:
        answer = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    if (
        isinstance(answer, dict)
        and answer.get("kind") == "Status"
        and answer.get("apiVersion") == "v1"
    ):
        return answer
    return None


def read_answer(target: ServicePort, response: HttpResponse) -> HttpResponse:
    """The app's answer as it is; the API server's own as a response without a status (the
    app was not reached) and words saying why. RBAC's 403 and 401 raise: no check can pass
    with those credentials, and the user must fix them."""
    if response.status is None or response.status < 400:  # noqa: PLR2004 - errors only
        return response
    answer = _api_status(response.body)
    if answer is None:
        return response
    message = str(answer.get("message") or answer.get("reason") or "")
    if response.status == _FORBIDDEN:
        raise AccessDeniedError(PROXY_VERB, PROXY_RESOURCE, target.namespace, message)
    if response.status == _UNAUTHORIZED:
        raise EnvironmentProblemError(
            f"the Kubernetes API server did not accept the credentials ({message})",
            hint="check the kubeconfig's user or the token",
        )
    if response.status == _UNAVAILABLE and "no endpoints available" in message:
        error = f"the track's Service {target.service} has no ready endpoints ({message})"
    elif response.status == _NOT_FOUND and answer.get("reason") == "NotFound":
        error = f"the Service {target.service} is not there ({message})"
    elif response.status in _PROXY_FAILURES:
        error = f"the API server could not reach the Service {target.service}'s pods ({message})"
    else:
        return response
    return HttpResponse(response.url, None, b"", response.seconds, error=error)
