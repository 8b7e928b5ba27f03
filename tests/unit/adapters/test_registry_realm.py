"""Where a registry's 401 may send paved's credentials (the realm of its bearer challenge)."""

from __future__ import annotations

import pytest
from paved.adapters.registry.distribution import default_scheme, realm_problem


@pytest.mark.parametrize(
    ("registry", "realm"),
    [
        ("ghcr.io", "https://ghcr.io/token"),
        ("registry-1.docker.io", "https://auth.docker.io/token"),
        ("127.0.0.1:5000", "http://127.0.0.1:5001/auth"),
        ("localhost:5000", "http://localhost:5000/token"),
        ("[::1]:5000", "http://[::1]:5001/token"),
        ("registry.example.com:443", "https://auth.example.com/token"),
    ],
)
def test_the_registrys_own_domain_over_https_or_loopback_gets_the_login(registry, realm):
    assert realm_problem(registry, realm) is None


@pytest.mark.parametrize(
    ("registry", "realm", "why"),
    [
        ("ghcr.io", "https://collector.example.net/token", "not on the domain"),
        ("ghcr.io", "http://ghcr.io/token", "not https"),
        ("registry.example.com", "ftp://registry.example.com/t", "not an http(s) URL"),
        ("127.0.0.1:5000", "https://example.com/token", "not on the domain"),
        ("registry.example.com", "token", "not an http(s) URL"),
    ],
)
def test_any_other_token_service_never_sees_the_password(registry, realm, why):
    assert why in (realm_problem(registry, realm) or "")


def test_plain_http_only_for_a_loopback_registry():
    assert [default_scheme(r) for r in ("127.0.0.1:5000", "localhost", "[::1]:5000")] == [
        "http"
    ] * 3
    assert default_scheme("ghcr.io") == default_scheme("10.0.0.1:5000") == "https"


def test_a_shared_public_suffix_is_not_the_same_domain():
    assert "not on the domain" in (
        realm_problem("registry.example.co.uk", "https://auth.evil.co.uk/token") or ""
    )
    assert realm_problem("registry.example.co.uk", "https://auth.example.co.uk/token") is None
