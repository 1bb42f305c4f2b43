"""The one cell writer every spreadsheet export goes through."""

import io
import re

import pytest

from tests.fixtures import ROOT
from workflow.documents import cells


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(start):
    assert cells.cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "value",
    [0, -3, 12.5, "", None, "-12.5", "+84", "42", "Trần Phú", "Giáo viên = giỏi", "'=1+1"],
)
def test_numbers_empty_cells_and_plain_text_are_left_alone(value):
    assert cells.cell(value) == value
    assert type(cells.cell(value)) is type(value)


def test_csv_writer_neutralises_every_cell():
    out = io.StringIO()
    cells.CsvWriter(out).writerow(['=HYPERLINK("http://x","Bấm xem")', "=1+1", 7, None])
    assert out.getvalue() == '"\'=HYPERLINK(""http://x"",""Bấm xem"")",\'=1+1,7,\r\n'


def _sources() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for package in ("workflow", "web")
        for path in sorted((ROOT / package).rglob("*.py"))
    ]


def test_no_export_writes_a_csv_or_xlsx_around_the_cell_writer():
    """A new exporter must write through ``cells``: no raw csv writer, and every module that
    builds a workbook passes its values through ``cells.cell``."""
    raw_csv = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    for name, source in _sources():
        if name == "workflow/documents/cells.py":
            continue
        assert not raw_csv.search(source), f"{name} writes CSV around workflow.documents.cells"
        # Reading a workbook (load_workbook) writes no cell; building one (Workbook()) does.
        if re.search(r"^\s*(from|import) openpyxl", source, re.M) and "Workbook(" in source:
            assert "cells.cell(" in source, f"{name} writes XLSX around workflow.documents.cells"
