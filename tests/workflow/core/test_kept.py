"""Values kept in the process: by version, and for a while bounded by their cost."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.fixtures.clock import StepClock
from workflow.core.kept import Kept


def counter(spent: float, clock: StepClock):
    """A computation that takes ``spent`` seconds on ``clock`` and counts its calls."""
    calls = []

    def compute(session) -> int:
        clock.now += spent
        calls.append(session)
        return len(calls)

    return compute, calls


def test_a_value_lasts_its_cost_over_the_share_at_most_max_age(session):
    clock = StepClock()
    kept = Kept(8, clock)
    compute, calls = counter(0.2, clock)  # 0.2 s over a share of 2 %: 10 s
    assert kept.recent(session, "board", compute, 0.02, 30).value == 1
    clock.now += 9.9
    assert kept.recent(session, "board", compute, 0.02, 30).value == 1
    clock.now += 0.2
    assert kept.recent(session, "board", compute, 0.02, 30).value == 2
    assert len(calls) == 2

    dear, _ = counter(5.0, clock)  # 250 s by its cost, but never past max_age
    assert kept.recent(session, "dear", dear, 0.02, 30).lasts == 30


def test_a_cheap_value_is_computed_again_at_once(session):
    clock = StepClock()
    kept = Kept(8, clock)
    compute, calls = counter(0.0, clock)
    for _ in range(3):
        kept.recent(session, "board", compute, 0.02, 30)
    assert len(calls) == 3


def test_values_are_kept_per_key_and_per_database(session, fresh_engine):
    clock = StepClock()
    kept = Kept(8, clock)
    compute, calls = counter(1.0, clock)
    kept.recent(session, ("campaign", 1), compute, 0.02, 30)
    kept.recent(session, ("campaign", 2), compute, 0.02, 30)
    with Session(fresh_engine) as other:
        kept.recent(other, ("campaign", 1), compute, 0.02, 30)
    kept.recent(session, ("campaign", 1), compute, 0.02, 30)
    assert len(calls) == 3
