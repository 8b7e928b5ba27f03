"""The JSON Schema paved ships for pipeline-config.yaml is the one the declarations give,
and it agrees with the config reader on the corpus."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from paved.compose import schema, tasks
from paved.compose.config import load
from paved.errors import ConfigError
from paved.report.compose import schema_text

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "lib" / "paved" / "compose" / schema.SCHEMA_FILE
CORPUS = sorted((ROOT / "tests" / "fixtures" / "compose").glob("*.yaml"))


def test_the_shipped_schema_is_the_generated_one():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(schema.config_schema()), (
        "a declaration changed: regenerate with "
        "`paved compose --schema > lib/paved/compose/pipeline-config.schema.json`"
    )


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema.config_schema())


def test_each_task_block_is_its_declared_parameters_the_workflow_takes():
    defs = schema.config_schema()["$defs"]
    for task in tasks.TASKS:
        declared = [p.name for p in task.declaration().inputs if p.name not in task.omitted]
        properties = list(defs[task.name]["properties"])
        assert [n for n in properties if n in declared] == [
            n for n in declared if n not in task.wired
        ]
        for param in task.settings():
            assert defs[task.name]["properties"][param.name]["description"].endswith(param.help)


@pytest.mark.parametrize("config", CORPUS, ids=lambda p: p.stem)
def test_every_corpus_config_is_valid_by_the_schema(config: Path):
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema.config_schema())


@pytest.mark.parametrize(
    "bad",
    [
        "name: x\nstages: [{name: a, tasks: [biuld]}]\n",
        "name: x\nlanguage: cobol\nstages: [{name: a, tasks: [build-and-test]}]\n",
        "name: x\nstages: [{name: a, strategy: blue-green}]\n",
        "name: x\nstages: [{name: a, tasks: [build-and-test]}]\nbuild: {coverage-treshold: 1}\n",
        "stages: [{name: a, tasks: [build-and-test]}]\n",
    ],
)
def test_what_the_reader_refuses_the_schema_refuses_too(bad: str):
    with pytest.raises(ConfigError):
        load(bad, "p.yaml")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(bad), schema.config_schema())
