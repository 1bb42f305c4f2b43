"""Bulk accept and return in the Office queue: each row through the engine, on its own."""

from __future__ import annotations

from sqlalchemy import delete

from models import Attachment, Dossier, Nomination
from tests.fixtures.awards import hold
from tests.fixtures.people import NOW, make_dossier
from tests.fixtures.statements import statements_run
from workflow.awards import catalogue
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import bulk
from workflow.dossiers.queues import office_default_state


def _sent(session, world, count=3, **fields):
    return [
        make_dossier(session, world, "nomination", office_default_state(), **fields).id
        for _ in range(count)
    ]


def _state(session, dossier_id):
    session.expire_all()
    return session.get(Dossier, dossier_id).state


def test_actions_are_read_from_the_lifecycles():
    reviewed = [k for k in WORKFLOWS if "office_review" in WORKFLOWS[k].state_names]
    assert set(WORKFLOWS) - set(reviewed) == {"proposal"}  # its rows are reviewed, not the list
    for kind in reviewed:
        accept = bulk.office_action(kind, bulk.ACCEPT)
        back = bulk.office_action(kind, bulk.RETURN)
        assert accept is not None and accept.forward
        assert back is not None and not back.forward and back.dest == "returned"
    decline = bulk.office_action("nomination", bulk.DECLINE)
    assert decline is not None and decline.dest == "declined"
    assert bulk.office_action("plan", bulk.DECLINE) is None
    assert bulk.office_action("proposal", bulk.ACCEPT) is None
    assert bulk.office_action("nomination", "nonsense") is None
    assert bulk.office_action("no-such-kind", bulk.ACCEPT) is None


def test_accept_goes_through_except_the_row_a_rule_refuses(session, world):
    ids = _sent(session, world)
    mine = make_dossier(
        session,
        world,
        "nomination",
        office_default_state(),
        nominee_user_id=world.users["reviewer"].id,
        title="Hồ sơ của chính người thẩm định",
    ).id
    request = bulk.BulkRequest(bulk.ACCEPT, (ids[0], mine, *ids[1:]))
    result = bulk.run(session, world.actor("reviewer"), request, now=NOW)
    accepted = bulk.office_action("nomination", bulk.ACCEPT).dest
    assert [r.dossier_id for r in result.done] == ids
    assert [r.dossier_id for r in result.refused] == [mine]
    refused = result.refused[0]
    assert refused.title == "Hồ sơ của chính người thẩm định"
    assert refused.messages and all(m for m in refused.messages)
    assert all(_state(session, i) == accepted for i in ids)
    assert _state(session, mine) == office_default_state()


def test_return_needs_a_reason_and_a_row_reason_wins(session, world):
    ids = _sent(session, world)
    no_reason = bulk.run(
        session, world.actor("reviewer"), bulk.BulkRequest(bulk.RETURN, tuple(ids)), now=NOW
    )
    assert not no_reason.done and len(no_reason.refused) == 3
    assert "lý do" in no_reason.refused[0].messages[0]
    request = bulk.BulkRequest(
        bulk.RETURN, tuple(ids), reason="Thiếu minh chứng.", reasons={ids[1]: "Sai chức vụ."}
    )
    result = bulk.run(session, world.actor("reviewer"), request, now=NOW)
    assert len(result.done) == 3
    session.expire_all()
    reasons = [session.get(Dossier, i).return_reason for i in ids]
    assert reasons == ["Thiếu minh chứng.", "Sai chức vụ.", "Thiếu minh chứng."]


def test_two_reviewers_on_the_same_rows_each_row_won_once(session, world):
    ids = _sent(session, world)
    seen = {i: session.get(Dossier, i).version for i in ids}
    first = bulk.BulkRequest(bulk.ACCEPT, tuple(ids[:2]), versions=seen)
    second = bulk.BulkRequest(bulk.ACCEPT, tuple(ids), versions=seen)
    won = bulk.run(session, world.actor("reviewer"), first, now=NOW)
    other = bulk.run(session, world.actor("reviewer2"), second, now=NOW)
    assert len(won.done) == 2
    assert [r.dossier_id for r in other.done] == [ids[2]]
    assert [r.dossier_id for r in other.refused] == ids[:2]
    assert "trước bạn" in other.refused[0].messages[0]


def test_unknown_or_repeated_rows_are_refused_one_by_one(session, world):
    ids = _sent(session, world, count=1)
    request = bulk.BulkRequest(bulk.ACCEPT, (ids[0], ids[0], 2_000_000_000))
    result = bulk.run(session, world.actor("reviewer"), request, now=NOW)
    assert [r.dossier_id for r in result.done] == ids
    assert [r.dossier_id for r in result.refused] == [2_000_000_000]
    assert result.refused[0].title == ""


def test_a_unit_person_is_refused_every_row(session, world):
    ids = _sent(session, world, count=2) + _sent(session, world, count=1, unit="b")
    result = bulk.run(
        session, world.actor("head_a"), bulk.BulkRequest(bulk.ACCEPT, tuple(ids)), now=NOW
    )
    assert not result.done and len(result.refused) == 3
    # Another unit's dossier is not named to them.
    assert [r.title for r in result.refused] == ["Hồ sơ kiểm thử", "Hồ sơ kiểm thử", ""]
    assert all(_state(session, i) == office_default_state() for i in ids)


def _hold_reads(session, call) -> int:
    """How many statements ``call`` runs that read the holds register."""
    return sum("FROM award_hold" in s for s in statements_run(session, call))


def test_accepting_many_rows_reads_their_holds_once(session, world):
    catalogue.add_rule(
        session,
        world.actor("admin"),
        world.awards["ldtt"].id,
        {"kind": "hold", "hard": True, "source": "Nguồn kiểm thử"},
    )
    ids = _sent(session, world, count=6)
    held = make_dossier(session, world, "nomination", office_default_state()).id
    hold(session, person=session.get(Nomination, held).person)
    request = bulk.BulkRequest(bulk.ACCEPT, (*ids, held))
    results = []
    reads = _hold_reads(
        session,
        lambda: results.append(bulk.run(session, world.actor("reviewer"), request, now=NOW)),
    )
    # One read for the seven rows, not one each; and the hold still refuses its row.
    assert reads == 1
    assert [r.dossier_id for r in results[0].refused] == [held]
    assert len(results[0].done) == 6


def test_in_a_bulk_accept_a_row_without_files_is_still_refused(session, world):
    ids = _sent(session, world, count=3)
    session.execute(delete(Attachment).where(Attachment.dossier_id == ids[1]))
    request = bulk.BulkRequest(bulk.ACCEPT, tuple(ids))
    result = bulk.run(session, world.actor("reviewer"), request, now=NOW)
    assert [r.dossier_id for r in result.refused] == [ids[1]]
    assert any("minh chứng" in m for m in result.refused[0].messages)
    assert [r.dossier_id for r in result.done] == [ids[0], ids[2]]
