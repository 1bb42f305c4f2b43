"""Reading an uploaded table, XLSX or CSV, row by row (no Flask).

A sheet is streamed (openpyxl's read-only mode), so a sheet far over the limit is refused without
holding it in memory. What cannot be read faithfully is refused with the cell or range named:
a formula (its cached value may be stale or missing), merged cells (the value sits in one cell
of the range only), a password-protected or broken file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from models.text import nfc
from workflow.core.errors import WorkflowError
from workflow.core.messages import Messages

# A staff list of the whole city comes in parts (by kind of school or by locality): the largest
# part, all the lower-secondary schools, holds about 15,000 people. 30,000 leaves room and keeps
# one import within what a browser waits for (about 30 s at the measured speed).
MAX_ROWS = 30_000

FILE_MESSAGES = Messages(
    {
        "file_empty": ("Tệp trống, không có dòng dữ liệu nào.", "The file is empty: no data rows."),
        "file_kind": (
            "Tệp “{name}” không phải bảng tính XLSX hoặc tệp CSV (UTF-8).",
            "“{name}” is not an XLSX workbook or a CSV file (UTF-8).",
        ),
        "file_locked": (
            "Không đọc được tệp: tệp được đặt mật khẩu hoặc bị hỏng. Hãy bỏ mật khẩu, lưu lại "
            "dạng .xlsx rồi tải lên lại.",
            "The file cannot be read: it is password-protected or damaged. Remove the password, "
            "save it as .xlsx and upload it again.",
        ),
        "file_encoding": (
            "Tệp CSV không ở bảng mã UTF-8. Hãy lưu lại với “CSV UTF-8”.",
            "The CSV file is not UTF-8. Save it again as “CSV UTF-8”.",
        ),
        "file_formula": (
            "Ô {cell} chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức.",
            "Cell {cell} holds a formula; paste its value instead.",
        ),
        "file_merged": (
            "Vùng {range} là ô gộp; hãy bỏ gộp ô và điền giá trị vào từng ô.",
            "The range {range} is merged; unmerge it and fill in every cell.",
        ),
        "file_too_long": (
            "Tệp có hơn {limit} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.",
            "The file has more than {limit} data rows; split it into smaller files.",
        ),
    }
)


class UnreadableFile(WorkflowError):
    """The file as a whole cannot be imported (nothing about its rows is known)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__([FILE_MESSAGES.violation(code, params)])


@dataclass(frozen=True)
class Table:
    """The header and the non-empty rows of a sheet: (row number in the sheet, cell values).
    Values are NFC text, numbers, dates or None."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_table(data: bytes, name: str = "", limit: int = MAX_ROWS) -> Table:
    """The first sheet of an XLSX workbook, or a CSV file (UTF-8, with or without BOM)."""
    if not data.strip():
        raise UnreadableFile("file_empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: an encrypted XLSX or an old .xls
        raise UnreadableFile("file_locked")
    if data.startswith(b"PK"):
        return _collect(_xlsx_rows(data), limit)
    if b"\x00" in data[:4096]:
        raise UnreadableFile("file_kind", name=name)
    return _collect(_csv_rows(data), limit)


def _collect(rows: Iterator[tuple[int, list[Any]]], limit: int) -> Table:
    header: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        if all(v is None or v == "" for v in values):
            continue
        if header is None:
            header = [nfc(str(v)) if v is not None else "" for v in values]
            continue
        if len(body) >= limit:
            raise UnreadableFile("file_too_long", limit=f"{limit:,}".replace(",", "."))
        body.append((number, values))
    if header is None or not body:
        raise UnreadableFile("file_empty")
    return Table(header, body)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value) or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("file_encoding") from None
    first = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale saves CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        yield number, [_clean(v) for v in values]


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet = _first_sheet_path(archive)
        _refuse_merged(archive, sheet)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except UnreadableFile:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds on a damaged file
        raise UnreadableFile("file_locked") from None
    try:
        worksheet = book.worksheets[0]
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            values = []
            for index, cell in enumerate(cells, start=1):
                if getattr(cell, "data_type", None) == "f":
                    raise UnreadableFile("file_formula", cell=f"{get_column_letter(index)}{number}")
                values.append(_clean(cell.value))
            yield number, values
    finally:
        book.close()


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = book.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    wanted = first.get(f"{_NS_REL}id") if first is not None else None
    for rel in rels.iter(f"{_NS_PKG}Relationship"):
        if rel.get("Id") == wanted:
            target = rel.get("Target", "").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise UnreadableFile("file_locked")


def _refuse_merged(archive: zipfile.ZipFile, path: str) -> None:
    """Merged ranges are listed after the rows: scan the sheet's XML in chunks for them."""
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            found = _MERGE.search(tail + chunk)
            if found:
                raise UnreadableFile("file_merged", range=found.group(1).decode())
            tail = chunk[-200:]
