"""Too large an upload never loses the form: the dossier forms are drawn again with the limits
(per file and per submission, from the configuration) and everything typed; past what the server
reads at all, the 413 page says what happened and how to go back."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from models import Dossier
from tests.fixtures.dossiers import (
    chosen,
    nomination_fields,
    page,
    post_with_token,
    setup_dossier,
    snapshot,
)
from tests.fixtures.people import PDF
from tests.fixtures.web import app_db, csrf_from

MB = 1024 * 1024


def _count(app) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(Dossier))


def _pdf(size: int) -> io.BytesIO:
    return io.BytesIO(PDF + b"0" * (size - len(PDF)))


def test_a_30_mb_file_draws_the_form_again_with_the_limits(app, client, app_world, auth):
    """The issue's case, with the shipped limits: 10 MB a file, 25 MB a submission."""
    assert (app.config["MAX_UPLOAD_BYTES"], app.config["MAX_REQUEST_BYTES"]) == (10 * MB, 25 * MB)
    auth.login("staff_a")
    form = page(client, "/dossiers/new/nomination")
    assert "tối đa 10 MB mỗi tệp, 25 MB mỗi lần gửi" in form
    assert f'data-max-bytes="{10 * MB}"' in form and f'data-max-request-bytes="{25 * MB}"' in form
    fields = nomination_fields(app_world, files=[(_pdf(30 * MB), "Bằng khen scan.pdf")])
    response = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", fields
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(app) == 0
    assert (
        "Tệp “Bằng khen scan.pdf” (30 MB) quá lớn: tối đa 10 MB mỗi tệp, 25 MB mỗi lần gửi." in html
    )
    assert 'value="Đề nghị Lao động tiên tiến"' in html
    assert chosen(html, app_world.people["teacher_a"])
    assert "Giáo viên dạy giỏi cấp thành phố năm học 2025–2026." in html


def test_files_over_the_submission_limit_are_named_and_the_rest_kept(app, client, app_world, auth):
    app.config.update(MAX_UPLOAD_BYTES=1 * MB, MAX_REQUEST_BYTES=2 * MB)
    auth.login("staff_a")
    files = [
        (_pdf(900 * 1024), "Một.pdf"),
        (_pdf(900 * 1024), "Hai.pdf"),
        (_pdf(900 * 1024), "Ba.pdf"),
    ]
    fields = nomination_fields(app_world, files=files)
    html = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", fields
    ).get_data(as_text=True)
    assert _count(app) == 0
    assert "Tệp “Ba.pdf” chưa được nhận" in html and "tối đa 1 MB mỗi tệp, 2 MB mỗi lần gửi" in html
    waiting = re.findall(r'name="keep_pending" value="[^"]+"[^>]*>\s*([^<]+?)\s*<', html)
    assert sorted(w.strip() for w in waiting) == ["Hai.pdf", "Một.pdf"]


def test_the_edit_form_is_drawn_again_too(app, client, app_world, auth):
    app.config.update(MAX_UPLOAD_BYTES=1 * MB)
    dossier_id = setup_dossier(app, app_world, "plan")
    before = snapshot(app, dossier_id)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    response = client.post(
        f"/dossiers/{dossier_id}/edit",
        content_type="multipart/form-data",
        data={
            "csrf_token": csrf_from(html),
            "version": re.search(r'name="version"[^>]*value="(\d+)"', html).group(1),
            "title": "Tiêu đề đã sửa",
            "campaign_id": str(app_world.campaign.id),
            "document_number": "12/KH-THPT",
            "summary": "Nội dung đã sửa",
            "files": [(_pdf(3 * MB), "Lớn.pdf")],
        },
    )
    refused = response.get_data(as_text=True)
    assert response.status_code == 200 and snapshot(app, dossier_id) == before
    assert "Tệp “Lớn.pdf” (3 MB) quá lớn: tối đa 1 MB mỗi tệp" in refused
    assert 'value="Tiêu đề đã sửa"' in refused


def test_past_what_is_read_at_all_the_413_page_says_how_to_go_back(app, client, app_world, auth):
    app.config.update(MAX_UPLOAD_BYTES=1 * MB, MAX_REQUEST_BYTES=2 * MB, MAX_CONTENT_LENGTH=4 * MB)
    auth.login("staff_a")
    fields = nomination_fields(app_world, files=[(_pdf(5 * MB), "Rất lớn.pdf")])
    response = post_with_token(
        client, "/dossiers/new/nomination", "/dossiers/new/nomination", fields
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and _count(app) == 0
    assert "vượt quá giới hạn: tối đa 1 MB mỗi tệp, 2 MB mỗi lần gửi. Chưa có gì được lưu." in html
    assert "Hãy bấm “Quay lại” của trình duyệt" in html and "data-history-back" in html


def test_other_uploads_over_the_submission_limit_are_refused_before_reading(
    app, client, app_world, auth
):
    app.config.update(MAX_UPLOAD_BYTES=1 * MB, MAX_REQUEST_BYTES=2 * MB)
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}")
    response = client.post(
        f"/dossiers/{dossier_id}/attachments",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_from(html), "files": [(_pdf(3 * MB), "to.pdf")]},
    )
    assert response.status_code == 413
    assert "tối đa 1 MB mỗi tệp, 2 MB mỗi lần gửi" in response.get_data(as_text=True)
    assert snapshot(app, dossier_id)[3] == 1
