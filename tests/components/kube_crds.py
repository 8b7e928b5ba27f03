"""The Gateway API HTTPRoute and Istio networking CRDs, installed into the test API server.

The vendored files (tests/data/crds/) stay as their authors wrote them; what Kubernetes 1.20
cannot take (CEL rules, empty-string defaults) is stripped in memory at install time.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml
from kubernetes import client
from kubernetes.client.rest import ApiException

from components.errors import ComponentError

DATA = Path(__file__).resolve().parents[1] / "data" / "crds"
GATEWAY_API = DATA / "gateway-api-httproutes.yaml"
ISTIO = DATA / "istio-networking.yaml"
ESTABLISH_TIMEOUT = 30.0


def documents(path: Path) -> list[dict[str, Any]]:
    """The CRDs of one vendored file, unmodified."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 20 times faster
    text = path.read_text(encoding="utf-8")
    return [doc for doc in yaml.load_all(text, Loader=loader) if doc]


def for_kubernetes_1_20(node: Any) -> Any:
    """A copy without `x-kubernetes-validations` (CEL, 1.25+) and without `default: ""`."""
    if isinstance(node, dict):
        return {
            key: for_kubernetes_1_20(value)
            for key, value in node.items()
            if key != "x-kubernetes-validations" and not (key == "default" and value == "")
        }
    if isinstance(node, list):
        return [for_kubernetes_1_20(item) for item in node]
    return node


def install(api: client.ApiClient, *, strip: bool) -> list[str]:
    """Create (or replace) every vendored CRD and wait until each is Established."""
    extensions = client.ApiextensionsV1Api(api)
    names = []
    for path in (GATEWAY_API, ISTIO):
        for crd in documents(path):
            body = for_kubernetes_1_20(crd) if strip else crd
            name = body["metadata"]["name"]
            try:
                extensions.create_custom_resource_definition(body)
            except ApiException as exc:
                if exc.status != 409:
                    msg = f"installing CRD {name} failed: {exc.status} {exc.body}"[:600]
                    raise ComponentError(msg) from exc
            names.append(name)
    for name in names:
        _wait_established(extensions, name)
    return names


def _wait_established(extensions: client.ApiextensionsV1Api, name: str) -> None:
    deadline = time.monotonic() + ESTABLISH_TIMEOUT
    while time.monotonic() < deadline:
        crd = extensions.read_custom_resource_definition(name)
        conditions = {c.type: c.status for c in (crd.status.conditions or [])}
        if conditions.get("Established") == "True":
            return
        time.sleep(0.1)
    raise ComponentError(f"CRD {name} was not Established within {ESTABLISH_TIMEOUT:.0f} s")
