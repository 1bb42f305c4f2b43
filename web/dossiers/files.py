"""Evidence files of a dossier: upload (one or more), download and preview (in scope only),
remove, say what a file is."""

from __future__ import annotations

from pathlib import Path

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Attachment
from web.awards.views import purpose_label
from web.db import get_session
from web.dossiers import bp
from web.dossiers.common import (
    Upload,
    actor,
    attach_each,
    chosen_files,
    detail_url,
    posted_purpose,
    upload_dir,
)
from web.errors import render_error
from web.support.access import requires
from web.support.downloads import disposition, inline_disposition
from web.support.parsing import posted_version
from web.support.redirects import local_target
from web.support.refusals import commit_or_answer, flash_and_redirect
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.errors import NotFound
from workflow.dossiers import evidence
from workflow.dossiers.content import check_editable


def _attach_all(
    session: Session, dossier_id: int, who: Actor, chosen: list[Upload]
) -> tuple[list[str], list[str]]:
    """The names of the files attached, and messages about the files that were refused."""
    check_editable(session, dossier_id, who, None)  # NotFound (404) when out of scope
    return attach_each(session, dossier_id, who, chosen)


@bp.route("/<int:dossier_id>/attachments", methods=["POST"])
@requires(authz.is_signed_in)
def upload(dossier_id: int):
    session, who = get_session(), actor()
    back = local_target(request.form.get("next"), detail_url(dossier_id))
    chosen = chosen_files(request.files.getlist("files"), posted_purpose())
    # Not permitted → the 403 page; not now (wrong state) → a message on the page.
    saved, problems = commit_or_answer(
        session,
        lambda: _attach_all(session, dossier_id, who, chosen),
        flash_and_redirect(back, "warning"),
    )
    if not chosen:
        flash(_("Vui lòng chọn ít nhất một tệp để tải lên."), "warning")
        return redirect(back)
    if saved:
        flash(_("Đã đính kèm: %(names)s.", names=", ".join(f"“{n}”" for n in saved)), "success")
    for message in problems:
        flash(message, "error")
    return redirect(back)


@bp.route("/attachments/<int:attachment_id>")
@requires(authz.is_signed_in)
def download(attachment_id: int):
    session, who = get_session(), actor()
    attachment = evidence.load_attachment(session, attachment_id, who)
    path = evidence.stored_path(upload_dir(), attachment.sha256)
    if not path.is_file():
        return render_error(404, [_("Tệp không còn trên máy chủ. Vui lòng báo quản trị hệ thống.")])
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
    response.headers["Content-Disposition"] = disposition(attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# A preview's own policy: nothing it holds may run or load anything, and only this site's
# pages may frame it. Images are sandboxed too. A PDF is not: Chrome refuses to start its
# viewer in a sandboxed document; what it serves is checked to start as a PDF and is sent
# as one with nosniff, so no browser reads it as a page of this site.
_IMAGE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
_PDF_POLICY = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'"
_FRAMED_BY_SELF = "; frame-ancestors 'self'"


def _refused():
    # The same answer for a file that does not exist and one the person may not open, as for
    # every record out of a person's scope (404): nothing tells them the file exists.
    return render_error(404, [_("Không tìm thấy tệp, hoặc bạn không có quyền xem tệp này.")])


def _previewable(attachment_id: int) -> tuple[Attachment, Path | None, str | None]:
    """(attachment, its path, the type to show it as); the type is None when its bytes are not
    those of a PDF or a PNG, JPEG or WebP image. NotFound out of the person's scope."""
    attachment = evidence.load_attachment(get_session(), attachment_id, actor())
    path = evidence.stored_path(upload_dir(), attachment.sha256)
    if not path.is_file():
        return attachment, None, None
    with path.open("rb") as handle:
        head = handle.read(evidence.SIGNATURE_BYTES)
    return attachment, path, evidence.preview_type(head)


@bp.route("/attachments/<int:attachment_id>/preview")
@requires(authz.is_signed_in)
def preview(attachment_id: int):
    """A page that shows the file: a PDF in a frame, an image as an image."""
    try:
        attachment, path, mime = _previewable(attachment_id)
    except NotFound:
        return _refused()
    return render_template(
        "dossiers/preview.html",
        attachment=attachment,
        mime=mime,
        missing=path is None,
        back_url=detail_url(attachment.dossier_id),
        inline_url=url_for(".inline", attachment_id=attachment.id),
    )


@bp.route("/attachments/<int:attachment_id>/inline")
@requires(authz.is_signed_in)
def inline(attachment_id: int):
    """The file itself, to be shown in the browser; only PDF and raster images."""
    try:
        attachment, path, mime = _previewable(attachment_id)
    except NotFound:
        return _refused()
    if path is None:
        return render_error(404, [_("Tệp không còn trên máy chủ. Vui lòng báo quản trị hệ thống.")])
    if mime is None:
        return render_error(415, [_("Không xem trước được tệp này; vui lòng tải về.")])
    response = send_file(path, mimetype=mime, max_age=0)
    policy = _PDF_POLICY if mime == "application/pdf" else _IMAGE_POLICY
    response.headers["Content-Security-Policy"] = policy + _FRAMED_BY_SELF
    response.headers["Content-Disposition"] = inline_disposition(attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
@requires(authz.is_signed_in)
def delete_attachment(attachment_id: int):
    session, who = get_session(), actor()
    attachment = evidence.load_attachment(session, attachment_id, who)
    dossier_id, name = attachment.dossier_id, attachment.original_name
    back = local_target(request.form.get("next"), detail_url(dossier_id))
    commit_or_answer(
        session,
        lambda: evidence.detach(session, attachment_id, who),
        flash_and_redirect(back, "warning"),
    )
    flash(_("Đã gỡ tệp “%(name)s” khỏi hồ sơ.", name=name), "success")
    return redirect(back)


@bp.app_template_global()
def may_preview(attachment: Attachment) -> bool:
    """Whether the evidence list offers to show the file in the browser."""
    return evidence.may_preview(attachment)


@bp.route("/attachments/<int:attachment_id>/purpose", methods=["POST"])
@requires(authz.is_signed_in)
def retype(attachment_id: int):
    """Say what a file is (its document type) while the unit may edit the dossier."""
    session, who = get_session(), actor()
    attachment = evidence.load_attachment(session, attachment_id, who)
    dossier_id, name = attachment.dossier_id, attachment.original_name
    back = local_target(request.form.get("next"), detail_url(dossier_id))
    purpose = posted_purpose()
    changed = commit_or_answer(
        session,
        lambda: evidence.set_purpose(
            session, attachment_id, who, purpose, expected_version=posted_version()
        ),
        flash_and_redirect(back, "warning"),
    )
    if changed is not None:
        flash(
            _(
                "Đã đổi loại tệp “%(name)s” thành “%(purpose)s”.",
                name=name,
                purpose=purpose_label(purpose),
            ),
            "success",
        )
    return redirect(back)
