"""The award catalogue's optimistic locking: a stale edit of an award type is refused and changes
nothing; the right version edits once and moves the version; rule changes leave it alone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from models import AuditEvent, AwardType
from tests.fixtures.people import NOW
from workflow import StaleVersion
from workflow.awards import catalogue
from workflow.core.audit import history, verify


def _stored(session, award_id: int) -> tuple:
    """The award as stored (not the session's copy), and the number of audit events."""
    row = session.execute(
        select(
            AwardType.name_vi, AwardType.vote_threshold, AwardType.active, AwardType.version
        ).where(AwardType.id == award_id)
    ).one()
    return tuple(row), session.scalar(select(func.count()).select_from(AuditEvent))


def _values(award: AwardType, **changes) -> dict:
    return {**catalogue.snapshot(award), **changes}


@pytest.mark.db
def test_a_stale_award_edit_is_refused_and_changes_nothing(session, world):
    admin, award = world.actor("admin"), world.awards["ldtt"]
    drawn = award.version
    assert drawn == 1
    catalogue.update_award(
        session, admin, award.id, _values(award, active=False), now=NOW, expected_version=drawn
    )
    before = _stored(session, award.id)
    assert before[0][2:] == (False, drawn + 1)
    with pytest.raises(StaleVersion) as info:
        catalogue.update_award(
            session,
            admin,
            award.id,
            _values(award, name_vi="Lao động tiên tiến (sửa)", vote_threshold="7/10", active=True),
            now=NOW,
            expected_version=drawn,
        )
    assert info.value.code == "award_stale_version" and info.value.current_version == drawn + 1
    assert info.value.messages("vi") == [
        "Người khác đã thay đổi danh hiệu, hình thức "
        "khen thưởng này trước bạn. Trạng thái hiện tại: "
        "“Ngừng sử dụng”. Vui lòng xem lại nội dung hiện tại của danh hiệu rồi thực hiện lại."
    ]
    assert info.value.messages("en") == [
        "Someone else changed this award first. It is now “Not in use”. "
        "Please review its current content and try again."
    ]
    session.flush()
    assert _stored(session, award.id) == before
    assert [e.action for e in history(session, "award_type", award.id)][-1:] == ["edit"]


@pytest.mark.db
def test_the_right_award_version_edits_once_and_rules_leave_it_alone(session, world):
    admin, award = world.actor("admin"), world.awards["cstdcs"]
    diff = catalogue.update_award(
        session,
        admin,
        award.id,
        _values(award, vote_threshold="3/4", name_en="CSTDCS"),
        now=NOW,
        expected_version=1,
    )
    assert set(diff) == {"vote_threshold", "name_en"}
    # Two fields, one UPDATE: one version.
    assert _stored(session, award.id)[0][1:] == ("3/4", True, 2)
    assert (
        catalogue.update_award(
            session, admin, award.id, _values(award), now=NOW, expected_version=2
        )
        == {}
    )
    # A rule is a row of its own: adding or removing one overwrites nothing on the award's form.
    rule = catalogue.add_rule(
        session, admin, award.id, {"kind": "hold", "hard": True, "source": "Nghị định"}, now=NOW
    )
    catalogue.remove_rule(session, admin, rule.id, now=NOW)
    assert _stored(session, award.id)[0][3] == 2
    catalogue.update_award(
        session, admin, award.id, _values(award, public_notice_days=5), now=NOW, expected_version=2
    )
    assert _stored(session, award.id)[0][3] == 3
    assert verify(session).ok


@pytest.mark.db
def test_a_threshold_has_its_source_and_the_day_it_applies_from(session, world):
    admin, award = world.actor("admin"), world.awards["ldtt"]
    bad = _values(award, threshold_source="Nghị định 98/2023/NĐ-CP, Điều 30", threshold_from="x")
    with pytest.raises(catalogue.CatalogueRefused) as info:
        catalogue.update_award(session, admin, award.id, bad, now=NOW)
    assert [v.params["field"] for v in info.value.violations] == ["threshold_from"]
    good = {**bad, "vote_threshold": "4/5", "threshold_from": "01/01/2024"}
    diff = catalogue.update_award(session, admin, award.id, good, now=NOW)
    assert diff["threshold_from"] == [None, dt.date(2024, 1, 1)]
    assert diff["threshold_source"][1] == "Nghị định 98/2023/NĐ-CP, Điều 30"
    assert verify(session).ok
