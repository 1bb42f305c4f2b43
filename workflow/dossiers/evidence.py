"""Evidence files: checked by extension, size and content, stored under their SHA-256.

Original names (Vietnamese included) stay in the database; on disk a file is only its
hash, outside anything served statically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import filetype
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Attachment, Dossier
from models.clock import utcnow
from models.private_files import write_private
from workflow.awards.rules import PURPOSES
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import can_view
from workflow.core.errors import EditRefused, NotFound, Violation
from workflow.core.messages import Messages
from workflow.dossiers.content import check_editable, touch

EVIDENCE_MESSAGES = Messages(
    {
        "already_attached": (
            "Tệp “{name}” đã có trong hồ sơ (cùng nội dung với tệp “{existing}”): "
            "không lưu thêm bản thứ hai.",
            "The file “{name}” is already in the dossier (the same content as “{existing}”): "
            "no second copy is stored.",
        ),
        "file_type_refused": (
            "Tệp “{name}” không được chấp nhận. Chỉ nhận PDF, DOCX, XLSX, JPG, PNG.",
            "The file “{name}” is refused. Only PDF, DOCX, XLSX, JPG and PNG are accepted.",
        ),
        "file_too_large": (
            "Tệp “{name}” vượt quá {limit_mb} MB.",
            "The file “{name}” exceeds {limit_mb} MB.",
        ),
        "file_empty": ("Tệp “{name}” rỗng.", "The file “{name}” is empty."),
        "too_many_files": (
            "Hồ sơ đã có tối đa {limit} tệp.",
            "The dossier already has the maximum of {limit} files.",
        ),
        "unknown_purpose": (
            "Loại tài liệu không hợp lệ, vui lòng chọn lại.",
            "Not a document type: please choose again.",
        ),
    }
)

# What a file is when nothing more is said of it: "Minh chứng khác".
OTHER = "evidence"
# The files a kind of dossier always carries, besides what its award asks: a list proposal's
# letter and the minutes of the unit's award meeting (every row's evidence too).
KIND_FILES: dict[str, tuple[str, ...]] = {"proposal": ("proposal", "minutes")}

# extension: the MIME type its content must show.
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 20
_OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _content_matches(ext: str, data: bytes) -> bool:
    if ext in _OOXML_PART:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names and _OOXML_PART[ext] in names
    kind = filetype.guess(data)
    return kind is not None and kind.mime == ALLOWED[ext]


def clean_name(name: str) -> str:
    """The original name, NFC, without any directory part."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or "tep"


def check_file(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Violation]:
    """Why a file may not be attached (empty list: it may)."""
    name = clean_name(name)
    ext = _extension(name)
    if not data:
        return [EVIDENCE_MESSAGES.violation("file_empty", {"name": name})]
    if len(data) > max_bytes:
        return [
            EVIDENCE_MESSAGES.violation(
                "file_too_large", {"name": name, "limit_mb": max_bytes // (1024 * 1024)}
            )
        ]
    if ext not in ALLOWED or not _content_matches(ext, data):
        return [EVIDENCE_MESSAGES.violation("file_type_refused", {"name": name})]
    return []


def stored_path(upload_dir: Path, sha256: str) -> Path:
    """Where the file with this hash lives: ``<upload_dir>/ab/abcdef…``."""
    return Path(upload_dir) / sha256[:2] / sha256


def attach(
    session: Session,
    dossier_id: int,
    actor: Actor,
    name: str,
    data: bytes,
    upload_dir: Path,
    *,
    purpose: str = OTHER,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_files: int = DEFAULT_MAX_FILES,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Attachment:
    """Check, store and attach a file to an editable dossier; audited as "attach"."""
    now = now or utcnow()
    dossier, role = check_editable(session, dossier_id, actor, expected_version)
    problems = check_file(name, data, max_bytes)
    if purpose not in PURPOSES:
        problems.append(EVIDENCE_MESSAGES.violation("unknown_purpose"))
    count = session.scalar(
        select(func.count()).select_from(Attachment).where(Attachment.dossier_id == dossier.id)
    )
    if count >= max_files:
        problems.append(EVIDENCE_MESSAGES.violation("too_many_files", {"limit": max_files}))
    digest = hashlib.sha256(data).hexdigest()
    # The dossier's row lock (check_editable) makes this check and the insert one step.
    existing = session.scalar(
        select(Attachment.original_name).where(
            Attachment.dossier_id == dossier.id, Attachment.sha256 == digest
        )
    )
    if existing is not None:
        problems.append(
            EVIDENCE_MESSAGES.violation(
                "already_attached", {"name": clean_name(name), "existing": existing}
            )
        )
    if problems:
        raise EditRefused(problems)
    path = stored_path(upload_dir, digest)
    if not path.exists():
        write_private(path, data)
    name = clean_name(name)
    attachment = Attachment(
        dossier_id=dossier.id,
        sha256=digest,
        original_name=name,
        size=len(data),
        content_type=ALLOWED[_extension(name)],
        purpose=purpose,
        uploaded_by=actor.user_id,
        uploaded_at=now,
    )
    session.add(attachment)
    touch(dossier, now)
    session.flush()
    _file_event(
        session,
        dossier,
        actor,
        role,
        "attach",
        now,
        {
            "attachment_id": attachment.id,
            "name": name,
            "sha256": digest,
            "size": len(data),
            "purpose": purpose,
        },
    )
    return attachment


def detach(
    session: Session,
    attachment_id: int,
    actor: Actor,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Remove a file from an editable dossier (the stored bytes stay); audited as "detach"."""
    now = now or utcnow()
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound()
    dossier, role = check_editable(session, attachment.dossier_id, actor, expected_version)
    changes = {
        "attachment_id": attachment.id,
        "name": attachment.original_name,
        "sha256": attachment.sha256,
    }
    session.delete(attachment)
    touch(dossier, now)
    _file_event(session, dossier, actor, role, "detach", now, changes)
    session.flush()


def set_purpose(
    session: Session,
    attachment_id: int,
    actor: Actor,
    purpose: str,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> audit.AppendedEvent | None:
    """Say what a file of an editable dossier is (a "Minh chứng khác" that is in fact the
    "Báo cáo thành tích"); audited as "retype". None when it already was that."""
    now = now or utcnow()
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound()
    dossier, role = check_editable(session, attachment.dossier_id, actor, expected_version)
    if purpose not in PURPOSES:
        raise EditRefused([EVIDENCE_MESSAGES.violation("unknown_purpose")])
    old = attachment.purpose
    if old == purpose:
        return None
    attachment.purpose = purpose
    touch(dossier, now)
    event = _file_event(
        session,
        dossier,
        actor,
        role,
        "retype",
        now,
        {
            "attachment_id": attachment.id,
            "name": attachment.original_name,
            "purpose": [old, purpose],
        },
    )
    session.flush()
    return event


def _file_event(
    session: Session,
    dossier: Dossier,
    actor: Actor,
    role: Role,
    action: str,
    now: dt.datetime,
    changes: dict[str, Any],
) -> audit.AppendedEvent:
    """The audit event of a change to a dossier's files (its state stays as it is)."""
    return audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action=action,
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=dossier.unit_id,
        from_state=dossier.state,
        to_state=dossier.state,
        changes=changes,
        now=now,
    )


def load_attachment(session: Session, attachment_id: int, actor: Actor) -> Attachment:
    """An attachment of a dossier the actor may see, or NotFound."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or not can_view(actor, attachment.dossier):
        raise NotFound()
    return attachment


# What a browser may show inline, told by the file's first bytes (never by its name or the
# type given at upload): PDF and raster images only. SVG and HTML can carry script, so they
# are never among these, whatever they claim to be.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
PREVIEW_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})
SIGNATURE_BYTES = 16


def preview_type(head: bytes) -> str | None:
    """The type to show a file inline as, from its first ``SIGNATURE_BYTES`` bytes; None when
    it must not be shown inline (it is downloaded instead)."""
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def may_preview(attachment: Attachment) -> bool:
    """Whether to offer a preview: the type found at upload (checked against the content
    then); the preview itself reads the bytes again before showing anything."""
    return attachment.content_type in PREVIEW_TYPES
