"""The public list of issued decisions and each decision's file, linked from its outcomes."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from models import AwardRule, Dossier
from tests.fixtures.money import add_bonus, approved
from tests.fixtures.people import NOW, make_council_session
from tests.fixtures.web import app_db
from workflow.documents import docx as documents
from workflow.publication import decisions


def _decision(app, world, number, issue=True):
    """A decision of one approved nomination, issued unless ``issue`` is False."""
    with app_db(app) as session:
        council = make_council_session(session, world)
        if not session.scalar(select(AwardRule.id).where(AwardRule.kind == "bonus")):
            add_bonus(session, world, "ldtt", "0.3", "individual")
        dossier = approved(session, world, council, "Trần Phú", position="Giáo viên Toán")
        made = decisions.create(
            session,
            world.actor("secretary"),
            number=number,
            decided_on=dt.date(2026, 12, 5),
            signer="Nguyễn Văn Giám",
            title="Về việc khen thưởng năm 2026",
            legal_bases="\n".join(decisions.DEFAULT_BASES),
            dossier_ids=[dossier.id],
            now=NOW,
        )
        if issue:
            decisions.issue(session, made.id, world.actor("secretary"), now=NOW)
        return made.id, dossier.id


def test_an_issued_decision_is_listed_and_downloadable_by_anyone(app, client, app_world):
    decision_id, dossier_id = _decision(app, app_world, "05/QĐ-SGDĐT")
    listing = client.get("/public/decisions").get_data(as_text=True)
    assert "05/QĐ-SGDĐT" in listing and f'data-decision="{decision_id}"' in listing
    outcome = client.get(f"/public/outcomes/{dossier_id}").get_data(as_text=True)
    assert f"/public/decisions/{decision_id}.docx" in outcome
    response = client.get(f"/public/decisions/{decision_id}.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("05/QĐ-SGDĐT" in c for c in cells) and "Trần Phú" in cells
    # The annex, with the money: Lao động tiên tiến, 0,3 × 2.340.000 rounded up.
    assert "PHỤ LỤC" in [p.text for p in doc.paragraphs]
    annex = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert ["1", "Trần Phú", "Giáo viên Toán", app_world.units["a"].name, "710.000"] in annex
    assert annex[-1][-2:] == ["Tổng cộng", "710.000"]


def test_a_draft_decision_is_neither_listed_nor_downloadable(app, client, app_world):
    decision_id, dossier_id = _decision(app, app_world, "06/QĐ-SGDĐT", issue=False)
    assert "06/QĐ-SGDĐT" not in client.get("/public/decisions").get_data(as_text=True)
    assert client.get(f"/public/decisions/{decision_id}.docx").status_code == 404
    assert client.get("/public/decisions/2000000000.docx").status_code == 404
    with app_db(app) as session:
        assert session.get(Dossier, dossier_id).decision_number is None


# --- the decision as PDF ------------------------------------------------------------------


def test_the_pdf_is_made_once_per_issued_decision(app, client, app_world, monkeypatch):
    made = []

    def fake_pdf(docx: bytes, timeout: int = 120) -> bytes:
        made.append(docx)
        return b"%PDF-1.7 quyet dinh"

    monkeypatch.setattr(documents, "pdf_converter", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(documents, "to_pdf", fake_pdf)
    decision_id, dossier_id = _decision(app, app_world, "07/QĐ-SGDĐT")
    listing = client.get("/public/decisions").get_data(as_text=True)
    assert f"/public/decisions/{decision_id}.pdf" in listing
    outcome = client.get(f"/public/outcomes/{dossier_id}").get_data(as_text=True)
    assert f"/public/decisions/{decision_id}.pdf" in outcome
    for _ in range(2):
        response = client.get(f"/public/decisions/{decision_id}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data == b"%PDF-1.7 quyet dinh"
        assert "07-Q%C4%90-SGD%C4%90T.pdf" in response.headers["Content-Disposition"]
    assert len(made) == 1
    assert (Path(app.config["UPLOAD_DIR"]) / "decisions" / f"{decision_id}.pdf").is_file()


def test_no_pdf_of_a_draft(app, client, app_world):
    draft_id, _ = _decision(app, app_world, "08/QĐ-SGDĐT", issue=False)
    assert client.get(f"/public/decisions/{draft_id}.pdf").status_code == 404
    assert client.get("/public/decisions/2000000000.pdf").status_code == 404


def test_without_libreoffice_no_pdf_is_offered_and_the_docx_is_pointed_to(
    app, client, app_world, monkeypatch
):
    monkeypatch.setattr(documents, "pdf_converter", lambda: None)
    issued_id, _ = _decision(app, app_world, "09/QĐ-SGDĐT")
    listing = client.get("/public/decisions").get_data(as_text=True)
    assert f"/public/decisions/{issued_id}.docx" in listing
    assert f"/public/decisions/{issued_id}.pdf" not in listing
    response = client.get(f"/public/decisions/{issued_id}.pdf")
    assert response.status_code == 409
    assert "vui lòng tải bản DOCX" in response.get_data(as_text=True)


@pytest.mark.skipif(documents.pdf_converter() is None, reason="LibreOffice is not installed")
def test_the_public_decision_pdf_with_libreoffice(app, client, app_world):
    decision_id, _ = _decision(app, app_world, "10/QĐ-SGDĐT")
    response = client.get(f"/public/decisions/{decision_id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
