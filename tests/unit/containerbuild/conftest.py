"""Events and fakes (subclassing our own interfaces) for container-build unit tests."""

from __future__ import annotations

import pytest
from containerbuild_support import make_event


@pytest.fixture
def event():
    """Builds events: event(ref, **fields)."""
    return make_event
