"""Editing content and evidence: only in draft/returned, only by the owning unit, audited."""

from __future__ import annotations

import io
import json
import struct
import unicodedata
import zipfile
import zlib

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from models import Attachment
from tests.fixtures.people import NOW, PDF, make_dossier
from tests.fixtures.snapshots import assert_refused, new_events, snapshot
from workflow import EditRefused, NotFound, StaleVersion
from workflow.dossiers import content as dossiers
from workflow.dossiers import evidence

EDIT_ERRORS = (EditRefused, NotFound, StaleVersion)


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo thành tích của cô Trần Thị Phú")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Họ tên", "Danh hiệu"])
    book.active.append(["Đặng Văn Ánh", "Lao động tiên tiến"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải tài liệu Word")
    return out.getvalue()


OOXML = "application/vnd.openxmlformats-officedocument."
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)


# --- editing -----------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.parametrize(
    "state,actor,role", [("draft", "staff_a", "unit_staff"), ("returned", "head_a", "unit_head")]
)
def test_edit_in_editable_states_is_audited_with_a_diff(session, world, state, actor, role):
    dossier = make_dossier(session, world, state=state)
    before = snapshot(session, dossier.id)
    event = dossiers.edit(
        session,
        dossier.id,
        world.actor(actor),
        {
            "nominee_name": "Đặng Thị Ánh",
            "achievements": "Giáo viên dạy giỏi cấp thành phố.",
            "direct_worker": "on",
        },
        expected_version=before.version,
        now=NOW,
    )
    assert (event.action, event.from_state, event.to_state, event.actor_role) == (
        "edit",
        state,
        state,
        role,
    )
    assert json.loads(event.changes) == {
        "nominee_name": ["Trần Phú", "Đặng Thị Ánh"],
        "direct_worker": [False, True],
    }
    after = snapshot(session, dossier.id)
    assert (after.state, after.version, after.events) == (
        state,
        before.version + 1,
        before.events + 1,
    )
    assert dossier.nominee_name == "Đặng Thị Ánh" and "dang thi anh" in dossier.search_key


@pytest.mark.db
def test_edit_moves_the_version_by_exactly_one(session, world):
    """Even when the lookups behind the edit go to the database (nothing loaded yet)."""
    dossier_id = make_dossier(session, world).id
    session.expunge_all()
    before = snapshot(session, dossier_id)
    dossiers.edit(
        session,
        dossier_id,
        world.actor("staff_a"),
        {"title": "Tiêu đề mới", "position": "Tổ trưởng"},
        now=NOW,
    )
    assert snapshot(session, dossier_id)[1:3] == (before.version + 1, before.events + 1)


@pytest.mark.db
def test_edit_without_change_writes_nothing(session, world):
    dossier = make_dossier(session, world)
    before = snapshot(session, dossier.id)
    assert (
        dossiers.edit(
            session, dossier.id, world.actor("staff_a"), {"nominee_name": " Trần Phú "}, now=NOW
        )
        is None
    )
    assert snapshot(session, dossier.id) == before


@pytest.mark.db
@pytest.mark.parametrize(
    "state",
    [
        "unit_review",
        "office_review",
        "council_review",
        "approved",
        "rejected",
        "published",
        "withdrawn",
    ],
)
def test_edit_refused_outside_draft_and_returned(session, world, state):
    dossier = make_dossier(session, world, state=state)
    error = assert_refused(
        session,
        dossier.id,
        lambda: dossiers.edit(
            session, dossier.id, world.actor("head_a"), {"title": "Sửa"}, now=NOW
        ),
        "not_editable",
        EDIT_ERRORS,
    )
    assert "không được chỉnh sửa" in error.messages("vi")[0]


@pytest.mark.db
def test_edit_only_by_the_owning_unit(session, world):
    draft = make_dossier(session, world)
    for name in ("staff_b", "head_b", "reviewer"):  # a draft is not even visible to them
        assert_refused(
            session,
            draft.id,
            lambda: dossiers.edit(session, draft.id, world.actor(name), {"title": "Sửa"}, now=NOW),
            errors=(NotFound,),
        )
    returned = make_dossier(session, world, state="returned")  # the Office sees it, may not edit it
    assert_refused(
        session,
        returned.id,
        lambda: dossiers.edit(
            session, returned.id, world.actor("reviewer"), {"title": "Sửa"}, now=NOW
        ),
        "out_of_scope",
        EDIT_ERRORS,
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "fields,code",
    [
        ({"title": "Mới", "bogus": 1}, "unknown_field"),
        ({"title": "x" * 401}, "field_too_long"),
        ({"title": "Mới", "campaign_id": 10**8}, "field_required"),
        ({"title": "Mới", "nominee_kind": "nhóm"}, "field_required"),
    ],
)
def test_invalid_edit_applies_no_field(session, world, fields, code):
    dossier = make_dossier(session, world)
    assert_refused(
        session,
        dossier.id,
        lambda: dossiers.edit(session, dossier.id, world.actor("staff_a"), fields, now=NOW),
        code,
        EDIT_ERRORS,
    )
    assert dossier.title == "Hồ sơ kiểm thử"


@pytest.mark.db
def test_edit_with_a_stale_version(session, world):
    dossier = make_dossier(session, world)
    assert_refused(
        session,
        dossier.id,
        lambda: dossiers.edit(
            session,
            dossier.id,
            world.actor("staff_a"),
            {"title": "Mới"},
            expected_version=dossier.version - 1,
            now=NOW,
        ),
        "stale_version",
        EDIT_ERRORS,
    )


# --- evidence ----------------------------------------------------------------------------


def _attach(session, world, dossier, name, data, actor="staff_a", **kwargs):
    return evidence.attach(
        session, dossier.id, world.actor(actor), name, data, world.upload_dir, now=NOW, **kwargs
    )


@pytest.mark.db
@pytest.mark.parametrize(
    "name,data,mime",
    [
        ("Bằng khen Đặng Văn Ánh.pdf", PDF, "application/pdf"),
        ("Báo cáo thành tích.docx", docx_bytes(), OOXML + "wordprocessingml.document"),
        ("Danh sách đề nghị.XLSX", xlsx_bytes(), OOXML + "spreadsheetml.sheet"),
        ("Ảnh hoạt động.png", png_bytes(), "image/png"),
        ("Ảnh lễ tuyên dương.jpg", JPEG, "image/jpeg"),
    ],
)
def test_attach_accepted_types_keep_the_vietnamese_name(session, world, name, data, mime):
    dossier = make_dossier(session, world, evidence_files=0)
    before = snapshot(session, dossier.id)
    attachment = _attach(session, world, dossier, unicodedata.normalize("NFD", name), data)
    assert attachment.original_name == name  # NFC again
    assert (attachment.size, attachment.content_type) == (len(data), mime)
    path = evidence.stored_path(world.upload_dir, attachment.sha256)
    assert path.read_bytes() == data and path.name == attachment.sha256
    [event] = new_events(session, before.head[0])
    assert event.action == "attach" and json.loads(event.changes)["name"] == name
    assert snapshot(session, dossier.id).version == before.version + 1


@pytest.mark.db
def test_attach_drops_directory_parts(session, world):
    dossier = make_dossier(session, world, evidence_files=0)
    attachment = _attach(
        session, world, dossier, "C:\\Users\\cán bộ\\..\\Quyết định khen thưởng.pdf", PDF
    )
    assert attachment.original_name == "Quyết định khen thưởng.pdf"


@pytest.mark.db
@pytest.mark.parametrize(
    "name,data,code",
    [
        ("Minh chứng.pdf", "Đây là văn bản, không phải PDF".encode(), "file_type_refused"),
        ("Minh chứng.pdf", png_bytes(), "file_type_refused"),
        ("Báo cáo.docx", plain_zip(), "file_type_refused"),
        ("Báo cáo.docx", xlsx_bytes(), "file_type_refused"),
        ("Danh sách.xlsx", docx_bytes(), "file_type_refused"),
        ("Danh sách.xlsx", b"PK\x03\x04 not really a zip", "file_type_refused"),
        ("chay.exe", b"MZ\x90\x00" + b"\x00" * 60, "file_type_refused"),
        ("khong-duoi", PDF, "file_type_refused"),
        ("Rỗng.pdf", b"", "file_empty"),
    ],
)
def test_attach_refuses_bad_files(session, world, name, data, code):
    dossier = make_dossier(session, world, evidence_files=0)
    error = assert_refused(
        session, dossier.id, lambda: _attach(session, world, dossier, name, data), code, EDIT_ERRORS
    )
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not world.upload_dir.exists() or not any(world.upload_dir.rglob("*"))
    if code == "file_type_refused":
        assert "Chỉ nhận PDF, DOCX, XLSX, JPG, PNG" in error.messages("vi")[0]


@pytest.mark.db
def test_attach_size_and_count_limits(session, world):
    dossier = make_dossier(session, world, evidence_files=0)
    big = PDF + b"0" * 2048
    assert_refused(
        session,
        dossier.id,
        lambda: _attach(session, world, dossier, "Lớn.pdf", big, max_bytes=1024),
        "file_too_large",
        EDIT_ERRORS,
    )
    _attach(session, world, dossier, "Một.pdf", PDF, max_files=1)
    assert_refused(
        session,
        dossier.id,
        lambda: _attach(session, world, dossier, "Hai.pdf", PDF + b"2", max_files=1),
        "too_many_files",
        EDIT_ERRORS,
    )


@pytest.mark.db
def test_the_same_file_twice_is_one_attachment(session, world):
    """Sending a form again after a validation error must not store a second copy."""
    dossier = make_dossier(session, world, evidence_files=0)
    _attach(session, world, dossier, "Báo cáo thành tích.pdf", PDF)
    error = assert_refused(
        session,
        dossier.id,
        lambda: _attach(session, world, dossier, "bao-cao-lan-2.pdf", PDF),
        "already_attached",
        EDIT_ERRORS,
    )
    assert "“Báo cáo thành tích.pdf”" in error.messages("vi")[0]
    assert session.scalar(select(func.count()).select_from(Attachment)) == 1
    other = make_dossier(session, world, evidence_files=0)
    _attach(session, world, other, "Báo cáo thành tích.pdf", PDF)  # another dossier may


@pytest.mark.db
def test_attach_only_when_editable_and_by_the_unit(session, world):
    sent = make_dossier(session, world, state="unit_review")
    assert_refused(
        session,
        sent.id,
        lambda: _attach(session, world, sent, "Thêm.pdf", PDF),
        "not_editable",
        EDIT_ERRORS,
    )
    draft = make_dossier(session, world)
    assert_refused(
        session,
        draft.id,
        lambda: _attach(session, world, draft, "Thêm.pdf", PDF, actor="staff_b"),
        errors=(NotFound,),
    )


@pytest.mark.db
def test_detach(session, world):
    dossier = make_dossier(session, world, evidence_files=2)
    first = dossier.attachments[0]
    path = evidence.stored_path(world.upload_dir, first.sha256)
    assert_refused(
        session,
        dossier.id,
        lambda: evidence.detach(session, first.id, world.actor("staff_b"), now=NOW),
        errors=(NotFound,),
    )
    before = snapshot(session, dossier.id)
    evidence.detach(session, first.id, world.actor("head_a"), now=NOW)
    [event] = new_events(session, before.head[0])
    assert (event.action, event.actor_role) == ("detach", "unit_head")
    assert json.loads(event.changes)["name"] == "Minh chứng 1.pdf"
    assert (
        session.get(Attachment, first.id) is None and path.exists()
    )  # the bytes stay for the record
    assert snapshot(session, dossier.id).version == before.version + 1
    with pytest.raises(NotFound):
        evidence.detach(session, 10**8, world.actor("staff_a"), now=NOW)


@pytest.mark.db
def test_detach_refused_once_sent(session, world):
    dossier = make_dossier(session, world, state="office_review")
    attachment_id = dossier.attachments[0].id
    assert_refused(
        session,
        dossier.id,
        lambda: evidence.detach(session, attachment_id, world.actor("head_a"), now=NOW),
        "not_editable",
        EDIT_ERRORS,
    )
    assert session.get(Attachment, attachment_id) is not None


@pytest.mark.db
def test_load_attachment_follows_visibility(session, world):
    draft = make_dossier(session, world)
    attachment_id = draft.attachments[0].id
    assert (
        evidence.load_attachment(session, attachment_id, world.actor("staff_a")).id == attachment_id
    )
    for name in ("staff_b", "reviewer"):
        with pytest.raises(NotFound):
            evidence.load_attachment(session, attachment_id, world.actor(name))
    sent = make_dossier(session, world, state="office_review")
    assert evidence.load_attachment(session, sent.attachments[0].id, world.actor("reviewer"))
