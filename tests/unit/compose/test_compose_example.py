"""The example consumer's generated workflow is committed and is what its config produces."""

from __future__ import annotations

from pathlib import Path

from paved.cli import run

CONSUMER = Path(__file__).resolve().parents[3] / "examples" / "consumer"


class _Frontend:
    def show(self, rendered) -> None:
        self.text = rendered.console_text

    def fail(self, capability, error) -> None:
        self.text = f"{capability}: {error}"


def test_the_committed_example_workflow_is_what_its_config_produces():
    # Regenerate: cd examples/consumer && paved compose (the defaults are these paths).
    frontend = _Frontend()
    argv = [
        "compose",
        f"--config={CONSUMER / 'pipeline-config.yaml'}",
        f"--output={CONSUMER / '.github' / 'workflows' / 'main.yaml'}",
        "--check",
    ]
    assert run(argv, frontend) == 0, frontend.text
