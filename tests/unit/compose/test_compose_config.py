"""Bad configs: one ConfigError at file:line:column, saying what is valid (exit 2)."""

from __future__ import annotations

import textwrap

import pytest
from paved.compose.config import load
from paved.errors import ConfigError, ExitCode

GOOD = """\
name: myapp
language: python
stages:
  - name: checks
    tasks: [build-and-test, security-scan]
"""


def _error(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(textwrap.dedent(text), "pipeline-config.yaml")
    assert caught.value.exit_code is ExitCode.USAGE
    return str(caught.value)


def test_a_good_config_loads():
    config = load(GOOD, "pipeline-config.yaml")
    assert config.name == "myapp"
    assert config.settings["build-and-test"]["language"].value == "python"


def test_a_stage_that_needs_an_unknown_task_names_it_the_valid_ones_and_the_likely_one():
    message = _error(GOOD.replace("security-scan]", "security-scna]"))
    assert message.startswith("pipeline-config.yaml:5:29: stages[0].tasks[1]: unknown task")
    assert "did you mean 'security-scan'?" in message
    assert "(valid: build-and-test, security-scan, container-build)" in message


def test_a_stage_that_waits_for_an_unknown_stage_is_an_error():
    message = _error(GOOD + "  - name: image\n    tasks: [container-build]\n    needs: [chekcs]\n")
    assert message.startswith("pipeline-config.yaml:8:13: stages[1].needs[0]: unknown stage")
    assert "did you mean 'checks'?" in message


def test_an_unknown_language_lists_build_tests_own_languages():
    message = _error(GOOD.replace("language: python", "language: cobol"))
    assert message == (
        "pipeline-config.yaml:2:11: language: 'cobol' is not a choice "
        "(valid: auto, python, node, go)"
    )


def test_a_misspelt_top_level_key_gets_a_did_you_mean():
    message = _error(GOOD.replace("language:", "langauge:"))
    assert message.startswith(
        "pipeline-config.yaml:2:1: unknown key 'langauge'; did you mean 'language'?"
    )
    assert "(valid: name, language, language-version," in message


def test_a_misspelt_setting_names_the_tasks_declared_parameters():
    message = _error(GOOD + "build-and-test:\n  coverage-treshold: 80\n")
    assert message.startswith(
        "pipeline-config.yaml:7:3: build-and-test: unknown setting of build-and-test "
        "'coverage-treshold'; did you mean 'coverage-threshold'?"
    )


def test_a_setting_is_checked_by_its_declared_parameter():
    message = _error(GOOD + "build-and-test:\n  coverage-threshold: 120\n")
    assert message == (
        "pipeline-config.yaml:7:23: build-and-test.coverage-threshold: 120 is out of range "
        "(valid: a number from 0 to 100, or empty for none)"
    )
    message = _error(GOOD + "build:\n  allow-no-tests: yes\n")
    assert message.startswith(
        "pipeline-config.yaml:7:19: build.allow-no-tests: 'yes' is not a boolean"
    )


def test_a_secret_setting_takes_the_name_of_a_secret_never_the_secret():
    message = _error(GOOD + "container-build:\n  registry-password: hunter2!\n")
    assert "'hunter2!' is not a secret's name" in message
    config = load(GOOD + "container-build:\n  registry-password: REGISTRY_TOKEN\n", "p.yaml")
    setting = config.settings["container-build"]["registry-password"]
    assert (setting.value, setting.secret) == ("REGISTRY_TOKEN", True)


def test_a_deploy_stage_with_no_environment_says_what_it_needs():
    message = _error(GOOD + "  - name: deploy-staging\n    strategy: blue-green\n")
    assert message.startswith(
        "pipeline-config.yaml:6:5: stages[1]: deploy stage 'deploy-staging' has no environment"
    )
    assert "(valid: environment: the GitHub environment it deploys to" in message


def test_not_yaml_is_reported_where_the_parser_stopped():
    message = _error("name: myapp\nstages: [\n  - name: x\n")
    assert message.startswith("pipeline-config.yaml:3:")
    assert "not valid YAML" in message


def test_a_key_given_twice_is_an_error_not_a_silent_override():
    message = _error(GOOD + "name: other\n")
    assert message == "pipeline-config.yaml:6:1: 'name' is given twice"


def test_a_task_in_two_stages_is_an_error():
    message = _error(GOOD + "  - name: again\n    tasks: [security-scan]\n")
    assert "task 'security-scan' already runs in an earlier stage" in message


def test_the_name_is_required():
    message = _error("stages:\n  - name: x\n    tasks: [build-and-test]\n")
    assert message.startswith("pipeline-config.yaml:1:1: 'name' is required")


def test_language_version_is_for_python_only():
    message = _error(GOOD.replace("python", "node") + "language-version: '20'\n")
    assert "language-version: applies to Python only, and the language is node" in message


def test_the_seed_keys_become_paved_settings():
    config = load(
        GOOD
        + "build:\n  python-version: '3.12'\n  custom-build: poetry build\n"
        + "security:\n  scan-dependencies: false\n  scan-container: true\n",
        "p.yaml",
    )
    assert config.settings["build-and-test"]["python"].value == "python3.12"
    assert config.settings["container-build"]["prepare-command"].value == "poetry build"
    assert config.settings["security-scan"]["scanners"].value == "bandit,secrets,sbom"
    assert config.scan_image


def test_image_registry_gives_the_registry_and_the_image_name():
    message = _error("image-registry: 'ghcr.io/My Org'\n" + GOOD)
    assert "is not a registry and path" in message
    config = load("image-registry: ghcr.io/myorg\n" + GOOD, "p.yaml")
    built = config.settings["container-build"]
    assert (built["registry"].value, built["image-name"].value) == ("ghcr.io", "myorg/myapp")


def test_values_are_read_as_written_not_as_yaml_1_1_guesses():
    config = load(GOOD + "build-and-test:\n  pytest-args: 3.10\n  linter: none\n", "p.yaml")
    assert config.settings["build-and-test"]["pytest-args"].value == "3.10"
    message = _error(GOOD + "build-and-test:\n  allow-no-tests: on\n")
    assert "'on' is not a boolean" in message


def test_the_name_must_be_able_to_name_an_image_and_an_app():
    message = _error(GOOD.replace("name: myapp", "name: My App"))
    assert message.startswith("pipeline-config.yaml:1:7: name: 'My App' cannot name an image")


def test_a_task_paved_places_itself_is_not_listed_in_a_stage():
    message = _error(GOOD.replace("security-scan]", "ci-metrics]"))
    assert "ci-metrics is not listed in a stage: paved adds it where it belongs" in message


def test_a_branch_that_would_break_the_workflows_conditions_is_refused():
    message = _error(GOOD + 'branch: "it\'s"\n')
    assert message.startswith('pipeline-config.yaml:6:9: branch: "it\'s" is not a branch name')
