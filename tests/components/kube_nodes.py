"""A stand-in for the scheduler and the kubelet: one emulated Node whose pods get real readiness.

What kwok does, in a thread of the test process: bind each pending pod to the Node
(`pods/binding`), then write `pods/status` (Running, IPs, container statuses, the Ready and
ContainersReady conditions) the way a kubelet would, and finish graceful deletions.

Readiness follows something real:
- the fault knobs: a pod annotated `test.paved.dev/ready: "false"` never becomes ready (put it
  in a Deployment's pod template to make a version that never rolls out), nor does a container
  whose image tag starts with `never-ready` (a bad version that differs only by its image, as
  deploy-strategy rolls versions out);
- a container's `readinessProbe.httpGet` is performed for real, against `httpGet.host`, else
  the pod's IP as a kubelet does: the pod is ready only while every probe answers 200-399;
- with an engine attached (`attach_engine`), a pod annotated `test.paved.dev/container: docker`
  runs its container on the test Docker engine (components.kube_pod_containers) and its pod IP
  is the container's address, so Endpoints, the API server's service proxy and the probe all
  reach the real container.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubernetes import client, config
from kubernetes.client.rest import ApiException

from components.kube_pod_containers import PodContainers, wants_container

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from components.docker_engine import DockerEngine

NODE = "paved-node"
NODE_SELECTOR = {"kubernetes.io/hostname": NODE}
"""Put in a pod spec where a real scheduler exists (kind) so its pods land on the emulated Node."""
READY_KNOB = "test.paved.dev/ready"
NEVER_READY_TAG = "never-ready"
POLL_SECONDS = 0.25
HEARTBEAT_SECONDS = 10.0
POD_NETWORK = ipaddress.ip_network("10.244.0.0/16")

Pod = dict[str, Any]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PodEmulator:
    """Runs until stop(); `bind_all` when no scheduler exists (the source-built control plane)."""

    api: client.ApiClient
    bind_all: bool = True
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _ips: dict[str, str] = field(default_factory=dict)
    _last_heartbeat: float = 0.0
    containers: PodContainers | None = None
    """Set by attach_engine: pods that ask for it run their container for real."""

    def attach_engine(self, engine: DockerEngine) -> PodContainers:
        """Run the containers of pods annotated test.paved.dev/container=docker on `engine`."""
        if self.containers is None:
            containers = PodContainers(engine)
            containers.open()
            self.containers = containers
        return self.containers

    def start(self) -> None:
        core = client.CoreV1Api(self.api)
        with contextlib.suppress(ApiException):
            core.create_node(
                client.V1Node(metadata=client.V1ObjectMeta(name=NODE, labels=NODE_SELECTOR))
            )
        self._heartbeat(core)
        self._thread = threading.Thread(target=self._run, name="pod-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.containers is not None:
            self.containers.close()
            self.errors.extend(self.containers.errors)

    def _run(self) -> None:
        core = client.CoreV1Api(self.api)
        while not self._stop.is_set():
            try:
                self._tick(core)
            except ApiException as exc:  # keep emulating; the fixture reports them
                self.errors.append(f"{exc.status}: {exc.body}"[:300])
            except (OSError, ValueError) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}"[:300])
            self._stop.wait(POLL_SECONDS)

    def _tick(self, core: client.CoreV1Api) -> None:
        raw = core.list_pod_for_all_namespaces(_preload_content=False)
        pods = json.loads(raw.data)["items"]
        if self.containers is not None:
            self.containers.keep_only({p["metadata"]["uid"] for p in pods})
        for pod in pods:
            meta, spec = pod["metadata"], pod["spec"]
            if meta.get("deletionTimestamp"):
                self._finish_deletion(core, meta)
            elif not spec.get("nodeName"):
                if self.bind_all or spec.get("nodeSelector") == NODE_SELECTOR:
                    self._bind(core, meta)
            elif spec["nodeName"] == NODE:
                self._report_status(core, pod)
        if time.monotonic() - self._last_heartbeat > HEARTBEAT_SECONDS:
            self._heartbeat(core)

    def _bind(self, core: client.CoreV1Api, meta: dict[str, Any]) -> None:
        binding = client.V1Binding(
            metadata=client.V1ObjectMeta(name=meta["name"]),
            target=client.V1ObjectReference(api_version="v1", kind="Node", name=NODE),
        )
        try:
            # The binding succeeds, but the client's model rejects the Status it answers with.
            core.create_namespaced_pod_binding(
                meta["name"], meta["namespace"], binding, _preload_content=False
            )
        except ApiException as exc:
            if exc.status not in {404, 409} and not _namespace_ending(exc):  # gone, bound meanwhile
                raise

    def _finish_deletion(self, core: client.CoreV1Api, meta: dict[str, Any]) -> None:
        self._ips.pop(meta["uid"], None)
        if self.containers is not None:
            self.containers.drop(meta["uid"])
        try:
            core.delete_namespaced_pod(meta["name"], meta["namespace"], grace_period_seconds=0)
        except ApiException as exc:
            if exc.status != 404:
                raise

    def _report_status(self, core: client.CoreV1Api, pod: Pod) -> None:
        ip = self._ip_for(pod)
        ready = ip is not None and _ready(pod, ip)
        status = pod.get("status", {})
        current = {c["type"]: c for c in status.get("conditions", [])}
        wanted = "True" if ready else "False"
        if status.get("phase") == "Running" and current.get("Ready", {}).get("status") == wanted:
            return
        now = _now()
        since = current.get("Ready", {})
        changed_at = since["lastTransitionTime"] if since.get("status") == wanted else now
        ip = ip or self._fake_ip(pod["metadata"]["uid"])
        body = {
            "status": {
                "phase": "Running",
                "hostIP": "127.0.0.1",
                "podIP": ip,
                "podIPs": [{"ip": ip}],
                "startTime": status.get("startTime", now),
                "conditions": [
                    {"type": "Initialized", "status": "True", "lastTransitionTime": now},
                    {"type": "PodScheduled", "status": "True", "lastTransitionTime": now},
                    {"type": "ContainersReady", "status": wanted, "lastTransitionTime": changed_at},
                    {"type": "Ready", "status": wanted, "lastTransitionTime": changed_at},
                ],
                "containerStatuses": [
                    {
                        "name": container["name"],
                        "image": container["image"],
                        "imageID": "",
                        "ready": ready,
                        "restartCount": 0,
                        "started": True,
                        "state": {"running": {"startedAt": status.get("startTime", now)}},
                    }
                    for container in pod["spec"]["containers"]
                ],
            }
        }
        try:
            core.patch_namespaced_pod_status(
                pod["metadata"]["name"], pod["metadata"]["namespace"], body
            )
        except ApiException as exc:
            if exc.status not in {404, 409} and not _namespace_ending(exc):
                raise

    def _ip_for(self, pod: Pod) -> str | None:
        """The pod's IP: its container's when it runs one (None while that cannot start)."""
        if self.containers is not None and wants_container(pod):
            return self.containers.ip_of(pod)
        return self._fake_ip(pod["metadata"]["uid"])

    def _fake_ip(self, uid: str) -> str:
        if uid not in self._ips:
            self._ips[uid] = str(POD_NETWORK[len(self._ips) + 2])
        return self._ips[uid]

    def _heartbeat(self, core: client.CoreV1Api) -> None:
        """Keep the Node Ready (a node-lifecycle controller, as in kind, watches heartbeats)."""
        now = _now()
        capacity = {"cpu": "64", "memory": "256Gi", "pods": "1000"}
        body = {
            "status": {
                "capacity": capacity,
                "allocatable": capacity,
                "addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
                "conditions": [
                    {
                        "type": "Ready",
                        "status": "True",
                        "reason": "KubeletReady",
                        "message": "emulated by the paved test harness",
                        "lastHeartbeatTime": now,
                        "lastTransitionTime": now,
                    }
                ],
            }
        }
        core.patch_node_status(NODE, body)
        self._last_heartbeat = time.monotonic()


@contextmanager
def emulated_node(kubeconfig: Path, engine: DockerEngine | None = None) -> Iterator[PodEmulator]:
    """The emulator binding every pod, running with a client of `kubeconfig` until exit; with
    `engine`, pods that ask for it run their containers there."""
    api = config.new_client_from_config(config_file=str(kubeconfig))
    emulator = PodEmulator(api)
    emulator.start()
    try:
        if engine is not None:
            emulator.attach_engine(engine)
        yield emulator
    finally:
        emulator.stop()
        api.close()


def _namespace_ending(exc: ApiException) -> bool:
    """403 because the pod's namespace is being deleted: nothing is left to emulate there."""
    return exc.status == 403 and "being terminated" in str(exc.body or "")


def _ready(pod: Pod, ip: str) -> bool:
    if pod["metadata"].get("annotations", {}).get(READY_KNOB) == "false":
        return False
    containers = pod["spec"]["containers"]
    if any(c["image"].rpartition(":")[2].startswith(NEVER_READY_TAG) for c in containers):
        return False
    return all(_probe_passes(container, ip) for container in containers)


def _probe_passes(container: dict[str, Any], pod_ip: str) -> bool:
    probe = (container.get("readinessProbe") or {}).get("httpGet")
    if probe is None:
        return True
    port = probe["port"]
    if isinstance(port, str):
        named = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        if port not in named:
            return False
        port = named[port]
    host = probe.get("host") or pod_ip
    scheme = probe.get("scheme", "HTTP").lower()
    url = f"{scheme}://{host}:{port}{probe.get('path', '/')}"
    timeout = float((container.get("readinessProbe") or {}).get("timeoutSeconds", 1))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return 200 <= response.status < 400
    except urllib.error.HTTPError as exc:
        return 200 <= exc.code < 400
    except OSError:
        return False
