"""Public notice before the Council: working days, the guard on the Council's decision,
comments received, moderated and audited (never with the commenter's contact)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from models import AuditEvent, AwardType
from models.notice import NoticeComment
from tests.fixtures.people import NOW, inputs_for, make_council_session, make_dossier
from tests.fixtures.snapshots import assert_refused
from workflow import fire
from workflow.core.errors import EditRefused
from workflow.publication import notice

pytestmark = pytest.mark.db

UTC = dt.UTC


def test_working_days_skip_weekends_and_listed_holidays():
    assert dt.date(2026, 6, 1).weekday() == 0  # a Monday
    assert notice.add_working_days(dt.date(2026, 6, 1), 3) == dt.date(2026, 6, 4)
    # From a Thursday: Friday, then Monday and Tuesday (the weekend is left out).
    assert notice.add_working_days(dt.date(2026, 6, 4), 3) == dt.date(2026, 6, 9)
    # 30/4 and 1/5 are holidays, then a weekend: Wed 29/4, Mon 4/5, Tue 5/5.
    assert notice.add_working_days(dt.date(2026, 4, 28), 3) == dt.date(2026, 5, 5)
    assert not notice.is_working_day(dt.date(2026, 9, 2)) and not notice.is_working_day(
        dt.date(2026, 2, 16)
    )
    # A listed holiday (the day off in lieu of Giỗ Tổ 2026) and a custom list.
    assert notice.add_working_days(dt.date(2026, 4, 24), 1) == dt.date(2026, 4, 28)
    assert notice.add_working_days(
        dt.date(2026, 6, 1), 1, holidays=frozenset({dt.date(2026, 6, 2)})
    ) == dt.date(2026, 6, 3)
    assert notice.add_working_days(dt.date(2026, 6, 1), 0) == dt.date(2026, 6, 1)


@pytest.fixture()
def posted(session, world):
    """A nomination of an award with 3 days of notice, approved to the Council on Monday
    1/6/2026."""
    award = AwardType(
        code="CSTD-NOTICE",
        name_vi="Chiến sĩ thi đua (công khai)",
        name_en="Emulation Fighter (notice)",
        nominee_kind="individual",
        conferring_authority="department",
        vote_threshold="1/2",
        threshold_base="present",
        public_notice_days=3,
    )
    session.add(award)
    session.flush()
    council = make_council_session(session, world)
    dossier = make_dossier(
        session,
        world,
        "nomination",
        "council_review",
        council=council,
        award_type_id=award.id,
        nominee_name="Lê Thị Hồng",
    )
    return dossier, council


def test_council_waits_until_the_notice_has_ended(session, world, posted):
    dossier, council = posted
    window = notice.notice_window(session, dossier)
    assert (window.posted_from, window.posted_until, window.days) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 4),
        3,
    )
    secretary = world.actor("secretary")
    last_day = dt.datetime(2026, 6, 4, 16, 0, tzinfo=UTC)  # 23:00 on 4/6 in Việt Nam
    for trigger in ("council_approve", "council_reject"):
        error = assert_refused(
            session,
            dossier.id,
            lambda: fire(
                session,
                dossier.id,
                trigger,
                secretary,
                inputs=inputs_for(trigger, council),
                now=last_day,
            ),
            "notice_not_over",
        )
        assert "04/06/2026" in error.messages()[0] and "04/06/2026" in error.messages("en")[0]
    after = dt.datetime(2026, 6, 4, 17, 30, tzinfo=UTC)  # 00:30 on 5/6 in Việt Nam
    fire(
        session,
        dossier.id,
        "council_approve",
        secretary,
        inputs=inputs_for("council_approve", council),
        now=after,
    )
    assert dossier.state == "approved"


def test_awards_without_notice_are_unaffected(session, world):
    council = make_council_session(session, world)
    dossier = make_dossier(session, world, "nomination", "council_review", council=council)
    assert notice.notice_window(session, dossier) is None
    fire(
        session,
        dossier.id,
        "council_approve",
        world.actor("secretary"),
        inputs=inputs_for("council_approve", council),
        now=NOW,
    )
    assert dossier.state == "approved"
    assert notice.posted_names(session, NOW) == []


def test_comments_are_moderated_and_audited_without_contact(session, world, posted):
    dossier, _ = posted
    names = notice.posted_names(session, NOW + dt.timedelta(days=1))
    assert [(n.dossier_id, n.name) for n in names] == [(dossier.id, "Lê Thị Hồng")]
    assert (
        notice.posted_names(session, dt.datetime(2026, 6, 5, 1, tzinfo=UTC)) == []
    )  # notice ended

    comment = notice.add_comment(
        session, dossier.id, "  Cô giáo rất tận tâm.  ", "Phụ huynh", "0901234567", now=NOW
    )
    assert (comment.status, comment.text, comment.contact) == (
        "pending",
        "Cô giáo rất tận tâm.",
        "0901234567",
    )
    assert (
        notice.approved_comments(session, dossier.id) == []
        and notice.pending_count(session, dossier.id) == 1
    )

    with pytest.raises(EditRefused) as info:
        notice.add_comment(session, dossier.id, "   ", now=NOW)
    assert [v.code for v in info.value.violations] == ["comment_text_required"]
    with pytest.raises(EditRefused) as info:
        notice.add_comment(session, dossier.id, "x" * 2001, now=NOW)
    assert [v.code for v in info.value.violations] == ["comment_too_long"]
    with pytest.raises(EditRefused):
        notice.add_comment(session, dossier.id, "Muộn", now=dt.datetime(2026, 6, 6, tzinfo=UTC))

    with pytest.raises(EditRefused):
        notice.moderate(session, world.actor("secretary"), comment.id, "approve", now=NOW)
    with pytest.raises(EditRefused) as info:
        notice.moderate(session, world.actor("reviewer"), comment.id, "reject", "  ", now=NOW)
    assert [v.code for v in info.value.violations] == ["moderation_reason_required"]
    notice.moderate(session, world.actor("reviewer"), comment.id, "approve", now=NOW)
    assert [c.id for c in notice.approved_comments(session, dossier.id)] == [comment.id]
    assert notice.pending_count(session, dossier.id) == 0
    with pytest.raises(EditRefused):
        notice.moderate(session, world.actor("reviewer"), comment.id, "reject", "Đổi ý", now=NOW)

    other = notice.add_comment(session, dossier.id, "Nội dung không liên quan", now=NOW)
    notice.moderate(
        session, world.actor("reviewer"), other.id, "reject", "Không liên quan đến hồ sơ", now=NOW
    )
    assert session.get(NoticeComment, other.id).moderation_reason == "Không liên quan đến hồ sơ"
    assert [c.id for c in notice.approved_comments(session, dossier.id)] == [comment.id]

    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "notice_comment")
            .order_by(AuditEvent.seq)
        )
    )
    assert [(e.entity_id, e.action) for e in events] == [
        (comment.id, "receive"),
        (comment.id, "approve"),
        (other.id, "receive"),
        (other.id, "reject"),
    ]
    assert (
        events[1].actor_role == "office_reviewer"
        and events[3].reason == "Không liên quan đến hồ sơ"
    )
    for event in events:
        assert json.loads(event.changes) == {
            "dossier_id": dossier.id,
            "comment_id": event.entity_id,
        }
        assert "0901234567" not in event.canonical and "Phụ huynh" not in event.canonical
