"""The action's inputs become flags; the registry password is masked and never a flag."""

from __future__ import annotations

from paved.gha import container_build
from paved.gha.inputs import read_inputs


def test_the_password_is_masked_and_read_from_the_environment(capsys):
    environ = {
        "GITHUB_WORKSPACE": "/w",
        "GITHUB_ACTOR": "octocat",
        "INPUT_REGISTRY": "127.0.0.1:5000",
        "INPUT_TAGS": "type=sha\ntype=raw,value=edge",
        "INPUT_BUILD_ARGS": "APP_VERSION=1",
        "INPUT_REGISTRY_PASSWORD": "hunter2-token",
        "INPUT_PUSH": "false",
    }
    argv = container_build.to_argv(read_inputs(container_build.INPUTS, environ), environ)
    assert "::add-mask::hunter2-token" in capsys.readouterr().out
    assert not any("hunter2" in arg for arg in argv)
    assert argv[:2] == ["container-build", "/w"]
    assert "--tag=type=raw,value=edge" in argv
    assert "--build-arg=APP_VERSION=1" in argv
    assert "--no-push" in argv
    assert "--registry-username=octocat" in argv
    assert "--registry-password-env=INPUT_REGISTRY_PASSWORD" in argv
