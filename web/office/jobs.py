"""The background jobs page: each job's state, progress and error, refreshed in place."""

from __future__ import annotations

from flask import abort, current_app, render_template

from web.jobs import fetch, job_queue, tasks
from web.jobs.listing import recent_jobs
from web.office import bp
from web.support.access import requires
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from workflow.core import authz


def _jobs_context() -> dict:
    queue = job_queue()
    jobs = recent_jobs(queue) if queue is not None else []
    return {
        "configured": queue is not None,
        "reachable": jobs is not None,
        "jobs": jobs or [],
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
