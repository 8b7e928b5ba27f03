"""An OCI distribution API client over HTTP(S), with basic and bearer-token authentication."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests

from paved import log
from paved.adapters.registry.interface import MANIFEST_TYPES, Manifest, Registry
from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

_TIMEOUT = 30
_CHALLENGE_PARAM = re.compile(r'(\w+)="([^"]*)"')
_OK = 200
_CREATED = 201
_UNAUTHORIZED = 401
_NOT_FOUND = 404


def default_scheme(registry: str) -> str:
    """http for a loopback registry (as the Docker engine allows), https for anything else."""
    return "http" if _is_loopback(_host(registry)) else "https"


def _host(netloc: str) -> str:
    """The host of host[:port] (IPv6 in brackets kept whole)."""
    if netloc.startswith("["):
        return netloc[1:].split("]", 1)[0]
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _same_site(realm_host: str, registry_host: str) -> bool:
    """The realm is the registry's host, or a host under the domain the registry lives in.

    registry-1.docker.io lives in docker.io, so auth.docker.io qualifies; ghcr.io lives in a
    top-level domain, so only ghcr.io itself does.
    """
    if realm_host == registry_host:
        return True
    parent = registry_host.split(".", 1)[1] if registry_host.count(".") >= 2 else ""  # noqa: PLR2004
    return bool(parent) and not _is_loopback(registry_host) and realm_host.endswith("." + parent)


def realm_problem(registry: str, realm: str) -> str | None:
    """Why credentials must not go to this token service, or None when they may.

    The realm comes from the registry's 401 answer, so a hostile or mistaken registry could
    name any URL: the password goes only over https (loopback excepted) and only to the
    registry's own domain (Docker Hub's auth.docker.io serves registry-1.docker.io).
    """
    url = urlsplit(realm)
    host = (url.hostname or "").lower()
    registry_host = _host(registry).lower()
    if url.scheme not in {"https", "http"} or not host:
        return f"the token service {realm!r} is not an http(s) URL"
    if url.scheme != "https" and not _is_loopback(host):
        return f"the token service {realm} is not https, so the password would travel in clear"
    if not _same_site(host, registry_host) and not (
        _is_loopback(host) and _is_loopback(registry_host)
    ):
        return f"the token service {realm} is not on the domain of the registry {registry}"
    return None


class DistributionRegistry(Registry):
    """Talks to `registry` (host[:port]); credentials are used only when it asks for them."""

    def __init__(
        self,
        registry: str,
        *,
        username: str | None = None,
        password: str | None = None,
        scheme: str | None = None,
    ) -> None:
        self.registry = registry
        self.base = f"{scheme or default_scheme(registry)}://{registry}"
        self._auth: tuple[str, str] | None = (username, password) if username and password else None
        self._session = requests.Session()
        self._session.headers["User-Agent"] = "paved-container-build"
        self._tokens: dict[str, str] = {}

    def ping(self) -> None:
        self._request("GET", "/v2/", scope="")

    def manifest(self, repository: str, reference: str) -> Manifest | None:
        response = self._request(
            "GET",
            f"/v2/{repository}/manifests/{reference}",
            scope=f"repository:{repository}:pull",
            headers={"Accept": ", ".join(MANIFEST_TYPES)},
            allow=(_NOT_FOUND,),
        )
        if response.status_code == _NOT_FOUND:
            return None
        body = response.content
        computed = "sha256:" + hashlib.sha256(body).hexdigest()
        digest = response.headers.get("Docker-Content-Digest") or computed
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        return Manifest(
            digest=digest, media_type=media_type, body=body, content_size=_content_size(body)
        )

    def put_manifest(self, repository: str, reference: str, manifest: Manifest) -> str:
        response = self._request(
            "PUT",
            f"/v2/{repository}/manifests/{reference}",
            scope=f"repository:{repository}:pull,push",
            headers={"Content-Type": manifest.media_type},
            data=manifest.body,
        )
        return response.headers.get("Docker-Content-Digest") or manifest.digest

    def _request(
        self,
        method: str,
        path: str,
        *,
        scope: str,
        headers: Mapping[str, str] | None = None,
        data: bytes | None = None,
        allow: tuple[int, ...] = (),
    ) -> requests.Response:
        url = self.base + path
        sent = dict(headers or {})
        if scope in self._tokens:
            sent["Authorization"] = f"Bearer {self._tokens[scope]}"
        response = self._send(method, url, sent, data)
        if response.status_code == _UNAUTHORIZED:
            sent["Authorization"] = self._authorize(response, scope)
            response = self._send(method, url, sent, data)
        if response.status_code in allow or response.status_code in {_OK, _CREATED}:
            return response
        if response.status_code in (_UNAUTHORIZED, 403):
            raise UsageError(
                f"the registry {self.registry} refused {method} {path} "
                f"(HTTP {response.status_code})",
                name="registry-password",
                valid="a username and token that may push to this repository",
            )
        raise EnvironmentProblemError(
            f"the registry {self.registry} answered {method} {path} with HTTP "
            f"{response.status_code}: {_error_text(response)}"
        )

    def _send(
        self, method: str, url: str, headers: Mapping[str, str], data: bytes | None
    ) -> requests.Response:
        log.debug(f"registry: {method} {url}")
        try:
            return self._session.request(
                method,
                url,
                headers=dict(headers),
                data=data,
                timeout=_TIMEOUT,
                allow_redirects=True,
            )
        except requests.RequestException as exc:
            raise EnvironmentProblemError(
                f"the registry {self.registry} is not reachable at {self.base}: "
                f"{type(exc).__name__}",
                hint="start it, or check the registry input and the network",
            ) from exc

    def _authorize(self, response: requests.Response, scope: str) -> str:
        """The Authorization header the 401's challenge asks for (Basic, or a Bearer token)."""
        challenge = response.headers.get("WWW-Authenticate", "")
        scheme, _, params_text = challenge.partition(" ")
        if self._auth is None:
            raise UsageError(
                f"the registry {self.registry} needs a login",
                name="registry-password",
                valid="set registry-username and registry-password",
            )
        if scheme.lower() == "basic":
            user, password = self._auth
            return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        params = dict(_CHALLENGE_PARAM.findall(params_text))
        realm = params.pop("realm", "")
        if scheme.lower() != "bearer" or not realm:
            raise EnvironmentProblemError(
                f"the registry {self.registry} asks for an authentication we do not speak: "
                f"{scheme or 'none'}"
            )
        refused = realm_problem(self.registry, realm)
        if refused is not None:
            raise EnvironmentProblemError(
                f"{refused}; paved did not send the credentials",
                hint="log in to a registry whose token service is on its own domain over https",
            )
        if scope:
            params["scope"] = params.get("scope") or scope
        token_response = self._send_token(realm, params)
        document = json.loads(token_response.text or "{}")
        token = document.get("token") or document.get("access_token")
        if not isinstance(token, str):
            raise EnvironmentProblemError(f"the token service {realm} gave no token")
        self._tokens[scope] = token
        return f"Bearer {token}"

    def _send_token(self, realm: str, params: dict[str, str]) -> requests.Response:
        try:
            response = self._session.get(realm, params=params, auth=self._auth, timeout=_TIMEOUT)
        except requests.RequestException as exc:
            raise EnvironmentProblemError(
                f"the token service {realm} is not reachable: {type(exc).__name__}"
            ) from exc
        if response.status_code != _OK:
            raise UsageError(
                f"the token service {realm} refused the login (HTTP {response.status_code})",
                name="registry-password",
                valid="a username and token the registry accepts",
            )
        return response


def _content_size(body: bytes) -> int | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict) or "layers" not in document:
        return None
    parts = [document.get("config", {}), *document.get("layers", [])]
    return sum(int(p.get("size", 0)) for p in parts if isinstance(p, dict))


def _error_text(response: requests.Response) -> str:
    try:
        errors = response.json().get("errors", [])
        return "; ".join(f"{e.get('code')}: {e.get('message')}" for e in errors) or response.reason
    except (ValueError, AttributeError):
        return response.reason or ""
