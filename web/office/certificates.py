"""Certificates (giấy khen, bằng chứng nhận): the issued decisions to print, which awards print,
where their text goes on pre-printed blanks, and the calibration page to measure them with.

Printing is for the Office and the Council; the settings are the Office's. The PDF is made by
``workflow.publication.certificates``; each QR code opens ``/v/<code>`` on the public address
(``VINHDANH_PUBLIC_URL``, else the address this request came to).

A whole decision's certificates (hundreds of pages) are made by the worker when a queue is
configured (``web.jobs``): the person who asked follows the job's page and downloads the file
from it or from the jobs page; nobody else may. One row's page, or no queue: in the request.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from rq.job import Job
from sqlalchemy import select

from models import AwardType, Unit
from models.decisions import DECISION_ISSUED, Decision
from web.auth.user import current_actor
from web.db import get_session
from web.errors import render_error
from web.jobs import fetch, job_queue, submit, tasks
from web.jobs.listing import job_line, recent_jobs
from web.office import bp
from web.office.jobs import download_urls
from web.support.access import requires
from web.support.downloads import send_download
from web.support.listing import paginate
from web.support.parsing import whole_number
from web.support.refusals import Refusal, commit_or_answer, flash_and_redirect
from workflow.core import authz
from workflow.publication import certificates

PDF = "application/pdf"
JOB_KIND = "certificates"
PER_PAGE = 20
PRINT_CHOICES = ("law", "yes", "no")


def base_url() -> str:
    """The public address the QR codes open: the configured one, else this request's."""
    return current_app.config.get("PUBLIC_URL") or request.host_url


def emblem() -> Path | None:
    """The official Quốc huy artwork file, if the deployment provides one."""
    path = current_app.config.get("EMBLEM_IMAGE") or ""
    return Path(path) if path else None


def _file_name(number: str, row: int | None, mode: str) -> str:
    """ "giay-khen-05-QĐ-SGDĐT-dong-3-phoi.pdf" """
    name = "giay-khen-" + re.sub(r"[^\w.-]+", "-", number).strip("-")
    if row is not None:
        name += f"-dong-{row}"
    return name + ("-phoi" if mode == "preprinted" else "") + ".pdf"


@bp.route("/certificates/")
@requires(authz.may_print_certificates)
def certificates_index():
    actor = current_actor()
    session = get_session()
    page = paginate(
        session,
        select(Decision)
        .where(Decision.status == DECISION_ISSUED)
        .order_by(Decision.decided_on.desc(), Decision.id.desc()),
        PER_PAGE,
    )
    can_manage = authz.may_manage_certificates(actor)
    awards = list(session.scalars(select(AwardType).order_by(AwardType.id))) if can_manage else []
    return render_template(
        "office/certificates.html",
        page=page,
        awards=awards,
        prints=certificates.prints,
        can_manage=can_manage,
        **_requested(),
    )


def _requested() -> dict:
    """The person's own batches of the last 7 days (the newest 50), chosen among all the
    jobs, to come back to their files (the Council follows no other job)."""
    queue = job_queue()
    user_id = current_actor().user_id
    page = recent_jobs(queue, kind=JOB_KIND, user_id=user_id) if queue is not None else None
    mine = list(page.items) if page is not None else []
    return {"jobs": mine, "reachable": True, "downloads": download_urls(mine)}


@bp.route("/certificates/requested")
@requires(authz.may_print_certificates)
def certificates_requested():
    """The rows of one's own batches, which the Office's page fetches to refresh them."""
    return render_template("office/job_rows.html", **_requested())


@bp.route("/certificates/decisions/<int:id>.pdf", methods=["GET", "POST"])
@requires(authz.may_print_certificates)
def certificates_pdf(id: int):
    """One decision's certificates (``row``: one awardee's, by its số sổ vàng) in ``mode``.
    With a queue, the whole decision's are a job, queued by a POST only: a GET of them queues
    nothing and leads to the page whose buttons post."""
    mode = request.args.get("mode", "full")
    if mode not in certificates.MODES:
        mode = "full"
    typed_row = request.args.get("row")
    # A row that is not a number names no row: refused as one the decision does not print.
    row = (whole_number(typed_row, max_digits=6) or 0) if typed_row else None
    queued = row is None and bool(current_app.config.get("REDIS_URL"))
    if queued and request.method != "POST":
        return redirect(url_for("office.certificates_index"))
    session = get_session()
    # A draft, a role that may not print, a row that prints nothing: refused in words (409/403).
    sheet = certificates.sheet(session, current_actor(), id, base_url(), row)
    if queued:
        job_id = _queued(id, sheet, mode)
        if job_id is not None:
            return redirect(url_for("office.certificates_job", job_id=job_id), 303)
    pdf = certificates.certificates_pdf(session, sheet, mode, emblem())
    return send_download(pdf, _file_name(sheet.decision_number, row, mode), PDF)


def _queued(decision_id: int, sheet: certificates.Sheet, mode: str) -> str | None:
    """The whole decision's certificates handed to the worker: the job's id (this person's
    unfinished one for the same decision and mode, if any), or None when Redis does not
    answer (then the request makes them, as before)."""
    submitted = submit(
        JOB_KIND,
        tasks.certificates_pdf,
        decision_id,
        mode,
        base_url(),
        user_id=current_actor().user_id,
        inline=False,
        meta={
            "decision_number": sheet.decision_number,
            "mode": mode,
            "file_name": _file_name(sheet.decision_number, None, mode),
        },
        target=f"{decision_id}:{mode}",
    )
    if submitted.again:
        flash(_("Các giấy khen này đang được tạo theo yêu cầu trước của bạn."), "info")
    elif submitted.queued:
        flash(
            _(
                "Đang tạo %(n)d giấy khen của Quyết định số %(number)s; tải về tại đây khi xong.",
                n=len(sheet.awardees),
                number=sheet.decision_number,
            ),
            "info",
        )
    return submitted.job_id


def _own_job(job_id: str) -> Job:
    """The certificates job this person asked for: 404 for no such job, 403 in words for
    another person's (checked again here, not only when it was queued)."""
    job = fetch(job_id)
    meta = (job.meta or {}) if job is not None else {}
    if job is None or meta.get("kind") != JOB_KIND:
        abort(404)
    if not authz.may_take_certificates_of(current_actor(), meta.get("user_id")):
        refusal = _("Chỉ người đã yêu cầu in các giấy khen này được xem và tải về.")
        abort(make_response(render_error(403, [refusal])))
    return job


def _job_context(job: Job) -> dict:
    line = job_line(job)
    lines = [line] if line is not None else []
    return {
        "job_id": job.id,
        "jobs": lines,
        "reachable": line is not None,
        "downloads": download_urls(lines),
    }


@bp.route("/certificates/jobs/<job_id>")
@requires(authz.may_print_certificates)
def certificates_job(job_id: str):
    """The progress of one's certificates job (pages drawn of all), refreshed in place, and
    its file once made."""
    context = _job_context(_own_job(job_id))
    return render_template(
        "office/certificates_job.html",
        can_follow_jobs=authz.may_follow_jobs(current_actor()),
        **context,
    )


@bp.route("/certificates/jobs/<job_id>/rows")
@requires(authz.may_print_certificates)
def certificates_job_rows(job_id: str):
    return render_template("office/job_rows.html", **_job_context(_own_job(job_id)))


@bp.route("/certificates/jobs/<job_id>/download")
@requires(authz.may_print_certificates)
def certificates_job_download(job_id: str):
    job = _own_job(job_id)
    path = tasks.export_file(current_app, job.id, "pdf")
    if not job.is_finished or not path.is_file():
        abort(404)
    name = str((job.meta or {}).get("file_name") or f"giay-khen-{job.id[:8]}.pdf")
    return send_download(path.read_bytes(), name, PDF)


@bp.route("/certificates/calibration.pdf")
@requires(authz.may_print_certificates)
def certificates_calibration():
    return send_download(certificates.calibration_pdf(), "trang-can-chinh-giay-khen.pdf", PDF)


@bp.route("/certificates/awards/<int:id>/prints", methods=["POST"])
@requires(authz.may_manage_certificates)
def certificates_prints(id: int):
    choice = request.form.get("prints", "")
    back = url_for("office.certificates_index")
    if choice not in PRINT_CHOICES:
        flash(_("Vui lòng chọn một cách in."), "error")
        return redirect(back)
    value = {"law": None, "yes": True, "no": False}[choice]
    session = get_session()
    award = commit_or_answer(
        session,
        lambda: certificates.set_prints(session, current_actor(), id, value),
        flash_and_redirect(back),
    )
    flash(_("Đã lưu cách in giấy khen của “%(name)s”.", name=award.name_vi), "success")
    return redirect(back)


@bp.route("/certificates/awards/<int:id>/layout", methods=["GET", "POST"])
@requires(authz.may_manage_certificates)
def certificates_layout(id: int):
    session = get_session()
    award = session.get(AwardType, id)
    if award is None:
        abort(404)
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    source = request.form if request.method == "POST" else request.args
    unit_id = whole_number(source.get("unit"), max_digits=9) if source.get("unit") else None
    if unit_id is not None and unit_id not in {u.id for u in units}:
        unit_id = None
    saved = certificates.layout_for(session, id, unit_id)
    shown = certificates.positions_for(session, id, unit_id)
    typed = (
        dict(request.form.items())
        if request.method == "POST"
        else certificates.layout_form_values(shown)
    )

    def page():
        return render_template(
            "office/certificate_layout.html",
            award=award,
            units=units,
            unit_id=unit_id,
            saved=saved,
            typed=typed,
            fields=certificates.FIELDS,
            version=saved.version if saved else "",
        )

    if request.method != "POST":
        return page()

    def answer(refusal: Refusal):
        refusal.flash()
        return page(), refusal.status

    version = whole_number(request.form.get("version"), max_digits=9)
    commit_or_answer(
        session,
        lambda: certificates.save_layout(
            session, current_actor(), id, unit_id, request.form, version=version
        ),
        answer,
    )
    flash(_("Đã lưu vị trí in trên phôi của “%(name)s”.", name=award.name_vi), "success")
    return redirect(url_for("office.certificates_layout", id=id, unit=unit_id or ""))
