"""Guards and effects every dossier kind shares: complete content, evidence, separation of duties,
the sent date, the return reason, the decision and the classification."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, func, select

from models import Attachment, Dossier, Nomination, Person, ReturnPoint, ReturnRequest
from models.clock import local_day
from models.text import nfc
from workflow.awards.eligibility import shared_checker
from workflow.campaigns.deadlines import days_late, due_date, late_on
from workflow.core.context import GuardContext
from workflow.core.errors import Violation
from workflow.core.guards import guard
from workflow.core.inputs import _as_date, _iso, return_points
from workflow.core.messages import Messages
from workflow.core.spec import TransitionDef
from workflow.dossiers.fields import FieldDef, fields_of

# A reviewer's independence refuses the person, whatever the moment: a permission refusal.
DOSSIER_MESSAGES = Messages(
    {
        "reviewer_is_nominee": (
            "Người thẩm định không được là người được đề nghị khen thưởng.",
            "A reviewer may not review their own nomination.",
        ),
        "actor_is_nominee": (
            "Bạn là người được đề nghị trong hồ sơ này nên không được quyết định hoặc công bố; "
            "việc này do người khác thực hiện.",
            "You are the nominee of this dossier, so you may not decide or publish it; "
            "someone else must.",
        ),
        "reviewer_is_author": (
            "Người thẩm định không được là người lập hồ sơ.",
            "A reviewer may not review a dossier they drafted.",
        ),
        "evidence_missing": (
            "Hồ sơ chưa có tệp minh chứng nào.",
            "The dossier has no evidence file.",
        ),
        "award_kind_mismatch": (
            "Danh hiệu “{award}” dành cho {expected}, không dành cho {given}.",
            "The award “{award}” is for {expected}, not {given}.",
        ),
    },
    permission=frozenset({"reviewer_is_nominee", "reviewer_is_author", "actor_is_nominee"}),
)


@guard(
    "Đủ thông tin bắt buộc (tiêu đề; với hồ sơ khen thưởng: người được đề nghị, thành tích, "
    "danh hiệu phù hợp với cá nhân hay tập thể)",
    "Required fields filled in (title; for a nomination: nominee, achievements, an award "
    "that fits an individual or a collective)",
)
def required_fields(ctx: GuardContext) -> list[Violation]:
    """Every field needed to send is filled in, each one missing named (a nomination: its
    nominee and achievements), and a nomination's award fits the nominee."""
    return missing_to_send(ctx.dossier)


def missing_to_send(dossier: Dossier) -> list[Violation]:
    """What must still be filled in before ``dossier`` can be sent: each field needed to send
    left empty (a draft is saved without them) and, for a nomination, an award for the other
    kind of nominee. The submission guard and the draft's "still missing" read it."""
    problems = [field.missing() for field in missing_fields(dossier)]
    if isinstance(dossier, Nomination):
        award = dossier.award_type
        if award is not None and award.nominee_kind != dossier.nominee_kind:
            problems.append(
                DOSSIER_MESSAGES.violation(
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
            )
    return problems


def missing_fields(dossier: Dossier) -> list[FieldDef]:
    """The fields needed to send that ``dossier`` leaves empty, in the form's order."""
    return [
        field
        for field in fields_of(dossier.kind).values()
        if field.required_to_send and not nfc(getattr(dossier, field.name))
    ]


def _kind_en(kind: str) -> str:
    return {"individual": "individuals", "collective": "collectives"}.get(kind, kind)


def _kind_vi(kind: str) -> str:
    return {"individual": "cá nhân", "collective": "tập thể"}.get(kind, kind)


@guard("Có ít nhất một tệp minh chứng", "At least one evidence file attached")
def has_evidence(ctx: GuardContext) -> Violation | None:
    """At least one evidence file is attached (to a list's row: to the row or to its list,
    whose letter and minutes are the evidence every row shares)."""
    shared = shared_checker(ctx.session, local_day(ctx.now))
    if shared is not None and isinstance(ctx.dossier, Nomination):
        # In a batch the files of every row and list were counted at once.
        count = sum(shared.purposes(ctx.dossier).values())
    else:
        ids = {"dossier_id": ctx.dossier.id, "list_id": getattr(ctx.dossier, "proposal_id", None)}
        count = ctx.session.scalar(_COUNT_EVIDENCE, ids)
    return None if count else DOSSIER_MESSAGES.violation("evidence_missing")


_COUNT_EVIDENCE = (
    select(func.count())
    .select_from(Attachment)
    .where(Attachment.dossier_id.in_((bindparam("dossier_id"), bindparam("list_id"))))
)


@guard(
    "Người thẩm định không phải người được đề nghị, cũng không phải người lập hồ sơ",
    "The reviewer is neither the nominee nor the author",
)
def reviewer_independent(ctx: GuardContext) -> Violation | None:
    """The Office reviewer is neither the nominee nor the author (separation of duties)."""
    if _nominee_account(ctx) == ctx.actor.user_id:
        return DOSSIER_MESSAGES.violation("reviewer_is_nominee")
    if ctx.dossier.author_id == ctx.actor.user_id:
        return DOSSIER_MESSAGES.violation("reviewer_is_author")
    return None


@guard(
    "Người thực hiện không phải người được đề nghị",
    "The person acting is not the nominee",
)
def actor_not_nominee(ctx: GuardContext) -> Violation | None:
    """Nobody decides, publishes or forwards their own nomination (separation of duties)."""
    if _nominee_account(ctx) == ctx.actor.user_id:
        return DOSSIER_MESSAGES.violation("actor_is_nominee")
    return None


def _nominee_account(ctx: GuardContext) -> int | None:
    # In a batch the nominees of every row are read at once (``shared_checker``), not each
    # row's by its own lazy load.
    shared_checker(ctx.session, local_day(ctx.now))
    return nominee_account(ctx.dossier)


def nominee_account(dossier: Dossier) -> int | None:
    """The account of the person a nomination names (through the register), if any."""
    person: Person | None = getattr(dossier, "person", None)
    return person.user_id if person is not None else None


def mark_sent(ctx: GuardContext) -> None:
    """The unit head sends the dossier to the Department."""
    if ctx.dossier.sent_at is None:
        ctx.dossier.sent_at = ctx.now
        ctx.changes["sent_at"] = _iso(ctx.now)
        late = late_on(ctx.dossier.campaign, ctx.dossier.kind, ctx.now)
        if late is not None:
            ctx.dossier.sent_late = late
            ctx.changes["sent_late"] = late


def lateness_if_sent(
    dossier: Dossier, tdef: TransitionDef, now: dt.datetime
) -> tuple[int, dt.date] | None:
    """(days late, due date) that ``dossier`` would be recorded with were ``tdef`` fired at
    ``now`` (it sends the dossier to the Department for the first time, ``mark_sent``); None
    when it would be recorded on time, or not recorded at all."""
    if mark_sent not in tdef.effects or dossier.sent_at is not None:
        return None
    days = days_late(dossier.campaign, dossier.kind, now)
    return None if days is None else (days, due_date(dossier.campaign, dossier.kind))


def record_return_reason(ctx: GuardContext) -> None:
    """Keep the reason on the dossier so the unit sees it prominently."""
    ctx.dossier.return_reason = ctx.text("reason")


def record_return_points(ctx: GuardContext) -> None:
    """The Office's return, kept with its points (each answered by the unit) and the day to fix
    it by; the audit event records them too."""
    points = return_points(ctx.inputs)
    fix_by = _as_date(ctx.inputs.get("fix_by")) if ctx.text("fix_by") else None
    request = ReturnRequest(
        dossier_id=ctx.dossier.id,
        note=ctx.text("reason"),
        fix_by=fix_by,
        returned_by=ctx.actor.user_id,
        returned_at=ctx.now,
        points=[ReturnPoint(text=text) for text in points],
    )
    ctx.session.add(request)
    if points:
        ctx.changes["points"] = points
    if fix_by is not None:
        ctx.changes["fix_by"] = fix_by.isoformat()


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
