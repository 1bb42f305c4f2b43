"""Innovative models and good practices: register, edit, mark exemplary (audited), who sees
what, and the folded search of the public page."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Practice
from tests.fixtures.people import NOW
from workflow import EditRefused, NotFound
from workflow import practices
from workflow.audit import history, verify

PRACTICE = {"title": "Mô hình “Thư viện xanh” trong trường học", "summary": "Học sinh tự quản thư viện ngoài trời.",
            "results": "Hơn 2.000 lượt mượn sách mỗi học kỳ.", "evidence": "Quyết định công nhận sáng kiến số 5"}


@pytest.mark.db
def test_practice_register_edit_mark_and_unmark(session, world):
    practice = practices.register_practice(session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW)
    assert practice.status == "registered" and "thu vien xanh" in practice.search_key
    with pytest.raises(NotFound):
        practices.update_practice(session, practice.id, world.actor("staff_b"), {"title": "Khác"}, now=NOW)
    with pytest.raises(EditRefused) as info:
        practices.update_practice(session, practice.id, world.actor("head_a"), {"title": " "}, now=NOW)
    assert info.value.code == "field_required"
    assert practices.update_practice(session, practice.id, world.actor("head_a"), {"results": "3.000 lượt"},
                                     now=NOW).action == "edit"
    for who in ("staff_a", "admin", "secretary"):
        with pytest.raises(EditRefused) as info:
            practices.mark_exemplary(session, practice.id, world.actor(who), now=NOW)
        assert info.value.is_permission
    event = practices.mark_exemplary(session, practice.id, world.actor("reviewer"), "Nhân rộng toàn ngành", now=NOW)
    assert (event.entity_type, event.from_state, event.to_state) == ("practice", "registered", "exemplary")
    assert practices.mark_exemplary(session, practice.id, world.actor("reviewer"), now=NOW) is None
    with pytest.raises(EditRefused) as info:
        practices.update_practice(session, practice.id, world.actor("staff_a"), {"title": "Khác"}, now=NOW)
    assert info.value.code == "practice_locked"
    with pytest.raises(EditRefused):
        practices.mark_exemplary(session, practice.id, world.actor("reviewer"), exemplary=False, now=NOW)
    practices.mark_exemplary(session, practice.id, world.actor("reviewer"), "Trùng mô hình đã công nhận",
                             exemplary=False, now=NOW)
    assert [e.action for e in history(session, "practice", practice.id)] == [
        "create", "edit", "mark_exemplary", "unmark_exemplary"]
    assert verify(session).ok


@pytest.mark.db
def test_practice_visibility_and_search(session, world):
    own = practices.register_practice(session, world.actor("staff_a"), world.units["a"].id, PRACTICE, now=NOW)
    other = practices.register_practice(session, world.actor("staff_b"), world.units["b"].id,
                                        {"title": "Câu lạc bộ Toán học", "summary": "Sinh hoạt chuyên đề hằng tuần."}, now=NOW)
    with pytest.raises(EditRefused):
        practices.register_practice(session, world.actor("staff_a"), world.units["b"].id, PRACTICE, now=NOW)

    def seen(who, *where):
        stmt = select(Practice.id).where(practices.visible_practices(world.actor(who)), *where)
        return set(session.scalars(stmt))

    assert seen("staff_a") == {own.id} and seen("reviewer") == {own.id, other.id} and seen("member1") == set()
    assert seen("reviewer", practices.search("thu vien")) == {own.id}
    assert seen("reviewer", practices.search("câu LẠC bộ")) == {other.id}
    assert seen("reviewer", practices.search("100%_")) == set()
    practices.mark_exemplary(session, other.id, world.actor("reviewer"), now=NOW)
    assert list(session.scalars(practices.public_practices().with_only_columns(Practice.id))) == [other.id]
