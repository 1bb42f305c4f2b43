"""Eligibility and quota checks of a nomination, from its award type's rules (no Flask).

``check`` returns one ``CheckResult`` per rule in force, each with its reason in Vietnamese
and English and its legal source: each rule is checked by its kind (``workflow.awards.rules``),
from what ``Checker`` reads and keeps. Hard rules that fail block the Office's approval; soft
ones warn, and approving anyway needs a reason (``workflow.awards.guards``).

Which rules apply: those in force on the day the dossier was received by the Department
(``sent_at``, Hải Phòng date), or today for a dossier not sent yet. Holds are judged today.

Counting, for quotas and for "holds the title this year": the awards history
(``AwardRecord``: imported past years and what the system published), plus the unit's
nominations of the same campaign year in a state that ``counts_toward_quota`` (the lifecycle
says which: received by the Department and still alive, e.g. under Office review, at the
Council, approved, forwarded or published; a published one that already has its history
record is counted once). Drafts, dossiers with the unit (including returned ones) and
rejected or withdrawn ones are not counted. The nomination
being checked is always counted in its own quota. The limit is ``pct`` percent of the base
award's count, rounded down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models import Attachment, AwardRecord, AwardType, Campaign, Hold, Nomination
from models.text import fold
from workflow.awards.catalogue import rules_of
from workflow.awards.rules import CheckResult, counted_states, kind_of

LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(LOCAL_TZ).date() if moment else None


def summary(results: Iterable[CheckResult]) -> str:
    """ "none" (no rule), "ok", "warn" or "fail": the worst level among ``results``."""
    levels = {r.level for r in results}
    for level in ("fail", "warn", "ok"):
        if level in levels:
            return level
    return "none"


def hard_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "fail"]


def warnings(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "warn"]


class Checker:
    """Runs the checks; reads what the rule kinds need and keeps what several nominations share
    (award names, base counts, files)."""

    def __init__(self, session: Session, today: dt.date) -> None:
        self.session = session
        self.today = today
        self._awards: dict[str, AwardType] | None = None
        self._counts: dict[tuple[int, int, int], int] = {}
        self._purposes: dict[int, dict[str, int]] = {}

    def awards(self) -> dict[str, AwardType]:
        if self._awards is None:
            self._awards = {a.code: a for a in self.session.scalars(select(AwardType))}
        return self._awards

    def check(
        self, nomination: Nomination, purposes: dict[str, int] | None = None
    ) -> list[CheckResult]:
        """Every rule of the nomination's award in force on the day it was received, each
        checked by its kind (``purposes``: the dossier's files, when already counted)."""
        day = local_day(nomination.sent_at) or self.today
        rules = [r for r in rules_of(self.session, nomination.award_type_id) if r.applies_on(day)]
        if purposes is not None:
            self._purposes[nomination.id] = purposes
        results = []
        for rule in rules:
            kind = kind_of(rule.kind)
            if kind is not None:
                results.append(kind.check(rule, nomination, self))
        return results

    # --- what the rule kinds read (workflow.awards.rules.Facts) -------------------------

    def purposes(self, nomination: Nomination) -> dict[str, int]:
        """{purpose: number of files} of the nomination (read once)."""
        if nomination.id not in self._purposes:
            found = attachment_purposes(self.session, [nomination.id])
            self._purposes[nomination.id] = found.get(nomination.id, {})
        return self._purposes[nomination.id]

    def holds_of(self, nomination: Nomination) -> list[Hold]:
        """The holds on the nominee in force today, earliest first."""
        return [h for h in self.session.scalars(_holds_for(nomination)) if h.active_on(self.today)]

    # --- counting ------------------------------------------------------------------------

    def count(self, award_type_id: int, unit_id: int, year: int) -> int:
        """Records of the award in the unit and year, plus nominations received and alive."""
        key = (award_type_id, unit_id, year)
        if key not in self._counts:
            records = self.session.scalar(
                select(func.count())
                .select_from(AwardRecord)
                .where(
                    AwardRecord.award_type_id == award_type_id,
                    AwardRecord.unit_id == unit_id,
                    AwardRecord.year == year,
                )
            )
            recorded = exists().where(AwardRecord.dossier_id == Nomination.id)
            nominations = self.session.scalar(
                select(func.count())
                .select_from(Nomination)
                .join(Campaign, Campaign.id == Nomination.campaign_id)
                .where(
                    Nomination.award_type_id == award_type_id,
                    Nomination.unit_id == unit_id,
                    Campaign.year == year,
                    Nomination.state.in_(counted_states()),
                    ~recorded,
                )
            )
            self._counts[key] = records + nominations
        return self._counts[key]

    def years_held(self, award_type_id: int, nomination: Nomination, years: list[int]) -> set[int]:
        # Ad-hoc and thematic results are no ground for higher merit titles (NĐ 152/2025).
        return set(
            self.session.scalars(
                select(AwardRecord.year).where(
                    AwardRecord.award_type_id == award_type_id,
                    AwardRecord.year.in_(years),
                    AwardRecord.basis == "merit",
                    _same_nominee(AwardRecord, nomination),
                )
            )
        )

    def same_year_nominations(
        self, award_type_id: int, nomination: Nomination, year: int
    ) -> list[tuple[int, str]]:
        """(id, state) of the nominee's other nominations for the award that year, received."""
        rows = self.session.execute(
            select(
                Nomination.id,
                Nomination.state,
                Nomination.nominee_name,
                Nomination.nominee_user_id,
                Nomination.unit_id,
            )
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(
                Nomination.award_type_id == award_type_id,
                Campaign.year == year,
                Nomination.id != nomination.id,
                Nomination.state.in_(counted_states()),
            )
        )
        key = fold(nomination.nominee_name)
        return [
            (r.id, r.state)
            for r in rows
            if (nomination.nominee_user_id and r.nominee_user_id == nomination.nominee_user_id)
            or (r.unit_id == nomination.unit_id and fold(r.nominee_name) == key)
        ]


def _same_nominee(model, nomination: Nomination):
    """Rows of ``model`` about the same nominee: the same account, or the same name in the same
    unit."""
    condition = and_(
        model.name_key == fold(nomination.nominee_name), model.unit_id == nomination.unit_id
    )
    if nomination.nominee_user_id:
        condition = or_(model.user_id == nomination.nominee_user_id, condition)
    return condition


def _holds_for(nomination: Nomination):
    """Holds that may concern the nominee (their dates are checked afterwards): on their
    account, on their name (in their unit, or in any), or, for a collective, on its unit."""
    conditions = [
        and_(
            Hold.name_key != "",
            Hold.name_key == fold(nomination.nominee_name),
            or_(Hold.unit_id.is_(None), Hold.unit_id == nomination.unit_id),
        )
    ]
    if nomination.nominee_user_id:
        conditions.append(Hold.user_id == nomination.nominee_user_id)
    if nomination.nominee_kind == "collective":
        conditions.append(
            and_(Hold.name_key == "", Hold.user_id.is_(None), Hold.unit_id == nomination.unit_id)
        )
    return select(Hold).where(or_(*conditions)).order_by(Hold.starts_on)


def attachment_purposes(session: Session, dossier_ids: list[int]) -> dict[int, dict[str, int]]:
    """{dossier id: {purpose: number of files}} in one query."""
    out: dict[int, dict[str, int]] = {}
    if not dossier_ids:
        return out
    for dossier_id, purpose, count in session.execute(
        select(Attachment.dossier_id, Attachment.purpose, func.count())
        .where(Attachment.dossier_id.in_(dossier_ids))
        .group_by(Attachment.dossier_id, Attachment.purpose)
    ):
        out.setdefault(dossier_id, {})[purpose] = count
    return out


def check(session: Session, nomination: Nomination, today: dt.date) -> list[CheckResult]:
    """The checks of one nomination (an empty list when its award has no rule)."""
    return Checker(session, today).check(nomination)


def check_many(
    session: Session, nominations: Iterable[Nomination], today: dt.date
) -> dict[int, list[CheckResult]]:
    """The checks of several nominations (a page of a queue), sharing counts and queries."""
    nominations = [n for n in nominations if isinstance(n, Nomination)]
    checker = Checker(session, today)
    purposes = attachment_purposes(session, [n.id for n in nominations])
    return {n.id: checker.check(n, purposes.get(n.id, {})) for n in nominations}
