"""The property tier runs the action entry in-process, which installs the runner's log sink."""

from __future__ import annotations

import pytest
from paved import log


@pytest.fixture(autouse=True)
def _own_log_sink():
    """Each case gets the log sink back as it found it, so later tests log to stderr again."""
    before = log.current()
    yield
    log.install(before)
