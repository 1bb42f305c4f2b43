"""Probable duplicates of the register and their merge (no Flask).

Two entries are probably one person when they share an identity number, or a name and a date
of birth. Units see the pairs among their own people; only the Office merges, since a pair may
span units. A merge moves every award record, nomination, hold, rating, discipline, initiative
and period in a unit of the merged entry to the one that stays; the merged entry keeps its row,
pointing at the survivor, so old links still lead somewhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, aliased

from models import (
    AwardRecord,
    Discipline,
    Evaluation,
    Hold,
    Initiative,
    Membership,
    Nomination,
    Person,
)
from models.clock import utcnow
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import OFFICE, first_role, may_merge_people, refuse_unless
from workflow.core.errors import EditRefused
from workflow.people.entries import lock_person, visible_people
from workflow.people.labels import RATING_LABELS
from workflow.people.messages import PEOPLE_MESSAGES

MERGE = ("Gộp hai người trùng nhau trong sổ", "Merge two register entries")
# What moves with a merge: the model, and its column naming the person.
MOVED = {
    "award_records": AwardRecord,
    "nominations": Nomination,
    "holds": Hold,
    "evaluations": Evaluation,
    "disciplines": Discipline,
    "initiatives": Initiative,
    "memberships": Membership,
}


@dataclass(frozen=True)
class Pair:
    """Two entries that are probably one person, and why (``identity`` or ``birth``)."""

    first: Person
    second: Person
    reason: str


def duplicate_pairs(session: Session, actor: Actor, limit: int = 200) -> list[Pair]:
    """The probable duplicates ``actor`` may see (both entries visible to them)."""
    one, two = aliased(Person), aliased(Person)
    same_id = and_(one.identity_number.is_not(None), one.identity_number == two.identity_number)
    same_birth = and_(
        one.date_of_birth.is_not(None),
        one.name_key == two.name_key,
        one.date_of_birth == two.date_of_birth,
    )
    rows = session.execute(
        select(one, two, same_id)
        .join(two, and_(one.id < two.id, or_(same_id, same_birth)))
        .where(
            one.merged_into_id.is_(None),
            two.merged_into_id.is_(None),
            visible_people(actor, one),
            visible_people(actor, two),
        )
        .order_by(one.name_key, one.id, two.id)
        .limit(limit)
    ).all()
    return [Pair(a, b, "identity" if by_id else "birth") for a, b, by_id in rows]


def _refuse_conflicts(session: Session, merged: Person, survivor: Person) -> None:
    ratings = {
        e.year: e.rating
        for e in session.scalars(select(Evaluation).where(Evaluation.person_id == survivor.id))
    }
    for evaluation in session.scalars(
        select(Evaluation).where(Evaluation.person_id == merged.id).order_by(Evaluation.year)
    ):
        kept = ratings.get(evaluation.year)
        if kept is not None and kept != evaluation.rating:
            first, second = RATING_LABELS[evaluation.rating], RATING_LABELS[kept]
            raise EditRefused(
                [
                    PEOPLE_MESSAGES.violation(
                        "register_merge_evaluation",
                        {
                            "year": evaluation.year,
                            "first": first[0],
                            "first_en": first[1],
                            "second": second[0],
                            "second_en": second[1],
                        },
                    )
                ]
            )
    if merged.user_id and survivor.user_id:
        raise EditRefused([PEOPLE_MESSAGES.violation("register_merge_accounts")])


def _move(session: Session, merged: Person, survivor: Person) -> dict[str, int]:
    """Point every row of ``merged`` at ``survivor``; the number moved of each kind."""
    same_year = select(Evaluation.year).where(Evaluation.person_id == survivor.id)
    # The same rating of the same year on both: the survivor's stays, the other goes.
    session.execute(
        Evaluation.__table__.delete().where(
            Evaluation.person_id == merged.id, Evaluation.year.in_(same_year)
        )
    )
    # The same period entered twice (same unit, same first day): the survivor's stays.
    kept = select(Membership.unit_id, Membership.starts_on).where(
        Membership.person_id == survivor.id
    )
    for unit_id, starts_on in session.execute(kept).all():
        session.execute(
            Membership.__table__.delete().where(
                Membership.person_id == merged.id,
                Membership.unit_id == unit_id,
                Membership.starts_on == starts_on,
            )
        )
    counts = {}
    for name, model in MOVED.items():
        # Core statements on the tables: moving a nomination must not count as an edit of the
        # dossier (its version), which would refuse the unit's next save for no reason.
        table = model.__table__
        result = session.execute(
            update(table).where(table.c.person_id == merged.id).values(person_id=survivor.id)
        )
        counts[name] = result.rowcount or 0
    return counts


def merge_people(
    session: Session,
    actor: Actor,
    merged_id: int,
    survivor_id: int,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Merge entry ``merged_id`` into ``survivor_id`` (the Office only). Refused, changing
    nothing, when both have different ratings for a year or both are linked to an account.
    Audited on both entries, naming both and the counts moved. Never commits."""
    now = now or utcnow()
    refuse_unless(may_merge_people(actor), MERGE)
    if merged_id == survivor_id:
        raise EditRefused([PEOPLE_MESSAGES.violation("register_merge_same")])
    first, second = sorted((merged_id, survivor_id))
    # Locked in id order, so two merges of the same pair cannot wait on each other.
    locked = {pid: lock_person(session, pid, actor) for pid in (first, second)}
    merged, survivor = locked[merged_id], locked[survivor_id]
    _refuse_conflicts(session, merged, survivor)
    session.flush()
    counts = _move(session, merged, survivor)
    session.expire_all()
    merged, survivor = session.get_one(Person, merged_id), session.get_one(Person, survivor_id)
    account = merged.user_id
    merged.user_id, merged.merged_into_id = None, survivor.id
    session.flush()
    if account is not None:
        survivor.user_id = account
    session.flush()
    role = first_role(actor, OFFICE)
    changes = {"merged_id": merged.id, "survivor_id": survivor.id, "user_id": account, **counts}
    for person, action in ((merged, "merge_into"), (survivor, "merge_from")):
        audit.append(
            session,
            entity_type="person",
            entity_id=person.id,
            action=action,
            actor_id=actor.user_id,
            actor_role=role.value if role else None,
            unit_id=person.unit_id,
            changes=changes,
            now=now,
        )
    return counts
