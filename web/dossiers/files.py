"""Evidence files of a dossier: upload (one or more), download (in scope only), remove, say
what a file is."""

from __future__ import annotations

from flask import flash, redirect, request, send_file
from flask_babel import gettext as _
from sqlalchemy.orm import Session

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
from web.support.downloads import disposition
from web.support.parsing import posted_version
from web.support.redirects import local_target
from web.support.refusals import commit_or_answer, flash_and_redirect
from workflow.core import authz
from workflow.core.actors import Actor
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
