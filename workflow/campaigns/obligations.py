"""What a unit owes: the plan and report of every active campaign it takes part in, with
their due dates, before and after a dossier exists, until the unit head sends it.

Taking part and having sent follow ``participation`` (the dashboard's and the reminders'
rules), so the home page, the dashboard and the reminders never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Campaign, Dossier, Unit
from workflow.campaigns.deadlines import due_date
from workflow.campaigns.participation import SUBMISSION_KINDS, submissions
from workflow.core.registry import states_where


@dataclass(frozen=True)
class Obligation:
    """A unit's plan or report of a campaign, not sent yet."""

    campaign_id: int
    campaign_name: str
    unit_id: int
    unit_name: str
    kind: str
    due: dt.date
    days_left: int  # below zero: overdue by that many days
    late_allowed: bool
    dossier_id: int | None  # the unit's dossier being prepared, if any

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def open_dossier_id(session: Session, campaign_id: int, unit_id: int, kind: str) -> int | None:
    """The unit's dossier of that kind still being prepared (not sent, not withdrawn)."""
    return session.scalar(
        select(Dossier.id)
        .where(
            Dossier.campaign_id == campaign_id,
            Dossier.unit_id == unit_id,
            Dossier.kind == kind,
            Dossier.sent_at.is_(None),
            Dossier.state.not_in(states_where(lambda s: s.retracted)[kind]),
        )
        .order_by(Dossier.id.desc())
        .limit(1)
    )


def _campaigns(session: Session) -> list[Campaign]:
    return list(
        session.scalars(
            select(Campaign)
            .where(
                Campaign.active.is_(True),
                or_(Campaign.plan_due.is_not(None), Campaign.report_due.is_not(None)),
            )
            .order_by(Campaign.id)
        )
    )


def obligations(session: Session, unit_ids: Iterable[int], today: dt.date) -> list[Obligation]:
    """What the units of ``unit_ids`` owe on ``today``, the most overdue first."""
    wanted = set(unit_ids)
    if not wanted:
        return []
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())
    out = []
    for campaign in _campaigns(session):
        for kind in SUBMISSION_KINDS:
            due = due_date(campaign, kind)
            if due is None:
                continue
            for unit_id, sub in submissions(session, campaign, kind, today).items():
                if unit_id in wanted and not sub.submitted:
                    out.append(
                        Obligation(
                            campaign.id,
                            campaign.name,
                            unit_id,
                            names[unit_id],
                            kind,
                            due,
                            (due - today).days,
                            campaign.late_allowed,
                            open_dossier_id(session, campaign.id, unit_id, kind),
                        )
                    )
    return sorted(out, key=lambda o: (o.days_left, o.campaign_id, o.kind, o.unit_name))
