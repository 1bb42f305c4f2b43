"""The template of each register import file, XLSX or CSV: Vietnamese headers and an example
row; the workbook has a second sheet that explains every column and its allowed values."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from workflow.documents import cells
from workflow.people.columns import BASIS_LABELS, COLUMNS, TEMPLATE_TITLES
from workflow.people.labels import DISCIPLINE_LABELS, GENDER_LABELS, RATING_LABELS

EXAMPLES = {
    "people": {
        "full_name": "Nguyễn Thị Thu Hương",
        "gender": "Nữ",
        "date_of_birth": "05/09/1985",
        "identity_number": "031185001234",
        "position": "Giáo viên",
        "group": "Tổ Toán – Tin",
        "phone": "0912345678",
        "email": "huong.ntt@example.vn",
    },
    "evaluations": {
        "year": "2024",
        "full_name": "Nguyễn Thị Thu Hương",
        "date_of_birth": "05/09/1985",
        "identity_number": "031185001234",
        "rating": RATING_LABELS["excellent"][0],
    },
    "history": {
        "year": "2024",
        "award": "Lao động tiên tiến",
        "full_name": "Nguyễn Thị Thu Hương",
        "date_of_birth": "05/09/1985",
        "identity_number": "031185001234",
        "decision_number": "1250/QĐ-SGDĐT",
        "decision_date": "15/08/2024",
        "issuer": "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
    },
    "proposal": {
        "full_name": "Nguyễn Thị Thu Hương",
        "award": "Lao động tiên tiến",
        "achievements": "Hoàn thành tốt nhiệm vụ; giáo viên dạy giỏi cấp trường.",
        "date_of_birth": "05/09/1985",
        "identity_number": "031185001234",
    },
}
ALLOWED = {
    "gender": GENDER_LABELS,
    "rating": RATING_LABELS,
    "discipline": DISCIPLINE_LABELS,
    "basis": BASIS_LABELS,
}
ID_COLUMN_FORMAT = "@"  # text: a 12-digit ID keeps its leading zero


def _row(values: list) -> list:
    return [cells.cell(value) for value in values]


def headers(kind: str) -> list[str]:
    return [c.vi for c in COLUMNS[kind]]


def example(kind: str) -> list[str]:
    return [EXAMPLES[kind].get(c.key, "") for c in COLUMNS[kind]]


def template_csv(kind: str) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Vietnamese headers correctly."""
    stream = io.StringIO()
    writer = cells.CsvWriter(stream)
    writer.writerow(headers(kind))
    writer.writerow(example(kind))
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Dữ liệu"
    sheet.append(_row(headers(kind)))
    sheet.append(_row(example(kind)))
    for index, column in enumerate(COLUMNS[kind], start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.vi) + 4)
        if column.key in ("identity_number", "date_of_birth", "phone") or "date" in column.key:
            for row in range(2, 3):
                sheet.cell(row=row, column=index).number_format = ID_COLUMN_FORMAT
    _explain(book, kind)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _explain(book: Workbook, kind: str) -> None:
    sheet = book.create_sheet("Hướng dẫn")
    sheet.append(_row([TEMPLATE_TITLES[kind][0]]))
    sheet.append(_row(["Cột", "Bắt buộc", "Giải thích", "Giá trị được chấp nhận"]))
    for column in COLUMNS[kind]:
        allowed = "; ".join(vi for vi, _ in ALLOWED.get(column.key, {}).values())
        sheet.append(
            _row([column.vi, "Có" if column.required else "", column.hint_vi or column.en, allowed])
        )
    sheet.append([])
    sheet.append(
        _row(
            [
                "Chỉ nhập trên trang “Dữ liệu”: không dùng công thức, không gộp ô. Ngày ghi dạng "
                "dd/mm/yyyy. Nhập lại cùng một tệp không tạo thêm gì."
            ]
        )
    )
    for letter, width in zip("ABCD", (32, 10, 70, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet["A1"].font = Font(bold=True)
