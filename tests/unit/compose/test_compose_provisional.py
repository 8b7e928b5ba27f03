"""The stand-ins for deploy-strategy's and rollback-guard's declarations (while those are not
on main) can only be exact copies: once the capability is registered, every stand-in
parameter must be the declared one, to the schema it gives."""

from __future__ import annotations

import pytest
from paved import capabilities
from paved.compose import tasks

STANDING_IN = [task for task in tasks.TASKS if task.provisional is not None]


@pytest.mark.parametrize("task", STANDING_IN, ids=lambda t: t.name)
def test_a_stand_in_is_the_real_declaration_once_there_is_one(task: tasks.Task):
    found = capabilities.find(task.capability)
    if found is None:
        # Standing in: it is what the composer reads, and the workflow tests check it.
        assert task.declaration() is task.provisional
        return
    real = capabilities.declaration(found)
    assert task.declaration() is real
    assert task.provisional.description == real.description
    for param in task.provisional.params:
        assert param.schema() == real.get(param.name).schema(), param.name
        assert param.required == real.get(param.name).required, param.name
