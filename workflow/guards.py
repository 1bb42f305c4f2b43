"""Guards (rules that must hold for a transition) and effects (what a transition records).

A guard returns a ``Violation`` or None, so the UI can list every failing rule at once.
Guards marked ``uses_inputs`` need what the person types; ``available()`` skips them.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Attachment, CouncilItem, CouncilSession, Dossier, Nomination
from models.text import nfc
from workflow.authz import Actor
from workflow.errors import Violation
from workflow.spec import Role

# Nghị định 30/2020/NĐ-CP appendix III: "05/QĐ-SGDĐT" (leading zero below 10, no spaces).
DECISION_NUMBER = re.compile(r"^(0[1-9]|[1-9]\d+)/QĐ-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")

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
    role: Optional[Role]
    inputs: Mapping[str, Any]
    now: dt.datetime
    # Filled by effects; becomes the audit event's ``changes``.
    changes: dict[str, Any] = field(default_factory=dict)

    def text(self, key: str) -> str:
        return nfc(str(self.inputs.get(key) or ""))


def uses_inputs(guard: Callable) -> Callable:
    """Mark a guard that depends on the person's inputs."""
    guard.uses_inputs = True
    return guard


# --- guards ------------------------------------------------------------------------------

def required_fields(ctx: GuardContext) -> Optional[Violation]:
    """A nomination names its nominee, award and achievements, and the award fits the nominee."""
    dossier = ctx.dossier
    if not nfc(dossier.title):
        return Violation("field_required", {"field": "Tiêu đề", "field_en": "Title"})
    if isinstance(dossier, Nomination):
        for attr, vi, en in (("nominee_name", "Họ tên / tên tập thể", "Nominee"),
                             ("achievements", "Thành tích", "Achievements")):
            if not nfc(getattr(dossier, attr)):
                return Violation("field_required", {"field": vi, "field_en": en})
        award = dossier.award_type
        if award.nominee_kind != dossier.nominee_kind:
            return Violation("award_kind_mismatch", {
                "award": award.name_vi, "expected": _kind_vi(award.nominee_kind),
                "given": _kind_vi(dossier.nominee_kind)})
    return None


def _kind_vi(kind: str) -> str:
    return {"individual": "cá nhân", "collective": "tập thể"}.get(kind, kind)


def has_evidence(ctx: GuardContext) -> Optional[Violation]:
    """At least one evidence file is attached."""
    count = ctx.session.scalar(
        select(func.count()).select_from(Attachment).where(Attachment.dossier_id == ctx.dossier.id))
    return None if count else Violation("evidence_missing")


def campaign_accepts(ctx: GuardContext) -> Optional[Violation]:
    """The campaign takes dossiers today, or the nomination is ad-hoc (đột xuất)."""
    campaign = ctx.dossier.campaign
    if not campaign.active:
        return Violation("campaign_inactive", {"campaign": campaign.name})
    if getattr(ctx.dossier, "ad_hoc", False):
        return None
    day = ctx.now.date()
    if campaign.window_open(day):
        return None
    fmt = lambda d: d.strftime("%d/%m/%Y") if d else "…"  # noqa: E731
    return Violation("campaign_closed", {"campaign": campaign.name, "day": fmt(day),
                                         "opens": fmt(campaign.opens_on),
                                         "closes": fmt(campaign.closes_on)})


def reviewer_independent(ctx: GuardContext) -> Optional[Violation]:
    """The Office reviewer is neither the nominee nor the author (separation of duties)."""
    if getattr(ctx.dossier, "nominee_user_id", None) == ctx.actor.user_id:
        return Violation("reviewer_is_nominee")
    if ctx.dossier.author_id == ctx.actor.user_id:
        return Violation("reviewer_is_author")
    return None


def _open_session(ctx: GuardContext) -> tuple[Optional[CouncilSession], Optional[Violation]]:
    session_id = ctx.inputs.get("session_id")
    council = ctx.session.get(CouncilSession, int(session_id)) if str(session_id or "").isdigit() else None
    if council is None:
        return None, Violation("session_required")
    if council.status != "open":
        return council, Violation("session_closed")
    return council, None


def _quorum(council: CouncilSession) -> Optional[Violation]:
    required = math.ceil(council.member_count * council.quorum_pct / 100)
    if council.present_count < required or council.present_count == 0:
        return Violation("quorum_not_met", {"present": council.present_count,
                                            "members": council.member_count, "required": required})
    return None


def _tally(ctx: GuardContext) -> tuple[int, int, int]:
    return tuple(int(ctx.inputs.get(k) or 0)
                 for k in ("votes_for", "votes_against", "votes_abstain"))  # type: ignore[return-value]


@uses_inputs
def council_quorum(ctx: GuardContext) -> Optional[Violation]:
    """An open Council session is chosen and enough members are present."""
    council, problem = _open_session(ctx)
    return problem or _quorum(council)


@uses_inputs
def council_vote_passes(ctx: GuardContext) -> Optional[Violation]:
    """The tally is possible and reaches the award type's threshold; the nominee is recused."""
    council, problem = _open_session(ctx)
    if problem:
        return None  # council_quorum reports it
    votes_for, against, abstain = _tally(ctx)
    present = council.present_user_ids()
    nominee = getattr(ctx.dossier, "nominee_user_id", None)
    voters = len(present - {nominee})
    if min(votes_for, against, abstain) < 0 or votes_for + against + abstain > voters:
        return Violation("votes_invalid", {"total": votes_for + against + abstain, "voters": voters})
    award = getattr(ctx.dossier, "award_type", None)
    pct = award.vote_threshold_pct if award else 50
    all_members = award is not None and award.threshold_base == "all_members"
    base = council.member_count if all_members else voters
    required = math.ceil(base * pct / 100)
    if votes_for < required:
        return Violation("threshold_not_met", {"votes_for": votes_for, "base": base,
                                               "required": required, "pct": pct})
    return None


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
    ctx.changes.update(decision_number=ctx.dossier.decision_number,
                       decision_date=day.isoformat(), decision_signer=ctx.dossier.decision_signer)


def record_classification(ctx: GuardContext) -> None:
    ctx.dossier.classification = ctx.text("classification")
    ctx.changes["classification"] = ctx.dossier.classification


def council_outcome(outcome: str) -> Callable[[GuardContext], None]:
    """An effect recording the Council's tally and outcome on the session's agenda item."""

    def effect(ctx: GuardContext) -> None:
        council, problem = _open_session(ctx)
        if council is None or problem:
            return
        item = ctx.session.scalar(select(CouncilItem).where(
            CouncilItem.session_id == council.id, CouncilItem.dossier_id == ctx.dossier.id))
        if item is None:
            item = CouncilItem(session_id=council.id, dossier_id=ctx.dossier.id)
            ctx.session.add(item)
        has_tally = any(ctx.inputs.get(k) not in (None, "") for k in
                        ("votes_for", "votes_against", "votes_abstain"))
        if has_tally:
            item.votes_for, item.votes_against, item.votes_abstain = _tally(ctx)
            ctx.changes["votes"] = list(_tally(ctx))
        item.outcome, item.reason = outcome, ctx.text("reason") or None
        item.recorded_by, item.recorded_at = ctx.actor.user_id, ctx.now
        ctx.changes["council_session_id"] = council.id

    effect.__name__ = f"council_outcome_{outcome}"
    return effect


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _as_date(value: Any) -> Optional[dt.date]:
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
    return [] if inputs.get("classification") in CLASSIFICATIONS else [Violation("classification_invalid")]
