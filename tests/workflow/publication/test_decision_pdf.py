"""An issued decision's PDF is made once, even when two people download it first at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from models.decisions import DECISION_DRAFT, DECISION_ISSUED, Decision
from workflow.core.errors import NotFound
from workflow.documents import docx as documents
from workflow.publication import decisions


@pytest.fixture()
def slow_converter(monkeypatch) -> list[bytes]:
    made: list[bytes] = []

    def convert(docx: bytes, timeout: int = 120) -> bytes:
        time.sleep(0.2)  # long enough for the second request to arrive meanwhile
        made.append(docx)
        return b"%PDF-1.7 " + docx

    monkeypatch.setattr(documents, "pdf_converter", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(documents, "to_pdf", convert)
    monkeypatch.setattr(decisions, "decision_docx", lambda session, decision: b"docx")
    return made


def test_two_first_downloads_at_once_make_one_pdf(tmp_path: Path, slow_converter):
    decision = Decision(id=7, status=DECISION_ISSUED)
    answers: list[bytes | None] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(decisions.issued_pdf(None, decision, tmp_path))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [b"%PDF-1.7 docx"] * 2 and slow_converter == [b"docx"]
    assert (tmp_path / "7.pdf").stat().st_mode & 0o777 == 0o600


def test_a_draft_has_no_pdf(tmp_path: Path, slow_converter):
    with pytest.raises(NotFound):
        decisions.issued_pdf(None, Decision(id=8, status=DECISION_DRAFT), tmp_path)
    assert slow_converter == [] and not (tmp_path / "8.pdf").exists()
