"""Dossiers (hồ sơ): nominations, unit plans and unit reports, and their evidence files.

One ``dossier`` table holds what every kind shares (state, unit, version); each kind adds
its own table (joined-table inheritance).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    bindparam,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from models.base import Base
from models.clock import utcnow
from models.org import Unit, User
from models.text import person_sort_bytes, vi_sort_bytes

if TYPE_CHECKING:
    from models.awards import AwardType
    from models.campaigns import Campaign
    from models.people import Collective, Person

DOSSIER_KINDS = ("nomination", "plan", "report", "proposal")

# The longest value a person may type in each content field. The String columns below are sized
# from it and ``workflow.dossiers.fields`` (which declares the rest of each field) reads it, so a
# limit is written once. Text columns have no limit in the database: the application holds them
# to theirs.
MAX_LENGTH = {
    "title": 400,
    "nominee_name": 255,
    "position": 255,
    "achievements": 20000,
    "document_number": 60,
    "summary": 20000,
    "unit_vote": 255,
}


class Dossier(Base):
    """What every dossier shares. ``version`` is the optimistic-locking counter."""

    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_kind_state_unit", "kind", "state", "unit_id"),
        # The public list: published outcomes by decision date.
        Index("ix_dossier_state_decision", "state", "decision_date", "id"),
        # ... by name and by unit: walked in order until a page is full (see name_sort).
        Index("ix_dossier_state_name", "state", "name_sort", "id"),
        Index("ix_dossier_state_unit", "state", "unit_sort", "id"),
        # A campaign's dashboard and submissions: every figure read from the index alone.
        Index(
            "ix_dossier_campaign_kind_state",
            "campaign_id",
            "kind",
            "state",
            "unit_id",
            "sent_at",
            postgresql_include=["id"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    title: Mapped[str] = mapped_column(String(MAX_LENGTH["title"]))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # When the unit head sent it to the Department; from then on the Department sees it.
    sent_at: Mapped[dt.datetime | None]
    # Plans and reports: sent after the due date in force on the day they were sent. Stored
    # then, so a later change of the due date does not relabel what was already sent.
    sent_late: Mapped[bool | None]
    # The last reason given when the dossier was returned; the unit sees it prominently.
    return_reason: Mapped[str | None] = mapped_column(Text)
    # Publication: decision number (N/QĐ-SGDĐT), date and signer.
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    decision_signer: Mapped[str | None] = mapped_column(String(160))
    published_at: Mapped[dt.datetime | None]
    # The public list's Vietnamese order as bytes (models.text.person_sort_bytes of the
    # nominee, or of the unit for a report; vi_sort_bytes of the unit's name), so the list
    # sorts by plain byte order under an index instead of collating every row. Kept by the
    # events at the end of this module; ``fill_sort_keys`` fills rows written around the ORM.
    name_sort: Mapped[bytes | None] = mapped_column(LargeBinary(800))
    unit_sort: Mapped[bytes | None] = mapped_column(LargeBinary(800))

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    campaign: Mapped[Campaign] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"polymorphic_on": "kind", "version_id_col": version}
    # The audit flush guard refuses a state change with no audit event for this entity.
    __audited_state__ = "state"
    __audit_entity__ = "dossier"


class Nomination(Dossier):
    """A proposal to commend a person or a collective (đề nghị khen thưởng)."""

    __tablename__ = "nomination"
    __table_args__ = (
        # The dashboard's nomination figures, joined by id, read from the index alone.
        Index(
            "ix_nomination_figures",
            "id",
            "award_type_id",
            "nominee_kind",
            "direct_worker",
            "ad_hoc",
        ),
    )

    id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    nominee_kind: Mapped[str] = mapped_column(String(20))
    nominee_name: Mapped[str] = mapped_column(String(MAX_LENGTH["nominee_name"]))
    # The register entry nominated: a person (individual) or a collective.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(MAX_LENGTH["position"]))
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"), index=True)
    achievements: Mapped[str] = mapped_column(Text, default="")
    ad_hoc: Mapped[bool] = mapped_column(Boolean, default=False)
    direct_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    search_key: Mapped[str] = mapped_column(String(800), default="", index=True)
    # The unit's list proposal (tờ trình) this nomination is a row of; None for one filed alone.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )

    award_type: Mapped[AwardType] = relationship(lazy="joined", innerjoin=True)
    person: Mapped[Person | None] = relationship()
    collective: Mapped[Collective | None] = relationship()

    __mapper_args__ = {"polymorphic_identity": "nomination"}


class Proposal(Dossier):
    """A unit's list proposal (tờ trình đề nghị khen thưởng): one letter and the minutes of the
    unit's own award meeting, shared by many rows, each a ``Nomination`` with its own result."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    document_number: Mapped[str | None] = mapped_column(String(MAX_LENGTH["document_number"]))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The unit council's vote as its minutes record it (e.g. "15/17 thành viên đồng ý").
    unit_vote: Mapped[str] = mapped_column(String(MAX_LENGTH["unit_vote"]), default="")

    __mapper_args__ = {"polymorphic_identity": "proposal"}


class Plan(Dossier):
    """A unit's emulation plan (kế hoạch thi đua)."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    document_number: Mapped[str | None] = mapped_column(String(MAX_LENGTH["document_number"]))
    summary: Mapped[str] = mapped_column(Text, default="")

    __mapper_args__ = {"polymorphic_identity": "plan"}


class Report(Dossier):
    """A unit's report of results (báo cáo kết quả); the Council classifies the unit."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    document_number: Mapped[str | None] = mapped_column(String(MAX_LENGTH["document_number"]))
    summary: Mapped[str] = mapped_column(Text, default="")
    classification: Mapped[str | None] = mapped_column(String(40))

    __mapper_args__ = {"polymorphic_identity": "report"}


class Attachment(Base):
    """An evidence file, stored on disk under its SHA-256; the original name is kept here."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(40), default="evidence")
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")


class ReturnRequest(Base):
    """One return by the Office: the note (the return's reason), the day to fix it by, and the
    points the unit answers one by one. Kept with the dossier for good: its history."""

    __tablename__ = "return_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    fix_by: Mapped[dt.date | None] = mapped_column(Date)
    returned_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    returned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    points: Mapped[list[ReturnPoint]] = relationship(
        back_populates="request", order_by="ReturnPoint.id", cascade="all, delete-orphan"
    )
    returner: Mapped[User] = relationship()


class ReturnPoint(Base):
    """A point of a return, and the unit's reply to it."""

    __tablename__ = "return_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("return_request.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    replied_at: Mapped[dt.datetime | None]

    request: Mapped[ReturnRequest] = relationship(back_populates="points")
    replier: Mapped[User | None] = relationship()


def _unit_name(connection: Connection, unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    unit = Unit.__table__
    return connection.scalar(select(unit.c.name).where(unit.c.id == unit_id)) or ""


def _set_sort_keys(connection: Connection, dossier: Dossier) -> None:
    unit_name = _unit_name(connection, dossier.unit_id)
    dossier.unit_sort = vi_sort_bytes(unit_name)
    if isinstance(dossier, Nomination):
        dossier.name_sort = person_sort_bytes(dossier.nominee_name)
    elif isinstance(dossier, Report):
        dossier.name_sort = person_sort_bytes(unit_name)


@event.listens_for(Dossier, "before_insert", propagate=True)
def _keys_on_insert(mapper: Mapper, connection: Connection, dossier: Dossier) -> None:
    _set_sort_keys(connection, dossier)


@event.listens_for(Dossier, "before_update", propagate=True)
def _keys_on_update(mapper: Mapper, connection: Connection, dossier: Dossier) -> None:
    state = inspect(dossier)
    names = ("unit_id", "nominee_name") if isinstance(dossier, Nomination) else ("unit_id",)
    if any(state.attrs[name].history.has_changes() for name in names):
        _set_sort_keys(connection, dossier)


@event.listens_for(Unit, "after_update")
def _keys_on_rename(mapper: Mapper, connection: Connection, unit: Unit) -> None:
    """A renamed unit moves its dossiers in the order by unit, and its reports (named after
    it) in the order by name."""
    if not inspect(unit).attrs.name.history.has_changes():
        return
    table = Dossier.__table__
    of_unit = table.c.unit_id == unit.id
    connection.execute(update(table).where(of_unit).values(unit_sort=vi_sort_bytes(unit.name)))
    connection.execute(
        update(table)
        .where(of_unit, table.c.kind == "report")
        .values(name_sort=person_sort_bytes(unit.name))
    )


def fill_sort_keys(connection: Connection, missing_only: bool = True) -> int:
    """Write ``name_sort`` and ``unit_sort`` of the dossiers written without the ORM (a
    migration's existing rows, a bulk load); returns how many rows it wrote."""
    d, n, u = Dossier.__table__, Nomination.__table__, Unit.__table__
    query = (
        select(d.c.id, d.c.kind, n.c.nominee_name, u.c.name)
        .select_from(d.join(u, u.c.id == d.c.unit_id).outerjoin(n, n.c.id == d.c.id))
        .order_by(d.c.id)
    )
    if missing_only:
        query = query.where(d.c.unit_sort.is_(None))
    rows = connection.execute(query).all()
    for start in range(0, len(rows), 1000):
        connection.execute(
            update(d).where(d.c.id == bindparam("dossier_id")),
            [
                {
                    "dossier_id": row.id,
                    "name_sort": (
                        person_sort_bytes(row.nominee_name)
                        if row.kind == "nomination"
                        else person_sort_bytes(row.name)
                        if row.kind == "report"
                        else None
                    ),
                    "unit_sort": vi_sort_bytes(row.name),
                }
                for row in rows[start : start + 1000]
            ],
        )
    return len(rows)
