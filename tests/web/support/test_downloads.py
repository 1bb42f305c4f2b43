"""A downloaded file keeps its Vietnamese name, and the ASCII fallback keeps every letter."""

from __future__ import annotations

from urllib.parse import unquote

from models.text import without_diacritics
from web.support.downloads import disposition


def test_the_ascii_name_keeps_d_and_the_utf8_name_is_whole():
    header = disposition("05-QĐ-SGDĐT.docx")
    assert 'filename="05-QD-SGDDT.docx"' in header
    utf8 = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(utf8) == "05-QĐ-SGDĐT.docx"


def test_a_quote_in_a_name_cannot_end_the_ascii_name():
    header = disposition('Tờ trình "khen thưởng".pdf')
    assert 'filename="To trinh khen thuong.pdf"' in header


def test_without_diacritics_keeps_case_and_every_letter():
    assert without_diacritics("Đặng Văn Ước, đội tuyển") == "Dang Van Uoc, doi tuyen"
