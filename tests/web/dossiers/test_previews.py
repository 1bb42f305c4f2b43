"""Evidence previews: PDF and images shown in the browser to whoever may download the file,
told by their first bytes, with headers that keep any uploaded script from running."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from models import Attachment
from tests.fixtures.dossiers import page
from tests.fixtures.people import PDF, make_dossier
from tests.fixtures.web import app_db
from workflow import fire
from workflow.dossiers import evidence

pytestmark = pytest.mark.db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _dossier_with_files(app, world) -> tuple[int, dict[str, int]]:
    """A nomination under Office review with a PDF (from the fixture) and a PNG."""
    with app_db(app) as session:
        dossier = make_dossier(session, world, "nomination", "draft")
        evidence.attach(
            session, dossier.id, world.actor("staff_a"), "Ảnh bằng khen.png", PNG, world.upload_dir
        )
        ids = {a.original_name: a.id for a in dossier.attachments}
        dossier_id = dossier.id
    return dossier_id, {"pdf": ids["Minh chứng 1.pdf"], "png": ids["Ảnh bằng khen.png"]}


def _swap_content(app, attachment_id: int, data: bytes) -> None:
    """Replace a stored file's bytes behind the application's back (a tampered store)."""
    with app_db(app) as session:
        attachment = session.get(Attachment, attachment_id)
        path = evidence.stored_path(Path(app.config["UPLOAD_DIR"]), attachment.sha256)
    path.write_bytes(data)


def test_preview_types_come_from_the_bytes_not_the_name():
    assert evidence.preview_type(PDF[:16]) == "application/pdf"
    assert evidence.preview_type(PNG[:16]) == "image/png"
    assert evidence.preview_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert evidence.preview_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    for never in (SVG, b"<!DOCTYPE html><script>", b"PK\x03\x04docx", b"", b"%PD"):
        assert evidence.preview_type(never[:16]) is None


def test_the_unit_and_the_reviewer_preview_a_pdf_inline_with_safe_headers(
    app, client, app_world, auth
):
    dossier_id, ids = _dossier_with_files(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert f'href="/dossiers/attachments/{ids["pdf"]}/preview"' in html
    preview = page(client, f"/dossiers/attachments/{ids['pdf']}/preview")
    assert (
        f'<iframe class="file-preview" src="/dossiers/attachments/{ids["pdf"]}/inline"' in preview
    )
    response = client.get(f"/dossiers/attachments/{ids['pdf']}/inline")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline; ")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "script-src" not in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response.headers["Cache-Control"]
    auth.logout()
    with app_db(app) as session:
        fire(session, dossier_id, "submit", app_world.actor("staff_a"))
        fire(session, dossier_id, "unit_approve", app_world.actor("head_a"))
    auth.login("reviewer")
    assert client.get(f"/dossiers/attachments/{ids['pdf']}/inline").status_code == 200


def test_an_image_is_shown_as_an_image_in_a_sandbox(app, client, app_world, auth):
    _, ids = _dossier_with_files(app, app_world)
    auth.login("staff_a")
    preview = page(client, f"/dossiers/attachments/{ids['png']}/preview")
    assert f'<img class="file-preview" src="/dossiers/attachments/{ids["png"]}/inline"' in preview
    response = client.get(f"/dossiers/attachments/{ids['png']}/inline")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_another_unit_is_refused_and_told_nothing(app, client, app_world, auth):
    _, ids = _dossier_with_files(app, app_world)
    auth.login("staff_b")
    for url in (
        f"/dossiers/attachments/{ids['pdf']}/preview",
        f"/dossiers/attachments/{ids['pdf']}/inline",
        "/dossiers/attachments/2000000000/inline",  # no such file: the same answer
    ):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert (
            response.status_code == 404
            and "Không tìm thấy tệp, hoặc bạn không có quyền xem tệp này." in body
        )
        assert "Minh chứng 1.pdf" not in body and not response.data.startswith(b"%PDF")
    auth.logout()
    signed_out = client.get(f"/dossiers/attachments/{ids['pdf']}/inline")
    assert signed_out.status_code == 302 and "/auth/login" in signed_out.headers["Location"]


@pytest.mark.parametrize("content", [SVG, b"<!DOCTYPE html><html><script>alert(1)</script>"])
def test_script_behind_an_image_name_is_never_shown_inline(app, client, app_world, auth, content):
    _, ids = _dossier_with_files(app, app_world)
    _swap_content(app, ids["png"], content)
    auth.login("staff_a")
    response = client.get(f"/dossiers/attachments/{ids['png']}/inline")
    assert response.status_code == 415 and b"<script>alert" not in response.data
    assert response.mimetype == "text/html"  # the error page, not the file
    preview = page(client, f"/dossiers/attachments/{ids['png']}/preview")
    assert "Không xem trước được tệp này" in preview and "file-preview" not in preview


def test_a_docx_is_offered_for_download_only(app, client, app_world, auth):
    buffer = io.BytesIO()
    Document().save(buffer)
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "draft", evidence_files=0)
        staff = app_world.actor("staff_a")
        evidence.attach(
            session, dossier.id, staff, "Báo cáo.docx", buffer.getvalue(), app_world.upload_dir
        )
        dossier_id, attachment_id = dossier.id, dossier.attachments[0].id
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    assert "Báo cáo.docx" in html
    assert f"/dossiers/attachments/{attachment_id}/preview" not in html
    assert client.get(f"/dossiers/attachments/{attachment_id}/inline").status_code == 415
