"""Public verification codes: the short code printed (and QR-encoded) on a certificate, looked
up at ``/v/<code>``.

A code is ten symbols of Crockford's base 32 (no I, L, O, U: nothing to misread when typed from
paper) drawn from ``secrets``: 50 random bits, so a code says nothing about its awardee and one
code cannot be guessed from another. Codes are given to every conferred dossier when its
decision is issued; a code is shown in two groups of five ("7KQ2M-XW9PD").
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent
from models.decisions import (
    DECISION_ISSUED,
    VERIFY_CODE_LENGTH,
    Decision,
    DecisionItem,
    Revocation,
)
from workflow.core.checkpoints import Verdict, included_in_checkpoint
from workflow.publication.outcomes import Outcome, get_outcome, publication_event
from workflow.publication.revocation import revocation_of

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Letters a reader may type for a symbol the alphabet leaves out.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh random code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(VERIFY_CODE_LENGTH))


def normalise(typed: str) -> str | None:
    """The code a visitor typed or scanned, in stored form; None if it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != VERIFY_CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def shown(code: str) -> str:
    """A code as printed: two groups of five."""
    half = VERIFY_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def assign_codes(session: Session, decision: Decision) -> None:
    """Give every item of ``decision`` that has none a code no other item has. Fifty random
    bits make a clash rare, not impossible: a clashing code is drawn again before it is kept."""
    items = [item for item in decision.items if item.verify_code is None]
    drawn = {item.id: new_code() for item in items}
    while True:
        taken = set(
            session.scalars(
                select(DecisionItem.verify_code).where(DecisionItem.verify_code.in_(drawn.values()))
            )
        )
        clashes = [i for i, code in drawn.items() if code in taken]
        if len(set(drawn.values())) == len(drawn) and not clashes:
            break
        seen: set[str] = set()
        for item_id, code in drawn.items():
            if code in taken or code in seen:
                drawn[item_id] = new_code()
            seen.add(drawn[item_id])
    for item in items:
        item.verify_code = drawn[item.id]


def find(session: Session, typed: str) -> DecisionItem | None:
    """The issued decision's item a code names, or None (unknown, malformed, or a draft's)."""
    code = normalise(typed)
    if code is None:
        return None
    item = session.scalars(select(DecisionItem).where(DecisionItem.verify_code == code)).first()
    if item is None or item.decision.status != DECISION_ISSUED:
        return None
    return item


@dataclass(frozen=True)
class Verification:
    """What ``/v/<code>`` shows of a code, and nothing else: the outcome exactly as the public
        list shows it, the issued decision that conferred it, the public audit event of its
        publication and whether a signed checkpoint includes it, and, when revoked, the revocation
    and its public event. One object, so that a
        further public fact about the same outcome is one more field here and one more block of
        the page."""

    code: str  # as printed, "7KQ2M-XW9PD"
    outcome: Outcome
    decision_id: int
    decision_number: str
    decision_date: dt.date
    signer: str
    publication: AuditEvent | None
    revocation: Revocation | None
    revocation_event: AuditEvent | None
    # Whether the publication event is in the latest signed checkpoint, its proof checked
    # against the signed root (None when no publication event was found).
    checkpoint: Verdict | None = None

    @property
    def revoked(self) -> bool:
        return self.revocation is not None


def verify(session: Session, typed: str) -> Verification | None:
    """The verification of a code as typed or scanned; None for a malformed or unknown code, a
    draft decision's, or an outcome that is not public."""
    item = find(session, typed)
    if item is None:
        return None
    outcome = get_outcome(session, item.dossier_id)
    if outcome is None:
        return None
    decision = item.decision
    revocation = revocation_of(session, item.dossier_id)
    revocation_event = (
        session.get(AuditEvent, revocation.audit_seq)
        if revocation is not None and revocation.audit_seq is not None
        else None
    )
    publication = publication_event(session, item.dossier_id)
    return Verification(
        code=shown(item.verify_code or ""),
        outcome=outcome,
        decision_id=decision.id,
        decision_number=decision.number,
        decision_date=decision.decided_on,
        signer=decision.signer,
        publication=publication,
        revocation=revocation,
        revocation_event=revocation_event,
        checkpoint=(
            included_in_checkpoint(session, publication.seq) if publication is not None else None
        ),
    )
