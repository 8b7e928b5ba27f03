"""The action's inputs become flags; the registry password is masked and never a flag."""

from __future__ import annotations

from paved.cli import build_parser
from paved.cli.container_build import options_from
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
        "INPUT_PUSH": "false",
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
    assert "--no-push" in argv
    assert "--registry-password-env=INPUT_REGISTRY_PASSWORD" in argv

    options = options_from(build_parser("container-build").parse_args(argv), environ)
    assert options.credentials is not None
    assert (options.credentials.username, options.credentials.password) == (
        "octocat",
        "hunter2-token",
    )
    assert options.platforms == ("linux/amd64", "linux/arm64")
    assert options.push is False
    assert [rule.source for rule in options.tag_rules] == ["type=sha", "type=raw,value=edge"]
