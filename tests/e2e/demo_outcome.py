"""What every `make demo` target must show at the end: each push's story, production back on
v2, the DORA line and the timeline of the guard's verdicts and the rollback job."""

from __future__ import annotations

import re


def checked_outcome(log: str) -> str:
    """Assert the three pushes' outcome in the demo's log; the timeline, for more checks."""
    outcome = log[log.rindex("paved demo: what the pipeline did") :]
    assert re.search(
        r"^v1 \(commit \w{7}\): staging succeeded; production succeeded", outcome, re.MULTILINE
    )
    assert re.search(
        r"^v2 \(commit \w{7}\): .*production succeeded; guard pass", outcome, re.MULTILINE
    )
    v3 = re.search(r"^v3 \(commit \w{7}\): (.*)$", outcome, re.MULTILINE)
    assert v3 is not None, outcome
    assert "guard fail" in v3[1]
    assert "rollback job succeeded" in v3[1]
    assert re.search(r"^production serves v2 \(commit \w{7}\)$", outcome, re.MULTILINE), outcome
    # v1 and v2 shipped; v3 shipped and was rolled back: a failed change, then restored.
    assert re.search(
        r"DORA \(records.*?\): 2 deployments .*change failure rate 33\.33%", outcome
    ), outcome
    timeline = outcome[outcome.index("paved demo timeline") :]
    assert re.search(r"  v2 Guard production: verdict pass", timeline), timeline
    assert re.search(r"  v3 Guard production: verdict fail", timeline), timeline
    assert re.search(r"  v3 Roll back production: succeeded, status succeeded", timeline)
    assert "Roll back production" not in timeline.split("push 3:")[0]
    return timeline
