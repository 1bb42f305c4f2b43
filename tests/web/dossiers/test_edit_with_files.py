"""The edit page is one form: files chosen under "Tải thêm tệp minh chứng" are attached by
"Lưu thay đổi" with the content, or the save is refused naming the file, with what was typed
and the good files kept."""

from __future__ import annotations

import io
import re

from models import Attachment, Dossier
from tests.fixtures.dossiers import attachment_ids, page, setup_dossier, snapshot
from tests.fixtures.people import PDF
from tests.fixtures.web import app_db, csrf_from


def _edit_form(html: str) -> str:
    return re.search(
        r'<form method="post" enctype="multipart/form-data"[^>]*>.*?</form>', html, re.S
    ).group(0)


def _post(client, dossier_id: int, html: str, **fields):
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    data = {
        "csrf_token": csrf_from(html),
        "version": version,
        "title": "Kế hoạch thi đua năm học 2026–2027",
        "campaign_id": re.search(r'<option selected value="(\d+)"', html).group(1),
        "document_number": "12/KH-THPT",
        "summary": "Mục tiêu, chỉ tiêu thi đua, biện pháp.",
        **fields,
    }
    return client.post(
        f"/dossiers/{dossier_id}/edit", data=data, content_type="multipart/form-data"
    )


def _titles_and_files(app, dossier_id: int) -> tuple[str, list[str]]:
    with app_db(app) as session:
        dossier = session.get(Dossier, dossier_id)
        return dossier.title, sorted(a.original_name for a in dossier.attachments)


def test_the_file_input_is_part_of_the_save(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, "plan")
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    form = _edit_form(html)
    assert 'name="files"' in form and "Minh chứng khác" in form
    assert "Lưu thay đổi" in form
    # No second form whose file a save would drop.
    assert f'action="/dossiers/{dossier_id}/attachments"' not in html
    response = _post(
        client,
        dossier_id,
        html,
        # A document's own slot says what the file is.
        files_minutes=[(io.BytesIO(PDF), "Kế hoạch đã ký.pdf")],
    )
    assert response.status_code == 302
    assert _titles_and_files(app, dossier_id) == (
        "Kế hoạch thi đua năm học 2026–2027",
        ["Kế hoạch đã ký.pdf"],
    )
    with app_db(app) as session:
        assert session.query(Attachment.purpose).filter_by(dossier_id=dossier_id).scalar() == (
            "minutes"
        )


def test_a_bad_file_refuses_the_save_names_it_and_keeps_the_rest(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, "plan")
    before = snapshot(app, dossier_id)
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    response = _post(
        client,
        dossier_id,
        html,
        files=[(io.BytesIO(PDF), "Biên bản họp.pdf"), (io.BytesIO(b"MZ\x90\x00"), "cai-dat.exe")],
    )
    refused = response.get_data(as_text=True)
    assert response.status_code == 200
    assert snapshot(app, dossier_id) == before  # nothing saved, not even the title
    assert "cai-dat.exe" in refused[refused.index('role="alert"') :]
    assert 'value="Kế hoạch thi đua năm học 2026–2027"' in refused
    # The good file waits on the form: saving again attaches it with the content.
    assert "Biên bản họp.pdf" in refused and 'name="keep_pending"' in refused
    token = re.search(r'name="pending_token" value="([^"]+)"', refused).group(1)
    pending_id = re.search(r'name="keep_pending" value="([^"]+)"', refused).group(1)
    response = _post(client, dossier_id, refused, pending_token=token, keep_pending=pending_id)
    assert response.status_code == 302
    assert _titles_and_files(app, dossier_id) == (
        "Kế hoạch thi đua năm học 2026–2027",
        ["Biên bản họp.pdf"],
    )


def test_a_file_already_attached_refuses_the_save_naming_it(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world, "plan")
    auth.login("staff_a")
    html = page(client, f"/dossiers/{dossier_id}/edit")
    _post(client, dossier_id, html, files=[(io.BytesIO(PDF), "Bản gốc.pdf")])
    assert len(attachment_ids(app, dossier_id)) == 1
    html = page(client, f"/dossiers/{dossier_id}/edit")
    response = _post(
        client,
        dossier_id,
        html,
        title="Tiêu đề mới chưa được lưu",
        files=[(io.BytesIO(PDF), "Bản sao.pdf")],
    )
    refused = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "“Bản sao.pdf”" in refused and "Bản gốc.pdf" in refused
    assert 'value="Tiêu đề mới chưa được lưu"' in refused
    with app_db(app) as session:
        assert session.get(Dossier, dossier_id).title != "Tiêu đề mới chưa được lưu"
        assert session.query(Attachment).filter_by(dossier_id=dossier_id).count() == 1
