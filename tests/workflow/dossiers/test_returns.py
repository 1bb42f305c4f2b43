"""Returns that help: the Office's return keeps its points and day to fix by; the unit answers
each point of the latest return while it may edit the dossier; every reply is audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from models import AuditEvent, Dossier
from tests.fixtures.people import NOW, make_dossier
from workflow import NotFound, TransitionRefused, fire
from workflow.core.errors import EditRefused
from workflow.dossiers import returns

pytestmark = pytest.mark.db


def _return(session, world, dossier, **inputs):
    values = {"reason": "Hồ sơ cần bổ sung", **inputs}
    return fire(session, dossier.id, "office_return", world.actor("reviewer"), inputs=values)


def test_a_return_keeps_its_points_and_day_and_the_audit_records_them(session, world):
    dossier = make_dossier(session, world, "nomination", "office_review")
    event = _return(
        session,
        world,
        dossier,
        points="Thiếu Báo cáo thành tích\n\n  Thiếu biên bản họp xét  \nThiếu Báo cáo thành tích",
        fix_by="15/12/2026",
    )
    (request,) = returns.thread(session, dossier.id)
    assert [p.text for p in request.points] == [
        "Thiếu Báo cáo thành tích",
        "Thiếu biên bản họp xét",
    ]
    assert request.fix_by == dt.date(2026, 12, 15) and request.note == "Hồ sơ cần bổ sung"
    changes = json.loads(event.changes)
    assert changes["points"] == [p.text for p in request.points]
    assert changes["fix_by"] == "2026-12-15"


def test_a_return_without_points_or_day_still_goes_and_a_bad_day_is_refused(session, world):
    dossier = make_dossier(session, world, "nomination", "office_review")
    with pytest.raises(TransitionRefused) as refused:
        _return(session, world, dossier, fix_by="31/02/2026")
    assert refused.value.violations[0].code == "date_format"
    _return(session, world, dossier)
    (request,) = returns.thread(session, dossier.id)
    assert request.points == [] and request.fix_by is None


def test_the_unit_answers_the_points_of_the_latest_return_only(session, world):
    dossier = make_dossier(session, world, "nomination", "office_review")
    _return(session, world, dossier, points="Thiếu minh chứng")
    first = returns.thread(session, dossier.id)[0].points[0]
    staff = world.actor("staff_a")
    returns.reply(session, staff, first.id, "Đã bổ sung bản scan.", now=NOW)
    assert first.reply == "Đã bổ sung bản scan."
    audited = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "reply", AuditEvent.entity_id == dossier.id)
    ).one()
    expected = {"point": "Thiếu minh chứng", "reply": "Đã bổ sung bản scan."}
    assert json.loads(audited.changes) == expected
    with pytest.raises(EditRefused):
        returns.reply(session, staff, first.id, "   ", now=NOW)
    # Sent again and returned again: the earlier points are history, not to be answered.
    fire(session, dossier.id, "resubmit", staff, now=NOW)
    fire(session, dossier.id, "unit_approve", world.actor("head_a"), now=NOW)
    _return(session, world, dossier, points="Còn thiếu chữ ký")
    with pytest.raises(EditRefused) as refused:
        returns.reply(session, staff, first.id, "Trả lời muộn", now=NOW)
    assert refused.value.violations[0].code == "not_latest"
    assert [len(r.points) for r in returns.thread(session, dossier.id)] == [1, 1]


def test_another_unit_or_the_reviewer_cannot_answer(session, world):
    dossier = make_dossier(session, world, "nomination", "office_review")
    _return(session, world, dossier, points="Thiếu minh chứng")
    point = returns.thread(session, dossier.id)[0].points[0]
    for name in ("staff_b", "reviewer"):
        with pytest.raises((EditRefused, NotFound)):
            returns.reply(session, world.actor(name), point.id, "Xen vào", now=NOW)
    assert point.reply is None


def test_the_replied_dossiers_are_found_by_the_filter_and_the_markers(session, world):
    replied = make_dossier(session, world, "nomination", "office_review")
    silent = make_dossier(session, world, "nomination", "office_review", nominee_name="Lê Lợi")
    for dossier in (replied, silent):
        _return(session, world, dossier, points="Thiếu minh chứng")
    point = returns.thread(session, replied.id)[0].points[0].id
    returns.reply(session, world.actor("staff_a"), point, "Đã bổ sung.")
    found = session.scalars(select(Dossier.id).where(returns.answered(Dossier.id))).all()
    assert found == [replied.id]
    assert returns.answered_ids(session, [replied.id, silent.id]) == {replied.id}
    assert returns.answered_ids(session, []) == set()


def test_fix_by_reminders_take_the_latest_return_of_the_units_dossiers(session, world):
    today = dt.date(2026, 12, 6)
    near = make_dossier(session, world, "nomination", "office_review")
    _return(session, world, near, fix_by="01/12/2026")
    fire(session, near.id, "resubmit", world.actor("staff_a"))
    fire(session, near.id, "unit_approve", world.actor("head_a"))
    _return(session, world, near, fix_by="09/12/2026")
    far = make_dossier(session, world, "nomination", "office_review", nominee_name="Lê Lợi")
    _return(session, world, far, fix_by="31/12/2026")
    other = make_dossier(session, world, "nomination", "office_review", unit="b")
    _return(session, world, other, fix_by="02/12/2026")
    units = [world.units["a"].id]
    assert [
        (r.dossier_id, r.days_left) for r in returns.fix_by_reminders(session, units, today)
    ] == [(near.id, 3)]
    assert returns.fix_by_reminders(session, [], today) == []
