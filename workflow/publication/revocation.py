"""Revocation (thu hồi khen thưởng) of a published award, by a later decision with a reason.

Luật Thi đua, khen thưởng 2022 (chương VII, handling violations): an award is revoked when
achievements were declared dishonestly, records were forged or the appraisal broke the rules.
The Office records the revoking decision (``authz.may_revoke_award``).

A record of its own, not a lifecycle state: the state of publication is terminal, and the rules
forbid leaving a terminal state (``WorkflowDef.validate``; the engine's property tests hold every
terminal state final). And a revocation does not undo the publication, which stays a fact: the
dossier keeps its state, its decision and its publication event; the revocation is one row beside
it (``models.Revocation``, one per dossier), written with a PUBLIC audit event on the dossier
(reason, revoking decision's number and date), so the public list, ``/v/<code>`` and the
dossier's timeline all show it. The award's record (``AwardRecord``) stays in the history, marked
with the revocation, and no eligibility check counts it as held.

Two people revoking at once: the dossier row is locked first (as every transition locks it), so
the second waits, then finds the revocation and is told by which decision; the unique dossier of
``revocation`` is the backstop. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import AwardRecord, Dossier, Initiative
from models.clock import local_day, utcnow
from models.decisions import Revocation
from models.text import nfc
from workflow.awards.eligibility import forget
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_revoke_award, may_revoke_award_of, refuse_unless
from workflow.core.dates import parse_day
from workflow.core.engine import announce, load_for_update
from workflow.core.errors import EditRefused, Violation
from workflow.core.inputs import DECISION_NUMBER, field_too_long
from workflow.core.messages import Messages
from workflow.core.registry import states_where
from workflow.dossiers.guards import nominee_account

REVOKE = "revoke"  # the audit action
KIND = "nomination"  # awards are nominations; a report's classification is not revoked
REASON_MAX = 2000
_ACTION = ("Thu hồi khen thưởng", "Revoke an award")
_REASON = ("Lý do thu hồi", "Reason for the revocation")

REVOCATION_MESSAGES = Messages(
    {
        "revocation_not_published": (
            "Chỉ thu hồi được khen thưởng đã công bố.",
            "Only a published award can be revoked.",
        ),
        "revocation_done": (
            "Khen thưởng này đã bị thu hồi theo Quyết định số {number} ngày {date}, "
            "lý do: {reason}",
            "This award was already revoked by decision {number} of {date}, reason: {reason}",
        ),
        "revocation_same_number": (
            "Số quyết định thu hồi phải khác số quyết định khen thưởng ({number}).",
            "The revoking decision's number must differ from the award's decision ({number}).",
        ),
        "revocation_before_award": (
            "Ngày quyết định thu hồi không được trước ngày quyết định khen thưởng ({date}).",
            "The revoking decision cannot be dated before the award's decision ({date}).",
        ),
        "revocation_in_future": (
            "Ngày quyết định thu hồi không được sau hôm nay.",
            "The revoking decision cannot be dated after today.",
        ),
        "revocation_of_own_award": (
            "Bạn là người được khen thưởng này nên không được thu hồi nó; "
            "việc này do một người thẩm định khác của Văn phòng thực hiện.",
            "This award is yours, so you may not revoke it; another reviewer of the Office must.",
        ),
    },
    permission=frozenset({"revocation_of_own_award"}),
)


def revocable_states() -> tuple[str, ...]:
    """The nomination states whose award is out (public): what may be revoked."""
    return states_where(lambda s: s.public)[KIND]


def revocation_of(session: Session, dossier_id: int) -> Revocation | None:
    """The revocation of a dossier's award, if it was revoked."""
    return session.scalars(select(Revocation).where(Revocation.dossier_id == dossier_id)).first()


def revocations_of(session: Session, dossier_ids: Iterable[int]) -> dict[int, Revocation]:
    """{dossier id: its revocation} of those of ``dossier_ids`` whose award was revoked."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    found = session.scalars(select(Revocation).where(Revocation.dossier_id.in_(ids)))
    return {r.dossier_id: r for r in found}


def may_revoke(actor: Actor | None, dossier: Dossier, revoked: Revocation | None) -> bool:
    """Whether the dossier page offers ``actor`` the revocation form."""
    return (
        may_revoke_award_of(actor, nominee_account(dossier))
        and revoked is None
        and dossier.kind == KIND
        and dossier.state in revocable_states()
    )


def refuse_own_award(actor: Actor, dossier: Dossier) -> None:
    """Raise a permission refusal (``EditRefused``) when ``dossier``'s award went to
    ``actor`` (or ``actor`` may not revoke at all)."""
    refuse_unless(
        may_revoke_award_of(actor, nominee_account(dossier)),
        refusal=REVOCATION_MESSAGES.violation("revocation_of_own_award"),
    )


def _done(revoked: Revocation) -> Violation:
    return REVOCATION_MESSAGES.violation(
        "revocation_done",
        {
            "number": revoked.number,
            "date": revoked.decided_on.strftime("%d/%m/%Y"),
            "reason": revoked.reason,
        },
    )


def _check(
    dossier: Dossier, number: str, typed_day: Any, reason: str, today: dt.date
) -> tuple[list[Violation], dt.date | None]:
    problems = []
    if not DECISION_NUMBER.match(number):
        problems.append(Violation("decision_number_invalid", {"number": number}))
    elif number == dossier.decision_number:
        problems.append(REVOCATION_MESSAGES.violation("revocation_same_number", {"number": number}))
    day = parse_day(typed_day)
    if not str(typed_day or "").strip():
        problems.append(Violation("decision_date_missing"))
    elif day is None:
        problems.append(Violation("date_format"))
    elif day > today:
        problems.append(REVOCATION_MESSAGES.violation("revocation_in_future"))
    elif dossier.decision_date is not None and day < dossier.decision_date:
        problems.append(
            REVOCATION_MESSAGES.violation(
                "revocation_before_award", {"date": dossier.decision_date.strftime("%d/%m/%Y")}
            )
        )
    if not reason:
        problems.append(Violation("reason_required"))
    elif len(reason) > REASON_MAX:
        problems.append(field_too_long(_REASON, REASON_MAX))
    return problems, day


def revoke(
    session: Session,
    dossier_id: int,
    actor: Actor,
    *,
    number: str,
    decided_on: Any,
    reason: str,
    now: dt.datetime | None = None,
) -> Revocation:
    """Revoke the published award of ``dossier_id`` by decision ``number`` of ``decided_on``
    (a date, or as typed: dd/mm/yyyy) for ``reason``. Raises ``EditRefused`` (every problem
    at once) or ``NotFound`` and then has changed nothing."""
    refuse_unless(may_revoke_award(actor), _ACTION)
    dossier = load_for_update(session, dossier_id, actor)
    refuse_own_award(actor, dossier)
    if dossier.kind != KIND or dossier.state not in revocable_states():
        raise EditRefused([REVOCATION_MESSAGES.violation("revocation_not_published")])
    earlier = revocation_of(session, dossier.id)
    if earlier is not None:
        raise EditRefused([_done(earlier)])
    now = now or utcnow()
    number, reason = nfc(number or "").strip(), nfc(reason or "").strip()
    problems, day = _check(dossier, number, decided_on, reason, local_day(now))
    if problems or day is None:
        raise EditRefused(problems)
    revocation = Revocation(
        dossier_id=dossier.id,
        number=number,
        decided_on=day,
        reason=reason,
        revoked_by=actor.user_id,
        revoked_at=now,
    )
    try:
        with session.begin_nested():
            session.add(revocation)
            session.flush()
    except IntegrityError:
        # Only if another transaction got past the row lock first (a database without one).
        raise EditRefused([_done(revocation_of(session, dossier.id) or revocation)]) from None
    records = select(AwardRecord.id).where(AwardRecord.dossier_id == dossier.id)
    # The initiatives the award was granted on are credited to no award any more: one
    # initiative counts toward one award (CV 5007/BNV-TĐKT), and this one no longer stands.
    freed = sorted(
        session.scalars(select(Initiative.id).where(Initiative.used_by_record_id.in_(records)))
    )
    changes: dict[str, Any] = {
        "revocation_number": number,
        "revocation_date": day.isoformat(),
        "revoked_decision": dossier.decision_number,
    }
    if freed:
        changes["initiatives_freed"] = freed
    event = audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action=REVOKE,
        actor_id=actor.user_id,
        actor_role=Role.OFFICE_REVIEWER.value,
        unit_id=dossier.unit_id,
        reason=reason,
        changes=changes,
        public=True,
        now=now,
    )
    revocation.audit_seq = event.seq
    session.execute(
        update(AwardRecord)
        .where(AwardRecord.dossier_id == dossier.id)
        .values(revocation_id=revocation.id)
        .execution_options(synchronize_session="fetch")
    )
    if freed:
        session.execute(
            update(Initiative)
            .where(Initiative.id.in_(freed))
            .values(used_by_record_id=None)
            .execution_options(synchronize_session="fetch")
        )
    forget(session, dossier)
    session.flush()
    # The unit's staff and head hear of it (in-app and by e-mail), as of the publication.
    announce(session, dossier, event, actor)
    return revocation
