"""Two reviewers on one list at once, with real commits: on different rows both win, on the
same row exactly one does and the other is told why (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from models import Nomination, make_sessionmaker
from tests.fixtures.people import NOW, add_person, build_world, make_dossier, new_person
from tests.workflow.core.test_concurrency import _fire_once, _run_together
from workflow import fire
from workflow.proposals.rows import RowEntry, add_rows

pytestmark = pytest.mark.db


@pytest.fixture()
def sent_list(fresh_engine, tmp_path):
    """A committed list of two rows under the Office's review, and a second reviewer."""
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        add_person(session, world, "reviewer3", "Lê Thẩm Định", [("office_reviewer", None)])
        proposal = make_dossier(session, world, kind="proposal")
        person = new_person(session, world.units["a"].id, "Đỗ Minh Châu")
        entry = RowEntry(world.awards["ldtt"].id, "Hoàn thành tốt.", person_id=person.id)
        add_rows(session, world.actor("staff_a"), proposal.id, [entry], now=NOW)
        fire(session, proposal.id, "submit", world.actor("staff_a"), now=NOW)
        fire(session, proposal.id, "unit_approve", world.actor("head_a"), now=NOW)
        rows = sorted(r.id for r in session.query(Nomination).filter_by(proposal_id=proposal.id))
        session.commit()
    return factory, world, rows


def _state(factory, row_id) -> str:
    with factory() as session:
        return session.get(Nomination, row_id).state


def test_two_reviewers_on_different_rows_both_succeed(sent_list):
    factory, world, rows = sent_list
    reviewers = [world.actor("reviewer"), world.actor("reviewer3")]
    outcomes = _run_together(
        2, lambda i: _fire_once(factory, rows[i], "office_approve", reviewers[i], inputs={})
    )
    assert outcomes == ["won", "won"]
    assert [_state(factory, r) for r in rows] == ["council_review", "council_review"]


def test_two_reviewers_on_the_same_row_exactly_one_wins(sent_list):
    factory, world, rows = sent_list
    with factory() as session:
        version = session.get(Nomination, rows[0]).version
    work = [
        ("office_approve", world.actor("reviewer"), {}),
        ("office_return", world.actor("reviewer3"), {"reason": "Thiếu minh chứng"}),
    ]
    outcomes = _run_together(
        2,
        lambda i: _fire_once(
            factory, rows[0], work[i][0], work[i][1], inputs=work[i][2], expected_version=version
        ),
    )
    assert sorted(outcomes) == ["stale", "won"], outcomes
    winner = work[outcomes.index("won")][0]
    assert _state(factory, rows[0]) == {"office_approve": "council_review"}.get(winner, "returned")
    assert _state(factory, rows[1]) == "office_review"
