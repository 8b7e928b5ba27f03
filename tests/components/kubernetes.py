"""A real Kubernetes API on 127.0.0.1: `kind` where it exists, else etcd + source-built servers.

The source-built control plane is Debian's etcd-server, and kube-apiserver plus
kube-controller-manager 1.20.2 built once per machine (components.kube_build). It runs the real
Deployment, ReplicaSet and garbage-collection controllers; there is no scheduler and no kubelet,
so components.kube_nodes stands in for both. Every process runs on free loopback ports and stops
when the context exits.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from components.errors import ComponentError
from components.kube_build import server_binaries
from components.registry import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

ETCD = "etcd"
INSTALL_ETCD = "install the Debian package etcd-server (`make setup`)"
INSTALL_OPENSSL = "install the Debian package openssl (`make setup`)"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0
CONTROLLERS = (
    "deployment,replicaset,namespace,garbagecollector,serviceaccount-token,serviceaccount,"
    "endpoint,endpointslice"
)


@dataclass(frozen=True)
class KubeCluster:
    """A running API server and how to reach it as cluster admin."""

    server: str
    """https://127.0.0.1:<port>."""
    kubeconfig: Path
    provider: str
    """"source" (etcd + built servers, emulated nodes) or "kind"."""
    pids: tuple[int, ...]
    """The control-plane processes this harness started (empty for kind)."""
    cold_start_seconds: float

    def kubectl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run the kubectl users know against this cluster (tests only)."""
        return subprocess.run(
            ["kubectl", f"--kubeconfig={self.kubeconfig}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def resident_megabytes(self) -> dict[str, float]:
        """Resident memory of each control-plane process, from /proc."""
        sizes: dict[str, float] = {}
        for pid in self.pids:
            status = Path(f"/proc/{pid}/status")
            if not status.exists():
                continue
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
            sizes[fields["Name"].strip()] = int(fields["VmRSS"].split()[0]) / 1024
        return sizes


def uses_kind() -> bool:
    """Whether running_cluster() will use kind: on PATH, and PAVED_KUBE is not `source`."""
    return shutil.which("kind") is not None and os.environ.get("PAVED_KUBE", "") != "source"


@contextmanager
def running_cluster() -> Iterator[KubeCluster]:
    """`kind` when it is on PATH (GitHub runners) unless PAVED_KUBE=source; else source-built."""
    if uses_kind():
        with _kind_cluster() as cluster:
            yield cluster
        return
    with _source_cluster() as cluster:
        yield cluster


@contextmanager
def _source_cluster() -> Iterator[KubeCluster]:
    if shutil.which(ETCD) is None:
        raise ComponentError(f"etcd is not installed: {INSTALL_ETCD}")
    if shutil.which("openssl") is None:
        raise ComponentError(f"openssl is not installed: {INSTALL_OPENSSL}")
    binaries = server_binaries()
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="paved-kube-")))
        started = time.monotonic()
        token = uuid.uuid4().hex
        pki = _pki(root, token)
        etcd_port, apiserver_port, kcm_port = free_port(), free_port(), free_port()
        etcd = _started(
            stack,
            [ETCD, *_etcd_args(root, etcd_port)],
            root,
            f"http://127.0.0.1:{etcd_port}/health",
        )
        server = f"https://127.0.0.1:{apiserver_port}"
        apiserver = _started(
            stack,
            [str(binaries.apiserver), *_apiserver_args(pki, etcd_port, apiserver_port)],
            root,
            f"{server}/readyz",
            token=token,
            ca=pki.cert,
        )
        kubeconfig = _write_kubeconfig(root / "kubeconfig", server, token, pki.cert)
        kcm = _started(
            stack,
            [str(binaries.controller_manager), *_kcm_args(pki, kubeconfig, kcm_port)],
            root,
            f"https://127.0.0.1:{kcm_port}/healthz",
        )
        yield KubeCluster(
            server=server,
            kubeconfig=kubeconfig,
            provider="source",
            pids=(etcd.pid, apiserver.pid, kcm.pid),
            cold_start_seconds=time.monotonic() - started,
        )


@dataclass(frozen=True)
class _Pki:
    cert: Path
    key: Path
    sa_key: Path
    sa_pub: Path
    tokens: Path


def _pki(root: Path, token: str) -> _Pki:
    """A self-signed serving certificate for 127.0.0.1, a service-account key pair, a token."""
    pki = _Pki(
        root / "apiserver.crt",
        root / "apiserver.key",
        root / "sa.key",
        root / "sa.pub",
        root / "tokens.csv",
    )
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", str(pki.key), "-out", str(pki.cert),
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    )  # fmt: skip
    _openssl("genrsa", "-out", str(pki.sa_key), "2048")
    _openssl("rsa", "-in", str(pki.sa_key), "-pubout", "-out", str(pki.sa_pub))
    pki.tokens.write_text(f"{token},paved-admin,paved-admin,system:masters\n", encoding="utf-8")
    return pki


def _openssl(*args: str) -> None:
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ComponentError(f"openssl {args[0]} failed: {result.stderr.strip()[-300:]}")


def _etcd_args(root: Path, port: int) -> list[str]:
    client = f"http://127.0.0.1:{port}"
    return [
        f"--data-dir={root / 'etcd'}",
        f"--listen-client-urls={client}",
        f"--advertise-client-urls={client}",
        f"--listen-peer-urls=http://127.0.0.1:{free_port()}",
        "--log-level=warn",
    ]


def _apiserver_args(pki: _Pki, etcd_port: int, port: int) -> list[str]:
    return [
        f"--etcd-servers=http://127.0.0.1:{etcd_port}",
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        f"--secure-port={port}",
        "--insecure-port=0",
        f"--tls-cert-file={pki.cert}",
        f"--tls-private-key-file={pki.key}",
        f"--token-auth-file={pki.tokens}",
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc",
        f"--service-account-signing-key-file={pki.sa_key}",
        f"--service-account-key-file={pki.sa_pub}",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--enable-priority-and-fairness=false",
    ]


def _kcm_args(pki: _Pki, kubeconfig: Path, port: int) -> list[str]:
    return [
        f"--kubeconfig={kubeconfig}",
        f"--authentication-kubeconfig={kubeconfig}",
        f"--authorization-kubeconfig={kubeconfig}",
        "--bind-address=127.0.0.1",
        f"--secure-port={port}",
        "--port=0",
        "--leader-elect=false",
        f"--service-account-private-key-file={pki.sa_key}",
        f"--root-ca-file={pki.cert}",
        f"--controllers={CONTROLLERS}",
        "--use-service-account-credentials=false",
    ]


def _write_kubeconfig(path: Path, server: str, token: str, ca: Path) -> Path:
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- name: paved\n  cluster:\n    server: {server}\n"
        f"    certificate-authority: {ca}\n"
        f"users:\n- name: paved-admin\n  user:\n    token: {token}\n"
        "contexts:\n- name: paved\n  context:\n    cluster: paved\n    user: paved-admin\n"
        "current-context: paved\n",
        encoding="utf-8",
    )
    return path


def _started(
    stack: ExitStack,
    argv: list[str],
    root: Path,
    health: str,
    *,
    token: str | None = None,
    ca: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start one control-plane process (stopped when `stack` closes); wait until it is healthy."""
    name = Path(argv[0]).name
    log_file = root / f"{name}.log"
    process = stack.enter_context(_process(argv, log_file))
    _wait_http(health, process, log_file, name, token=token, ca=ca)
    return process


@contextmanager
def _process(argv: list[str], log_file: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log_file.open("wb") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_http(
    url: str,
    process: subprocess.Popen[bytes],
    log_file: Path,
    name: str,
    *,
    token: str | None = None,
    ca: Path | None = None,
) -> None:
    """Poll `url` until it answers 200 (bounded); a process that exits fails with its log."""
    context = ssl.create_default_context(cafile=str(ca)) if ca else ssl._create_unverified_context()  # noqa: S323, SLF001
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + START_TIMEOUT
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = " | ".join(log_file.read_text(errors="replace").splitlines()[-5:])
            raise ComponentError(f"{name} exited with {process.returncode}: {tail}")
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) on loopback
        try:
            with urllib.request.urlopen(request, timeout=2, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.1)
    raise ComponentError(f"{name} did not answer {url} within {START_TIMEOUT:.0f} s ({last})")


@contextmanager
def _kind_cluster() -> Iterator[KubeCluster]:
    """A throwaway kind cluster (a real kubelet and scheduler; emulated nodes still work)."""
    name = f"paved-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="paved-kind-") as tmp:
        kubeconfig = Path(tmp) / "kubeconfig"
        started = time.monotonic()
        create = subprocess.run(
            ["kind", "create", "cluster", f"--name={name}", f"--kubeconfig={kubeconfig}",
             "--wait=120s"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        try:
            if create.returncode != 0:
                raise ComponentError(f"kind create cluster failed: {create.stderr.strip()[-400:]}")
            server = subprocess.run(
                ["kubectl", f"--kubeconfig={kubeconfig}", "config", "view", "--minify",
                 "-o", "jsonpath={.clusters[0].cluster.server}"],
                capture_output=True, text=True, timeout=30, check=True,
            ).stdout.strip()  # fmt: skip
            yield KubeCluster(
                server=server,
                kubeconfig=kubeconfig,
                provider="kind",
                pids=(),
                cold_start_seconds=time.monotonic() - started,
            )
        finally:
            subprocess.run(
                ["kind", "delete", "cluster", f"--name={name}"],
                capture_output=True, timeout=120, check=False,
            )  # fmt: skip
