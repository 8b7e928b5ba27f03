"""Test dependencies from the layouts real projects use."""

import pytest
from paved.buildtest.project import TEST_REQUIREMENT_FILES, project_files
from paved.buildtest.testdeps import find_test_dependencies
from paved.errors import UsageError


def found(texts, *, requirements=(), extras=()):
    files = project_files(texts, "svc")
    return find_test_dependencies(files, requirements=requirements, extras=extras)


@pytest.mark.parametrize(
    "layout",
    [
        "requirements/tests.txt",
        "requirements/test.txt",
        "tests/requirements.txt",
        "requirements-test.txt",
        "requirements-tests.txt",
        "requirements-dev.txt",
    ],
)
def test_each_usual_test_requirements_file_is_found(layout):
    assert layout in TEST_REQUIREMENT_FILES
    assert found({layout: "pytest\n"}).requirement_files == (layout,)


def test_runtime_requirements_come_before_the_test_requirements():
    texts = {"requirements-dev.txt": "", "requirements.txt": "", "requirements/tests.txt": ""}
    assert found(texts).requirement_files == (
        "requirements.txt",
        "requirements/tests.txt",
        "requirements-dev.txt",
    )


def test_a_pallets_dev_file_is_not_a_test_file():
    assert found({"requirements/dev.txt": "tox\n"}).requirement_files == ()


PYPROJECT_EXTRAS = """\
[project]
name = "lib"
version = "1"
[project.optional-dependencies]
docs = ["sphinx"]
%s
"""


@pytest.mark.parametrize(
    ("extras", "chosen"),
    [
        ('test = ["pytest"]', ("test",)),
        ('Tests = ["pytest"]', ("Tests",)),
        ('testing = ["pytest"]\ndev = ["tox"]', ("testing",)),
        ('dev = ["pytest"]', ("dev",)),
        ("", ()),
    ],
)
def test_the_test_extra_is_chosen_and_dev_only_when_there_is_none(extras, chosen):
    assert found({"pyproject.toml": PYPROJECT_EXTRAS % extras}).extras == chosen


def test_given_extras_and_requirements_replace_what_is_detected():
    texts = {
        "pyproject.toml": PYPROJECT_EXTRAS
        % 'test = ["pytest"]\n[dependency-groups]\ntests = ["x"]',
        "requirements/tests.txt": "",
    }
    chosen = found(texts, requirements=("ci.txt",), extras=("docs",))
    assert chosen.requirement_files == ("ci.txt",)
    assert chosen.extras == ("docs",)
    assert chosen.groups == ()
    assert chosen.group_requirements == ()


GROUPS = """\
[dependency-groups]
mypy = [{ include-group = "tests" }, "mypy"]
tests = ["pytest>=8", { include-group = "Base_Deps" }, "hypothesis"]
base-deps = ["attrs", "hypothesis"]
dev = ["tox", { include-group = "tests" }]
"""


def test_a_dependency_group_is_resolved_with_its_includes_in_order_without_repeats():
    chosen = found({"pyproject.toml": GROUPS})
    assert chosen.groups == ("tests",)
    assert chosen.group_requirements == ("pytest>=8", "attrs", "hypothesis")


def test_the_dev_group_is_the_fallback():
    text = '[dependency-groups]\ndev = ["pytest", {include-group = "lint"}]\nlint = ["ruff"]\n'
    chosen = found({"pyproject.toml": text})
    assert chosen.groups == ("dev",)
    assert chosen.group_requirements == ("pytest", "ruff")


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        ('tests = [{include-group = "tests"}]', "include-group makes a cycle: tests -> tests"),
        ('tests = [{include-group = "nope"}]', "include-group names 'nope', which is not a group"),
        ("tests = [1]", "neither text nor include-group"),
        ('tests = "pytest"', "group 'tests' is not a list"),
    ],
)
def test_broken_dependency_groups_are_one_usage_error(groups, problem):
    with pytest.raises(UsageError) as caught:
        found({"pyproject.toml": f"[dependency-groups]\n{groups}\n"})
    assert problem in str(caught.value)
    assert "pyproject.toml [dependency-groups]" in str(caught.value)


def test_a_pyproject_that_is_not_toml_is_a_usage_error_naming_it():
    with pytest.raises(UsageError) as caught:
        project_files({"pyproject.toml": "[project"}, "examples/svc")
    assert str(caught.value).startswith("examples/svc/pyproject.toml: is not valid TOML")


SETUP_CFG = """\
[metadata]
name = pluggy

[options.extras_require]
dev =
    pre-commit
    tox
testing =
    pytest
    pytest-benchmark
"""


def test_setup_cfg_extras_count_when_pyproject_has_none():
    chosen = found({"setup.cfg": SETUP_CFG, "pyproject.toml": "[tool.black]\n"})
    assert chosen.extras == ("testing",)
    assert project_files({"setup.cfg": SETUP_CFG}, "svc").name == "pluggy"
