"""Reading lists: the lists a person may see with their rows counted by state, and one list's
rows filtered, searched without diacritics and sorted (no Flask; a few queries per page,
never one per row)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from models import AwardType, CouncilItem, Nomination, Proposal
from models.council import OUTCOME_REJECTED
from models.text import has_words
from workflow.core.actors import Actor
from workflow.core.authz import visible_dossiers
from workflow.core.registry import WORKFLOWS, state_is

ROW_SORTS = ("name", "award", "state", "added")


@dataclass(frozen=True)
class RowFilter:
    """What the rows page narrows to: a state, an award, words of the name (any accents)."""

    state: str | None = None
    award_type_id: int | None = None
    words: str = ""
    sort: str = "award"


def lists_query(actor: Actor, *, campaign_id: int | None = None, unit_id: int | None = None):
    """SELECT of the lists the actor may see, latest first."""
    query = (
        select(Proposal)
        .where(visible_dossiers(actor))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    )
    if campaign_id:
        query = query.where(Proposal.campaign_id == campaign_id)
    if unit_id:
        query = query.where(Proposal.unit_id == unit_id)
    return query


def row_counts(session: Session, proposal_ids: list[int]) -> dict[int, dict[str, int]]:
    """{list id: {row state: rows}} in one query."""
    out: dict[int, dict[str, int]] = {i: {} for i in proposal_ids}
    if not proposal_ids:
        return out
    for proposal_id, state, count in session.execute(
        select(Nomination.proposal_id, Nomination.state, func.count())
        .where(Nomination.proposal_id.in_(proposal_ids))
        .group_by(Nomination.proposal_id, Nomination.state)
    ):
        out[proposal_id][state] = count
    return out


def council_reasons(session: Session, row_ids: list[int]) -> dict[int, str]:
    """{row id: the Council's reason} of the rows it did not pass, latest decision first (one
    query): the unit reads on its list why a row ended there."""
    out: dict[int, str] = {}
    if not row_ids:
        return out
    for dossier_id, reason in session.execute(
        select(CouncilItem.dossier_id, CouncilItem.reason)
        .where(
            CouncilItem.dossier_id.in_(row_ids),
            CouncilItem.outcome == OUTCOME_REJECTED,
            CouncilItem.reason.is_not(None),
        )
        .order_by(CouncilItem.recorded_at.desc(), CouncilItem.id.desc())
    ):
        out.setdefault(dossier_id, reason)
    return out


def award_counts(session: Session, proposal_id: int) -> list[tuple[AwardType, str, int]]:
    """(award, nominee kind, rows) of a list, in catalogue order: what the list proposes."""
    return [
        (award, kind, count)
        for award, kind, count in session.execute(
            select(AwardType, Nomination.nominee_kind, func.count())
            .join(Nomination, Nomination.award_type_id == AwardType.id)
            .where(Nomination.proposal_id == proposal_id)
            .group_by(AwardType.id, Nomination.nominee_kind)
            .order_by(AwardType.id)
        )
    ]


def rows_query(proposal_id: int, chosen: RowFilter) -> Select:
    """SELECT of a list's rows as the filter and sort ask."""
    award = aliased(AwardType)
    query = (
        select(Nomination)
        .join(award, award.id == Nomination.award_type_id)
        .where(Nomination.proposal_id == proposal_id)
    )
    if chosen.state and chosen.state in WORKFLOWS["nomination"].state_names:
        query = query.where(Nomination.state == chosen.state)
    if chosen.award_type_id:
        query = query.where(Nomination.award_type_id == chosen.award_type_id)
    query = query.where(has_words(Nomination.search_key, chosen.words))
    order = {
        "name": (Nomination.search_key, Nomination.id),
        "award": (award.id, Nomination.nominee_kind.desc(), Nomination.search_key, Nomination.id),
        "state": (Nomination.state, Nomination.search_key, Nomination.id),
        "added": (Nomination.id,),
    }
    key = chosen.sort.lstrip("-")
    terms = order.get(key, order["award"])
    if chosen.sort.startswith("-"):
        terms = tuple(t.desc() for t in terms)
    return query.order_by(*terms)


def awaiting_council(session: Session, actor: Actor) -> list[tuple[Proposal, int]]:
    """The lists with rows awaiting the Council that the actor may see, and how many rows."""
    waiting = (
        select(Nomination.proposal_id, func.count().label("rows"))
        .where(state_is(Nomination.kind, Nomination.state, lambda s: s.agenda))
        .where(Nomination.proposal_id.is_not(None))
        .group_by(Nomination.proposal_id)
        .subquery()
    )
    return [
        (proposal, rows)
        for proposal, rows in session.execute(
            select(Proposal, waiting.c.rows)
            .join(waiting, waiting.c.proposal_id == Proposal.id)
            .where(visible_dossiers(actor))
            .order_by(Proposal.sent_at, Proposal.id)
        )
    ]
