"""The API server's error answers, turned into paved's error tree (no I/O; unit-tested)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from paved.adapters.kube.interface import (
    AccessDeniedError,
    AlreadyExistsError,
    ConflictError,
    ObjectNotFoundError,
    ObjectRef,
    ObjectRejectedError,
)
from paved.errors import EnvironmentProblemError, PavedError

UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
CONFLICT = 409
INVALID = 422
VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}


@dataclass(frozen=True)
class Request:
    """What paved asked, so an error can say so."""

    method: str
    ref: ObjectRef
    resource: str
    """plural.group, e.g. deployments.apps; httproutes.gateway.networking.k8s.io."""
    collection: bool = False

    @property
    def verb(self) -> str:
        """The RBAC verb this request needs."""
        if self.method == "GET":
            return "list" if self.collection else "get"
        return VERBS.get(self.method, self.method.lower())


def error_for(request: Request, status: int, body: bytes) -> PavedError:
    """The paved error for a non-2xx answer; `body` is the server's Status object."""
    answer = _status_object(body)
    message = str(answer.get("message") or body[:300].decode(errors="replace"))
    if status == UNAUTHORIZED:
        return EnvironmentProblemError(
            f"the Kubernetes API server did not accept the credentials ({message})",
            hint="check the kubeconfig's user or the token",
        )
    if status == FORBIDDEN:
        return AccessDeniedError(request.verb, request.resource, request.ref.namespace, message)
    if status == NOT_FOUND:
        return ObjectNotFoundError(request.ref)
    if status in {CONFLICT, INVALID}:
        return _refusal(request, status, answer, message)
    return EnvironmentProblemError(
        f"the Kubernetes API server answered {status} to {request.verb} {request.ref}: {message}"
    )


def _refusal(request: Request, status: int, answer: dict[str, Any], message: str) -> PavedError:
    """409 (someone else changed or owns it) and 422 (the object is invalid)."""
    if status == CONFLICT:
        if answer.get("reason") == "AlreadyExists":
            return AlreadyExistsError(f"{request.ref} exists already")
        if message.startswith("Apply failed"):
            return ConflictError(f"{request.ref} has fields another manager owns: {message}")
        return ConflictError(f"{request.ref} changed while paved updated it: {message}")
    causes = tuple(
        f"{cause.get('field', '')}: {cause.get('message', '')}".lstrip(": ")
        for cause in (answer.get("details") or {}).get("causes") or []
    )
    return ObjectRejectedError(request.ref, causes, message)


def _status_object(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
