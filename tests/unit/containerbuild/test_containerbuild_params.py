"""The action's inputs become flags; the registry password is masked and never a flag."""

from __future__ import annotations

from paved.cli import build_parser
from paved.cli.container_build import options_from, registries_for
from paved.containerbuild.params import DECLARATION
from paved.gha.inputs import action_argv


def test_the_password_is_masked_and_read_from_the_environment(capsys):
    environ = {
        "GITHUB_WORKSPACE": "/w",
        "GITHUB_ACTOR": "octocat",
        "GITHUB_REPOSITORY": "acme/app",
        "INPUT_REGISTRY": "127.0.0.1:5000",
        "INPUT_TAGS": "type=sha\ntype=raw,value=edge",
        "INPUT_BUILD_ARGS": "APP_VERSION=1",
        "INPUT_PLATFORMS": "linux/amd64,linux/arm64",
        "INPUT_REGISTRY_PASSWORD": "hunter2-token",
        "INPUT_PUSH": "true",
        "INPUT_NO_CACHE": "true",
        "INPUT_IMAGES": "ghcr.io/Acme/App\n127.0.0.1:5000/acme/app",
    }
    argv = action_argv(DECLARATION, environ)
    assert "::add-mask::hunter2-token" in capsys.readouterr().out
    assert not any("hunter2" in arg for arg in argv)
    assert argv[:2] == ["container-build", "/w"]
    assert "--tags=type=raw,value=edge" in argv
    assert "--build-args=APP_VERSION=1" in argv
    assert [a for a in argv if a.startswith("--platforms")] == [
        "--platforms=linux/amd64",
        "--platforms=linux/arm64",
    ]
    assert "--push" in argv
    assert "--no-cache" in argv
    assert "--registry-password-env=INPUT_REGISTRY_PASSWORD" in argv

    options = options_from(build_parser("container-build").parse_args(argv), environ)
    assert options.credentials is not None
    assert (options.credentials.username, options.credentials.password) == (
        "octocat",
        "hunter2-token",
    )
    assert options.platforms == ("linux/amd64", "linux/arm64")
    assert options.push is True
    assert options.no_cache is True
    assert [t.name for t in options.targets] == ["ghcr.io/acme/app", "127.0.0.1:5000/acme/app"]
    # Highest priority first, as metadata-action orders them: raw (200) before sha (100).
    assert [rule.source for rule in options.tag_rules] == ["type=raw,value=edge", "type=sha"]


def test_a_flag_whose_name_starts_with_no_is_set_by_its_own_name():
    parser = build_parser("container-build")
    assert parser.parse_args(["container-build", ".", "--no-cache"]).no_cache is True
    assert parser.parse_args(["container-build", ".", "--no-no-cache"]).no_cache is False
    assert parser.parse_args(["container-build", "."]).no_cache is False
    assert parser.parse_args(["container-build", ".", "--no-push"]).push is False


def test_credentials_go_only_to_the_registry_inputs_host():
    environ = {
        "GITHUB_REPOSITORY": "acme/app",
        "GITHUB_ACTOR": "octocat",
        "REGISTRY_TOKEN": "s3cret",
    }
    argv = [
        "container-build",
        ".",
        "--registry=ghcr.io",
        "--images=ghcr.io/acme/app",
        "--images=docker.io/acme/app",
        "--registry-password-env=REGISTRY_TOKEN",
    ]
    options = options_from(build_parser("container-build").parse_args(argv), environ)
    registries = registries_for(options)
    assert set(registries) == {"ghcr.io", "docker.io"}
    # The adapter keeps its credentials private; this test is about where they go.
    assert registries["ghcr.io"]._auth == ("octocat", "s3cret")  # noqa: SLF001
    assert registries["docker.io"]._auth is None  # noqa: SLF001
    assert registries["docker.io"].base == "https://registry-1.docker.io"
