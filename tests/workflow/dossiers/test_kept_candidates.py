"""The to-do lists' WHERE clause is kept per grants, and built again when the lifecycles
change."""

from __future__ import annotations

import pytest

from workflow.core import registry
from workflow.core.actors import Actor
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import queues

pytestmark = pytest.mark.db


def test_the_clause_is_kept_per_grants_until_the_lifecycles_change(session, world):
    staff, head = world.actor("staff_a"), world.actor("head_a")
    first = queues._candidates(staff)
    assert queues._candidates(staff) is first
    assert queues._candidates(Actor(staff.user_id + 1000, staff.grants)) is first
    assert queues._candidates(head) is not first
    assert str(queues._candidates(head).compile()) == str(queues._built_candidates(head).compile())
    registry.register(*WORKFLOWS.values())  # what a change of the lifecycles does
    again = queues._candidates(staff)
    assert again is not first
    assert str(again.compile()) == str(first.compile())
