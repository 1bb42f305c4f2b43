"""In-app notifications: the person's list, marking read, the header badge, and sending the
e-mail outbox after a request that queued e-mails."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, after_this_request, current_app, g, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from web.db import get_session
from workflow.accounts.password_reset import SUBJECT as RESET_SUBJECT
from workflow.accounts.password_reset import ResetMail
from workflow.notifications.mailer import SmtpSettings, send_now, send_pending
from workflow.notifications.notify import OUTBOX_FLAG, unread_count

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# E-mails sent after one request; the rest wait for the next one or for ``vinhdanh mail send``.
REQUEST_BATCH = 20


def unread_for_current_user() -> int | None:
    """The signed-in person's unread count (one COUNT per request), or None for visitors and
    when the database cannot answer (an error page must still render)."""
    if not current_user.is_authenticated:
        return None
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = unread_count(get_session(), current_user.id)
        except SQLAlchemyError:
            current_app.logger.warning("unread notification count unavailable", exc_info=True)
            g.unread_notifications = None
    return g.unread_notifications


def unread_counted(count: int) -> int:
    """Give the header badge ``count``, the signed-in person's unread count that a page has
    just read itself, so the page runs the COUNT once."""
    g.unread_notifications = count
    return count


@bp.app_context_processor
def _badge() -> dict:
    return {"unread_notifications": unread_for_current_user}


def smtp_settings(app: Flask, base_url: str = "") -> SmtpSettings:
    """The app's SMTP settings; links in e-mails use PUBLIC_URL, else ``base_url``."""
    return SmtpSettings.from_config(app.config, base_url=app.config.get("PUBLIC_URL") or base_url)


def flush_outbox(app: Flask, settings: SmtpSettings, limit: int = REQUEST_BATCH) -> None:
    """Send queued e-mails in a session of its own; failures are logged, never raised."""
    try:
        session = app.extensions["vinhdanh.write"]()
        try:
            result = send_pending(session, settings, limit)
        finally:
            session.close()
    except Exception:  # never let e-mail break a request that has already succeeded
        app.logger.exception("sending e-mails after the request failed")
        return
    if result.errors:
        app.logger.warning(
            "e-mail: %d sent, %d failed: %s",
            result.sent,
            result.failed,
            "; ".join(result.errors[:3]),
        )


@bp.after_app_request
def _send_after_commit(response: Response) -> Response:
    """When this request queued e-mails and succeeded, send them once the response is out."""
    session = g.get("db_session")
    if session is None or not session.info.pop(OUTBOX_FLAG, False) or response.status_code >= 400:
        return response
    from web.jobs import submit, tasks

    app = current_app._get_current_object()
    # On the queue when Redis answers; sent after the response, as without it, when not.
    queued = app.config.get("REDIS_URL") and submit(
        "mail", tasks.send_mail, request.host_url, inline=False
    )
    if queued and queued.queued:
        return response
    settings = smtp_settings(app, request.host_url)
    response.call_on_close(lambda: flush_outbox(app, settings))
    return response


def mail_enabled() -> bool:
    """Whether this site sends e-mail at all (an SMTP host is configured)."""
    return smtp_settings(current_app).enabled


def send_after_response(mails: list[ResetMail]) -> None:
    """Send password reset ``mails`` once this request's response is out, never through the
    outbox: they carry a link's secret, which must not be stored."""
    if not mails:
        return
    settings, logger = smtp_settings(current_app, request.host_url), current_app.logger
    base = settings.base_url or request.host_url

    def send() -> None:
        for mail in mails:
            error = send_now(settings, mail.to_address, RESET_SUBJECT, mail.body(base))
            if error:
                logger.warning("password reset e-mail not sent: %s", error)

    @after_this_request
    def later(response: Response) -> Response:
        response.call_on_close(send)
        return response


from web.notifications import views  # noqa: E402,F401
