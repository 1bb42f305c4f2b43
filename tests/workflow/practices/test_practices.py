"""Innovative models and good practices: register, edit, mark exemplary (audited), who sees
what, optimistic locking (a stale version changes nothing), and the folded search of the
public page."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Practice
from tests.fixtures.people import NOW
from workflow import EditRefused, NotFound, StaleVersion
from workflow.core.audit import history, verify
from workflow.practices import service as practices

PRACTICE = {
    "title": "Mô hình “Thư viện xanh” trong trường học",
    "summary": "Học sinh tự quản thư viện ngoài trời.",
    "results": "Hơn 2.000 lượt mượn sách mỗi học kỳ.",
    "evidence": "Quyết định công nhận sáng kiến số 5",
}


@pytest.mark.db
def test_practice_register_edit_mark_and_unmark(session, world):
    practice = practices.register_practice(
        session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW
    )
    assert practice.status == "registered" and "thu vien xanh" in practice.search_key
    with pytest.raises(NotFound):
        practices.update_practice(
            session, practice.id, world.actor("staff_b"), {"title": "Khác"}, now=NOW
        )
    with pytest.raises(EditRefused) as info:
        practices.update_practice(
            session, practice.id, world.actor("head_a"), {"title": " "}, now=NOW
        )
    assert info.value.code == "field_required"
    assert (
        practices.update_practice(
            session, practice.id, world.actor("head_a"), {"results": "3.000 lượt"}, now=NOW
        ).action
        == "edit"
    )
    for who in ("staff_a", "admin", "secretary"):
        with pytest.raises(EditRefused) as info:
            practices.mark_exemplary(session, practice.id, world.actor(who), now=NOW)
        assert info.value.is_permission
    event = practices.mark_exemplary(
        session, practice.id, world.actor("reviewer"), "Nhân rộng toàn ngành", now=NOW
    )
    assert (event.entity_type, event.from_state, event.to_state) == (
        "practice",
        "registered",
        "exemplary",
    )
    assert practices.mark_exemplary(session, practice.id, world.actor("reviewer"), now=NOW) is None
    with pytest.raises(EditRefused) as info:
        practices.update_practice(
            session, practice.id, world.actor("staff_a"), {"title": "Khác"}, now=NOW
        )
    assert info.value.code == "practice_locked"
    with pytest.raises(EditRefused):
        practices.mark_exemplary(
            session, practice.id, world.actor("reviewer"), exemplary=False, now=NOW
        )
    practices.mark_exemplary(
        session,
        practice.id,
        world.actor("reviewer"),
        "Trùng mô hình đã công nhận",
        exemplary=False,
        now=NOW,
    )
    assert [e.action for e in history(session, "practice", practice.id)] == [
        "create",
        "edit",
        "mark_exemplary",
        "unmark_exemplary",
    ]
    assert verify(session).ok


@pytest.mark.db
def test_practice_visibility_and_search(session, world):
    own = practices.register_practice(
        session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW
    )
    other = practices.register_practice(
        session,
        world.actor("staff_b"),
        world.units["b"].id,
        {"title": "Câu lạc bộ Toán học", "summary": "Sinh hoạt chuyên đề hằng tuần."},
        now=NOW,
    )
    with pytest.raises(EditRefused):
        practices.register_practice(
            session, world.actor("staff_a"), world.units["b"].id, PRACTICE, now=NOW
        )

    def seen(who, *where):
        stmt = select(Practice.id).where(practices.visible_practices(world.actor(who)), *where)
        return set(session.scalars(stmt))

    assert (
        seen("staff_a") == {own.id}
        and seen("reviewer") == {own.id, other.id}
        and seen("member1") == set()
    )
    assert seen("reviewer", practices.search("thu vien")) == {own.id}
    assert seen("reviewer", practices.search("câu LẠC bộ")) == {other.id}
    assert seen("reviewer", practices.search("100%_")) == set()
    practices.mark_exemplary(session, other.id, world.actor("reviewer"), now=NOW)
    assert list(session.scalars(practices.public_practices().with_only_columns(Practice.id))) == [
        other.id
    ]


def _stored(session, practice_id: int) -> tuple:
    """The practice as committed in this transaction (not the session's copy), and the event
    count."""
    row = session.execute(
        select(Practice.title, Practice.results, Practice.status, Practice.version).where(
            Practice.id == practice_id
        )
    ).one()
    return tuple(row), session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.db
def test_a_stale_edit_is_refused_and_changes_nothing(session, world):
    practice = practices.register_practice(
        session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW
    )
    drawn = practice.version
    assert drawn == 1
    practices.update_practice(
        session,
        practice.id,
        world.actor("head_a"),
        {"results": "3.000 lượt"},
        now=NOW,
        expected_version=drawn,
    )
    before = _stored(session, practice.id)
    assert before[0] == (PRACTICE["title"], "3.000 lượt", "registered", drawn + 1)
    with pytest.raises(StaleVersion) as info:
        practices.update_practice(
            session,
            practice.id,
            world.actor("staff_a"),
            {"title": "Thư viện xanh (bản của chị Hồng)", "results": "2.500 lượt"},
            now=NOW,
            expected_version=drawn,
        )
    assert info.value.code == "practice_stale_version" and info.value.current_version == drawn + 1
    assert info.value.messages("vi") == [
        "Người khác đã thay đổi mô hình này trước bạn. Trạng thái hiện tại: “Đã đăng ký”. "
        "Vui lòng xem lại nội dung hiện tại của mô hình rồi thực hiện lại."
    ]
    assert info.value.messages("en") == [
        "Someone else changed this practice first. It is now “Registered”. "
        "Please review its current content and try again."
    ]
    session.flush()
    assert _stored(session, practice.id) == before
    assert [e.action for e in history(session, "practice", practice.id)] == ["create", "edit"]


@pytest.mark.db
def test_the_right_version_edits_once_and_bumps_the_version(session, world):
    practice = practices.register_practice(
        session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW
    )
    staff = world.actor("staff_a")
    assert (
        practices.update_practice(
            session, practice.id, staff, {"title": PRACTICE["title"]}, now=NOW, expected_version=1
        )
        is None
    )  # nothing changed: no new version
    event = practices.update_practice(
        session,
        practice.id,
        staff,
        {"title": "Thư viện xanh", "summary": "Mới."},
        now=NOW,
        expected_version=1,
    )
    assert json.loads(event.changes) == {
        "title": [PRACTICE["title"], "Thư viện xanh"],
        "summary": [PRACTICE["summary"], "Mới."],
    }
    # One edit of two fields (and the search key) is one UPDATE: the version moves by one.
    assert _stored(session, practice.id)[0] == (
        "Thư viện xanh",
        PRACTICE["results"],
        "registered",
        2,
    )
    assert "thu vien xanh" in practice.search_key


@pytest.mark.db
def test_a_stale_mark_is_refused_and_the_right_version_marks(session, world):
    practice = practices.register_practice(
        session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW
    )
    reviewer = world.actor("reviewer")
    drawn = practice.version
    # The unit changes the content after the reviewer's page was drawn: the mark is refused.
    practices.update_practice(
        session, practice.id, world.actor("staff_a"), {"results": "Số liệu mới"}, now=NOW
    )
    before = _stored(session, practice.id)
    with pytest.raises(StaleVersion) as info:
        practices.mark_exemplary(
            session, practice.id, reviewer, "Nhân rộng", now=NOW, expected_version=drawn
        )
    assert info.value.code == "practice_stale_version" and not info.value.is_permission
    assert _stored(session, practice.id) == before
    # A role check comes first: a unit member is refused for who they are, not for the version.
    with pytest.raises(EditRefused) as refused:
        practices.mark_exemplary(
            session, practice.id, world.actor("staff_a"), now=NOW, expected_version=drawn
        )
    assert refused.value.is_permission

    event = practices.mark_exemplary(
        session, practice.id, reviewer, "Nhân rộng", now=NOW, expected_version=drawn + 1
    )
    assert event.to_state == "exemplary" and _stored(session, practice.id)[0][2:] == (
        "exemplary",
        drawn + 2,
    )
    with pytest.raises(StaleVersion) as info:  # a second reviewer with the same page: one wins
        practices.mark_exemplary(
            session, practice.id, world.actor("reviewer2"), now=NOW, expected_version=drawn + 1
        )
    assert "“Tiêu biểu”" in info.value.messages("vi")[0]
    # The unit's page was drawn before the mark: told it changed (not merely that it is locked).
    with pytest.raises(StaleVersion):
        practices.update_practice(
            session,
            practice.id,
            world.actor("staff_a"),
            {"title": "Khác"},
            now=NOW,
            expected_version=drawn + 1,
        )
    practices.mark_exemplary(
        session,
        practice.id,
        reviewer,
        "Trùng mô hình",
        exemplary=False,
        now=NOW,
        expected_version=drawn + 2,
    )
    assert _stored(session, practice.id)[0][2:] == ("registered", drawn + 3)
    assert verify(session).ok
