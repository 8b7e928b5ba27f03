"""The DockerEngine fake: a scripted build and push, every call recorded."""

# ruff: noqa: ARG002 - the fake implements the whole interface and ignores what it does not need

from __future__ import annotations

from paved.adapters.docker import BuildRequest, BuildResult, DockerEngine, EngineInfo, PushResult

DIGEST = "sha256:" + "a" * 64
"""The digest the fake push reports (and the fake registry holds)."""


class FakeEngine(DockerEngine):
    """Answers a build and a push as told; records every call in order."""

    def __init__(self, build: BuildResult, push: PushResult | None = None) -> None:
        self.result = build
        self.pushed = push or PushResult(ok=True, digest=DIGEST)
        self.calls: list[str] = []

    def check(self) -> EngineInfo:
        return EngineInfo(host="unix:///x", server_version="20.10", buildx=False)

    def build(self, request: BuildRequest) -> BuildResult:
        self.calls.append("build")
        return self.result

    def push(self, reference: str) -> PushResult:
        self.calls.append(f"push {reference}")
        return self.pushed

    def login(self, registry: str, username: str, password: str) -> None:
        self.calls.append(f"login {username}")

    def logout(self, registry: str) -> None:
        self.calls.append("logout")

    def image_size(self, reference: str) -> int | None:
        return 1000
