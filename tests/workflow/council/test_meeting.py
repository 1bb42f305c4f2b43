"""The meeting as the secretary runs it: the agenda grouped by award, one result per item
computed from the threshold, every counted ballot applied at once (all or none), and a dossier
on the agenda of one open session at most, also when two sessions are opened at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from models import AuditEvent, CouncilAgendaClaim, CouncilItem, Dossier, make_sessionmaker
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import NOW, build_world, make_council_session, make_dossier
from tests.fixtures.snapshots import new_events, snapshot
from workflow import fire
from workflow.core.audit import current_head, verify
from workflow.core.errors import EditRefused, TransitionRefused
from workflow.council import ballot as ballots
from workflow.council import meeting as meetings
from workflow.council import sessions as councils

pytestmark = pytest.mark.db


def nomination(session, world, award="ldtt", **fields) -> Dossier:
    return make_dossier(
        session,
        world,
        "nomination",
        "council_review",
        award_type_id=world.awards[award].id,
        **fields,
    )


def counted(session, world, council, dossier, choices: dict[str, str]) -> None:
    """A secret ballot on ``dossier`` opened, cast and closed."""
    secretary = world.actor("secretary")
    keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    for name, choice in choices.items():
        ballots.cast_vote(session, council.id, dossier.id, world.actor(name), choice)
    keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)


def open_with_agenda(session, world, title: str, ids=None):
    return councils.open_session(
        session,
        world.actor("secretary"),
        title=title,
        held_on=NOW.date(),
        place="Phòng họp Sở",
        quorum="2/3",
        present_ids=[world.users[f"member{i}"].id for i in range(1, 6)],
        agenda_ids=ids,
        now=NOW,
    )


# --- the agenda by award ------------------------------------------------------------------


def test_the_agenda_is_grouped_by_award_with_counts_per_kind(session, world):
    council = make_council_session(session, world)
    a = nomination(session, world, nominee_name="Trần Thị Mai")
    b = nomination(session, world, nominee_name="Lê Văn Bảo", unit="b")
    c = nomination(session, world, "cstdcs", nominee_name="Phạm Văn Nam")
    report = make_dossier(session, world, "report", "council_review")
    items = meetings.agenda_items(session, council, world.actor("secretary"))
    groups = meetings.by_award(items)
    assert [g.name[0] for g in groups] == [
        "Chiến sĩ thi đua cơ sở",
        "Lao động tiên tiến",
        "Báo cáo, hồ sơ khác",
    ]
    assert [[i.dossier.id for i in g.items] for g in groups] == [[c.id], [a.id, b.id], [report.id]]
    assert (groups[1].individuals, groups[1].collectives) == (2, 0)
    entries = {i.dossier.id: i.entry for i in items}
    assert entries == {a.id: "counts", b.id: "counts", c.id: "counts", report.id: "actions"}
    # Chiến sĩ thi đua cơ sở: nine tenths of all five members.
    needed = next(i.needed for i in items if i.dossier.id == c.id)
    assert needed.words()[0] == "cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng"
    counted(session, world, council, a, {"member1": "approve"})
    entries = {
        i.dossier.id: i.entry
        for i in meetings.agenda_items(session, council, world.actor("secretary"))
    }
    assert entries[a.id] == "ballot_closed"


# --- one result per item -----------------------------------------------------------------


def test_the_outcome_is_computed_and_the_member_cannot_record_it(session, world):
    council = make_council_session(session, world)
    passing = nomination(session, world)
    failing = nomination(session, world, "cstdcs")
    member = world.actor("member1")
    before = snapshot(session, passing.id)
    with pytest.raises(EditRefused) as info:
        meetings.record_result(session, council.id, passing.id, member, {"votes_for": "5"})
    assert info.value.is_permission
    assert snapshot(session, passing.id) == before
    secretary = world.actor("secretary")
    event = meetings.record_result(
        session, council.id, passing.id, secretary, {"votes_for": "3", "votes_against": "2"}
    )
    assert event.action == "council_approve"
    event = meetings.record_result(
        session, council.id, failing.id, secretary, {"votes_for": "4", "votes_against": "1"}
    )
    assert (event.action, event.to_state) == ("council_reject", "rejected")
    item = session.scalars(select(CouncilItem).where(CouncilItem.dossier_id == failing.id)).one()
    assert item.reason == (
        "Kết quả biểu quyết: 4/5 phiếu đồng ý, chưa đạt tỷ lệ "
        "(cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng)."
    )


# --- every counted ballot at once --------------------------------------------------------


def test_apply_all_records_every_counted_ballot_one_event_each(session, world):
    council = make_council_session(session, world)
    passes, fails, still_open = (nomination(session, world) for _ in range(3))
    approve = {f"member{i}": "approve" for i in (1, 2, 3)}
    counted(session, world, council, passes, approve)
    counted(session, world, council, fails, {"member1": "reject", "member2": "reject"})
    keyed.open_ballot(session, council.id, still_open.id, world.actor("secretary"), now=NOW)
    head = current_head(session)[0]
    events = meetings.apply_all(session, council.id, world.actor("secretary"), now=NOW)
    assert [(e.entity_id, e.action) for e in events] == [
        (passes.id, "council_approve"),
        (fails.id, "council_reject"),
    ]
    assert [(e.entity_id, e.action) for e in new_events(session, head)] == [
        (passes.id, "council_approve"),
        (fails.id, "council_reject"),
    ]
    assert session.get(Dossier, still_open.id).state == "council_review"
    assert verify(session).ok
    # Nothing left to apply: refused, nothing written.
    head = current_head(session)
    with pytest.raises(EditRefused) as info:
        meetings.apply_all(session, council.id, world.actor("secretary"), now=NOW)
    assert info.value.code == "nothing_to_apply" and current_head(session) == head


def test_apply_all_is_all_or_none(session, world):
    council = make_council_session(session, world)
    first, second = nomination(session, world), nomination(session, world)
    approve = {f"member{i}": "approve" for i in (1, 2, 3)}
    counted(session, world, council, first, approve)
    counted(session, world, council, second, approve)
    # The quorum is lost before the results are recorded: neither may be applied.
    councils.record_attendance(
        session,
        council.id,
        world.actor("secretary"),
        [world.users["member1"].id],
        now=NOW,
    )
    head = current_head(session)
    with pytest.raises(EditRefused) as info:
        meetings.apply_all(session, council.id, world.actor("secretary"), now=NOW)
    messages = info.value.messages("vi")
    assert len(messages) == 2 and all("chưa đủ số thành viên" in m for m in messages)
    assert current_head(session) == head
    assert {session.get(Dossier, d.id).state for d in (first, second)} == {"council_review"}
    with pytest.raises(EditRefused) as info:
        meetings.apply_all(session, council.id, world.actor("member1"), now=NOW)
    assert info.value.is_permission


# --- one open session per agenda item -----------------------------------------------------


def test_a_dossier_is_on_one_open_session_agenda(session, world):
    a, b = nomination(session, world), nomination(session, world)
    first = open_with_agenda(session, world, "Phiên thứ nhất", [a.id])
    assert councils.claimed_by(session, first.id) == {a.id}
    with pytest.raises(EditRefused) as info:
        open_with_agenda(session, world, "Phiên thứ hai", [a.id, b.id])
    assert info.value.code == "agenda_taken"
    assert "“Phiên thứ nhất”" in info.value.messages("vi")[0]
    second = open_with_agenda(session, world, "Phiên thứ hai", [b.id])
    secretary = world.actor("secretary")
    assert [d.id for d in councils.session_agenda(session, second, secretary)] == [b.id]
    # The engine refuses a decision on a dossier of another open session's agenda.
    before = snapshot(session, a.id)
    with pytest.raises(TransitionRefused) as refused:
        fire(
            session,
            a.id,
            "council_approve",
            secretary,
            inputs={"session_id": second.id, "votes_for": 5, "votes_against": 0},
            now=NOW,
        )
    assert "agenda_other_session" in [v.code for v in refused.value.violations]
    assert snapshot(session, a.id) == before
    # Closing the first session gives its undecided dossiers back to the queue.
    councils.close_session(session, first.id, secretary, now=NOW + dt.timedelta(hours=2))
    assert councils.add_to_agenda(session, second.id, secretary, now=NOW) == [a.id]
    assert session.scalar(select(func.count()).select_from(CouncilAgendaClaim)) == 2


@pytest.fixture()
def committed(fresh_engine, tmp_path):
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        ids = [nomination(session, world).id for _ in range(3)]
        session.commit()
    return factory, world, ids


def test_two_sessions_opened_at_once_do_not_both_take_the_agenda(committed):
    factory, world, ids = committed
    barrier = threading.Barrier(2)
    outcomes: list[str] = ["", ""]

    def open_one(i: int) -> None:
        with factory() as session:
            barrier.wait()
            try:
                open_with_agenda(session, world, f"Phiên {i}", ids)
                session.commit()
                outcomes[i] = "won"
            except EditRefused as refused:
                session.rollback()
                outcomes[i] = refused.code
            except Exception as error:  # a lock timeout would show here, and fail the test
                outcomes[i] = repr(error)

    threads = [threading.Thread(target=open_one, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["agenda_taken", "won"], outcomes
    with factory() as session:
        claims = session.execute(select(CouncilAgendaClaim.session_id)).scalars().all()
        assert len(claims) == 3 and len(set(claims)) == 1
        opened = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_type == "council_session", AuditEvent.action == "open"
            )
        ).all()
        assert len(opened) == 1 and verify(session).ok
