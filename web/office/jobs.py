"""The background jobs page: each job's state, progress and error, refreshed in place."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for

from web.auth.user import current_actor
from web.jobs import fetch, job_queue, tasks
from web.jobs.listing import JobLine, recent_jobs
from web.office import bp
from web.support.access import requires
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from web.support.listing import page_number
from workflow.core import authz


def download_urls(jobs: list[JobLine]) -> dict[str, str]:
    """Where each finished job's file is downloaded, for the jobs this person may take: any
    export (the dashboard's own data), and only their own certificates."""
    actor = current_actor()
    urls = {}
    for job in jobs:
        if not job.downloadable:
            continue
        if job.kind == "export":
            urls[job.id] = url_for("office.job_download", job_id=job.id)
        elif authz.may_take_certificates_of(actor, job.user_id):
            urls[job.id] = url_for("office.certificates_job_download", job_id=job.id)
    return urls


def _jobs_context() -> dict:
    """One page of the jobs (``?page=``), the newest first."""
    queue = job_queue()
    page = recent_jobs(queue, page_number()) if queue is not None else None
    jobs = list(page.items) if page is not None else []
    return {
        "configured": queue is not None,
        "reachable": queue is None or page is not None,
        "page": page,
        "jobs": jobs,
        "downloads": download_urls(jobs),
    }


@bp.route("/jobs")
@requires(authz.may_follow_jobs)
def jobs():
    return render_template("office/jobs.html", **_jobs_context())


@bp.route("/jobs/rows")
@requires(authz.may_follow_jobs)
def job_rows():
    """The table's rows alone, which the page fetches to refresh itself without a reload."""
    return render_template("office/job_rows.html", **_jobs_context())


@bp.route("/jobs/<job_id>/download")
@requires(authz.may_follow_jobs)
def job_download(job_id: str):
    job = fetch(job_id)
    if job is None or (job.meta or {}).get("kind") != "export" or not job.is_finished:
        abort(404)
    path = tasks.export_file(current_app, job.id)
    if not path.is_file():
        abort(404)
    return send_download(path.read_bytes(), f"tong-hop-{job.id[:8]}.xlsx", XLSX_CONTENT_TYPE)
