"""The register's list as CSV or XLSX. The four private fields (identity number, date of birth,
phone, e-mail) are never among the columns: a file leaves the system and cannot be recalled.
Every cell goes through ``workflow.documents.cells`` (no text runs as a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Collective, Person, Unit
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from web.support.i18n import date_vn, pick
from workflow.documents import cells
from workflow.people.labels import GENDER_LABELS

BATCH = 500


def _header() -> list[str]:
    return [
        _("STT"),
        _("Họ và tên"),
        _("Giới tính"),
        _("Chức vụ"),
        _("Tổ, phòng, khối"),
        _("Đơn vị"),
        _("Ngày thêm vào sổ"),
    ]


def _rows(session: Session, ids: list[int]) -> Iterator[list]:
    """One row per person, in the order of ``ids``: only the public columns are read."""
    number = 0
    for start in range(0, len(ids), BATCH):
        chosen = ids[start : start + BATCH]
        found = session.execute(
            select(
                Person.id,
                Person.full_name,
                Person.gender,
                Person.position,
                Collective.name.label("group"),
                Unit.name.label("unit"),
                Person.created_at,
            )
            .outerjoin(Collective, Collective.id == Person.collective_id)
            .outerjoin(Unit, Unit.id == Person.unit_id)
            .where(Person.id.in_(chosen))
        ).all()
        by_id = {row.id: row for row in found}
        for person_id in chosen:
            row = by_id[person_id]
            number += 1
            gender = GENDER_LABELS.get(row.gender or "")
            yield [
                number,
                row.full_name,
                pick(*gender) if gender else "",
                row.position or "",
                row.group or "",
                row.unit or "",
                date_vn(row.created_at.date()),
            ]


def send_people(session: Session, ids: list[int], fmt: str) -> Response:
    """The people of ``ids`` as a ``fmt`` ("csv" or "xlsx") download."""
    if fmt == "csv":
        out = io.StringIO()
        writer = cells.CsvWriter(out)
        writer.writerow(_header())
        for values in _rows(session, ids):
            writer.writerow(values)
        # The BOM tells Excel the file is UTF-8, so Vietnamese letters open correctly.
        data = ("\ufeff" + out.getvalue()).encode("utf-8")
        return send_download(data, "so-ca-nhan.csv", "text/csv")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cá nhân"))
    for values in (_header(), *_rows(session, ids)):
        sheet.append([cells.cell(value) for value in values])
    out = io.BytesIO()
    book.save(out)
    return send_download(out.getvalue(), "so-ca-nhan.xlsx", XLSX_CONTENT_TYPE)
