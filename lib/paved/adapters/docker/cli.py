"""The Docker engine through the `docker` client, on a host or socket of our choosing."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.docker.build_output import read_buildkit, read_legacy
from paved.adapters.docker.interface import (
    BuildRequest,
    BuildResult,
    DockerEngine,
    EngineInfo,
    PushResult,
)
from paved.adapters.process.runner import Finished, ProcessTimeoutError, run_program
from paved.errors import EnvironmentProblemError, ToolNotFoundError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_TAIL_LINES = 30
_CHECK_TIMEOUT = 30
_UNREACHABLE = re.compile(
    r"Cannot connect to the Docker daemon|Is the docker daemon running|"
    r"error during connect|dial unix .*(no such file|connection refused|permission denied)",
    re.IGNORECASE,
)
_REGISTRY_DOWN = re.compile(
    r"connection refused|no such host|i/o timeout|connection reset|"
    r"server gave HTTP response to HTTPS client|network is unreachable|dial tcp",
    re.IGNORECASE,
)
_REGISTRY_DENIED = re.compile(r"unauthorized|denied|authentication required", re.IGNORECASE)
_PUSHED = re.compile(r"digest: (?P<digest>sha256:[0-9a-f]{64}) size: [0-9]+")
DEFAULT_HOST = "unix:///var/run/docker.sock"
START_HINT = (
    "start the engine (`sudo systemctl start docker`, or `dockerd` as root), or point "
    "docker-host / DOCKER_HOST at a running one"
)


class DockerCli(DockerEngine):
    """Runs the `docker` client; every call goes to `host`."""

    def __init__(
        self,
        host: str | None = None,
        *,
        docker: str = "docker",
        hidden_env: Sequence[str] = (),
    ) -> None:
        # The front end resolves DOCKER_HOST; an adapter reads no configuration of its own.
        self.host = host or DEFAULT_HOST
        self.docker = docker
        # Variables the docker client has no business seeing (the registry password's).
        self.hidden_env = tuple(hidden_env)

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in self.hidden_env}
        env["DOCKER_HOST"] = self.host
        # The classic builder must not be upgraded to BuildKit behind our back.
        env.pop("DOCKER_BUILDKIT", None)
        return env

    def _program(self) -> str:
        found = shutil.which(self.docker)
        if found is None:
            raise ToolNotFoundError(
                self.docker, hint="install the Docker client (Debian: apt-get install docker.io)"
            )
        return found

    def _quick(self, *args: str, stdin: str | None = None) -> Finished:
        try:
            return run_program(
                [self._program(), *args], env=self._env(), stdin=stdin, timeout=_CHECK_TIMEOUT
            )
        except ProcessTimeoutError as exc:
            raise EnvironmentProblemError(
                f"the Docker engine at {self.host} did not answer `docker {args[0]}` within "
                f"{_CHECK_TIMEOUT} s",
                hint=START_HINT,
            ) from exc

    def check(self) -> EngineInfo:
        done = self._quick("version", "--format", "{{.Server.Version}}")
        if done.exit_code != 0:
            detail = (done.errors or done.output).strip().splitlines()
            raise EnvironmentProblemError(
                f"the Docker engine at {self.host} is not reachable: "
                + (detail[-1] if detail else f"exit code {done.exit_code}"),
                hint=START_HINT,
            )
        buildx = self._quick("buildx", "version").exit_code == 0
        return EngineInfo(host=self.host, server_version=done.output.strip(), buildx=buildx)

    def build(self, request: BuildRequest) -> BuildResult:
        missing = [name for name in request.secret_envs if name not in os.environ]
        if missing:
            raise UsageError(
                "the build secrets read environment variables that are not set: "
                + ", ".join(missing),
                name="secret-envs",
                valid="names of variables set in the step's env",
            )
        with tempfile.TemporaryDirectory(prefix="paved-build-") as scratch:
            result_file = Path(scratch) / ("metadata.json" if request.buildx else "iid")
            flag = "--metadata-file" if request.buildx else "--iidfile"
            argv = [*request.args, flag, str(result_file), str(request.context)]
            code, lines, seconds = self._stream(argv)
            text = result_file.read_text(encoding="utf-8") if result_file.exists() else ""
        self._raise_if_unreachable(code, lines)
        read = read_buildkit if request.buildx else read_legacy
        summary = read(lines, failed=code != 0)
        image_id, digest = _ids(text, buildx=request.buildx)
        return BuildResult(
            ok=code == 0,
            duration_seconds=seconds,
            image_id=image_id,
            pushed_digest=digest,
            cache_hits=summary.cache_hits,
            steps=summary.steps,
            failed_step=summary.failed_step,
            output_tail="\n".join(lines[-_TAIL_LINES:]),
        )

    def push(self, reference: str) -> PushResult:
        code, lines, _ = self._stream(["push", reference])
        self._raise_if_unreachable(code, lines)
        tail = "\n".join(lines[-_TAIL_LINES:])
        if code != 0:
            registry = reference.split("/", 1)[0]
            last = lines[-1] if lines else f"exit code {code}"
            if _REGISTRY_DOWN.search(tail):
                raise EnvironmentProblemError(
                    f"the registry {registry} is not reachable: {last}",
                    hint="start it, or check the registry input and the network",
                )
            if _REGISTRY_DENIED.search(tail):
                raise UsageError(
                    f"the registry {registry} refused the push: {last}",
                    name="registry-password",
                    valid="credentials that may push to this repository",
                )
            return PushResult(ok=False, output_tail=tail)
        found = [m["digest"] for line in lines if (m := _PUSHED.search(line))]
        return PushResult(ok=True, digest=found[-1] if found else None, output_tail=tail)

    def login(self, registry: str, username: str, password: str) -> None:
        done = self._quick(
            "login", "--username", username, "--password-stdin", registry, stdin=password
        )
        if done.exit_code != 0:
            detail = (done.errors or done.output).strip().splitlines()
            message = detail[-1] if detail else f"exit code {done.exit_code}"
            if _REGISTRY_DOWN.search(message):
                raise EnvironmentProblemError(
                    f"the registry {registry} is not reachable: {message}",
                    hint="start it, or check the registry input and the network",
                )
            raise UsageError(
                f"docker login to {registry} failed: {message}",
                name="registry-password",
                valid="a username and token the registry accepts",
            )

    def logout(self, registry: str) -> None:
        self._quick("logout", registry)

    def image_size(self, reference: str) -> int | None:
        done = self._quick("image", "inspect", "--format", "{{.Size}}", reference)
        text = done.output.strip()
        return int(text) if done.exit_code == 0 and text.isdigit() else None

    def _stream(self, args: Sequence[str]) -> tuple[int, list[str], float]:
        """Run `docker args`, logging each line; the last lines are kept for parsing."""
        log.debug("run: docker " + " ".join(args))
        done = run_program([self._program(), *args], env=self._env(), on_line=log.tool_output)
        return done.exit_code, list(done.lines), done.seconds

    def _raise_if_unreachable(self, code: int, lines: Sequence[str]) -> None:
        if code != 0 and any(_UNREACHABLE.search(line) for line in lines[-5:]):
            raise EnvironmentProblemError(
                f"the Docker engine at {self.host} is not reachable: {lines[-1]}", hint=START_HINT
            )


def _ids(text: str, *, buildx: bool) -> tuple[str | None, str | None]:
    """(image id, pushed digest) from --iidfile or --metadata-file contents."""
    if not text:
        return None, None
    if not buildx:
        return text.strip(), None
    document: Mapping[str, object] = json.loads(text)
    config = document.get("containerimage.config.digest")
    digest = document.get("containerimage.digest")
    return (
        config if isinstance(config, str) else None,
        digest if isinstance(digest, str) else None,
    )
