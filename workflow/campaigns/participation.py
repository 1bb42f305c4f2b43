"""Who takes part in a campaign, whether they sent their plan and report on time, and
whom to call: the unit heads.

A campaign with ``all_units`` takes every active unit except the Department's own (kinds
``department`` and ``office``: they run the campaign, they do not report to it); divisions
are units under the Department and do take part. Otherwise the active units listed in
``campaign_unit`` take part, whatever their kind (the Office chose them).

A plan or report is submitted when its unit head sent it to the Department (``sent_at``)
and it is not withdrawn; on time or late is ``deadlines.submission_status``. When a unit
sent more than one, the first sending decides on time or late; the latest is "its" dossier.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import BindParameter, Select, bindparam, or_, select
from sqlalchemy.orm import Session

from models import Campaign, CampaignUnit, Dossier, RoleGrant, Unit, User
from models.text import vi_sort_key
from workflow.campaigns.deadlines import STATUS_LABELS, submission_status
from workflow.core.actors import Role
from workflow.core.registry import derived, kind_in, states_where

# Unit kinds of the Department itself: never expected to send a plan or report.
DEPARTMENT_KINDS = ("department", "office")
SUBMISSION_KINDS = ("plan", "report")
STATUSES = tuple(STATUS_LABELS)  # on_time, late, missing, pending
NOT_SUBMITTED = ("missing", "pending")

_D, _U, _CU = Dossier.__table__, Unit.__table__, CampaignUnit.__table__


# Who takes part (see :func:`participants`), built once: every campaign reads one of them.
_EVERY_UNIT = select(_U.c.id).where(_U.c.active.is_(True), _U.c.kind.not_in(DEPARTMENT_KINDS))
_LISTED_UNITS = (
    select(_CU.c.unit_id)
    .join(_U, _U.c.id == _CU.c.unit_id)
    .where(_CU.c.campaign_id == bindparam("campaign"), _U.c.active.is_(True))
)


def participants(campaign: Campaign) -> Select:
    """SELECT of the ids of the units taking part in ``campaign`` (see the module's notes)."""
    if campaign.all_units:
        return _EVERY_UNIT
    return _LISTED_UNITS.params(campaign=campaign.id)


class _DueDates(NamedTuple):
    plan_due: dt.date | None
    report_due: dt.date | None


class _Sent(NamedTuple):
    # What submission_status reads of a dossier; withdrawn ones are filtered out in SQL.
    sent_at: dt.datetime | None
    sent_late: bool | None
    state: str = "sent"


class Submission(NamedTuple):
    """A participating unit's plan or report against its due date."""

    unit_id: int
    status: str
    sent_at: dt.datetime | None = None
    dossier_id: int | None = None

    @property
    def submitted(self) -> bool:
        return self.status not in NOT_SUBMITTED


def submissions(
    session: Session, campaign: Campaign, kind: str, today: dt.date
) -> dict[int, Submission]:
    """Per participating unit, its plan or report (``kind``) status on ``today``."""
    return campaign_submissions(session, campaign, today, (kind,))[kind]


@derived
def _campaign_statements(kinds: tuple[str, ...]) -> Select:
    """What the units sent of ``kinds`` to one campaign (bound as ``campaign``), withdrawn
    ones left out, in the order sent: built once per set of lifecycles."""
    retracted = states_where(lambda s: s.retracted)
    return (
        select(_D.c.kind, _D.c.unit_id, _D.c.sent_at, _D.c.sent_late, _D.c.id)
        .where(
            _D.c.campaign_id == bindparam("campaign"),
            _D.c.kind.in_(kinds),
            _D.c.sent_at.is_not(None),
            or_(
                *(
                    kind_in(_D.c.kind, _D.c.state, kind, retracted[kind], outside=True)
                    for kind in kinds
                )
            ),
        )
        .order_by(_D.c.sent_at, _D.c.id)
    )


def participants_statement(all_units: bool) -> Select:
    """:func:`participants` of a campaign that takes every unit or not, the campaign bound
    as ``campaign``: a statement built once."""
    return _EVERY_UNIT if all_units else _LISTED_UNITS


def participant_ids(session: Session, campaign: Campaign) -> list[int]:
    """The ids of the units taking part in ``campaign`` (:func:`participants`, read)."""
    if campaign.all_units:
        return list(session.scalars(_EVERY_UNIT).all())
    return list(session.scalars(_LISTED_UNITS, {"campaign": campaign.id}).all())


def campaign_submissions(
    session: Session,
    campaign: Campaign,
    today: dt.date,
    kinds: tuple[str, ...] = SUBMISSION_KINDS,
) -> dict[str, dict[int, Submission]]:
    """Per kind of ``kinds`` and participating unit, its plan or report status on ``today``:
    two statements whatever the number of kinds (the dashboard shows plans and reports)."""
    # The first sending decides on time or late; the latest dossier is the unit's.
    first: dict[tuple[str, int], _Sent] = {}
    latest: dict[tuple[str, int], int] = {}
    # Fetched at once: PostgreSQL's driver costs about twice as much row by row, and a
    # city's campaign has thousands of sendings and units.
    sent = session.execute(_campaign_statements(kinds), {"campaign": campaign.id}).all()
    for kind, unit_id, sent_at, sent_late, dossier_id in sent:
        key = (kind, unit_id)
        first.setdefault(key, _Sent(sent_at, sent_late))
        latest[key] = max(latest.get(key, 0), dossier_id)
    units = participant_ids(session, campaign)
    # The rule reads only the due dates: a plain copy spares an ORM attribute read per unit.
    dates = _DueDates(campaign.plan_due, campaign.report_due)
    out: dict[str, dict[int, Submission]] = {}
    for kind in kinds:
        unsent = submission_status(dates, kind, None, today)  # the same for every unit
        by_unit = out[kind] = {}
        for unit_id in units:
            done = first.get((kind, unit_id))
            if done is None:
                by_unit[unit_id] = Submission(unit_id, unsent)
                continue
            status = submission_status(dates, kind, done, today)
            by_unit[unit_id] = Submission(unit_id, status, done.sent_at, latest[(kind, unit_id)])
    return out


@derived
def _units_statements() -> tuple[Select, Select, Select]:
    """The statements of :func:`units_submissions`, built once per set of lifecycles (every
    unit's home page runs them), the campaigns and units bound as parameters: what the units
    sent, which of them every campaign takes, which the listing campaigns chose."""
    retracted = states_where(lambda s: s.retracted)
    campaigns, units = bindparam("campaigns", expanding=True), bindparam("units", expanding=True)
    sent = (
        select(_D.c.campaign_id, _D.c.kind, _D.c.unit_id, _D.c.sent_at, _D.c.sent_late, _D.c.id)
        .where(
            _D.c.campaign_id.in_(campaigns),
            _D.c.unit_id.in_(units),
            _D.c.sent_at.is_not(None),
            or_(
                *(
                    kind_in(_D.c.kind, _D.c.state, kind, retracted[kind], outside=True)
                    for kind in SUBMISSION_KINDS
                )
            ),
        )
        .order_by(_D.c.sent_at, _D.c.id)
    )
    everyone = select(_U.c.id).where(
        _U.c.id.in_(units), _U.c.active.is_(True), _U.c.kind.not_in(DEPARTMENT_KINDS)
    )
    listed = (
        select(_CU.c.campaign_id, _CU.c.unit_id)
        .join(_U, _U.c.id == _CU.c.unit_id)
        .where(_CU.c.campaign_id.in_(campaigns), _CU.c.unit_id.in_(units), _U.c.active.is_(True))
    )
    return sent, everyone, listed


def units_submissions(
    session: Session, campaigns: Iterable[Campaign], today: dt.date, units: Collection[int]
) -> dict[tuple[int, str], dict[int, Submission]]:
    """``submissions`` of the plans and reports of every campaign of ``campaigns``, for the
    units of ``units`` only, by (campaign id, kind): three statements whatever the number of
    campaigns (a unit's home page lists what it owes to each active campaign)."""
    campaigns, wanted = list(campaigns), sorted(set(units))
    if not campaigns or not wanted:
        return {}
    sent_stmt, everyone_stmt, listed_stmt = _units_statements()
    first: dict[tuple[int, str, int], _Sent] = {}
    latest: dict[tuple[int, str, int], int] = {}
    sent = session.execute(sent_stmt, {"campaigns": [c.id for c in campaigns], "units": wanted})
    for campaign_id, kind, unit_id, sent_at, sent_late, dossier_id in sent:
        key = (campaign_id, kind, unit_id)
        first.setdefault(key, _Sent(sent_at, sent_late))
        latest[key] = max(latest.get(key, 0), dossier_id)
    # Who takes part: every active unit but the Department's own, or the units listed.
    everyone = set(session.scalars(everyone_stmt, {"units": wanted}))
    listed_ids = [c.id for c in campaigns if not c.all_units]
    listed: dict[int, set[int]] = {}
    if listed_ids:
        for campaign_id, unit_id in session.execute(
            listed_stmt, {"campaigns": listed_ids, "units": wanted}
        ):
            listed.setdefault(campaign_id, set()).add(unit_id)
    out: dict[tuple[int, str], dict[int, Submission]] = {}
    for campaign in campaigns:
        taking_part = everyone if campaign.all_units else listed.get(campaign.id, set())
        dates = _DueDates(campaign.plan_due, campaign.report_due)
        for kind in SUBMISSION_KINDS:
            unsent = submission_status(dates, kind, None, today)
            by_unit = out[(campaign.id, kind)] = {}
            for unit_id in sorted(taking_part):
                done = first.get((campaign.id, kind, unit_id))
                status = submission_status(dates, kind, done, today) if done else unsent
                by_unit[unit_id] = Submission(
                    unit_id,
                    status,
                    done.sent_at if done else None,
                    latest.get((campaign.id, kind, unit_id)),
                )
    return out


@dataclass(frozen=True)
class SubmissionCounts:
    """How many participating units sent their plan or report, on time or late, or not."""

    kind: str
    counts: dict[str, int]

    @property
    def expected(self) -> int:
        return sum(self.counts.values())

    @property
    def submitted(self) -> int:
        return self.counts["on_time"] + self.counts["late"]

    @classmethod
    def of(cls, kind: str, subs: Iterable[Submission]) -> SubmissionCounts:
        counts = dict.fromkeys(STATUSES, 0)
        for sub in subs:
            counts[sub.status] += 1
        return cls(kind, counts)


class Contact(NamedTuple):
    """A head of unit to call or write to."""

    name: str
    email: str | None
    phone: str | None


class UnitInfo(NamedTuple):
    id: int
    code: str
    name: str
    kind: str
    locality: str | None
    email: str | None
    phone: str | None


@functools.lru_cache(maxsize=20000)
def name_key(name: str) -> tuple:
    """Vietnamese order of a unit name (memoised: unit names rarely change)."""
    return vi_sort_key(name)


def _ids(unit_ids: Iterable[int] | Select) -> Select | list[int]:
    # A SELECT stays a subquery: 2,000 ids as bound parameters cost more than the query.
    return unit_ids if isinstance(unit_ids, Select) else sorted(set(unit_ids))


def _unit_infos(ids: Select | BindParameter) -> Select:
    return select(
        _U.c.id, _U.c.code, _U.c.name, _U.c.kind, _U.c.locality, _U.c.email, _U.c.phone
    ).where(_U.c.id.in_(ids))


def _heads(ids: Select | BindParameter) -> Select:
    grant, user = RoleGrant.__table__, User.__table__
    return (
        select(grant.c.unit_id, user.c.full_name, user.c.email, user.c.phone)
        .join(user, user.c.id == grant.c.user_id)
        .where(
            grant.c.role == Role.UNIT_HEAD.value, grant.c.unit_id.in_(ids), user.c.active.is_(True)
        )
        .order_by(grant.c.unit_id, user.c.full_name)
    )


# The two statements for a list of ids (bound as ``ids``), built once.
_UNIT_INFOS = _unit_infos(bindparam("ids", expanding=True))
_HEADS = _heads(bindparam("ids", expanding=True))
# Beyond this many ids, reading every unit costs less than binding each id (PostgreSQL's
# driver spends ~25 ms on a statement with a thousand bound ids; a city has 2,000 units).
MANY_IDS = 200
_EVERY_UNIT_INFO = select(
    _U.c.id, _U.c.code, _U.c.name, _U.c.kind, _U.c.locality, _U.c.email, _U.c.phone
)


def unit_infos(session: Session, unit_ids: Iterable[int] | Select) -> dict[int, UnitInfo]:
    """Names and contacts of the given units (ids, or a SELECT of ids such as
    :func:`participants`)."""
    ids = _ids(unit_ids)
    if not isinstance(ids, list):
        return {row[0]: UnitInfo(*row) for row in session.execute(_unit_infos(ids)).all()}
    if not ids:
        return {}
    if len(ids) <= MANY_IDS:
        return {row[0]: UnitInfo(*row) for row in session.execute(_UNIT_INFOS, {"ids": ids})}
    wanted = set(ids)
    every = session.execute(_EVERY_UNIT_INFO).all()
    return {row[0]: UnitInfo(*row) for row in every if row[0] in wanted}


def heads_of(session: Session, unit_ids: Iterable[int] | Select) -> dict[int, list[Contact]]:
    """The active heads (thủ trưởng) of the given units (ids or a SELECT of ids), by unit."""
    ids = _ids(unit_ids)
    heads: dict[int, list[Contact]] = {}
    if isinstance(ids, list):
        if not ids:
            return heads
        rows = session.execute(_HEADS, {"ids": ids})
    else:
        rows = session.execute(_heads(ids))
    for unit_id, name, email, phone in rows:
        heads.setdefault(unit_id, []).append(Contact(name, email, phone))
    return heads
