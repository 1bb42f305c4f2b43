"""Council sessions (phiên họp Hội đồng TĐKT ngành), attendance, recorded votes, conflicts and
the secret ballot (bỏ phiếu kín).

Ballot secrecy that survives copies of the database (README: "Secret ballot: threat model"):
- ``ballot_voter`` is the roll, fixed when the ballot opens: who may vote and whether they
  have (``voted``), so each votes once. It has no choice column.
- ``ballot_card`` holds each member's marks on a whole list, only as Paillier ciphertexts
  (``workflow.core.paillier``), under a random id and with no voter column. A card and its
  roll flips are written by one transaction, so a copy of the database or its write-ahead log
  taken after each vote links a member to their card (PostgreSQL ``xmin``, SQLite page and rowid
  order, WAL frames): that link reveals nothing, because a card does not decrypt without the
  private key, and encryption is randomised (two cards of the same marks look unrelated).
- ``ballot_key`` holds the session's public key and its private key only wrapped (AES-GCM)
  under a key derived from both the chair's and the secretary's passphrases, which are never
  stored. Only the product of all cards of a list is decrypted, at its close, so only totals
  are ever learned. The two officers together, holding a copy taken after each vote, could
  decrypt single cards: that is the residual risk, named in the README.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.clock import utcnow
from models.dossiers import Dossier
from models.org import User

SESSION_STATUSES = ("open", "closed")
# What the Council decided on an item (words shared with dossier states, another vocabulary).
OUTCOME_APPROVED, OUTCOME_REJECTED = "approved", "rejected"
OUTCOME_DEFERRED, OUTCOME_CLASSIFIED = "deferred", "classified"
VOTE_OUTCOMES = (OUTCOME_APPROVED, OUTCOME_REJECTED, OUTCOME_DEFERRED, OUTCOME_CLASSIFIED)
# A Council member's position, in protocol order (the order members are listed in).
POSITION_CHAIR, POSITION_VICE_CHAIR = "chair", "vice_chair"
POSITION_MEMBER, POSITION_SECRETARY = "member", "secretary"
COUNCIL_POSITIONS = (POSITION_CHAIR, POSITION_VICE_CHAIR, POSITION_MEMBER, POSITION_SECRETARY)


class CouncilSession(Base):
    """A Council meeting. Its members are the attendance rows; quorum counts the present ones."""

    __tablename__ = "council_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Share of members who must be present, an exact fraction as text (default two thirds).
    quorum: Mapped[str] = mapped_column(String(10), default="2/3")
    # The rule the quorum comes from and the day that rule was last checked, as the minutes
    # cite them (a quorum without its source is a number nobody can verify).
    quorum_source: Mapped[str | None] = mapped_column(Text)
    quorum_from: Mapped[dt.date | None] = mapped_column(Date)
    opened_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]

    attendance: Mapped[list[CouncilAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", lazy="selectin"
    )
    items: Mapped[list[CouncilItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="CouncilItem.id"
    )

    @property
    def member_count(self) -> int:
        return len(self.attendance)

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.attendance if a.present)

    def present_user_ids(self) -> set[int]:
        return {a.user_id for a in self.attendance if a.present}


class CouncilAttendance(Base):
    """One member of a session, present or absent."""

    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="session_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    present: Mapped[bool] = mapped_column(Boolean, default=True)

    session: Mapped[CouncilSession] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship(lazy="joined")


class CouncilMembership(Base):
    """One term of an account on the Council, in one position. A term is ended (``ends_on``)
    rather than deleted, so sessions and minutes keep naming who sat when."""

    __tablename__ = "council_membership"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="term_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    position: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    # The last day of the term; None while it runs with no end set.
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    # Not joined: a term is read FOR UPDATE, which PostgreSQL refuses across an outer join.
    user: Mapped[User] = relationship(lazy="selectin")

    def covers(self, day: dt.date) -> bool:
        """Whether the term runs on ``day``."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class CouncilItem(Base):
    """A dossier on a session's agenda with the tally and outcome recorded for it."""

    __tablename__ = "council_item"
    __table_args__ = (UniqueConstraint("session_id", "dossier_id", name="session_dossier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime | None]

    session: Mapped[CouncilSession] = relationship(back_populates="items")
    dossier: Mapped[Dossier] = relationship()


class CouncilAgendaClaim(Base):
    """A dossier on the agenda of an open session. The primary key on the dossier is what keeps
    a dossier on one open session's agenda at most: two sessions opened at once cannot both
    insert it, whichever database runs. Released when the session closes."""

    __tablename__ = "council_agenda_claim"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_session.id", ondelete="CASCADE"), index=True
    )
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


BALLOT_STATUSES = ("open", "closed")

CHOICES = ("approve", "reject", "abstain")


class Ballot(Base):
    """One secret ballot on one dossier of one Council session; totals only once closed."""

    __tablename__ = "ballot"
    __table_args__ = (
        UniqueConstraint("session_id", "dossier_id", name="uq_ballot_session_dossier"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="open")
    # The list it was opened in, and its row there (its slots on every card).
    list_id: Mapped[int | None] = mapped_column(
        ForeignKey("ballot_list.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int | None] = mapped_column(Integer)
    # Members on the roll when the ballot opened (present and not recused).
    eligible: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    # Set when the ballot closes, never before.
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    # Written opinions of absent members, counted where the threshold is on all members.
    written_for: Mapped[int] = mapped_column(Integer, default=0)
    written_against: Mapped[int] = mapped_column(Integer, default=0)
    # The result, fixed when the ballot closes: the award's threshold then (a fraction as text),
    # whom it counted on, its legal source, the base, the approvals needed and the outcome.
    # Later edits of the catalogue never change a closed ballot.
    threshold: Mapped[str | None] = mapped_column(String(10))
    threshold_base: Mapped[str | None] = mapped_column(String(20))
    threshold_source: Mapped[str | None] = mapped_column(Text)
    threshold_from: Mapped[dt.date | None] = mapped_column(Date)
    base: Mapped[int | None] = mapped_column(Integer)
    needed: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    session: Mapped[CouncilSession] = relationship()
    dossier: Mapped[Dossier] = relationship()
    ballot_list: Mapped[BallotList | None] = relationship(back_populates="ballots")

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class BallotKey(Base):
    """A session's ballot key: the Paillier public key ``n`` in the clear, the private key
    (its prime p) only sealed with AES-GCM under a key derived by scrypt from the chair's and
    the secretary's passphrases, each with its own salt. Created before the first list opens."""

    __tablename__ = "ballot_key"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_session.id", ondelete="CASCADE"), primary_key=True
    )
    # The modulus in hexadecimal (2,048 bits).
    public_n: Mapped[str] = mapped_column(Text)
    chair_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    secretary_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    chair_salt: Mapped[bytes] = mapped_column(LargeBinary)
    secretary_salt: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BallotList(Base):
    """Ballots opened together: every member marks all of its rows on one card, and closing it
    fixes every row's result. A single dossier's ballot is a list of one.

    ``slot_bits``: the width of each counter on a card, enough for the whole roll's sum. At the
    close, ``aggregate`` (the product of all cards, hexadecimal per plaintext, comma-separated)
    and ``aggregate_r`` (its Paillier randomness) are published with the totals, so anyone can
    check the totals against the cards."""

    __tablename__ = "ballot_list"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_session.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="open")
    rows: Mapped[int] = mapped_column(Integer)
    slot_bits: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    aggregate: Mapped[str | None] = mapped_column(Text)
    aggregate_r: Mapped[str | None] = mapped_column(Text)

    ballots: Mapped[list[Ballot]] = relationship(
        back_populates="ballot_list", order_by="Ballot.row"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class BallotCard(Base):
    """One member's marks on a list, encrypted: hexadecimal Paillier ciphertexts, one per packed
    plaintext, comma-separated. No voter column, a random id, no time: see the module notes."""

    __tablename__ = "ballot_card"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_list.id", ondelete="CASCADE"), index=True
    )
    ciphertexts: Mapped[str] = mapped_column(Text)


class BallotVoter(Base):
    """A member present when the ballot opened, and whether they have voted (never how).
    A member recused then (``recusal``: the nominee, or a recorded conflict) is shown on the
    roll but may not vote and is not counted in ``Ballot.eligible``."""

    __tablename__ = "ballot_voter"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    voted: Mapped[bool] = mapped_column(Boolean, default=False)
    # "nominee" or "conflict" when recused; None on the roll to vote.
    recusal: Mapped[str | None] = mapped_column(String(10))


class CouncilConflict(Base):
    """A member the secretary marked as having a conflict on a dossier: recused from its vote."""

    __tablename__ = "council_conflict"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "user_id", "dossier_id", name="uq_council_conflict_member_dossier"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
