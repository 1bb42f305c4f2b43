"""The secret ballot's cryptography as the Council uses it: a session's key held by two
officers, a member's card encrypted at casting, and the totals decrypted only as a sum.

A card packs two counters per row of a list: approve, reject (abstentions are the members who
voted on the row minus those two, so a third counter would only add a ciphertext per
≈ 200 rows and nothing checkable that the roll does not already give). A recused member's
counters on a row are zero. The counters are ``slot_bits`` wide, enough for the whole roll's
sum, so the product of all cards decrypts to every row's totals at once.

The private key is unwrapped only in memory, at the close, from the chair's and the secretary's
passphrases; it is never stored in the clear, logged or returned.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.clock import utcnow
from models.council import (
    POSITION_CHAIR,
    BallotCard,
    BallotKey,
    BallotList,
    CouncilSession,
)
from workflow.core import audit, paillier
from workflow.core.actors import Actor, Role
from workflow.core.errors import EditRefused
from workflow.core.messages import Messages
from workflow.council import sessions as councils

MIN_PASSPHRASE = 12
# Counters per row on a card: approve, reject.
SLOTS_PER_ROW = 2

KEY_MESSAGES = Messages(
    {
        "ballot_key_missing": (
            "Chưa tạo khóa kiểm phiếu của phiên họp: chủ tịch và thư ký cần nhập mật khẩu "
            "trước khi mở phiếu.",
            "The session's ballot key is not set: the chair and the secretary must enter their "
            "passphrases before a ballot opens.",
        ),
        "ballot_key_exists": (
            "Phiên họp đã có khóa kiểm phiếu.",
            "The session already has a ballot key.",
        ),
        "ballot_key_no_chair": (
            "Phiên họp chưa có chủ tịch Hội đồng trong số thành viên (theo nhiệm kỳ ngày họp): "
            "không thể tạo khóa kiểm phiếu.",
            "No member of the session is the Council's chair (by the terms on the day it is "
            "held): the ballot key cannot be created.",
        ),
        "passphrase_short": (
            "Mật khẩu của {who} phải có ít nhất {min} ký tự.",
            "The {who_en}'s passphrase must have at least {min} characters.",
        ),
        "passphrase_same": (
            "Mật khẩu của chủ tịch và của thư ký phải khác nhau.",
            "The chair's and the secretary's passphrases must differ.",
        ),
        "passphrase_wrong": (
            "Mật khẩu của chủ tịch hoặc của thư ký không đúng: chưa kiểm phiếu, không có gì "
            "thay đổi. Vui lòng nhập lại cả hai.",
            "The chair's or the secretary's passphrase is wrong: nothing was counted or "
            "changed. Please enter both again.",
        ),
    }
)

_OFFICERS = {"chair": ("chủ tịch", "chair"), "secretary": ("thư ký", "secretary")}


def _refuse(code: str, params: Mapping[str, object] | None = None) -> EditRefused:
    return EditRefused([KEY_MESSAGES.violation(code, params)])


def _context(council_id: int) -> bytes:
    return f"vinhdanh ballot key of council session {council_id}".encode()


def chair_of(session: Session, council: CouncilSession) -> int | None:
    """The member of the session who is the Council's chair on the day it is held."""
    positions = councils.positions_at(session, council)
    chairs = sorted(u for u, p in positions.items() if p == POSITION_CHAIR)
    return chairs[0] if chairs else None


def key_of(session: Session, council_id: int) -> BallotKey | None:
    return session.get(BallotKey, council_id)


def public_key(key: BallotKey) -> paillier.PublicKey:
    return paillier.PublicKey(int(key.public_n, 16))


def check_passphrases(chair: str, secretary: str) -> None:
    """Refuse passphrases too short to resist guessing, or the same twice (one person)."""
    problems = [
        KEY_MESSAGES.violation("passphrase_short", {"who": vi, "who_en": en, "min": MIN_PASSPHRASE})
        for value, (vi, en) in zip((chair, secretary), _OFFICERS.values(), strict=True)
        if len(value) < MIN_PASSPHRASE
    ]
    if not problems and chair == secretary:
        problems.append(KEY_MESSAGES.violation("passphrase_same"))
    if problems:
        raise EditRefused(problems)


def create_key(
    session: Session,
    council: CouncilSession,
    actor: Actor,
    chair_passphrase: str,
    secretary_passphrase: str,
    now: dt.datetime | None = None,
) -> BallotKey:
    """The session's ballot key: a fresh Paillier key whose private half is sealed under both
    passphrases. The caller has checked the actor runs the Council and the session is open."""
    if key_of(session, council.id) is not None:
        raise _refuse("ballot_key_exists")
    chair = chair_of(session, council)
    if chair is None:
        raise _refuse("ballot_key_no_chair")
    check_passphrases(chair_passphrase, secretary_passphrase)
    private = paillier.generate()
    wrapped = paillier.wrap(
        paillier.prime_bytes(private),
        (chair_passphrase, secretary_passphrase),
        _context(council.id),
    )
    now = now or utcnow()
    key = BallotKey(
        session_id=council.id,
        public_n=format(private.public.n, "x"),
        chair_id=chair,
        secretary_id=actor.user_id,
        chair_salt=wrapped.salts[0],
        secretary_salt=wrapped.salts[1],
        nonce=wrapped.nonce,
        sealed=wrapped.sealed,
        created_at=now,
    )
    session.add(key)
    session.flush()
    paillier.prepare(private.public)
    audit.append(
        session,
        entity_type=councils.ENTITY,
        entity_id=council.id,
        action="ballot_key",
        actor_id=actor.user_id,
        actor_role=Role.COUNCIL_SECRETARY.value,
        changes={
            "chair_id": chair,
            "secretary_id": actor.user_id,
            "key_bits": private.public.n.bit_length(),
        },
        now=now,
    )
    return key


def unlock(key: BallotKey, chair_passphrase: str, secretary_passphrase: str) -> paillier.PrivateKey:
    """The private key, in memory only; refused (nothing changed) on a wrong passphrase."""
    wrapped = paillier.Wrapped((key.chair_salt, key.secretary_salt), key.nonce, key.sealed)
    try:
        secret = paillier.unwrap(
            wrapped, (chair_passphrase, secretary_passphrase), _context(key.session_id)
        )
    except paillier.WrongPassphrase:
        raise _refuse("passphrase_wrong") from None
    return paillier.private_from_bytes(public_key(key), secret)


def layout(public: paillier.PublicKey, rows: int, slot_bits: int) -> paillier.Layout:
    return paillier.Layout(rows * SLOTS_PER_ROW, slot_bits, public.capacity_bits)


def counters(marks: Sequence[str | None]) -> list[int]:
    """A card's counters from its marks by row ("approve", "reject", "abstain", None: recused)."""
    values: list[int] = []
    for mark in marks:
        values.extend((int(mark == "approve"), int(mark == "reject")))
    return values


def seal_card(
    public: paillier.PublicKey, shape: paillier.Layout, marks: Sequence[str | None]
) -> str:
    """A member's marks, encrypted: the only form in which they ever reach the database."""
    words = shape.pack(counters(marks))
    return ",".join(format(paillier.encrypt(public, w), "x") for w in words)


def new_card(ballot_list: BallotList, ciphertexts: str) -> BallotCard:
    # A random id: a sequence would add nothing secret, but a random one gives no vote order.
    return BallotCard(id=secrets.token_hex(16), list_id=ballot_list.id, ciphertexts=ciphertexts)


def _parse(text: str) -> list[int]:
    return [int(part, 16) for part in text.split(",")]


@dataclass(frozen=True)
class Count:
    """A list's tally: (approve, reject) by row, and the published proof of it."""

    by_row: list[tuple[int, int]]
    aggregate: list[int]
    randomness: list[int]


def count(private: paillier.PrivateKey, shape: paillier.Layout, cards: Sequence[str]) -> Count:
    """Multiply all cards and decrypt only the product: every row's totals at once."""
    public = private.public
    parsed = [_parse(c) for c in cards]
    aggregate = [
        paillier.combine(public, (card[i] for card in parsed)) for i in range(shape.plaintexts)
    ]
    words = [paillier.decrypt(private, c) for c in aggregate]
    randomness = [paillier.randomness(private, c, m) for c, m in zip(aggregate, words, strict=True)]
    values = shape.unpack(words)
    return Count(list(zip(values[0::2], values[1::2], strict=True)), aggregate, randomness)


def cards_of(session: Session, list_id: int) -> list[str]:
    return list(
        session.scalars(
            select(BallotCard.ciphertexts)
            .where(BallotCard.list_id == list_id)
            .order_by(BallotCard.id)
        )
    )


def published(session: Session, ballot_list: BallotList, key: BallotKey) -> dict[str, object]:
    """What anyone may check a closed list's totals against: the public key, every card, the
    product's plaintext counters (the totals) and its randomness."""
    return {
        "list_id": ballot_list.id,
        "session_id": ballot_list.session_id,
        "scheme": "Paillier g=n+1",
        "n": key.public_n,
        "slot_bits": ballot_list.slot_bits,
        "slots_per_row": SLOTS_PER_ROW,
        "rows": [
            {
                "row": b.row,
                "dossier_id": b.dossier_id,
                "approve": b.votes_for,
                "reject": b.votes_against,
                "abstain": b.votes_abstain,
            }
            for b in ballot_list.ballots
        ],
        "cards": cards_of(session, ballot_list.id),
        "aggregate": ballot_list.aggregate,
        "aggregate_r": ballot_list.aggregate_r,
    }


def verify_published(data: Mapping[str, object]) -> bool:
    """Whether the published totals are what the published cards add up to: the product of
    the cards equals the published aggregate, which encrypts the totals with the published
    randomness. Needs no secret."""
    public = paillier.PublicKey(int(str(data["n"]), 16))
    rows = sorted(data["rows"], key=lambda r: r["row"])  # type: ignore[arg-type,index]
    shape = layout(public, len(rows), int(data["slot_bits"]))  # type: ignore[call-overload]
    cards = [_parse(str(c)) for c in data["cards"]]  # type: ignore[attr-defined]
    aggregate, randomness = _parse(str(data["aggregate"])), _parse(str(data["aggregate_r"]))
    if len(aggregate) != shape.plaintexts or len(randomness) != shape.plaintexts:
        return False
    if any(len(c) != shape.plaintexts for c in cards):
        return False
    words = shape.pack([v for r in rows for v in (r["approve"], r["reject"])])
    return all(
        paillier.combine(public, (card[i] for card in cards)) == aggregate[i]
        and paillier.verify(public, aggregate[i], words[i], randomness[i])
        for i in range(shape.plaintexts)
    )


def hex_list(values: Sequence[int]) -> str:
    return ",".join(format(v, "x") for v in values)
