"""What a unit owes: the plan and report of every active campaign it takes part in, with
their due dates, before and after a dossier exists, until the unit head sends it.

Taking part and having sent follow ``participation`` (the dashboard's and the reminders'
rules), so the home page, the dashboard and the reminders never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from models import Campaign, Dossier, Unit
from workflow.campaigns.deadlines import due_date
from workflow.campaigns.participation import SUBMISSION_KINDS, units_submissions
from workflow.core.registry import derived, kind_in, states_where


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


@derived
def _open_dossiers_statement() -> Select:
    """The statement of :func:`open_dossier_ids`, built once per set of lifecycles, the
    campaigns and units bound as parameters (every unit's home page runs it)."""
    retracted = states_where(lambda s: s.retracted)
    return select(Dossier.campaign_id, Dossier.unit_id, Dossier.kind, Dossier.id).where(
        Dossier.campaign_id.in_(bindparam("campaigns", expanding=True)),
        Dossier.unit_id.in_(bindparam("units", expanding=True)),
        Dossier.sent_at.is_(None),
        or_(
            *(
                kind_in(Dossier.kind, Dossier.state, kind, retracted[kind], outside=True)
                for kind in SUBMISSION_KINDS
            )
        ),
    )


def open_dossier_ids(
    session: Session, campaign_ids: Iterable[int], unit_ids: Iterable[int]
) -> dict[tuple[int, int, str], int]:
    """``open_dossier_id`` of every (campaign, unit, kind) of plans and reports at once."""
    campaigns, units = sorted(set(campaign_ids)), sorted(set(unit_ids))
    if not campaigns or not units:
        return {}
    stmt = _open_dossiers_statement()
    found: dict[tuple[int, int, str], int] = {}
    for campaign_id, unit_id, kind, dossier_id in session.execute(
        stmt, {"campaigns": campaigns, "units": units}
    ):
        key = (campaign_id, unit_id, kind)
        found[key] = max(found.get(key, 0), dossier_id)
    return found


class _Campaign(NamedTuple):
    """What obligations read of a campaign (``units_submissions`` and ``due_date`` too)."""

    id: int
    name: str
    plan_due: dt.date | None
    report_due: dt.date | None
    late_allowed: bool
    all_units: bool


# Built once: every unit's home page runs them. Plain rows: no ORM object is needed.
_CAMPAIGNS = (
    select(*(getattr(Campaign, name) for name in _Campaign._fields))
    .where(
        Campaign.active.is_(True),
        or_(Campaign.plan_due.is_not(None), Campaign.report_due.is_not(None)),
    )
    .order_by(Campaign.id)
)
_UNIT_NAMES = select(Unit.id, Unit.name).where(Unit.id.in_(bindparam("units", expanding=True)))


def obligations(session: Session, unit_ids: Iterable[int], today: dt.date) -> list[Obligation]:
    """What the units of ``unit_ids`` owe on ``today``, the most overdue first."""
    wanted = set(unit_ids)
    if not wanted:
        return []
    campaigns = [_Campaign(*row) for row in session.execute(_CAMPAIGNS)]
    sent = units_submissions(session, campaigns, today, wanted)
    owed = []
    for campaign in campaigns:
        for kind in SUBMISSION_KINDS:
            due = due_date(campaign, kind)
            if due is None:
                continue
            for unit_id, sub in sent[(campaign.id, kind)].items():
                if not sub.submitted:
                    owed.append((campaign, kind, due, unit_id))
    if not owed:
        return []
    owing = sorted({u for *_, u in owed})
    names = dict(session.execute(_UNIT_NAMES, {"units": owing}).all())
    # The dossiers being prepared, in one query for every obligation rather than one each.
    drafts = open_dossier_ids(session, {c.id for c, *_ in owed}, owing)
    out = [
        Obligation(
            campaign.id,
            campaign.name,
            unit_id,
            names[unit_id],
            kind,
            due,
            (due - today).days,
            campaign.late_allowed,
            drafts.get((campaign.id, unit_id, kind)),
        )
        for campaign, kind, due, unit_id in owed
    ]
    return sorted(out, key=lambda o: (o.days_left, o.campaign_id, o.kind, o.unit_name))
