import pytest
from paved.buildtest import Formatter, Language, Linter, Shell, plan
from paved.buildtest.testdeps import Dependencies
from paved.errors import UsageError


def test_user_command_without_a_shell_is_an_argument_list(options):
    command = plan.user_command(options(), "test-command", "pytest -k 'not slow' -x")
    assert command.argv == ("pytest", "-k", "not slow", "-x")


@pytest.mark.parametrize(
    ("text", "argv"),
    [
        ("echo $(touch pwned)", ("echo", "$(touch", "pwned)")),
        ('echo "$(touch pwned)"', ("echo", "$(touch pwned)")),
        ("npm test && touch pwned", ("npm", "test", "&&", "touch", "pwned")),
        ("echo `id` > out", ("echo", "`id`", ">", "out")),
    ],
)
def test_shell_syntax_without_a_shell_stays_literal_arguments(options, text, argv):
    assert plan.user_command(options(), "test-command", text).argv == argv


@pytest.mark.parametrize("shell", [Shell.BASH, Shell.SH])
def test_user_command_with_a_shell_runs_it_with_errexit(options, shell):
    command = plan.user_command(options(shell=shell), "test-command", "npm test && npm run e2e")
    assert command.argv == (shell.value, "-e", "-c", "npm test && npm run e2e")


def test_python_user_commands_find_the_venv_tools_first(options, paths):
    command = plan.user_command(
        options(language=Language.PYTHON, extra_env={"CI": "1"}), "lint-command", "ruff check"
    )
    assert command.prepend_path == (str(paths["venv"] / "bin"),)
    assert command.env == {"CI": "1"}
    assert command.cwd == paths["project"]


@pytest.mark.parametrize(
    ("marker", "language"),
    [
        ("pyproject.toml", Language.PYTHON),
        ("setup.py", Language.PYTHON),
        ("requirements.txt", Language.PYTHON),
        ("package.json", Language.NODE),
        ("go.mod", Language.GO),
    ],
)
def test_language_is_detected_from_its_marker_file(marker, language):
    assert plan.detect_language({marker, "README.md"}, "svc") is language


def test_without_a_marker_the_error_names_the_files_and_the_input():
    with pytest.raises(UsageError) as caught:
        plan.detect_language({"README.md"}, "examples/svc")
    message = str(caught.value)
    assert message.startswith("language: cannot tell the language of examples/svc")
    assert "pyproject.toml, setup.py, requirements.txt, package.json, go.mod" in message
    assert "(valid: python, node or go" in message


def test_pytest_writes_junit_coverage_and_its_tally_to_the_given_paths(options, paths):
    reports = plan.ReportPaths.under(paths["results"])
    command = plan.python_test(options(pytest_args=("-x", "-q")), reports)
    python, dash_c, _main, plugin_dir, *rest = command.argv
    assert (python, dash_c) == (str(paths["venv"] / "bin" / "python"), "-c")
    assert plugin_dir == str(plan.PYTEST_PLUGIN_DIR)
    assert (plan.PYTEST_PLUGIN_DIR / "paved_pytest_tally.py").is_file()
    assert rest == [
        "-p",
        "paved_pytest_tally",
        f"--junitxml={reports.junit}",
        "-o",
        "junit_family=xunit1",
        "--cov",
        f"--cov-report=xml:{reports.coverage_xml}",
        f"--cov-report=json:{reports.coverage_json}",
        "--cov-report=term",
        "-x",
        "-q",
    ]
    assert command.env["VIRTUAL_ENV"] == str(paths["venv"])
    assert command.env[plan.PYTEST_TALLY_ENV] == str(reports.tally)


def test_pytest_measures_the_chosen_coverage_source(options, paths):
    command = plan.python_test(
        options(coverage_source="service"), plan.ReportPaths.under(paths["results"])
    )
    assert "--cov=service" in command.argv


def test_a_configured_test_command_replaces_pytest(options, paths):
    command = plan.python_test(
        options(test_command="make test"), plan.ReportPaths.under(paths["results"])
    )
    assert command.argv == ("make", "test")


def test_ruff_lint_writes_json_to_a_file_and_never_fixes(options, paths):
    report = paths["results"] / "ruff.json"
    command = plan.python_lint(options(linter=Linter.RUFF), report)
    assert command is not None
    assert command.argv[1:] == (
        "-m",
        "ruff",
        "check",
        "--output-format=json",
        f"--output-file={report}",
        "--no-fix",
        ".",
    )


def test_ruff_format_prints_one_line_per_file_and_leaves_markdown_alone(options):
    command = plan.python_format(options(formatter=Formatter.RUFF))
    assert command is not None
    assert command.env["RUFF_OUTPUT_FORMAT"] == "concise"
    assert "--extend-exclude=*.md" in command.argv


@pytest.mark.parametrize(
    ("formatter", "linter"), [(Formatter.AUTO, Linter.AUTO), (Formatter.NONE, Linter.NONE)]
)
def test_unresolved_or_switched_off_checkers_run_nothing(options, paths, formatter, linter):
    chosen = options(formatter=formatter, linter=linter)
    assert plan.python_format(chosen) is None
    assert plan.python_lint(chosen, paths["results"] / "ruff.json") is None
    assert plan.needed_modules(chosen) == ("pytest", "pytest_cov")


@pytest.mark.parametrize(
    ("settings", "modules"),
    [
        ({"formatter": Formatter.RUFF, "linter": Linter.RUFF}, ("pytest", "pytest_cov", "ruff")),
        ({"formatter": Formatter.NONE, "linter": Linter.NONE}, ("pytest", "pytest_cov")),
        (
            {"formatter": Formatter.BLACK, "linter": Linter.FLAKE8},
            ("pytest", "pytest_cov", "black", "flake8"),
        ),
        ({"format_command": "make fmt", "lint_command": "make lint"}, ("pytest", "pytest_cov")),
    ],
)
def test_needed_modules_follow_the_chosen_checkers(options, settings, modules):
    assert plan.needed_modules(options(**settings)) == modules


def test_missing_tools_are_installed_at_their_pinned_versions(options):
    command = plan.install_tools(options(), ("pytest_cov", "ruff"), {})
    assert command.argv[-2:] == (plan.TOOL_PINS["pytest_cov"], plan.TOOL_PINS["ruff"])
    assert command.argv[-2].startswith("pytest-cov==")


def test_a_tool_the_project_pins_is_installed_at_its_version(options):
    command = plan.install_tools(options(), ("pytest_cov", "ruff"), {"ruff": "ruff==0.3.5"})
    assert command.argv[-2:] == (plan.TOOL_PINS["pytest_cov"], "ruff==0.3.5")


def test_python_install_takes_requirements_the_package_with_extras_and_groups(options):
    found = Dependencies(
        requirement_files=("requirements.txt",),
        extras=("dev", "test"),
        groups=("tests",),
        group_requirements=("pytest>=8", "hypothesis"),
    )
    command = plan.python_install(options(), found, project_table=True)
    assert command is not None
    assert command.argv[-6:] == (
        "-r",
        "requirements.txt",
        "-e",
        ".[dev,test]",
        "pytest>=8",
        "hypothesis",
    )


def test_python_install_is_skipped_when_there_is_nothing_to_install(options):
    assert plan.python_install(options(), Dependencies(), project_table=False) is None


@pytest.mark.parametrize(
    ("language", "present", "argv"),
    [
        (
            Language.NODE,
            {"package.json", "package-lock.json"},
            ("npm", "ci", "--no-audit", "--no-fund"),
        ),
        (Language.NODE, {"package.json"}, ("npm", "install", "--no-audit", "--no-fund")),
        (Language.GO, {"go.mod"}, ("go", "mod", "download")),
    ],
)
def test_node_and_go_install_with_the_usual_command(options, language, present, argv):
    command = plan.other_install(options(language=language), present)
    assert command is not None
    assert command.argv == argv


@pytest.mark.parametrize(
    ("language", "argv"), [(Language.NODE, ("npm", "test")), (Language.GO, ("go", "test", "./..."))]
)
def test_node_and_go_test_with_the_usual_command(options, language, argv):
    assert plan.other_test(options(language=language)).argv == argv


def test_a_project_the_tools_depend_on_is_kept_and_the_tools_follow_it(options):
    command = plan.install_tools(
        options(), ("pytest", "pytest_cov", "ruff"), {"ruff": "ruff==0.3.5"}, ".[testing]"
    )
    assert command.argv[-5:] == ("pytest", "pytest-cov", "ruff==0.3.5", "-e", ".[testing]")
    assert "pluggy" in plan.TOOL_DEPENDENCIES
