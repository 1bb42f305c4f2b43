"""The Office's one-click reminder to the units late with their plan or report: only the late
ones, in-app and by e-mail, recorded, once a day; anyone but the Office is refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from models import AuditEvent, Notification, OutboxEmail, ReminderSent
from tests.fixtures.people import make_dossier
from workflow.core.errors import EditRefused
from workflow.notifications import notify
from workflow.notifications.reminders import remind_overdue

pytestmark = pytest.mark.db

TODAY = dt.date(2026, 6, 1)  # the fixtures' NOW: the 2026 plan was due on 10/03


def _reminded_units(session) -> set[int]:
    return set(session.scalars(select(ReminderSent.unit_id)))


def test_the_late_units_are_reminded_once_a_day(session, world):
    make_dossier(session, world, "plan", "office_review", "b")  # unit b sent its plan
    reviewer = world.actor("reviewer")
    sent = remind_overdue(session, reviewer, world.campaign, "plan", TODAY)
    assert [r.unit for r in sent] == [world.units["a"].name]
    assert _reminded_units(session) == {world.units["a"].id}
    notes = session.scalars(select(Notification).where(Notification.kind == "reminder")).all()
    assert {n.user_id for n in notes} == {world.users["staff_a"].id, world.users["head_a"].id}
    title, body = notify.render("reminder", notes[0].params)
    assert "quá hạn 83 ngày" in body and "Nhắc hạn nộp" in title
    assert session.scalar(select(OutboxEmail.id).limit(1)) is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "remind_overdue"))
    assert json.loads(event.changes)["unit_ids"] == [world.units["a"].id]

    assert remind_overdue(session, reviewer, world.campaign, "plan", TODAY) == []
    tomorrow = remind_overdue(session, reviewer, world.campaign, "plan", TODAY + dt.timedelta(1))
    assert len(tomorrow) == 1


def test_nothing_is_sent_before_the_due_date_or_by_anyone_else(session, world):
    assert remind_overdue(session, world.actor("reviewer"), world.campaign, "report", TODAY) == []
    for username in ("secretary", "head_a"):
        with pytest.raises(EditRefused):
            remind_overdue(session, world.actor(username), world.campaign, "plan", TODAY)
    assert _reminded_units(session) == set()
