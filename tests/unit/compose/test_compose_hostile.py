"""Whatever the file holds, the config reader answers with a config or one ConfigError."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from paved.compose.config import load
from paved.compose.graph import compose, pin
from paved.errors import ConfigError
from paved.report.compose import workflow_text

KEYS = st.sampled_from(
    ["name", "language", "stages", "tasks", "strategy", "environment", "canary", "needs",
     "build", "security", "deploy", "rollback-guard", "initial-weight", "max-weight",
     "build-and-test", "container-build", "registry-password", "smoke", "replicas", "x"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 500),
    st.floats(allow_nan=True),
    st.sampled_from(["python", "canary", "build-and-test", "security-scan", "staging", "~", ""]),
    st.text(max_size=20),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)


def _read(text: str) -> None:
    try:
        config = load(text, "p.yaml")
    except ConfigError as error:
        message = str(error)
    else:
        workflow_text(compose(config, pin("pavedhq/paved", "v1")), "p.yaml")
        return
    assert message.startswith("p.yaml")


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS)
def test_any_yaml_document_is_a_config_or_one_located_error(document):
    _read(yaml.safe_dump(document))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_config_or_one_located_error(text):
    _read(text)


SEED = yaml.safe_load(
    (
        Path(__file__).resolve().parents[2] / "fixtures" / "compose" / "seed-python-api.yaml"
    ).read_text(encoding="utf-8")
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = [p for p in _paths(SEED) if p]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PATHS), DOCUMENTS)
def test_the_seed_config_with_any_one_value_replaced_is_a_config_or_one_located_error(path, value):
    document = copy.deepcopy(SEED)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    _read(yaml.safe_dump(document))


VALUES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(VALUES)
def test_a_setting_reaches_the_workflow_exactly_as_the_config_gave_it(value):
    text = yaml.safe_dump(
        {
            "name": "app",
            "build-and-test": {"pytest-args": value},
            "stages": [{"name": "a", "tasks": ["build-and-test"]}],
        },
        allow_unicode=True,
    )
    config = load(text, "p.yaml")
    given_value = config.settings["build-and-test"].get("pytest-args")
    workflow = yaml.safe_load(workflow_text(compose(config, pin("pavedhq/paved", "v1")), "p"))
    passed = workflow["jobs"]["build-and-test"].get("with", {}).get("pytest-args")
    assert passed == (given_value.value if given_value else None)
