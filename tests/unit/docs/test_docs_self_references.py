"""paved's reusable workflows run their own commit's actions, on GitHub and under act."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
sys.path.insert(0, str(ROOT / "examples"))
import act_local  # noqa: E402


def test_our_actions_and_workflows_are_called_by_self_reference_never_by_a_moving_tag():
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        assert not re.search(r"uses:\s*pavedhq/paved/", text), workflow.name


def test_the_act_copy_spells_every_self_reference_as_the_mapped_repository():
    for workflow in WORKFLOWS:
        text = act_local.for_act(workflow.read_text(encoding="utf-8"))
        assert "$/" not in text, workflow.name
    assert act_local.for_act("      - uses: $/actions/build-test\n") == (
        "      - uses: pavedhq/paved/actions/build-test@v1\n"
    )
