"""The history of a person or a collective across years (no Flask): every award, whether
imported from a past decision or recorded when the system published it, and the nominations
still on their way, with their result; and, for a person, ratings, discipline, initiatives and
periods in units.

The public sees published outcomes only (``public=True``): awards the system published. Imported
decisions and pending nominations are for the unit and the Office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import (
    AwardRecord,
    AwardType,
    Campaign,
    Collective,
    Discipline,
    Evaluation,
    Initiative,
    Issuer,
    Membership,
    Nomination,
    Person,
)
from workflow.core.registry import state_def, states_where


@dataclass(frozen=True)
class AwardLine:
    """One award of the history, conferred (a record) or on its way (a nomination)."""

    year: int
    award_code: str
    award_vi: str
    award_en: str
    # "conferred" for a record; else the nomination's state.
    result: str
    result_vi: str
    result_en: str
    decision_number: str | None = None
    decision_date: dt.date | None = None
    issuer: str | None = None
    # "system" (published here), "imported" (a past decision) or "pending" (a nomination).
    origin: str = "imported"
    basis: str = "merit"
    dossier_id: int | None = None
    # Of a record: its id and award type's (what the eligibility rules read of it).
    record_id: int | None = None
    award_type_id: int | None = None

    @property
    def held(self) -> bool:
        """A record of an award held: conferred, not revoked."""
        return self.record_id is not None and self.result == CONFERRED[0]

    def result_label(self, locale: str = "vi") -> str:
        return self.result_en if locale.startswith("en") else self.result_vi


@dataclass
class History:
    """Awards by year, newest first; for a person also ratings, discipline, initiatives and
    periods in units."""

    awards: list[AwardLine] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

    def years(self) -> list[int]:
        """Every year something happened, newest first."""
        seen = {a.year for a in self.awards} | {e.year for e in self.evaluations}
        return sorted(seen, reverse=True)


CONFERRED = ("conferred", "Đã được khen thưởng", "Conferred")


def _result(record: AwardRecord) -> tuple[str, str, str]:
    """Conferred, or revoked by the decision named (the record stays: the history is kept)."""
    revoked = record.revocation
    if revoked is None:
        return CONFERRED
    day = revoked.decided_on.strftime("%d/%m/%Y")
    return (
        "revoked",
        f"Đã bị thu hồi theo Quyết định số {revoked.number} ngày {day}",
        f"Revoked by decision {revoked.number} of {day}",
    )


def _public_states() -> tuple[str, ...]:
    return states_where(lambda s: s.public)["nomination"]


# The records of a register entry (``entry``), the award's names joined, not loaded per award
# type; and those the public sees (published by the system, in a public state). Built once:
# a page draws a history per request.
_RECORDS = (
    select(AwardRecord, Issuer.name, AwardType.code, AwardType.name_vi, AwardType.name_en)
    .join(AwardType, AwardType.id == AwardRecord.award_type_id)
    .outerjoin(Issuer, Issuer.id == AwardRecord.issuer_id)
)
_PUBLISHED = _RECORDS.join(Nomination, Nomination.id == AwardRecord.dossier_id).where(
    Nomination.state.in_(bindparam("public_states", expanding=True))
)
_ENTRY = bindparam("entry")
_RECORDS_OF = {
    (kind, public): query.where(column == _ENTRY)
    for kind, column in (
        ("person", AwardRecord.person_id),
        ("collective", AwardRecord.collective_id),
    )
    for public, query in ((False, _RECORDS), (True, _PUBLISHED))
}


def _awards(session: Session, kind: str, entry: int, public: bool) -> list[AwardLine]:
    """The awards of the register entry ``entry`` (``kind``: "person" or "collective")."""
    parameters: dict[str, Any] = {"entry": entry}
    if public:
        parameters["public_states"] = list(_public_states())
    records = session.execute(_RECORDS_OF[kind, public], parameters)
    lines = [
        AwardLine(
            year=r.year,
            award_code=code,
            award_vi=name_vi,
            award_en=name_en,
            result=result[0],
            result_vi=result[1],
            result_en=result[2],
            decision_number=r.decision_number,
            decision_date=r.decision_date,
            issuer=issuer,
            origin=r.origin,
            basis=r.basis,
            dossier_id=r.dossier_id,
            record_id=r.id,
            award_type_id=r.award_type_id,
        )
        for r, issuer, code, name_vi, name_en in records
        for result in (_result(r),)
    ]
    if not public:
        recorded = {line.dossier_id for line in lines if line.dossier_id}
        for nomination in session.execute(_NOMINATIONS_OF[kind], {"entry": entry}):
            if nomination.id in recorded:
                continue
            sdef = state_def("nomination", nomination.state)
            vi, en = sdef.labels if sdef else (nomination.state, nomination.state)
            lines.append(
                AwardLine(
                    year=nomination.year,
                    award_code=nomination.code,
                    award_vi=nomination.name_vi,
                    award_en=nomination.name_en,
                    result=nomination.state,
                    result_vi=vi,
                    result_en=en,
                    decision_number=nomination.decision_number,
                    decision_date=nomination.decision_date,
                    origin="pending",
                    basis="ad_hoc" if nomination.ad_hoc else "merit",
                    dossier_id=nomination.id,
                )
            )
    lines.sort(key=lambda a: (-a.year, a.award_vi, a.dossier_id or 0))
    return lines


# What a pending nomination's line shows, as plain rows (its award and campaign joined).
_NOMINATIONS = (
    select(
        Nomination.id,
        Nomination.state,
        Campaign.year,
        AwardType.code,
        AwardType.name_vi,
        AwardType.name_en,
        Nomination.decision_number,
        Nomination.decision_date,
        Nomination.ad_hoc,
    )
    .join(Campaign, Campaign.id == Nomination.campaign_id)
    .join(AwardType, AwardType.id == Nomination.award_type_id)
)
_NOMINATIONS_OF = {
    "person": _NOMINATIONS.where(Nomination.person_id == _ENTRY),
    "collective": _NOMINATIONS.where(Nomination.collective_id == _ENTRY),
}
# A person's ratings, initiatives and discipline, newest first.
_EVALUATIONS = (
    select(Evaluation).where(Evaluation.person_id == _ENTRY).order_by(Evaluation.year.desc())
)
_INITIATIVES = (
    select(Initiative)
    .where(Initiative.person_id == _ENTRY)
    .order_by(Initiative.year.desc(), Initiative.id)
)
_DISCIPLINES = (
    select(Discipline).where(Discipline.person_id == _ENTRY).order_by(Discipline.starts_on.desc())
)


def person_history(
    session: Session, person: Person, public: bool = False, *, register: bool = True
) -> History:
    """The history of ``person`` (only published outcomes when ``public``); ``register=False``
    leaves out the discipline and the periods in units (a page that shows neither)."""
    history = History(awards=_awards(session, "person", person.id, public))
    if public:
        return history
    entry = {"entry": person.id}
    history.evaluations = list(session.scalars(_EVALUATIONS, entry))
    history.initiatives = list(session.scalars(_INITIATIVES, entry))
    if not register:
        return history
    history.disciplines = list(session.scalars(_DISCIPLINES, entry))
    history.memberships = sorted(
        person.memberships, key=lambda m: m.starts_on or dt.date.min, reverse=True
    )
    return history


def collective_history(session: Session, collective: Collective, public: bool = False) -> History:
    """The history of ``collective`` (only published outcomes when ``public``)."""
    return History(awards=_awards(session, "collective", collective.id, public))
