"""The Cluster interface over the official `kubernetes` client (its transport and kubeconfig).

Requests go through the client's ApiClient as raw JSON (the API server's own objects, any kind,
CRDs included); which resource serves a kind comes from the server's discovery documents, so a
missing CRD is found before any object request and named with what to install.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import urllib3
from kubernetes import client, config

from paved.adapters.http.interface import HttpClient, HttpEndpoint, HttpResponse
from paved.adapters.kube import manifests, rollout, routes
from paved.adapters.kube.answers import NOT_FOUND, Request, error_for
from paved.adapters.kube.interface import (
    FIELD_MANAGER,
    Cluster,
    ConflictError,
    Manifest,
    MissingApiError,
    ObjectNotFoundError,
    ObjectRef,
    Revision,
    RolloutStatus,
    deployment,
)
from paved.adapters.kube.proxy import ServicePort, read_answer
from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

T = TypeVar("T")
REQUEST_TIMEOUT = 30.0
CONFLICT_ATTEMPTS = 5
APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
INSTALL = {
    "gateway.networking.k8s.io": (
        "the Gateway API CRDs (kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/"
        "releases/latest/download/standard-install.yaml)"
    ),
    "networking.istio.io": (
        "Istio (istioctl install), which serves VirtualService and DestinationRule"
    ),
}


def in_cluster() -> bool:
    """Whether paved runs in a pod (the kubelet sets KUBERNETES_SERVICE_HOST in every one)."""
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST"))


def connect(kubeconfig: str | None = None, context: str | None = None) -> KubernetesClient:
    """A client from a kubeconfig file, else in-cluster credentials, else the default kubeconfig."""
    try:
        if kubeconfig is not None:
            if not Path(kubeconfig).is_file():
                raise UsageError("file not found", name="--kubeconfig", valid="a kubeconfig file")
            api = config.new_client_from_config(config_file=kubeconfig, context=context)
        elif in_cluster():
            configuration = client.Configuration()
            config.load_incluster_config(client_configuration=configuration)
            api = client.ApiClient(configuration)
        else:
            api = config.new_client_from_config(context=context)
    except config.ConfigException as exc:
        raise EnvironmentProblemError(
            f"no usable Kubernetes credentials: {exc}",
            hint="pass --kubeconfig, set KUBECONFIG, or run inside a cluster",
        ) from exc
    namespace = "default"
    if kubeconfig is not None or not in_cluster():
        namespace = _context_namespace(kubeconfig, context) or namespace
    return KubernetesClient(api, default_namespace=namespace)


def _context_namespace(kubeconfig: str | None, context: str | None) -> str | None:
    try:
        contexts, current = config.list_kube_config_contexts(config_file=kubeconfig)
    except config.ConfigException:
        return None
    chosen = next((c for c in contexts if c["name"] == context), current) if context else current
    namespace = (chosen or {}).get("context", {}).get("namespace")
    return str(namespace) if namespace else None


class KubernetesClient(Cluster):
    """One API server, one identity; field manager `paved` on every write."""

    def __init__(self, api: client.ApiClient, *, default_namespace: str = "default") -> None:
        self._api = api
        self.default_namespace = default_namespace
        self._resources: dict[str, dict[str, tuple[str, bool]]] = {}

    @property
    def host(self) -> str:
        """The API server's URL."""
        return str(self._api.configuration.host)

    def close(self) -> None:
        """Release the connection pool."""
        self._api.close()

    # -- transport ---------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,  # noqa: ANN401 - a JSON value
        content_type: str | None = None,
    ) -> tuple[int, bytes]:
        headers = {"Accept": "application/json"}
        if content_type is not None:
            headers["Content-Type"] = content_type
        try:
            serialized = self._api.param_serialize(
                method=method,
                resource_path=path,
                query_params=list((query or {}).items()),
                header_params=headers,
                body=body,
                auth_settings=["BearerToken"],
            )
            response = self._api.call_api(*serialized, _request_timeout=REQUEST_TIMEOUT)
            data = response.read() or b""
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise EnvironmentProblemError(
                f"the Kubernetes API server {self.host} is unreachable ({type(exc).__name__})",
                hint="check the kubeconfig's server address and that the cluster is up",
            ) from exc
        return int(response.status), bytes(data)

    def _call(
        self,
        request: Request,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,  # noqa: ANN401 - a JSON value
        content_type: str | None = None,
    ) -> Manifest:
        status, data = self._send(
            request.method, path, query=query, body=body, content_type=content_type
        )
        if not 200 <= status < 300:  # noqa: PLR2004 - the HTTP success range
            raise error_for(request, status, data)
        answer = json.loads(data) if data else {}
        return answer if isinstance(answer, dict) else {}

    def _resource(self, api_version: str, kind: str) -> tuple[str, bool]:
        """(plural, namespaced) for a kind, from discovery; MissingApiError when not served."""
        if api_version not in self._resources:
            base = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
            status, data = self._send("GET", base)
            if status == NOT_FOUND:
                raise self._missing(api_version, kind)
            if not 200 <= status < 300:  # noqa: PLR2004
                ref = ObjectRef(api_version, kind, None, "")
                raise error_for(Request("GET", ref, api_version), status, data)
            listing = json.loads(data).get("resources") or []
            self._resources[api_version] = {
                r["kind"]: (r["name"], bool(r.get("namespaced")))
                for r in listing
                if "/" not in r["name"]
            }
        served = self._resources[api_version]
        if kind not in served:
            del self._resources[api_version]  # a CRD may be installed later
            raise self._missing(api_version, kind)
        return served[kind]

    @staticmethod
    def _missing(api_version: str, kind: str) -> MissingApiError:
        group = api_version.rpartition("/")[0]
        return MissingApiError(api_version, kind, INSTALL.get(group, f"the CRD that serves {kind}"))

    def _paths(self, ref: ObjectRef) -> tuple[str, str, str]:
        """(collection path, object path, plural.group) of a reference."""
        plural, namespaced = self._resource(ref.api_version, ref.kind)
        base = "/api/v1" if ref.api_version == "v1" else f"/apis/{ref.api_version}"
        if namespaced:
            base += f"/namespaces/{ref.namespace or self.default_namespace}"
        group = ref.api_version.rpartition("/")[0]
        resource = f"{plural}.{group}" if group else plural
        return f"{base}/{plural}", f"{base}/{plural}/{ref.name}", resource

    def _object(self, method: str, ref: ObjectRef, **kwargs: Any) -> Manifest:  # noqa: ANN401
        _, path, resource = self._paths(ref)
        return self._call(Request(method, ref, resource), path, **kwargs)

    def _retrying(self, change: Callable[[], T]) -> T:
        """Run a read-modify-write again when the object changed in between (409)."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                return change()
            except ConflictError:
                if attempt == CONFLICT_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError  # pragma: no cover - the loop returns or raises

    def _require(self, ref: ObjectRef) -> Manifest:
        live = self.get(ref)
        if live is None:
            raise ObjectNotFoundError(ref)
        return live

    # -- Cluster -----------------------------------------------------------------------------

    def server_version(self) -> str:
        status, data = self._send("GET", "/version")
        if status != 200:  # noqa: PLR2004
            ref = ObjectRef("v1", "version", None, "")
            raise error_for(Request("GET", ref, "version"), status, data)
        return str(json.loads(data).get("gitVersion", ""))

    def apply(
        self, manifest: Mapping[str, Any], *, force: bool = True, dry_run: bool = False
    ) -> Manifest:
        ref = ObjectRef.of(manifest, self.default_namespace)
        body = manifests.for_apply(dict(manifest))
        _, namespaced = self._resource(ref.api_version, ref.kind)
        if namespaced:
            body["metadata"] = {**(manifest.get("metadata") or {}), "namespace": ref.namespace}
        query = {"fieldManager": FIELD_MANAGER}
        if force:
            query["force"] = "true"
        if dry_run:
            query["dryRun"] = "All"
        return self._object("PATCH", ref, query=query, body=body, content_type=APPLY)

    def create(self, manifest: Mapping[str, Any]) -> Manifest:
        ref = ObjectRef.of(manifest, self.default_namespace)
        collection, _, resource = self._paths(ref)
        body = {**manifest, "metadata": {**(manifest.get("metadata") or {})}}
        if ref.namespace and self._resource(ref.api_version, ref.kind)[1]:
            body["metadata"]["namespace"] = ref.namespace
        return self._call(
            Request("POST", ref, resource, collection=True),
            collection,
            query={"fieldManager": FIELD_MANAGER},
            body=body,
        )

    def get(self, ref: ObjectRef) -> Manifest | None:
        try:
            return self._object("GET", ref)
        except ObjectNotFoundError:
            return None

    def delete(self, ref: ObjectRef) -> bool:
        try:
            self._object("DELETE", ref, body={"propagationPolicy": "Background"})
        except ObjectNotFoundError:
            return False
        return True

    def scale(self, namespace: str, name: str, replicas: int) -> None:
        self._object(
            "PATCH",
            deployment(namespace, name),
            query={"fieldManager": FIELD_MANAGER},
            body={"spec": {"replicas": replicas}},
            content_type=MERGE,
        )

    def rollout_status(self, namespace: str, name: str) -> RolloutStatus:
        return rollout.status_of(self._require(deployment(namespace, name)))

    def wait_for_rollout(
        self, namespace: str, name: str, *, timeout_seconds: float, poll_seconds: float = 0.25
    ) -> RolloutStatus:
        deadline = time.monotonic() + timeout_seconds
        status = self.rollout_status(namespace, name)
        while not status.phase.finished and time.monotonic() < deadline:
            time.sleep(poll_seconds)
            status = self.rollout_status(namespace, name)
        return status

    def _replica_sets(self, live: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        meta = live["metadata"]
        labels = ((live.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        ref = ObjectRef("apps/v1", "ReplicaSet", meta["namespace"], "")
        collection, _, resource = self._paths(ref)
        listing = self._call(
            Request("GET", ref, resource, collection=True),
            collection,
            query={"labelSelector": ",".join(f"{k}={v}" for k, v in sorted(labels.items()))},
        )
        return rollout.owned_by(listing.get("items") or [], meta["uid"])

    def history(self, namespace: str, name: str) -> tuple[Revision, ...]:
        return rollout.history_of(self._replica_sets(self._require(deployment(namespace, name))))

    def undo(self, namespace: str, name: str, *, to_revision: int | None = None) -> Revision:
        ref = deployment(namespace, name)

        def change() -> Revision:
            live = self._require(ref)
            owned = self._replica_sets(live)
            target = rollout.rollback_target(live, owned, to_revision)
            (revision,) = rollout.history_of([target])
            if not rollout.same_template(live, target):
                self._object(
                    "PATCH",
                    ref,
                    query={"fieldManager": FIELD_MANAGER},
                    body=rollout.rollback_patch(live, target),
                    content_type=JSON_PATCH,
                )
            return revision

        return self._retrying(change)

    def _replace_guarded(
        self,
        ref: ObjectRef,
        live: Mapping[str, Any],
        path: str,
        value: Any,  # noqa: ANN401 - a JSON value
    ) -> None:
        """Replace one field, only if the object is still at the version it was read at."""
        version = live["metadata"]["resourceVersion"]
        self._object(
            "PATCH",
            ref,
            query={"fieldManager": FIELD_MANAGER},
            body=[
                {"op": "replace", "path": "/metadata/resourceVersion", "value": version},
                {"op": "add", "path": path, "value": value},
            ],
            content_type=JSON_PATCH,
        )

    def _change_field(
        self, ref: ObjectRef, path: str, compute: Callable[[Manifest], object]
    ) -> None:
        """Read, compute one field's new value, write it guarded; again on a conflict."""

        def change() -> None:
            live = self._require(ref)
            self._replace_guarded(ref, live, path, compute(live))

        self._retrying(change)

    def set_service_selector(self, namespace: str, name: str, selector: Mapping[str, str]) -> None:
        ref = ObjectRef("v1", "Service", namespace, name)
        self._change_field(ref, "/spec/selector", lambda _live: dict(selector))

    def httproute_weights(self, namespace: str, name: str) -> dict[str, int]:
        return routes.httproute_weights(self._require(_httproute(namespace, name)))

    def set_httproute_weights(self, namespace: str, name: str, weights: Mapping[str, int]) -> None:
        self._change_field(
            _httproute(namespace, name),
            "/spec/rules",
            lambda live: routes.with_httproute_weights(live, weights),
        )

    def virtualservice_weights(self, namespace: str, name: str) -> dict[str, int]:
        return routes.virtualservice_weights(self._require(_virtualservice(namespace, name)))

    def set_virtualservice_weights(
        self, namespace: str, name: str, weights: Mapping[str, int]
    ) -> None:
        self._change_field(
            _virtualservice(namespace, name),
            "/spec/http",
            lambda live: routes.with_virtualservice_weights(live, weights),
        )

    def service_proxy(self, namespace: str, service: str, port: int | str) -> HttpEndpoint:
        target = ServicePort(namespace, service, port)
        client = _ServiceProxyClient(self.host, target, self._proxied_get)
        return HttpEndpoint(target.base(self.host), client)

    def _proxied_get(self, path: str, timeout_seconds: float) -> tuple[int, bytes]:
        """One authenticated GET of whatever the path answers (the app's own body through the
        proxy); transport errors are the caller's to word."""
        serialized = self._api.param_serialize(
            method="GET",
            resource_path=path,
            header_params={"Accept": "*/*"},
            auth_settings=["BearerToken"],
        )
        response = self._api.call_api(*serialized, _request_timeout=timeout_seconds)
        return int(response.status), bytes(response.read() or b"")

    def annotations(self, ref: ObjectRef) -> dict[str, str]:
        return dict((self._require(ref).get("metadata") or {}).get("annotations") or {})

    def annotate(
        self,
        ref: ObjectRef,
        changes: Mapping[str, str | None],
        *,
        resource_version: str | None = None,
    ) -> None:
        metadata: dict[str, Any] = {"annotations": dict(changes)}
        if resource_version is not None:
            metadata["resourceVersion"] = resource_version  # a precondition: 409 when stale
        self._object(
            "PATCH",
            ref,
            query={"fieldManager": FIELD_MANAGER},
            body={"metadata": metadata},
            content_type=MERGE,
        )


class _ServiceProxyClient(HttpClient):
    """GETs through the API server's service proxy on the client's authenticated connection."""

    def __init__(
        self, host: str, target: ServicePort, send: Callable[[str, float], tuple[int, bytes]]
    ) -> None:
        self._host = host.rstrip("/")
        self._target = target
        self._send = send

    def get(self, url: str, *, timeout_seconds: float = 5.0) -> HttpResponse:
        if not url.startswith(self._target.base(self._host)):
            raise UsageError(
                f"{url!r} is not on the service proxy",
                name="url",
                valid=self._target.base(self._host) + "/<path>",
            )
        started = time.monotonic()
        try:
            status, body = self._send(url[len(self._host) :], timeout_seconds)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            reason = f"{type(exc).__name__} through the API server's service proxy"
            return HttpResponse(url, None, b"", time.monotonic() - started, error=reason)
        answer = HttpResponse(url, status, body, time.monotonic() - started)
        return read_answer(self._target, answer)


def _httproute(namespace: str, name: str) -> ObjectRef:
    return ObjectRef("gateway.networking.k8s.io/v1", "HTTPRoute", namespace, name)


def _virtualservice(namespace: str, name: str) -> ObjectRef:
    return ObjectRef("networking.istio.io/v1beta1", "VirtualService", namespace, name)
