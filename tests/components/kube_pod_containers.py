"""The emulated kubelet's container runtime: a pod's container on the test Docker engine.

A pod annotated `test.paved.dev/container: docker` gets its (first) container run from the
pod spec's image, command, args and env, on one user-defined network of the engine. The
container's address on that network is the pod's IP, which the emulator reports in pod status;
so the Endpoints the real kube-controller-manager writes point at the real container, and the
API server's service proxy (in the host's network namespace, where the engine's bridge is)
reaches it. Containers go when their pod is deleted, and all of them when the emulator stops.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from components.docker_engine import DockerEngine

CONTAINER_KNOB = "test.paved.dev/container"
"""Pod annotation; the value `docker` makes the emulator run the pod's container for real."""
LABEL = "test.paved.dev/pod-uid"
NETWORK_LABEL = "test.paved.dev/pod-network"
NAMESPACE_LABEL = "io.kubernetes.pod.namespace"
NAME_LABEL = "io.kubernetes.pod.name"
"""The pod's namespace and name on its container, as a kubelet's Docker runtime labels them."""
POD_LABEL_PREFIX = "test.paved.dev/pod-label."
"""The pod's own labels on its container (app=... as test.paved.dev/pod-label.app=...), so
that Prometheus' Docker discovery can label the series as Kubernetes discovery would."""


def wants_container(pod: dict[str, Any]) -> bool:
    """Whether the pod asks to run its container on the engine."""
    return (pod["metadata"].get("annotations") or {}).get(CONTAINER_KNOB) == "docker"


@dataclass
class PodContainers:
    """Containers by pod uid, on one network of `engine` made for them."""

    engine: DockerEngine
    network: str = field(default_factory=lambda: f"paved-pods-{uuid.uuid4().hex[:8]}")
    errors: list[str] = field(default_factory=list)
    _ips: dict[str, str] = field(default_factory=dict)
    _failed: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self) -> None:
        done = self.engine.docker("network", "create", self.network)
        if done.returncode != 0:
            msg = f"docker network create {self.network} failed: {done.stderr.strip()}"
            raise RuntimeError(msg)

    def ip_of(self, pod: dict[str, Any]) -> str | None:
        """The running container's IP for the pod (started on first call); None when it cannot
        start (the pod then never becomes ready, as with a kubelet's ErrImagePull)."""
        uid = pod["metadata"]["uid"]
        with self._lock:
            if uid in self._ips:
                return self._ips[uid]
            if uid in self._failed:
                return None
        ip = self._start(pod)
        with self._lock:
            if ip is None:
                self._failed.add(uid)
            else:
                self._ips[uid] = ip
        return ip

    def _start(self, pod: dict[str, Any]) -> str | None:
        meta, container = pod["metadata"], pod["spec"]["containers"][0]
        name = f"pod-{meta['namespace']}-{meta['name']}"[:60] + f"-{meta['uid'][:8]}"
        argv = ["run", "-d", "--name", name, "--network", self.network]
        argv += ["--label", f"{LABEL}={meta['uid']}", "--label", f"{NETWORK_LABEL}={self.network}"]
        argv += ["--label", f"{NAMESPACE_LABEL}={meta['namespace']}"]
        argv += ["--label", f"{NAME_LABEL}={meta['name']}"]
        for key, value in (meta.get("labels") or {}).items():
            argv += ["--label", f"{POD_LABEL_PREFIX}{key}={value}"]
        for variable in container.get("env") or []:
            if "value" in variable:
                argv += ["--env", f"{variable['name']}={variable['value']}"]
        command = list(container.get("command") or [])
        if command:
            argv += ["--entrypoint", command[0]]
        argv += [container["image"], *command[1:], *(container.get("args") or [])]
        started = self.engine.docker(*argv, timeout=300)
        if started.returncode != 0:
            self.errors.append(f"{name}: {started.stderr.strip()[-300:]}")
            return None
        inspected = self.engine.docker("inspect", name)
        networks = json.loads(inspected.stdout)[0]["NetworkSettings"]["Networks"]
        return str(networks[self.network]["IPAddress"])

    def addresses(self) -> tuple[str, ...]:
        """The IPs of the pod containers running now."""
        with self._lock:
            return tuple(self._ips.values())

    def drop(self, uid: str) -> None:
        """Remove the pod's container (a deleted pod)."""
        with self._lock:
            known = self._ips.pop(uid, None) is not None or uid in self._failed
            self._failed.discard(uid)
        if known:
            self._remove(f"label={LABEL}={uid}")

    def keep_only(self, uids: set[str]) -> None:
        """Remove the containers of pods that are gone without a graceful deletion."""
        with self._lock:
            gone = [uid for uid in self._ips if uid not in uids]
        for uid in gone:
            self.drop(uid)

    def _remove(self, label_filter: str) -> None:
        listed = self.engine.docker("ps", "-aq", "--filter", label_filter).stdout.split()
        if listed:
            self.engine.docker("rm", "-f", *listed)

    def close(self) -> None:
        """Remove every pod container and the network."""
        self._remove(f"label={NETWORK_LABEL}={self.network}")
        self.engine.docker("network", "rm", self.network)
