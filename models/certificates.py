"""Where the text of a certificate goes on a pre-printed blank (phôi giấy khen), per award and
per unit: units buy blanks from different printers, so one award may need one layout per unit.

``unit_id`` None is the award's layout for every unit without its own. ``positions`` is a JSON
object, field name → {"x", "y", "width", "size"} in millimetres from the top-left corner of the
sheet (what a ruler on the printed calibration page measures) and points for the type size;
``workflow.publication.certificates`` names the fields and checks the values.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.clock import utcnow


class CertificateLayout(Base):
    """The positions of a certificate's fields on one award's blank, for a unit or for all."""

    __tablename__ = "certificate_layout"
    __table_args__ = (UniqueConstraint("award_type_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(
        ForeignKey("award_type.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    positions: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
