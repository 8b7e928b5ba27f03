"""GitHub Deployments from real `paved deploy-strategy` runs on the Docker host (private dockerd,
registry, Debian's HAProxy), made through the real PyGithub transport against the replay server
(which answers creates as GitHub does, from the recorded answers); then `paved ci-metrics
--deploy-source=environment` reads them back from the same server, as DORA would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from components.docker_host_app import killed_at_weight  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from components.github_replay import ReplayServer, Repository  # noqa: E402

pytestmark = pytest.mark.integration
REPO = "acme/shop"
SHA = "5f1c0e2b9a7d4c3e8b6a1f0d2c4e6a8b0d1f3e5a"
TOKEN = "ghs_paved-replay-token-0000"  # noqa: S105 - the replay server takes any token


@pytest.fixture
def github():
    """The replay server with an (empty) repository to deploy from."""
    with ReplayServer() as server:
        server.add(Repository(REPO, {"full_name": REPO, "default_branch": "main"}))
        yield server


def run_env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(
        PAVED_TEST_GITHUB_TOKEN=TOKEN,
        GITHUB_REPOSITORY=REPO,
        GITHUB_SHA=SHA,
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_RUN_ID="4242",
    )
    env.update(more)
    return env


def deploy(host, github, image, *flags, env=None, token=True, tmp_path):
    return subprocess.run(
        command(host, github, image, *flags, token=token, tmp_path=tmp_path),
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
        env=env or run_env(),
    )  # fmt: skip


def command(host, github, image, *flags, token=True, tmp_path):
    publish = [f"--api-url={github.url}", "--github-token-env=PAVED_TEST_GITHUB_TOKEN"]
    return [
        sys.executable, "-m", "paved.cli", "deploy-strategy", f"--app={host.app}",
        f"--image={image}", *host.cli_flags(), "--ready-timeout=30",
        f"--record={tmp_path / 'deploys.jsonl'}", f"--json={tmp_path / 'outcome.json'}",
        "--environment-url=https://shop.example.com",
        *(publish if token else []),
        *flags,
    ]  # fmt: skip


def deployments(github) -> list[dict]:
    """Every deployment of the repository, oldest first."""
    repo = github.repositories[REPO]
    return sorted(repo.deployments.values(), key=lambda d: d["id"])


def states(github, deployment: dict) -> list[str]:
    return [s["state"] for s in github.repositories[REPO].statuses[deployment["id"]]]


def outcome(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "outcome.json").read_text(encoding="utf-8"))


def githubs_own_job_deployment(github) -> None:
    """A deployment as GitHub makes one for a job that names the environment."""
    repo = github.repositories[REPO]
    body = {"ref": "main", "environment": "production", "required_contexts": [], "payload": {}}
    status, made = github.writes.answer(repo, "/deployments", body)
    assert status == 201, made
    made["sha"] = SHA  # GitHub resolves the branch to the run's commit
    status, _ = github.writes.answer(
        repo, f"/deployments/{made['id']}/statuses", {"state": "success"}
    )
    assert status == 201


def served_version(host) -> str:
    with urllib.request.urlopen(f"{host.url}/health", timeout=5) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())["version"]


def test_a_deploy_is_a_deployment_in_progress_then_success_and_a_rollback_ends_in_failure(
    docker_host, service_images, github, tmp_path
):
    done = deploy(docker_host, github, service_images.v1, "--strategy=direct", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (first,) = deployments(github)
    assert outcome(tmp_path)["github_deployment_id"] == first["id"]
    assert (first["sha"], first["ref"], first["task"], first["environment"]) == (
        SHA, SHA, "deploy", "production",
    )  # fmt: skip
    assert first["payload"] == {"tool": "paved", "app": docker_host.app, "image": service_images.v1}
    assert first["production_environment"] is True
    assert states(github, first) == ["in_progress", "success"]
    success = github.repositories[REPO].statuses[first["id"]][-1]
    assert success["environment_url"] == "https://shop.example.com"
    assert success["log_url"] == f"https://github.com/{REPO}/actions/runs/4242"
    assert f"GitHub Deployment {first['id']} (created): in_progress → success." in done.stdout
    # What was sent is what GitHub needs to accept it while the run's own checks are pending.
    created = next(body for path, body in github.writes.requests if path == "/deployments")
    assert (created["auto_merge"], created["required_contexts"]) == (False, [])

    # `failing` answers 500 on /api/data: its canary is rolled back, 1.0.0 keeps serving.
    done = deploy(
        docker_host, github, service_images.failing, "--strategy=canary", "--step-seconds=1",
        "--smoke=/health\n/api/data", tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    _, second = deployments(github)
    assert states(github, second) == ["in_progress", "failure"]
    assert served_version(docker_host) == "1.0.0"
    assert TOKEN not in done.stdout + done.stderr


def test_a_gated_canary_and_its_approved_rerun_are_one_deployment_that_ci_metrics_counts(
    docker_host, service_images, github, tmp_path
):
    done = deploy(docker_host, github, service_images.v1, "--strategy=direct", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    gated = ["--strategy=canary", "--canary-steps=20,100", "--gate-after=20", "--step-seconds=1"]
    done = deploy(docker_host, github, service_images.v2, *gated, tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outcome(tmp_path)["status"] == "paused"
    _, canary = deployments(github)
    assert states(github, canary) == ["in_progress", "queued"]
    # The approve job: another job (another holder), the same commit, image and environment.
    done = deploy(
        docker_host, github, service_images.v2, *gated, "--approve", "--holder=approve-job",
        env=run_env(GITHUB_RUN_ATTEMPT="1"), tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert outcome(tmp_path)["status"] == "succeeded"
    assert outcome(tmp_path)["github_deployment"]["resumed"] is True
    assert len(deployments(github)) == 2
    assert states(github, canary) == ["in_progress", "queued", "in_progress", "success"]
    assert f"GitHub Deployment {canary['id']} (continued)" in done.stdout
    assert served_version(docker_host) == "2.0.0"

    # Each deploy job names the environment, so GitHub records a deployment of its own for
    # the job (ref the branch, no payload, success when the job ends green, even when paused).
    for _ in range(2):
        githubs_own_job_deployment(github)

    metrics = tmp_path / "metrics.json"
    done = subprocess.run(
        [
            sys.executable, "-m", "paved.cli", "ci-metrics", f"--repository={REPO}",
            f"--api-url={github.url}", "--token-env=PAVED_TEST_GITHUB_TOKEN",
            f"--store={tmp_path / 'metrics.sqlite'}", "--request-interval=0", "--no-fetch-jobs",
            "--deploy-source=environment", "--deploy-environment=production",
            f"--json={metrics}",
        ],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT, env=run_env(),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    dora = json.loads(metrics.read_text(encoding="utf-8"))["dora"]
    assert dora["source"] == "environment"
    # Two rollouts (1.0.0, then the gated 2.0.0 across two jobs): two deploys, none failed;
    # paved's deployments are the record, GitHub's per-job ones of the commit are not counted.
    assert (dora["deployment_attempts"], dora["deployments"], dora["failed_deployments"]) == (
        2, 2, 0,
    )  # fmt: skip


def test_a_token_that_may_not_create_deployments_is_exit_3_before_anything_rolls_out(
    docker_host, service_images, github, tmp_path
):
    done = deploy(
        docker_host, github, service_images.v1, "--strategy=direct", token=False,
        tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    github.writes.refuse = 403
    done = deploy(docker_host, github, service_images.v2, "--strategy=direct", tmp_path=tmp_path)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "GitHub answered 403 when paved tried to create a deployment" in done.stderr
    assert "deployments: write" in done.stderr
    assert "Traceback" not in done.stderr
    assert served_version(docker_host) == "1.0.0"
    target = docker_host.target()
    assert target.observe(docker_host.app).candidate is None


def test_a_final_status_github_refuses_is_a_warning_and_the_rollouts_exit_code_stands(
    docker_host, service_images, github, tmp_path
):
    github.writes.refuse_statuses_after = 1  # in_progress goes through, success does not
    done = deploy(docker_host, github, service_images.v1, "--strategy=direct", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (only,) = deployments(github)
    assert states(github, only) == ["in_progress"]
    assert "WARNING: GitHub Deployment" in done.stdout
    assert "the status success could not be posted" in done.stdout
    assert outcome(tmp_path)["github_deployment"]["unposted_state"] == "success"


def test_no_commit_known_is_exit_2_and_a_dry_run_calls_no_github_api(
    docker_host, service_images, github, tmp_path
):
    env = run_env()
    del env["GITHUB_SHA"]
    done = deploy(docker_host, github, service_images.v1, env=env, tmp_path=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "GITHUB_SHA is not set" in done.stderr
    done = deploy(docker_host, github, service_images.v1, "--dry-run", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sum(github.stats.values()) == 0
    assert github.writes.requests == []


def test_an_error_mid_way_is_posted_as_error_and_the_original_error_is_the_exit(
    docker_host, service_images, github, tmp_path
):
    env = run_env()
    done = deploy(
        docker_host, github, service_images.v1, "--strategy=direct",
        f"--haproxy-socket={tmp_path / 'gone.sock'}", env=env, tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr
    assert "HAProxy's runtime API at" in done.stderr
    (failed,) = deployments(github)
    assert states(github, failed) == ["in_progress", "error"]
    # The next run is a new deploy attempt: the errored one is over.
    done = deploy(docker_host, github, service_images.v1, "--strategy=direct", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [states(github, d)[-1] for d in deployments(github)] == ["error", "success"]


def test_a_killed_job_leaves_its_deployment_in_progress_and_its_rerun_finishes_that_one(
    docker_host, service_images, github, tmp_path
):
    done = deploy(docker_host, github, service_images.v1, "--strategy=direct", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    canary = ["--strategy=canary", "--step-seconds=5", "--holder=job-1", "--lease-ttl=600"]
    job = command(docker_host, github, service_images.v2, *canary, tmp_path=tmp_path)
    try:
        killed_at_weight(docker_host, job, tmp_path / "job-1.log", cwd=ROOT, env=run_env())
    except ComponentError as exc:
        pytest.fail(str(exc))
    _, canary_deployment = deployments(github)
    assert states(github, canary_deployment) == ["in_progress"]

    # Another job is refused while the lease holds, and leaves job-1's deployment alone.
    other = deploy(
        docker_host, github, service_images.v2, "--strategy=canary", "--holder=job-2",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert other.returncode == 1, other.stdout + other.stderr
    assert "is in flight (lease held by job-1" in other.stderr
    assert len(deployments(github)) == 2
    assert states(github, canary_deployment)[-1] == "in_progress"

    rerun = deploy(docker_host, github, service_images.v2, *canary, tmp_path=tmp_path)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert outcome(tmp_path)["resumed_from_step"] is not None
    assert len(deployments(github)) == 2
    assert states(github, canary_deployment)[-1] == "success"
    assert outcome(tmp_path)["github_deployment_id"] == canary_deployment["id"]
