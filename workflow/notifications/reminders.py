"""Reminders of plan and report due dates to the units that have not sent theirs yet.

Run daily (``vinhdanh remind``, from cron). For each active campaign with a plan or report
due date, each taking-part unit that has not sent that dossier to the Department hears of
it N days before the due date, once per N: the ``reminder_sent`` row is inserted first and
its UNIQUE constraint turns a second run (even one running at the same moment) into a
no-op. A run that was missed is caught up: the reminder of the smallest N that is still
ahead of the due date goes out ("còn 2 ngày" after a missed 3-day run). Which units take
part and which have sent is ``workflow.campaigns.participation``'s rule, the dashboard's.

After the due date, the Office reminds the late units from the dashboard
(:func:`remind_overdue`), at most once a day per unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Campaign, ReminderSent, Unit
from models.clock import utcnow
from workflow.campaigns.deadlines import due_date
from workflow.campaigns.obligations import open_dossier_id
from workflow.campaigns.participation import submissions
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import OFFICE, first_role, may_remind_units, refuse_unless
from workflow.notifications.notify import deliver, dossier_link, unit_people

DEFAULT_DAYS = (7, 3, 1)
KINDS = ("plan", "report")


@dataclass(frozen=True)
class Reminder:
    """One reminder sent: to which unit, for which campaign and dossier kind."""

    campaign: str
    unit: str
    kind: str
    due: dt.date
    days_left: int
    tier: int
    recipients: int


def tier_for(days_left: int, days_before: Sequence[int]) -> int | None:
    """The reminder due ``days_left`` days before the date: the smallest N ≥ days_left
    (so a missed run is caught up), or None when it is too early or already past."""
    if days_left < 0:
        return None
    ahead = [n for n in days_before if n >= days_left]
    return min(ahead) if ahead else None


def _campaigns_due(session: Session, today: dt.date, horizon: int) -> list[Campaign]:
    last = today + dt.timedelta(days=horizon)
    return list(
        session.scalars(
            select(Campaign)
            .where(
                Campaign.active.is_(True),
                or_(
                    and_(Campaign.plan_due >= today, Campaign.plan_due <= last),
                    and_(Campaign.report_due >= today, Campaign.report_due <= last),
                ),
            )
            .order_by(Campaign.id)
        )
    )


def _claim(
    session: Session,
    campaign_id: int,
    unit_id: int,
    kind: str,
    due: dt.date,
    tier: int,
    now: dt.datetime,
) -> bool:
    """Record the reminder; False when it was already sent (by this run or another)."""
    exists = select(ReminderSent.id).where(
        ReminderSent.campaign_id == campaign_id,
        ReminderSent.unit_id == unit_id,
        ReminderSent.kind == kind,
        ReminderSent.due_date == due,
        ReminderSent.days_before == tier,
    )
    if session.scalar(exists) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                ReminderSent(
                    campaign_id=campaign_id,
                    unit_id=unit_id,
                    kind=kind,
                    due_date=due,
                    days_before=tier,
                    sent_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return False  # a run overlapping this one got there first
    return True


def send_reminders(
    session: Session,
    today: dt.date,
    days_before: Iterable[int] = DEFAULT_DAYS,
    now: dt.datetime | None = None,
) -> list[Reminder]:
    """Notify (in-app and by e-mail) the staff and head of every unit whose plan or report is
    due within ``days_before`` and not yet sent, once per reminder. Never commits."""
    tiers = sorted({int(n) for n in days_before if int(n) >= 0})
    if not tiers:
        return []
    moment = now or utcnow()
    sent: list[Reminder] = []
    for campaign in _campaigns_due(session, today, max(tiers)):
        for kind in KINDS:
            due = due_date(campaign, kind)
            tier = tier_for((due - today).days, tiers) if due else None
            if tier is None:
                continue
            # Who takes part and who has sent: the same rules as the dashboard's.
            waiting = sorted(
                u
                for u, sub in submissions(session, campaign, kind, today).items()
                if not sub.submitted
            )
            for unit_id in waiting:
                if _claim(session, campaign.id, unit_id, kind, due, tier, moment):
                    sent.append(
                        _remind(
                            session,
                            campaign,
                            session.get(Unit, unit_id),
                            kind,
                            due,
                            (due - today).days,
                            tier,
                            moment,
                        )
                    )
    return sent


def _remind(
    session: Session,
    campaign: Campaign,
    unit: Unit,
    kind: str,
    due: dt.date,
    days_left: int,
    tier: int,
    now: dt.datetime,
) -> Reminder:
    people = unit_people(session, unit.id)
    dossier_id = open_dossier_id(session, campaign.id, unit.id, kind)
    link = dossier_link(dossier_id) if dossier_id else f"/dossiers/new/{kind}"
    params = {
        "kind": kind,
        "campaign": campaign.name,
        "unit": unit.name,
        "due": due.isoformat(),
        "days": days_left,
    }
    deliver(session, people, "reminder", params, dossier_id=dossier_id, link=link, now=now)
    return Reminder(campaign.name, unit.name, kind, due, days_left, tier, len(people))


# What reminding late units is called in a refusal (Vietnamese, English).
REMIND_ACTION = ("Gửi nhắc nhở đơn vị quá hạn", "Remind the late units")


def remind_overdue(
    session: Session,
    actor: Actor | None,
    campaign: Campaign,
    kind: str,
    today: dt.date,
    now: dt.datetime | None = None,
) -> list[Reminder]:
    """The Office's reminder, from the dashboard, to every taking-part unit whose plan or
    report (``kind``) is past its due date and not sent: in-app and by e-mail, recorded
    (``reminder_sent`` and the audit log). A unit reminded today is not reminded again: the
    reminder's tier is minus the days overdue, one a day. Never commits."""
    refuse_unless(may_remind_units(actor), REMIND_ACTION)
    due = due_date(campaign, kind) if kind in KINDS else None
    if due is None or today <= due:
        return []
    moment, days_left = now or utcnow(), (due - today).days
    late = sorted(
        u for u, sub in submissions(session, campaign, kind, today).items() if not sub.submitted
    )
    claimed = [u for u in late if _claim(session, campaign.id, u, kind, due, days_left, moment)]
    sent = [
        _remind(session, campaign, session.get(Unit, u), kind, due, days_left, days_left, moment)
        for u in claimed
    ]
    if claimed:
        audit.append(
            session,
            entity_type="campaign",
            entity_id=campaign.id,
            action="remind_overdue",
            actor_id=actor.user_id,
            actor_role=(first_role(actor, OFFICE) or Role.ADMIN).value,
            changes={"kind": kind, "due": due.isoformat(), "unit_ids": claimed},
            now=moment,
        )
    return sent
