"""The statement of a person's candidates for the to-do lists is built once per set of grants
and built again when the lifecycles change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.workflow.lifecycles.test_lifecycle_facts import toy
from workflow.core import registry
from workflow.core.actors import Actor, Role
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import queues


@pytest.fixture()
def registry_restored() -> Iterator[None]:
    saved = dict(WORKFLOWS)
    yield
    WORKFLOWS.clear()
    registry.register(*saved.values())


def _sql(stmt) -> str:
    return str(stmt.compile(compile_kwargs={"literal_binds": True}))


def test_the_candidates_statement_is_kept_per_grants(registry_restored):
    office = Actor(1, frozenset({(Role.OFFICE_REVIEWER, None)}))
    first = queues._candidates_statement(office)
    # Another person with the same grants shares it; other grants have their own.
    assert queues._candidates_statement(Actor(2, office.grants)) is first
    staff = Actor(3, frozenset({(Role.UNIT_STAFF, 7)}))
    assert queues._candidates_statement(staff) is not first
    assert "'toy'" not in _sql(first)
    # A new lifecycle whose "open" state the Office moves forward: its dossiers are candidates.
    registry.register(toy())
    again = queues._candidates_statement(office)
    assert again is not first
    assert "'toy'" in _sql(again)
