"""Guards and effects of the nomination lifecycle that come from the award catalogue.

- ``office_approve``: hard eligibility rules must hold (``eligibility_met``); soft ones that
  fail need a reason (the ``reason`` field), and the warnings overridden are recorded in
  the audit event's ``changes`` (``eligibility_overridden`` / ``record_override``).
- Higher-level awards (conferred by the city or the Ministry): after the Council, the Office
  forwards them (``forward``: the Department's submission letter), then records the higher
  level's answer (conferred → published, not conferred → rejected). ``publish`` from
  ``approved`` is only for awards the Department confers.
- Publishing records the award in the awards history (``record_award``).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam, select, update

from models import AwardRecord, HigherReferral, Initiative, Nomination
from models.clock import local_day
from models.text import fold
from workflow.awards.catalogue import AUTHORITIES
from workflow.awards.eligibility import checker_for, forget, hard_failures, warnings
from workflow.core.context import GuardContext
from workflow.core.errors import Violation
from workflow.core.guards import guard
from workflow.core.inputs import _as_date
from workflow.core.messages import Messages

# Nghị định 30/2020/NĐ-CP appendix III: number/abbreviation-agency, e.g. "1580/TTr-SGDĐT".
DOCUMENT_NUMBER = re.compile(
    r"^(0[1-9]|[1-9]\d+)/[A-ZĐ][A-Za-zĐđ]*-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$"
)

AWARD_MESSAGES = Messages(
    {
        "eligibility_failed": (
            "Chưa đạt điều kiện khen thưởng: {reasons}",
            "Eligibility rules not met: {reasons}",
        ),
        "eligibility_override_required": (
            "Có cảnh báo cần xem xét: {warnings} Nếu vẫn trình Hội đồng, vui lòng nhập lý do.",
            "Warnings stand: {warnings} To approve anyway, please give a reason.",
        ),
        "publish_needs_higher_decision": (
            "Danh hiệu này do {authority} quyết định: cần trình "
            "cấp trên và ghi nhận quyết định của cấp trên.",
            "This award is conferred by the {authority}: "
            "forward it and record the higher decision.",
        ),
        "forward_not_needed": (
            "Danh hiệu này do Sở quyết định, không trình cấp trên.",
            "The Department confers this award; it is not forwarded.",
        ),
        "submission_number_invalid": (
            "Số tờ trình “{number}” không đúng mẫu, ví dụ: 1580/TTr-SGDĐT.",
            "Submission number “{number}” is not in the form 1580/TTr-SGDĐT.",
        ),
        "submission_date_missing": (
            "Vui lòng nhập ngày tờ trình.",
            "Please give the date of the submission.",
        ),
    }
)


def _eligibility(ctx: GuardContext) -> list:
    """The checks of this transition's nomination: a fact (``ctx.fact``), computed once and
    shared by ``eligibility_met``, ``eligibility_overridden`` and ``record_override``."""
    if not isinstance(ctx.dossier, Nomination):
        return []
    # In a batch (``eligibility.batch``) the facts of every row were read at once.
    return checker_for(ctx.session, local_day(ctx.now)).check(ctx.dossier)


def _joined(results: list) -> dict[str, str]:
    return {
        "vi": " ".join(r.message_vi for r in results),
        "en": " ".join(r.message_en for r in results),
    }


@guard(
    "Đạt các điều kiện bắt buộc của danh hiệu (thành phần hồ sơ, danh hiệu đã đạt, "
    "tỷ lệ, không đang bị xem xét kỷ luật)",
    "The award's hard rules hold (documents, prior titles, quota, no hold)",
)
def eligibility_met(ctx: GuardContext) -> Violation | None:
    """Every hard rule of the award holds (their reasons are listed when not)."""
    failing = hard_failures(ctx.fact(_eligibility))
    if not failing:
        return None
    text = _joined(failing)
    return AWARD_MESSAGES.violation(
        "eligibility_failed", {"reasons": text["vi"], "reasons_en": text["en"]}
    )


@guard(
    "Điều kiện khuyến nghị chưa đạt thì phải nêu lý do vẫn trình Hội đồng",
    "A soft rule that fails needs a reason to approve anyway",
    uses_inputs=True,
)
def eligibility_overridden(ctx: GuardContext) -> Violation | None:
    """A soft rule that fails needs a reason to approve anyway."""
    warned = warnings(ctx.fact(_eligibility))
    if not warned or ctx.text("reason"):
        return None
    text = _joined(warned)
    return AWARD_MESSAGES.violation(
        "eligibility_override_required", {"warnings": text["vi"], "warnings_en": text["en"]}
    )


def record_override(ctx: GuardContext) -> None:
    """Put the warnings that were overridden, with the reason, in the audit event."""
    warned = warnings(ctx.fact(_eligibility))
    if warned:
        ctx.changes["eligibility_override"] = {
            "reason": ctx.text("reason"),
            "warnings": [
                {"code": r.code, "rule_id": r.rule_id, "message": r.message_vi, "source": r.source}
                for r in warned
            ],
        }


def _authority(ctx: GuardContext) -> tuple[str, str]:
    return AUTHORITIES.get(
        ctx.dossier.award_type.conferring_authority, ("cấp trên", "higher level")
    )


# Which of publish and forward applies depends on who confers the award: the other one is not
# offered at all (its refusal code is "not applicable", not "not yet").
@guard(
    "Danh hiệu do Sở quyết định (danh hiệu của cấp trên phải trình cấp trên)",
    "An award the Department confers (higher awards are forwarded)",
    not_applicable={"publish_needs_higher_decision"},
)
def department_confers(ctx: GuardContext) -> Violation | None:
    """Publishing straight after the Council is for awards the Department confers."""
    if not isinstance(ctx.dossier, Nomination) or ctx.dossier.award_type.conferred_by_department:
        return None
    vi, en = _authority(ctx)
    return AWARD_MESSAGES.violation(
        "publish_needs_higher_decision", {"authority": vi, "authority_en": en}
    )


@guard(
    "Danh hiệu do cấp trên (UBND thành phố, Bộ) quyết định",
    "An award conferred above the Department (city, Ministry)",
    not_applicable={"forward_not_needed"},
)
def higher_level_confers(ctx: GuardContext) -> Violation | None:
    """Only awards conferred above the Department are forwarded."""
    if ctx.dossier.award_type.conferred_by_department:
        return AWARD_MESSAGES.violation("forward_not_needed")
    return None


@guard(
    "Có số và ngày tờ trình của Sở gửi cấp trên",
    "The Department's submission letter number and date are given",
    uses_inputs=True,
)
def submission_given(ctx: GuardContext) -> Violation | None:
    """The Department's submission letter: a number like 1580/TTr-SGDĐT and a date."""
    number = ctx.text("submission_number")
    if not DOCUMENT_NUMBER.match(number):
        return AWARD_MESSAGES.violation("submission_number_invalid", {"number": number})
    if _as_date(ctx.inputs.get("submission_date")) is None:
        return AWARD_MESSAGES.violation("submission_date_missing")
    return None


def record_forwarding(ctx: GuardContext) -> None:
    """Keep the submission letter; the higher level's answer is recorded later."""
    day = _as_date(ctx.inputs.get("submission_date"))
    referral = ctx.session.query(HigherReferral).filter_by(dossier_id=ctx.dossier.id).one_or_none()
    if referral is None:
        referral = HigherReferral(dossier_id=ctx.dossier.id)
        ctx.session.add(referral)
    referral.letter_number, referral.letter_date = ctx.text("submission_number"), day
    referral.forwarded_by, referral.forwarded_at = ctx.actor.user_id, ctx.now
    ctx.changes.update(
        submission_number=referral.letter_number,
        submission_date=day,
        authority=ctx.dossier.award_type.conferring_authority,
    )


def _answer(ctx: GuardContext, outcome: str) -> None:
    referral = ctx.session.query(HigherReferral).filter_by(dossier_id=ctx.dossier.id).one_or_none()
    if referral is None:  # forwarded before referrals were kept
        return
    referral.outcome, referral.recorded_by, referral.recorded_at = (
        outcome,
        ctx.actor.user_id,
        ctx.now,
    )
    if outcome == "conferred":
        referral.answer_number = ctx.dossier.decision_number
        referral.answer_date = ctx.dossier.decision_date
    else:
        referral.answer_reason = ctx.text("reason")


def record_conferred(ctx: GuardContext) -> None:
    """The higher level conferred the award (after ``record_decision``)."""
    _answer(ctx, "conferred")
    ctx.changes["higher_outcome"] = "conferred"


def record_not_conferred(ctx: GuardContext) -> None:
    """The higher level did not confer the award; the reason is kept."""
    _answer(ctx, "not_conferred")
    ctx.changes["higher_outcome"] = "not_conferred"


def _basis(nomination: Nomination) -> str:
    if nomination.ad_hoc or nomination.campaign.kind == "ad_hoc":
        return "ad_hoc"
    return "thematic" if nomination.campaign.kind == "thematic" else "merit"


# Built once: every publication runs it.
_RECORD_OF = (
    select(AwardRecord.id).where(AwardRecord.dossier_id == bindparam("dossier_id")).limit(1)
)


def record_award(ctx: GuardContext) -> None:
    """Add the published award to the awards history (once per nomination)."""
    nomination = ctx.dossier
    if not isinstance(nomination, Nomination):
        return
    if ctx.session.scalar(_RECORD_OF, {"dossier_id": nomination.id}) is not None:
        return
    record: dict[str, Any] = dict(
        award_type_id=nomination.award_type_id,
        year=nomination.campaign.year,
        person_name=nomination.nominee_name,
        name_key=fold(nomination.nominee_name),
        person_id=nomination.person_id,
        collective_id=nomination.collective_id,
        unit_id=nomination.unit_id,
        decision_number=nomination.decision_number,
        decision_date=nomination.decision_date,
        origin="system",
        basis=_basis(nomination),
        dossier_id=nomination.id,
        created_at=ctx.now,
    )
    # Core, on the transition's connection: an ORM flush of one new row costs more than the row.
    connection = ctx.session.connection()
    record_id = connection.execute(_INSERT_RECORD, record).scalar_one()
    used = sorted({i for r in ctx.fact(_eligibility) if r.ok for i in r.initiatives})
    if used:
        # One initiative counts toward one award only (CV 5007/BNV-TĐKT).
        connection.execute(
            update(Initiative)
            .where(Initiative.id.in_(used), Initiative.used_by_record_id.is_(None))
            .values(used_by_record_id=record_id)
        )
        ctx.changes["initiatives_used"] = used
    forget(ctx.session, nomination)


_INSERT_RECORD = AwardRecord.__table__.insert().returning(AwardRecord.__table__.c.id)
