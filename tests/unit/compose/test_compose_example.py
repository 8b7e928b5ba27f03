"""The example consumers' generated workflows are committed and are what their configs produce."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.cli import run

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CONSUMERS = ("consumer", "consumer-kubernetes")


class _Frontend:
    def show(self, rendered) -> None:
        self.text = rendered.console_text

    def fail(self, capability, error) -> None:
        self.text = f"{capability}: {error}"


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_the_committed_example_workflow_is_what_its_config_produces(consumer: str):
    # Regenerate: cd examples/<consumer> && paved compose (the defaults are these paths).
    frontend = _Frontend()
    argv = [
        "compose",
        f"--config={EXAMPLES / consumer / 'pipeline-config.yaml'}",
        f"--output={EXAMPLES / consumer / '.github' / 'workflows' / 'main.yaml'}",
        "--check",
    ]
    assert run(argv, frontend) == 0, frontend.text
