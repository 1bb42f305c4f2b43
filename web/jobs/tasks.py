"""The jobs: module-level functions RQ can import by name, each doing its work in a database
session of its own inside an app context (the request's when run inline, the worker's when
queued). Each takes plain values (ids, dates as text), never objects of a session."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from flask import Flask, current_app
from rq import get_current_job
from sqlalchemy.orm import Session

from models.private_files import write_private
from web.jobs import KEEP_SECONDS, report_progress

MAIL_BATCH = 200


@contextmanager
def job_session() -> Iterator[tuple[Flask, Session]]:
    app = current_app._get_current_object()
    if get_current_job() is not None:
        # A queued job runs in a process forked from the worker: connections the worker's
        # pool may hold belong to the parent and must not be shared (SQLAlchemy's advice).
        app.extensions["vinhdanh.engine"].dispose(close=False)
    session = app.extensions["vinhdanh.write"]()
    try:
        yield app, session
    finally:
        session.close()


def send_mail(base_url: str = "") -> dict[str, int]:
    """Send the e-mail outbox; the claims in the database make a second sender harmless."""
    from web.notifications import smtp_settings
    from workflow.notifications.mailer import send_pending

    with job_session() as (app, session):
        settings = smtp_settings(app, base_url)
        total = sent = failed = 0
        while True:
            result = send_pending(session, settings, MAIL_BATCH)
            sent, failed = sent + result.sent, failed + result.failed
            total += result.sent + result.failed + result.skipped
            report_progress(sent + failed, total)
            # Stop on a batch that was not full, or when every one of it failed (no SMTP).
            if result.sent + result.failed + result.skipped < MAIL_BATCH or not result.sent:
                break
    return {"sent": sent, "failed": failed}


def send_reminders(day: str, days_before: list[int]) -> dict[str, int]:
    """The due-date reminders of ``day`` (YYYY-MM-DD), then their e-mails."""
    from workflow.notifications.reminders import send_reminders as remind

    with job_session() as (_app, session):
        reminders = remind(session, dt.date.fromisoformat(day), days_before)
        session.commit()
        report_progress(len(reminders), len(reminders))
    return {"reminders": len(reminders), **send_mail()}


def exports_dir(app: Flask) -> Path:
    """Where finished exports wait to be downloaded (beside the evidence, private)."""
    return Path(app.config["UPLOAD_DIR"]) / "exports"


def export_file(app: Flask, job_id: str, suffix: str = "xlsx") -> Path:
    """A finished job's file: its id, so only that job's page and download find it."""
    return exports_dir(app) / f"{job_id}.{suffix}"


def keep_result(app: Flask, job_id: str, suffix: str, body: bytes) -> None:
    """Write a job's file, and remove those of jobs RQ has forgotten (older than a week):
    nothing offers them any more, and a decision's certificates take megabytes."""
    write_private(export_file(app, job_id, suffix), body)
    # The files' times are the system's, as are RQ's expiries: not the app's clock.
    oldest = time.time() - KEEP_SECONDS
    for path in exports_dir(app).glob("*.*"):
        with suppress(FileNotFoundError):  # another job's sweep took it first
            if path.stat().st_mtime < oldest:
                path.unlink()


def campaign_workbook(campaign_id: int) -> dict[str, int]:
    """The campaign's consolidated workbook, written where its job's page offers it."""
    from models import Campaign
    from workflow.reporting.exports import campaign_workbook as workbook

    job = get_current_job()
    with job_session() as (app, session):
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise LookupError(f"campaign {campaign_id} no longer exists")
        body = workbook(session, campaign, progress=report_progress)
    if job is not None:
        keep_result(app, job.id, "xlsx", body)
    return {"bytes": len(body)}


def decision_pdf(decision_id: int) -> dict[str, int]:
    """Make the issued decision's PDF ahead of its first download (LibreOffice takes
    seconds); ``issued_pdf`` keeps it and serves it from then on."""
    from web.public.views import decision_cache_dir
    from workflow.publication import decisions

    with job_session() as (_app, session):
        report_progress(0, 1)
        decision = decisions.issued(session, decision_id)
        pdf = decisions.issued_pdf(session, decision, decision_cache_dir())
        if pdf is None:
            raise RuntimeError("LibreOffice is not installed on the worker's machine")
        report_progress(1, 1)
    return {"bytes": len(pdf)}


def certificates_pdf(decision_id: int, mode: str, base_url: str) -> dict[str, int]:
    """A whole issued decision's certificates in ``mode``, one page per awardee, written where
    its job's pages offer it to the person who asked (who was checked when it was queued)."""
    from models.decisions import Decision
    from web.office.certificates import emblem
    from workflow.publication import certificates

    job = get_current_job()
    with job_session() as (app, session):
        decision = session.get(Decision, decision_id)
        if decision is None:
            raise LookupError(f"decision {decision_id} no longer exists")
        sheet = certificates.sheet_of(session, decision, base_url)
        pdf = certificates.certificates_pdf(session, sheet, mode, emblem(), report_progress)
    if job is not None:
        keep_result(app, job.id, "pdf", pdf)
    return {"certificates": len(sheet.awardees), "bytes": len(pdf)}
