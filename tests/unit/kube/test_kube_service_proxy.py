"""The service proxy's URL and how the API server's own answers are told from the app's."""

from __future__ import annotations

import json

import pytest
from paved.adapters.http.interface import HttpResponse
from paved.adapters.kube.interface import AccessDeniedError
from paved.adapters.kube.proxy import ServicePort, read_answer
from paved.adapters.smoke.interface import judge, parse_smoke_check
from paved.errors import EnvironmentProblemError

CANARY = ServicePort("shop-prod", "shop-canary", 80)
URL = "https://10.0.0.1:6443/api/v1/namespaces/shop-prod/services/shop-canary:80/proxy/health"


def status_object(code: int, reason: str, message: str) -> bytes:
    """A v1 Status as kube-apiserver writes it for its own errors."""
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure"}
    return json.dumps({**body, "message": message, "reason": reason, "code": code}).encode()


def answer(status: int, body: bytes) -> HttpResponse:
    return read_answer(CANARY, HttpResponse(URL, status, body, 0.01))


def test_the_proxy_path_names_namespace_service_and_port():
    assert CANARY.path == "/api/v1/namespaces/shop-prod/services/shop-canary:80/proxy"
    assert CANARY.base("https://10.0.0.1:6443/") == URL.removesuffix("/health")
    named = ServicePort("default", "web", "http")
    assert named.path == "/api/v1/namespaces/default/services/web:http/proxy"


def test_the_apps_own_answers_pass_through_as_they_are():
    ok = HttpResponse(URL, 200, b'{"status": "healthy"}', 0.01)
    assert read_answer(CANARY, ok) is ok
    # The app's own 500 and 503 (JSON, but not a v1 Status) are what the check judges.
    for status in (500, 503):
        failing = HttpResponse(URL, status, b'{"error": "injected"}', 0.01)
        assert read_answer(CANARY, failing) is failing
    verdict = judge(parse_smoke_check("/health"), answer(500, b'{"error": "injected"}'))
    assert (verdict.ok, verdict.got) == (False, "status 500")


def test_no_ready_endpoints_reads_as_the_tracks_service_having_none():
    body = status_object(
        503, "ServiceUnavailable", 'no endpoints available for service "shop-canary:80"'
    )
    response = answer(503, body)
    assert response.status is None
    assert response.error.startswith("the track's Service shop-canary has no ready endpoints")
    verdict = judge(parse_smoke_check("/health"), response)
    assert verdict.expected == "status 200"
    assert verdict.got.startswith("the track's Service shop-canary has no ready endpoints")


def test_a_pod_the_api_server_cannot_reach_is_no_answer():
    message = "error trying to reach service: dial tcp 172.18.0.5:8080: connect: connection refused"
    response = answer(503, status_object(503, "ServiceUnavailable", message))
    assert response.status is None
    assert (
        response.error
        == f"the API server could not reach the Service shop-canary's pods ({message})"
    )


def test_a_missing_service_is_no_answer():
    response = answer(404, status_object(404, "NotFound", 'services "shop-canary" not found'))
    assert (response.status, response.error) == (
        None,
        'the Service shop-canary is not there (services "shop-canary" not found)',
    )


def test_rbac_refusal_names_the_verb_and_resource_the_token_lacks():
    message = (
        'services "shop-canary:80" is forbidden: User "system:serviceaccount:shop-prod:deployer" '
        'cannot get resource "services/proxy" in API group "" in the namespace "shop-prod"'
    )
    with pytest.raises(AccessDeniedError) as caught:
        answer(403, status_object(403, "Forbidden", message))
    assert str(caught.value).startswith(
        "the Kubernetes token may not get services/proxy in namespace shop-prod"
    )
    assert caught.value.exit_code == 3
    with pytest.raises(EnvironmentProblemError, match="did not accept the credentials"):
        answer(401, status_object(401, "Unauthorized", "Unauthorized"))


def test_the_apps_own_403_is_judged_like_any_status():
    mine = HttpResponse(URL, 403, b"<h1>forbidden by the app</h1>", 0.01)
    assert read_answer(CANARY, mine) is mine
