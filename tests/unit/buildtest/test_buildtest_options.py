import pytest
from paved.buildtest import Shell
from paved.buildtest.options import validate
from paved.errors import ExitCode, UsageError


@pytest.mark.parametrize("threshold", [101, -0.5, float("nan")])
def test_threshold_out_of_range_names_the_input_and_the_range(options, threshold):
    with pytest.raises(UsageError) as caught:
        validate(options(coverage_threshold=threshold))
    message = str(caught.value)
    assert message.startswith("coverage-threshold: ")
    assert "is out of range (valid: 0 to 100)" in message
    assert caught.value.exit_code is ExitCode.USAGE


@pytest.mark.parametrize("threshold", [0, 100, 87.5])
def test_threshold_in_range_is_accepted(options, threshold):
    chosen = options(coverage_threshold=threshold)
    assert validate(chosen) is chosen


def test_threshold_101_message_shows_the_value(options):
    with pytest.raises(UsageError, match=r"^coverage-threshold: 101 is out of range"):
        validate(options(coverage_threshold=101.0))


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [
        ("junit_file", "../x", "junit-file"),
        ("coverage_file", "reports/../../coverage.xml", "coverage-file"),
        ("coverage_file", "/srv/reports/coverage.xml", "coverage-file"),
        ("requirements", ("requirements.txt", "/etc/requirements.txt"), "requirements"),
    ],
)
def test_paths_outside_the_project_are_refused(options, field, value, name):
    with pytest.raises(UsageError) as caught:
        validate(options(**{field: value}))
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert "is not inside the project" in message
    assert "(valid: a path relative to the project directory, without '..')" in message


def test_paths_inside_the_project_are_accepted(options):
    chosen = options(junit_file="reports/junit.xml", requirements=("requirements/dev.txt",))
    assert validate(chosen) is chosen


def test_unbalanced_quotes_without_a_shell_name_the_command_and_the_way_out(options):
    with pytest.raises(UsageError) as caught:
        validate(options(test_command="pytest -k 'not slow"))
    message = str(caught.value)
    assert message.startswith('test-command: cannot split "pytest -k \'not slow"')
    assert "(valid: a command line with balanced quotes, or set shell: bash)" in message


def test_unbalanced_quotes_are_left_to_the_chosen_shell(options):
    chosen = options(test_command="pytest -k 'not slow", shell=Shell.BASH)
    assert validate(chosen) is chosen


def test_an_empty_command_is_refused(options):
    with pytest.raises(UsageError, match=r"^install-command: is empty \(valid: a command line"):
        validate(options(install_command="   "))
