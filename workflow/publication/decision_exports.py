"""A decision's rows with their award money, for the finance office: XLSX and CSV.

One row per person or collective in the annex's order, numbered 1..n through the whole list
(a spreadsheet is sorted and filtered: its STT must not repeat), then the total. The columns are
Vietnamese whatever the reader's language: the file goes to the Department's accountant. Every
cell goes through ``workflow.documents.cells``: a name that starts like a formula stays text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from models.decisions import Decision
from workflow.documents import cells
from workflow.publication.money import Annex

HEADER = (
    "STT",
    "Danh hiệu, hình thức khen thưởng",
    "Họ và tên / Tên tập thể",
    "Đơn vị",
    "Chức vụ",
    "Hệ số",
    "Lương cơ sở (đồng)",
    "Số tiền (đồng)",
)
TOTAL = "Tổng cộng"
WIDTHS = (6, 34, 30, 40, 24, 8, 18, 16)
MONEY_FORMAT = "#,##0"


def rows(annex: Annex) -> Iterator[list[Any]]:
    """The header, one row per person or collective, then the total (numbers as numbers)."""
    yield list(HEADER)
    for number, line in enumerate(annex.lines, start=1):
        money = line.money
        yield [
            number,
            line.award_vi,
            line.name,
            line.unit,
            line.position,
            money.multiple,
            money.base_salary,
            money.amount,
        ]
    yield ["", TOTAL, "", "", "", "", "", annex.total]


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else value


def decision_csv(annex: Annex) -> bytes:
    """The rows as CSV, UTF-8 with a BOM so that Excel opens the Vietnamese correctly."""
    out = io.StringIO()
    writer = cells.CsvWriter(out)
    for values in rows(annex):
        writer.writerow([_csv_value(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def decision_xlsx(decision: Decision, annex: Annex) -> bytes:
    """The rows as one sheet: money as numbers with thousands separators, the total in bold."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tiền thưởng")
    for column, width in zip("ABCDEFGH", WIDTHS):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    table = list(rows(annex))
    for index, values in enumerate(table):
        heading = index in (0, len(table) - 1)
        line = []
        for column, value in enumerate(values):
            cell = WriteOnlyCell(sheet, value=cells.cell(_xlsx_value(value)))
            if heading:
                cell.font = bold
            if column >= 6 and index:
                cell.number_format = MONEY_FORMAT
            line.append(cell)
        sheet.append(line)
    book.properties.title = f"Tiền thưởng theo Quyết định số {decision.number}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    # A multiple such as 0.3 is exact as a Decimal and stored as the number 0.3.
    return None if value in ("", None) else value
