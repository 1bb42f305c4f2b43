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
from dataclasses import dataclass, replace

from sqlalchemy import and_, exists, false, func, select
from sqlalchemy.orm import Session

from models import (
    Attachment,
    AwardRecord,
    AwardType,
    Campaign,
    Discipline,
    Evaluation,
    Hold,
    Initiative,
    Membership,
    Nomination,
)
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
        self._records: dict[tuple[str, int | None], list[Held]] = {}
        self._ratings: dict[int | None, dict[int, str]] = {}
        self._initiatives: dict[int | None, list[Initiative]] = {}
        self._disciplines: dict[int | None, list[Discipline]] = {}
        self._members: dict[tuple[int | None, int], list[int]] = {}
        self._members_facts: dict[tuple[int | None, int], MembersFacts] = {}

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
            if kind is not None and kind.checked:
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

    # --- the nominee's history, one query per kind of fact, kept per register entry ------

    def records_of(self, nomination: Nomination) -> list[Held]:
        """Every award the nominee (person or collective) received, any year."""
        key = _entry(nomination)
        if key not in self._records:
            column = AwardRecord.person_id if key[0] == "person" else AwardRecord.collective_id
            self._records[key] = (
                [
                    Held(r.id, r.award_type_id, r.year, r.basis, r.dossier_id)
                    for r in self.session.execute(
                        select(
                            AwardRecord.id,
                            AwardRecord.award_type_id,
                            AwardRecord.year,
                            AwardRecord.basis,
                            AwardRecord.dossier_id,
                        ).where(column == key[1])
                    )
                ]
                if key[1] is not None
                else []
            )
        return self._records[key]

    def years_held(self, award_type_id: int, nomination: Nomination, years: list[int]) -> set[int]:
        # Ad-hoc and thematic results are no ground for higher merit titles (NĐ 152/2025).
        return {
            r.year
            for r in self.records_of(nomination)
            if r.award_type_id == award_type_id and r.year in years and r.basis == "merit"
        }

    def ratings(self, person_id: int | None) -> dict[int, str]:
        """{year: rating} of a person."""
        if person_id not in self._ratings:
            self._ratings[person_id] = dict(
                self.session.execute(
                    select(Evaluation.year, Evaluation.rating).where(
                        Evaluation.person_id == person_id
                    )
                ).all()
            )
        return self._ratings[person_id]

    def initiatives(self, person_id: int | None) -> list[Initiative]:
        """A person's initiatives and research, oldest first."""
        if person_id not in self._initiatives:
            self._initiatives[person_id] = list(
                self.session.scalars(
                    select(Initiative)
                    .where(Initiative.person_id == person_id)
                    .order_by(Initiative.year, Initiative.id)
                )
            )
        return self._initiatives[person_id]

    def members(self, nomination: Nomination, year: int) -> list[int]:
        """The people of a collective nominee in ``year``: those whose period in the unit (in
        the group, for a group) covers the year."""
        key = (nomination.collective_id, year)
        if key not in self._members:
            collective = nomination.collective
            query = select(Membership)
            if collective is None or collective.kind == "unit":
                query = query.where(Membership.unit_id == nomination.unit_id)
            else:
                query = query.where(Membership.collective_id == collective.id)
            self._members[key] = sorted(
                {m.person_id for m in self.session.scalars(query) if m.covers_year(year)}
            )
        return self._members[key]

    def members_facts(self, nomination: Nomination, year: int) -> MembersFacts:
        """What the collective rules read about the members in ``year`` (one query each)."""
        key = (nomination.collective_id, year)
        if key not in self._members_facts:
            people = self.members(nomination, year)
            held: dict[int, set[int]] = {}
            for person_id, award_type_id in self.session.execute(
                select(AwardRecord.person_id, AwardRecord.award_type_id).where(
                    AwardRecord.person_id.in_(people),
                    AwardRecord.year == year,
                    AwardRecord.basis == "merit",
                )
            ):
                held.setdefault(award_type_id, set()).add(person_id)
            ratings = dict(
                self.session.execute(
                    select(Evaluation.person_id, Evaluation.rating).where(
                        Evaluation.person_id.in_(people), Evaluation.year == year
                    )
                ).all()
            )
            disciplined = [
                (d.person_id, d.form)
                for d in self.session.scalars(
                    select(Discipline).where(Discipline.person_id.in_(people))
                )
                if d.in_year(year)
            ]
            self._members_facts[key] = MembersFacts(people, held, ratings, disciplined)
        return self._members_facts[key]

    def disciplines(self, person_id: int | None) -> list[Discipline]:
        """A person's disciplinary measures."""
        if person_id not in self._disciplines:
            self._disciplines[person_id] = list(
                self.session.scalars(select(Discipline).where(Discipline.person_id == person_id))
            )
        return self._disciplines[person_id]

    def same_year_nominations(
        self, award_type_id: int, nomination: Nomination, year: int
    ) -> list[tuple[int, str]]:
        """(id, state) of the nominee's other nominations for the award that year, received."""
        return [
            (r.id, r.state)
            for r in self.session.execute(
                select(Nomination.id, Nomination.state)
                .join(Campaign, Campaign.id == Nomination.campaign_id)
                .where(
                    Nomination.award_type_id == award_type_id,
                    Campaign.year == year,
                    Nomination.id != nomination.id,
                    Nomination.state.in_(counted_states()),
                    _same_nominee(nomination),
                )
            )
        ]


@dataclass(frozen=True)
class Held:
    """One award of the nominee's history, as the rules read it."""

    record_id: int
    award_type_id: int
    year: int
    basis: str
    dossier_id: int | None


@dataclass(frozen=True)
class MembersFacts:
    """The members of a collective in a year: who they are, who holds which award
    ({award type id: person ids}), their ratings and the discipline in force."""

    people: list[int]
    held: dict[int, set[int]]
    ratings: dict[int, str]
    disciplined: list[tuple[int, str]]


def _entry(nomination: Nomination) -> tuple[str, int | None]:
    """The register entry a nomination names: ("person", id) or ("collective", id)."""
    if nomination.nominee_kind == "collective":
        return "collective", nomination.collective_id
    return "person", nomination.person_id


def _same_nominee(nomination: Nomination):
    """Nominations naming the same register entry as ``nomination``."""
    kind, ident = _entry(nomination)
    column = Nomination.person_id if kind == "person" else Nomination.collective_id
    return column == ident if ident is not None else false()


def _holds_for(nomination: Nomination):
    """Holds that may concern the nominee (their dates are checked afterwards): on the person,
    or, for a collective, on its unit."""
    if nomination.nominee_kind == "collective":
        condition = and_(Hold.person_id.is_(None), Hold.unit_id == nomination.unit_id)
    else:
        condition = Hold.person_id == nomination.person_id
    return select(Hold).where(condition).order_by(Hold.starts_on)


# What a unit is told of a hold: the matter itself is for the Department.
_HOLD_FOR_UNIT = (
    "Đang tạm dừng xét khen thưởng; liên hệ Văn phòng Sở để biết lý do.",
    "On hold; ask the Department's Office for the reason.",
)


def for_the_unit(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The checks as the unit sees them while drafting: a hold that fails keeps its verdict
    but not its reason (disciplinary matters are not shown to the unit's staff)."""
    return [
        replace(r, message_vi=_HOLD_FOR_UNIT[0], message_en=_HOLD_FOR_UNIT[1])
        if r.code == "hold" and not r.ok
        else r
        for r in results
    ]


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
