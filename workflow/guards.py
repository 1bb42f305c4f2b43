"""Guards (rules that must hold for a transition) and effects (what a transition records).

A guard returns a ``Violation`` or None, so the UI can list every failing rule at once.
Guards marked ``uses_inputs`` need what the person types; ``available()`` skips them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import Attachment, CouncilAttendance, CouncilItem, CouncilSession, Dossier, Nomination
from models.ballots import Ballot, CouncilConflict
from models.text import nfc, whole_number
from workflow.authz import Actor
from workflow.errors import Violation
from workflow.spec import Role

# Nghị định 30/2020/NĐ-CP appendix III: "05/QĐ-SGDĐT" (leading zero below 10, no spaces).
DECISION_NUMBER = re.compile(r"^(0[1-9]|[1-9]\d+)/QĐ-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")

# Campaign windows and decision dates are Hải Phòng calendar days (UTC+7, no daylight saving).
LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

CLASSIFICATIONS: dict[str, tuple[str, str]] = {
    "excellent": ("Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently"),
    "good": ("Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    "completed": ("Hoàn thành nhiệm vụ", "Completed tasks"),
    "not_completed": ("Không hoàn thành nhiệm vụ", "Did not complete tasks"),
}


@dataclass
class GuardContext:
    """What a guard or effect may look at: the dossier, who acts, what they typed, when."""

    session: Session
    dossier: Dossier
    actor: Actor
    role: Role | None
    inputs: Mapping[str, Any]
    now: dt.datetime
    # Filled by effects; becomes the audit event's ``changes``.
    changes: dict[str, Any] = field(default_factory=dict)
    # The Council session chosen in the inputs, loaded once for every guard and effect.
    council: CouncilFacts | None = field(default=None, repr=False)
    # The closed secret ballot named by ``ballot_id`` in the inputs: its tally replaces typed
    # counts.
    ballot: Ballot | None = field(default=None, repr=False)

    def text(self, key: str) -> str:
        return nfc(str(self.inputs.get(key) or ""))


def uses_inputs(guard: Callable) -> Callable:
    """Mark a guard that depends on the person's inputs."""
    guard.uses_inputs = True
    return guard


def decides_applicability(guard: Callable) -> Callable:
    """Mark a guard whose refusal means the action does not apply at all (no button), not a
    rule still to meet; ``available(..., rules=False)`` runs only these (cheap: no queries)."""
    guard.decides_applicability = True
    return guard


# --- guards ------------------------------------------------------------------------------


def required_fields(ctx: GuardContext) -> Violation | None:
    """A nomination names its nominee, award and achievements, and the award fits the nominee."""
    dossier = ctx.dossier
    if not nfc(dossier.title):
        return Violation("field_required", {"field": "Tiêu đề", "field_en": "Title"})
    if isinstance(dossier, Nomination):
        for attr, vi, en in (
            ("nominee_name", "Họ tên / tên tập thể", "Nominee"),
            ("achievements", "Thành tích", "Achievements"),
        ):
            if not nfc(getattr(dossier, attr)):
                return Violation("field_required", {"field": vi, "field_en": en})
        award = dossier.award_type
        if award.nominee_kind != dossier.nominee_kind:
            return Violation(
                "award_kind_mismatch",
                {
                    "award": award.name_vi,
                    "expected": _kind_vi(award.nominee_kind),
                    "given": _kind_vi(dossier.nominee_kind),
                    "award_en": award.name_en,
                    "expected_en": _kind_en(award.nominee_kind),
                    "given_en": _kind_en(dossier.nominee_kind),
                },
            )
    return None


def _kind_en(kind: str) -> str:
    return {"individual": "individuals", "collective": "collectives"}.get(kind, kind)


def _kind_vi(kind: str) -> str:
    return {"individual": "cá nhân", "collective": "tập thể"}.get(kind, kind)


def has_evidence(ctx: GuardContext) -> Violation | None:
    """At least one evidence file is attached."""
    count = ctx.session.scalar(_COUNT_EVIDENCE, {"dossier_id": ctx.dossier.id})
    return None if count else Violation("evidence_missing")


_COUNT_EVIDENCE = (
    select(func.count())
    .select_from(Attachment)
    .where(Attachment.dossier_id == bindparam("dossier_id"))
)


def campaign_accepts(ctx: GuardContext) -> Violation | None:
    """The campaign takes dossiers today, or the nomination is ad-hoc (đột xuất)."""
    campaign = ctx.dossier.campaign
    if not campaign.active:
        return Violation("campaign_inactive", {"campaign": campaign.name})
    if getattr(ctx.dossier, "ad_hoc", False):
        return None
    day = ctx.now.astimezone(LOCAL_TZ).date()  # not the UTC date: 06:00 on 1/3 is 23:00 on 28/2 UTC
    if campaign.window_open(day):
        return None
    fmt = lambda d: d.strftime("%d/%m/%Y") if d else "…"  # noqa: E731
    return Violation(
        "campaign_closed",
        {
            "campaign": campaign.name,
            "day": fmt(day),
            "opens": fmt(campaign.opens_on),
            "closes": fmt(campaign.closes_on),
        },
    )


def reviewer_independent(ctx: GuardContext) -> Violation | None:
    """The Office reviewer is neither the nominee nor the author (separation of duties)."""
    if getattr(ctx.dossier, "nominee_user_id", None) == ctx.actor.user_id:
        return Violation("reviewer_is_nominee")
    if ctx.dossier.author_id == ctx.actor.user_id:
        return Violation("reviewer_is_author")
    return None


def _open_session(ctx: GuardContext) -> tuple[CouncilFacts | None, Violation | None]:
    council = ctx.council = ctx.council or _load_council(ctx)
    if council is None:
        return None, Violation("session_required")
    if council.status != "open":
        return council, Violation("session_closed")
    return council, None


def _load_council(ctx: GuardContext) -> CouncilFacts | None:
    session_id = whole_number(ctx.inputs.get("session_id"))
    if session_id is None:
        return None
    rows = ctx.session.execute(_COUNCIL_FACTS, {"session_id": session_id}).all()
    if not rows:
        return None
    members = tuple((r.user_id, bool(r.present)) for r in rows if r.user_id is not None)
    return CouncilFacts(rows[0].id, rows[0].status, rows[0].quorum_pct, members)


@dataclass(frozen=True)
class CouncilFacts:
    """What the Council guards read of a session (the names of ``CouncilSession``'s), from one
    Core query: loading the session and its attendance as ORM objects cost 0.4 ms per decision."""

    id: int
    status: str
    quorum_pct: int
    members: tuple[tuple[int, bool], ...]  # (user id, present)

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def present_count(self) -> int:
        return sum(1 for _, present in self.members if present)

    def present_user_ids(self) -> set[int]:
        return {user_id for user_id, present in self.members if present}


# A session as the guards see it: the ORM row (callers such as workflow.ballot) or the facts.
Council = CouncilSession | CouncilFacts

_COUNCIL_FACTS = (
    select(
        CouncilSession.id,
        CouncilSession.status,
        CouncilSession.quorum_pct,
        CouncilAttendance.user_id,
        CouncilAttendance.present,
    )
    .outerjoin(CouncilAttendance, CouncilAttendance.session_id == CouncilSession.id)
    .where(CouncilSession.id == bindparam("session_id"))
)


def _quorum(council: Council) -> Violation | None:
    required = math.ceil(council.member_count * council.quorum_pct / 100)
    if council.present_count < required or council.present_count == 0:
        return Violation(
            "quorum_not_met",
            {
                "present": council.present_count,
                "members": council.member_count,
                "required": required,
            },
        )
    return None


def _tally(ctx: GuardContext) -> tuple[int, int, int] | None:
    """The counts typed (a missing one is 0), or None when one is not a whole number ≥ 0.

    With a closed secret ballot in the inputs, the ballot's tally instead (typed counts ignored).
    """
    if ctx.ballot is not None:
        return ballot_tally(ctx.ballot, getattr(ctx.dossier, "award_type", None))
    try:
        counts = tuple(
            int(str(ctx.inputs.get(k) or 0))
            for k in ("votes_for", "votes_against", "votes_abstain")
        )
    except ValueError:  # "abc", "2.5": a form field, not a count
        return None
    return counts if min(counts) >= 0 else None  # type: ignore[return-value]


def _tally_problem(ctx: GuardContext, council: Council) -> tuple[Violation | None, int]:
    """Why the tally is impossible (or None), and how many present members may vote.

    The nominee, and a member marked with a conflict, are recused: not counted among the voters.
    A secret ballot's voters are its roll, fixed when it opened.
    """
    if _ballot_named(ctx):
        return _ballot_problem(ctx, council)
    voters = len(eligible_voters(ctx.session, council, ctx.dossier))
    # With a ballot in the session its result decides: not typed counts, nor none at all
    # (a rejection or deferral without counts would have bypassed a ballot still open).
    if _has_ballot(ctx, council):
        return Violation("ballot_exists"), voters
    tally = _tally(ctx)
    if tally is None:
        return Violation("votes_not_counts"), voters
    if sum(tally) > voters:
        return Violation("votes_invalid", {"total": sum(tally), "voters": voters}), voters
    return None, voters


# Built once: every Council decision runs them.
_CONFLICTS = select(CouncilConflict.user_id).where(
    CouncilConflict.session_id == bindparam("session_id"),
    CouncilConflict.dossier_id == bindparam("dossier_id"),
)
_BALLOT_OF = select(Ballot.id).where(
    Ballot.session_id == bindparam("session_id"), Ballot.dossier_id == bindparam("dossier_id")
)


def recused_ids(session: Session, council_id: int, dossier: Dossier) -> set[int]:
    """Members who may not vote on ``dossier`` in a session: its nominee, and those the
    secretary marked as having a conflict."""
    ids = set(session.scalars(_CONFLICTS, {"session_id": council_id, "dossier_id": dossier.id}))
    nominee = getattr(dossier, "nominee_user_id", None)
    return ids | {nominee} if nominee else ids


def eligible_voters(session: Session, council: Council, dossier: Dossier) -> set[int]:
    """Present members of the session who are not recused on ``dossier``."""
    return council.present_user_ids() - recused_ids(session, council.id, dossier)


def counts_written(award: Any) -> bool:
    """Absent members' written opinions count where the threshold is on all members."""
    return award is not None and award.threshold_base == "all_members"


def ballot_tally(ballot: Ballot, award: Any) -> tuple[int, int, int]:
    """For, against, abstain of a closed ballot, with written opinions where they count."""
    written = counts_written(award)
    return (
        ballot.votes_for + (ballot.written_for if written else 0),
        ballot.votes_against + (ballot.written_against if written else 0),
        ballot.votes_abstain,
    )


def threshold(award: Any, council: Council, voters: int) -> tuple[int, int, int]:
    """(base, required approvals, percent) of the award type's vote threshold."""
    pct = award.vote_threshold_pct if award else 50
    base = council.member_count if counts_written(award) else voters
    return base, math.ceil(base * pct / 100), pct


def _typed_tally(ctx: GuardContext) -> bool:
    return any(
        ctx.inputs.get(k) not in (None, "") for k in ("votes_for", "votes_against", "votes_abstain")
    )


def _ballot_named(ctx: GuardContext) -> bool:
    return ctx.inputs.get("ballot_id") not in (None, "")


def _has_ballot(ctx: GuardContext, council: Council) -> bool:
    return (
        ctx.session.scalar(_BALLOT_OF, {"session_id": council.id, "dossier_id": ctx.dossier.id})
        is not None
    )


def _ballot_problem(ctx: GuardContext, council: Council) -> tuple[Violation | None, int]:
    """Load the named ballot into ``ctx.ballot``: closed, of this dossier and session."""
    raw = str(ctx.inputs.get("ballot_id"))
    ballot_id = whole_number(raw)
    ballot = ctx.session.get(Ballot, ballot_id) if ballot_id is not None else None
    if ballot is None or (ballot.session_id, ballot.dossier_id) != (council.id, ctx.dossier.id):
        return Violation("ballot_not_found"), 0
    if ballot.is_open:
        return Violation("ballot_still_open"), ballot.eligible
    ctx.ballot = ballot
    return None, ballot.eligible


def _threshold_problem(ctx: GuardContext, council: Council, voters: int) -> Violation | None:
    """A reason why the tally does not reach the threshold, or None when it does."""
    award = getattr(ctx.dossier, "award_type", None)
    votes_for = _tally(ctx)[0]
    base, required, pct = threshold(award, council, voters)
    if votes_for < required:
        return Violation(
            "threshold_not_met",
            {"votes_for": votes_for, "base": base, "required": required, "pct": pct},
        )
    return None


@uses_inputs
def council_quorum(ctx: GuardContext) -> Violation | None:
    """An open Council session is chosen and enough members are present."""
    council, problem = _open_session(ctx)
    return problem or _quorum(council)


@uses_inputs
def council_tally_possible(ctx: GuardContext) -> Violation | None:
    """A tally recorded with an outcome counts whole votes, at most one per member who may vote."""
    council, problem = _open_session(ctx)
    if problem:
        return None  # council_quorum reports it, or (deferral) nothing is recorded
    invalid, voters = _tally_problem(ctx, council)
    if (
        invalid is None
        and ctx.ballot is not None
        and _threshold_problem(ctx, council, voters) is None
    ):
        return Violation("ballot_passed")  # a secret ballot that passed cannot be turned down
    return invalid


def records_tally(tdef: Any) -> bool:
    """The transition records a Council decision with its tally (approve, reject, classify,
    defer): with a secret ballot in the session, the ballot's result decides it."""
    return council_tally_possible in tdef.guards or council_vote_passes in tdef.guards


@uses_inputs
def council_session_if_given(ctx: GuardContext) -> Violation | None:
    """A deferral need not name a session; when it does, the session must still be open."""
    council, problem = _open_session(ctx)
    return problem if council is not None else None


@uses_inputs
def council_vote_passes(ctx: GuardContext) -> Violation | None:
    """The tally is possible and reaches the award type's threshold; the nominee is recused."""
    council, problem = _open_session(ctx)
    if problem:
        return None  # council_quorum reports it
    invalid, voters = _tally_problem(ctx, council)
    return invalid or _threshold_problem(ctx, council, voters)


# --- effects -----------------------------------------------------------------------------


def mark_sent(ctx: GuardContext) -> None:
    """The unit head sends the dossier to the Department."""
    if ctx.dossier.sent_at is None:
        ctx.dossier.sent_at = ctx.now
        ctx.changes["sent_at"] = _iso(ctx.now)


def record_return_reason(ctx: GuardContext) -> None:
    """Keep the reason on the dossier so the unit sees it prominently."""
    ctx.dossier.return_reason = ctx.text("reason")


def record_decision(ctx: GuardContext) -> None:
    """Decision number, date and signer of a publication."""
    day = _as_date(ctx.inputs.get("decision_date"))
    ctx.dossier.decision_number = ctx.text("decision_number")
    ctx.dossier.decision_date = day
    ctx.dossier.decision_signer = ctx.text("decision_signer")
    ctx.dossier.published_at = ctx.now
    ctx.changes.update(
        decision_number=ctx.dossier.decision_number,
        decision_date=day.isoformat(),
        decision_signer=ctx.dossier.decision_signer,
    )


def record_classification(ctx: GuardContext) -> None:
    ctx.dossier.classification = ctx.text("classification")
    ctx.changes["classification"] = ctx.dossier.classification


def council_outcome(outcome: str) -> Callable[[GuardContext], None]:
    """An effect recording the Council's tally and outcome on the session's agenda item."""

    def effect(ctx: GuardContext) -> None:
        council, problem = _open_session(ctx)
        if council is None or problem:
            return
        values: dict[str, Any] = {
            "outcome": outcome,
            "reason": ctx.text("reason") or None,
            "recorded_by": ctx.actor.user_id,
            "recorded_at": ctx.now,
        }
        if ctx.ballot is not None or _typed_tally(ctx):
            values["votes_for"], values["votes_against"], values["votes_abstain"] = _tally(ctx)
            ctx.changes["votes"] = list(_tally(ctx))
        if ctx.ballot is not None:
            ctx.changes["ballot_id"] = ctx.ballot.id
        _record_item(ctx.session, council.id, ctx.dossier.id, values)
        ctx.changes["council_session_id"] = council.id

    effect.__name__ = f"council_outcome_{outcome}"
    return effect


def _record_item(
    session: Session, council_id: int, dossier_id: int, values: dict[str, Any]
) -> None:
    """The dossier's agenda item in the session: added, or updated (a deferred one comes back).
    Core statements on the transition's connection; an item already loaded is refreshed."""
    key = {"session_id": council_id, "dossier_id": dossier_id}
    connection = session.connection()
    item_id = connection.scalar(_ITEM_ID, key)
    if item_id is None:
        connection.execute(_INSERT_ITEM, {**key, **values})
        return
    connection.execute(
        _UPDATE_ITEM.values(**{k: bindparam(f"v_{k}") for k in values}),
        {"item_id": item_id, **{f"v_{k}": v for k, v in values.items()}},
    )
    loaded = session.identity_map.get(session.identity_key(CouncilItem, item_id))
    if loaded is not None:
        session.expire(loaded)


_ITEM_ID = select(CouncilItem.id).where(
    CouncilItem.session_id == bindparam("session_id"),
    CouncilItem.dossier_id == bindparam("dossier_id"),
)
_INSERT_ITEM = CouncilItem.__table__.insert()
_UPDATE_ITEM = CouncilItem.__table__.update().where(CouncilItem.id == bindparam("item_id"))


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):  # a datetime is a date too, but not for a Date column
        return value.astimezone(LOCAL_TZ).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


# --- required inputs ---------------------------------------------------------------------


def check_reason(inputs: Mapping[str, Any]) -> list[Violation]:
    return [] if nfc(str(inputs.get("reason") or "")) else [Violation("reason_required")]


def check_decision(inputs: Mapping[str, Any]) -> list[Violation]:
    problems = []
    number = nfc(str(inputs.get("decision_number") or ""))
    if not DECISION_NUMBER.match(number):
        problems.append(Violation("decision_number_invalid", {"number": number}))
    if _as_date(inputs.get("decision_date")) is None:
        problems.append(Violation("decision_date_missing"))
    if not nfc(str(inputs.get("decision_signer") or "")):
        problems.append(Violation("signer_missing"))
    return problems


def check_classification(inputs: Mapping[str, Any]) -> list[Violation]:
    return (
        []
        if inputs.get("classification") in CLASSIFICATIONS
        else [Violation("classification_invalid")]
    )
