"""The one list of capabilities: every front end and check reads it, so a capability added
there (and only there) is a `paved` subcommand and an action at once."""

from __future__ import annotations

import contextvars
import dataclasses
import importlib
import json
import textwrap
from pathlib import Path

import pytest
import yaml
from paved import capabilities, cli
from paved.capabilities import CAPABILITIES, Capability
from paved.gha import entry
from paved.params import Declaration, json_schema

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

FAKE_PACKAGE = {
    "__init__.py": '"""A capability that exists only in this test."""\n',
    "params.py": """
        from paved.params import Choice, Declaration, Flag, Integer, Lines, Text

        DECLARATION = Declaration(
            "echo-back",
            description="Says what it was given.",
            params=(
                Text(name="greeting", default="hello", help="What to say."),
                Integer(name="times", minimum=1, maximum=3, default="1", help="How often."),
                Choice(name="tone", choices=("calm", "loud"), default="calm", help="How."),
                Lines(name="names", help="Whom to greet, one per line."),
                Flag(name="shout", default="false", help="Upper case."),
            ),
        )
    """,
    "handler.py": """
        from paved.errors import ExitCode
        from paved.model import Rendered, Result

        def handle(args):
            words = [args.greeting.upper() if args.shout else args.greeting] * args.times
            text = " ".join([*words, *args.names]) + f" ({args.tone})"
            return Rendered(
                result=Result.PASSED,
                exit_code=ExitCode.OK,
                outputs={"result": "passed", "said": text},
                summary_markdown=text + "\\n",
                console_text=text + "\\n",
                json_document='{"said": "' + text + '"}',
            )
    """,
}


@pytest.fixture
def echo_back(tmp_path, monkeypatch) -> Capability:
    """Adds the fake capability by one line in the list, nothing else."""
    package = tmp_path / "echoback"
    package.mkdir()
    for name, text in FAKE_PACKAGE.items():
        (package / name).write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    added = Capability("echo-back", "echoback", "echoback.handler", "say it back")
    monkeypatch.setattr(capabilities, "CAPABILITIES", (*CAPABILITIES, added))
    return added


class Recording:
    def __init__(self) -> None:
        self.shown: list[object] = []
        self.failed: list[object] = []

    def show(self, rendered: object) -> None:
        self.shown.append(rendered)

    def fail(self, capability: str, error: object) -> None:
        self.failed.append((capability, error))


def test_a_capability_added_to_the_list_is_a_subcommand_with_its_declared_flags(echo_back):
    assert "echo-back" in cli.build_parser().format_help()
    frontend = Recording()
    argv = ["echo-back", "--greeting=hi", "--times=2", "--names=ada", "--names=bob", "--shout"]
    assert cli.run(argv, frontend) == 0
    [rendered] = frontend.shown
    assert rendered.console_text == "HI HI ada bob (calm)\n"


def test_its_flags_are_checked_by_the_declaration(echo_back):
    frontend = Recording()
    assert cli.run(["echo-back", "--times=9"], frontend) == 2
    [(_, error)] = frontend.failed
    assert str(error) == "--times: 9 is out of range (valid: a whole number from 1 to 3)"


def test_it_is_an_action_too(echo_back, tmp_path, monkeypatch, capsys):
    output = tmp_path / "output"
    output.write_text("", encoding="utf-8")
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("RUNNER_TEMP", str(tmp_path / "temp"))
    monkeypatch.setenv("INPUT_GREETING", "-x")
    monkeypatch.setenv("INPUT_NAMES", "ada\n# not her\ncy")
    monkeypatch.setenv("INPUT_TONE", "loud")
    code = contextvars.copy_context().run(entry.main, ["echo-back"])
    assert code == 0
    assert "said<<" in output.read_text(encoding="utf-8")
    assert "-x ada cy (loud)" in output.read_text(encoding="utf-8")
    assert "::error" not in capsys.readouterr().out


def test_its_config_schema_comes_from_the_same_declaration(echo_back):
    schema = json_schema(capabilities.declaration(echo_back))
    assert list(schema["properties"]) == ["greeting", "times", "tone", "names", "shout"]
    assert schema["properties"]["times"]["maximum"] == 3


@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.name)
def test_every_listed_capability_is_whole(capability: Capability):
    declaration = capabilities.declaration(capability)
    assert isinstance(declaration, Declaration)
    assert declaration.capability == capability.name
    assert callable(importlib.import_module(capability.handler).handle)
    if capability.action:
        action = yaml.safe_load((ROOT / "actions" / capability.name / "action.yml").read_text())
        assert list(action["inputs"]) == [p.name for p in declaration.inputs]
    else:
        assert not (ROOT / "actions" / capability.name).exists()
    assert f"\n### {capability.name}\n" in README
    json.dumps(json_schema(declaration))


def test_names_and_packages_are_unique():
    assert len({c.name for c in CAPABILITIES}) == len(CAPABILITIES)
    assert len({c.package for c in CAPABILITIES}) == len(CAPABILITIES)
    assert capabilities.find("no-such-thing") is None


def _options_from_no_flags(name: str, tmp_path: Path) -> object:
    """What the CLI makes of `paved <name>` with only the flags it cannot do without."""
    needed = {
        "build-test": [str(tmp_path)],
        "security-scan": [str(tmp_path)],
        "container-build": [str(tmp_path), "--image-name=acme/app"],
        "ci-metrics": ["--repository=acme/app"],
        "advisories": ["show", f"--database={tmp_path / 'osv'}"],
        "deploy-strategy": [
            "--app=shop",
            "--image=registry.local/shop@sha256:" + "0" * 64,
            "--holder=paved",  # computed from the run when empty
        ],
        "rollback-guard": ["--prometheus-url=http://127.0.0.1:9090", "--app=shop"],
        "compose": [],
    }[name]
    args = cli.build_parser(name).parse_args([name, *needed])
    module = importlib.import_module(capabilities.find(name).handler)
    if name == "container-build":
        return module.options_from(args, {})
    return module.options_from(args)


@pytest.mark.parametrize("capability", CAPABILITIES, ids=lambda c: c.name)
def test_the_options_defaults_are_what_the_declared_defaults_parse_to(capability, tmp_path):
    # A default written in the options dataclass as well as in the declaration must agree.
    built = _options_from_no_flags(capability.name, tmp_path)
    compared = 0
    for field in dataclasses.fields(built):
        if field.default is dataclasses.MISSING:
            continue
        assert getattr(built, field.name) == field.default, f"{capability.name}: {field.name}"
        compared += 1
    assert compared
