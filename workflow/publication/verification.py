"""Public verification codes: the short code printed (and QR-encoded) on a certificate, looked
up at ``/v/<code>``.

A code is ten symbols of Crockford's base 32 (no I, L, O, U: nothing to misread when typed from
paper) drawn from ``secrets``: 50 random bits, so a code says nothing about its awardee and one
code cannot be guessed from another. Codes are given to every conferred dossier when its
decision is issued; a code is shown in two groups of five ("7KQ2M-XW9PD").
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.decisions import DECISION_ISSUED, VERIFY_CODE_LENGTH, Decision, DecisionItem

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
