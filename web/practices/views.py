"""Practice pages: a unit registers and edits its models; the Office lists all and marks the
exemplary ones; the public page (no sign-in) lists exemplary practices with search.

Every permission is decided by ``workflow.practices``; a refusal changes nothing. The edit and
mark forms post the version they were drawn with: when someone else changed the practice
first, the edit form comes back (409) with everything typed, the mark form with a flash.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Campaign, Practice, Unit, User
from models.text import nfc, vi_sort_key
from web.auth.user import current_actor
from web.db import get_session
from web.dossiers.common import member_units
from web.practices import bp
from web.support import access
from web.support.access import requires
from web.support.i18n import lang, pick
from web.support.listing import paginate
from web.support.parsing import posted_version, whole_number
from web.support.refusals import Refusal, commit_or_answer
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.audit import history
from workflow.practices import service as svc

PUBLIC_PAGE_SIZE = 12
FIELDS = tuple(svc.FIELDS) + ("campaign_id",)


@bp.app_template_global()
def practice_status(status: str) -> str:
    return pick(*svc.STATUS_LABELS.get(status, (status, status)))


def _campaigns(session: Session) -> list[Campaign]:
    rows = session.scalars(select(Campaign).where(Campaign.active.is_(True)))
    return sorted(rows, key=lambda c: (-c.year, vi_sort_key(c.name)))


@bp.route("/")
@requires(authz.may_use_practices)
def index():
    who, session = current_actor(), get_session()
    q, status = request.args.get("q", "").strip()[:100], request.args.get("status", "")
    stmt = select(Practice).where(svc.visible_practices(who), svc.search(q))
    if status in svc.STATUS_LABELS:
        stmt = stmt.where(Practice.status == status)
    page = paginate(
        session,
        stmt.order_by(Practice.registered_at.desc(), Practice.id.desc()),
        current_app.config.get("PAGE_SIZE", 20),
    )
    return render_template(
        "practices/list.html",
        page=page,
        q=q,
        status=status,
        statuses=svc.STATUS_LABELS,
        office=authz.may_see_all_practices(who),
        can_register=authz.may_register_practice(who),
    )


def _form_values() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in FIELDS + ("unit_id", "version")}


def _render_form(
    session: Session,
    values: dict[str, Any],
    units: list[Unit],
    practice: Practice | None = None,
    refusal: Refusal | None = None,
):
    """The form with ``values``; after a refusal, with its messages and status."""
    return render_template(
        "practices/form.html",
        values=values,
        units=units,
        practice=practice,
        campaigns=_campaigns(session),
        problems=refusal.messages if refusal else [],
        fields=svc.FIELDS,
        stale=refusal is not None and refusal.stale,
    ), (refusal.status if refusal else 200)


@bp.route("/new", methods=["GET", "POST"])
@requires(authz.may_register_practice)
def create():
    who, session = current_actor(), get_session()
    units = member_units(session, who)
    if request.method == "GET":
        return _render_form(session, {"unit_id": str(units[0].id)}, units)
    values = _form_values()
    unit_id = whole_number(values["unit_id"]) or units[0].id
    practice = commit_or_answer(
        session,
        lambda: svc.register_practice(session, who, unit_id, values),
        lambda refusal: _render_form(session, values, units, refusal=refusal),
    )
    flash(
        _(
            "Đã đăng ký mô hình “%(t)s”. Văn phòng Sở sẽ xem xét để công nhận tiêu biểu.",
            t=practice.title,
        ),
        "success",
    )
    return redirect(url_for("practices.detail", practice_id=practice.id))


@bp.route("/<int:practice_id>")
@requires(authz.may_use_practices)
def detail(practice_id: int):
    who, session = current_actor(), get_session()
    practice = svc.load_practice(session, practice_id, who)
    return _render_detail(session, practice, who)


def _render_detail(
    session: Session,
    practice: Practice,
    who: Actor,
    problems: list[str] | None = None,
    typed_reason: str = "",
    status: int = 200,
):
    events = history(session, "practice", practice.id)
    names = (
        dict(
            session.execute(
                select(User.id, User.full_name).where(
                    User.id.in_({e.actor_id for e in events if e.actor_id})
                )
            ).all()
        )
        if events
        else {}
    )
    actions = {
        "create": _("Đăng ký mô hình"),
        "edit": _("Sửa nội dung"),
        "mark_exemplary": _("Công nhận tiêu biểu"),
        "unmark_exemplary": _("Bỏ công nhận tiêu biểu"),
    }
    steps = [
        (e.occurred_at, names.get(e.actor_id, ""), actions.get(e.action, e.action), e.reason)
        for e in events
    ]
    can_edit = practice.status == "registered" and authz.may_edit_practice(who, practice)
    return render_template(
        "practices/detail.html",
        practice=practice,
        steps=steps,
        can_edit=can_edit,
        can_mark=authz.may_mark_practice(who),
        problems=problems or [],
        typed_reason=typed_reason,
    ), status


@bp.route("/<int:practice_id>/edit", methods=["GET", "POST"])
@requires(authz.may_use_practices)
def edit(practice_id: int):
    who, session = current_actor(), get_session()
    practice = svc.load_practice(session, practice_id, who)
    if not authz.may_edit_practice(who, practice):
        abort(403)
    units = [practice.unit]
    if request.method == "GET":
        if practice.status != "registered":
            flash(svc.PRACTICE_MESSAGES.violation("practice_locked").message(lang()), "warning")
            return redirect(url_for("practices.detail", practice_id=practice_id))
        values = {name: getattr(practice, name) or "" for name in FIELDS}
        return _render_form(
            session,
            {
                **values,
                "campaign_id": str(practice.campaign_id or ""),
                "version": str(practice.version),
            },
            units,
            practice,
        )
    # A POST always comes back with what was typed when it is refused, even for a practice
    # marked exemplary meanwhile.
    values = _form_values()

    def answer(refusal: Refusal):
        values["version"] = refusal.version(values["version"])
        practice = svc.load_practice(session, practice_id, who)
        return _render_form(session, values, units, practice, refusal=refusal)

    event = commit_or_answer(
        session,
        lambda: svc.update_practice(
            session,
            practice_id,
            who,
            {k: values[k] for k in FIELDS},
            expected_version=posted_version(),
        ),
        answer,
    )
    flash(
        _("Đã lưu thay đổi.") if event else _("Không có thay đổi nào để lưu."),
        "success" if event else "info",
    )
    return redirect(url_for("practices.detail", practice_id=practice_id))


@bp.route("/<int:practice_id>/mark", methods=["POST"])
@requires(authz.may_mark_practice, action=svc.MARK_ACTION)
def mark(practice_id: int):
    who, session = current_actor(), get_session()
    exemplary = request.form.get("exemplary") == "1"
    reason = request.form.get("reason", "")

    def answer(refusal: Refusal):
        if refusal.stale:
            refusal.flash("warning")
            typed = nfc(reason)
            if typed:  # the fresh page's form may now mean the opposite: quote it, do not refill
                flash(_("Nội dung bạn đã nhập (chưa được lưu): “%(text)s”", text=typed), "info")
            return redirect(url_for("practices.detail", practice_id=practice_id))
        practice = svc.load_practice(session, practice_id, who)
        return _render_detail(session, practice, who, refusal.messages, reason, refusal.status)

    event = commit_or_answer(
        session,
        lambda: svc.mark_exemplary(
            session,
            practice_id,
            who,
            reason,
            exemplary=exemplary,
            expected_version=posted_version(),
        ),
        answer,
    )
    if event:
        flash(
            _("Đã công nhận mô hình tiêu biểu; mô hình được giới thiệu trên trang công khai.")
            if exemplary
            else _("Đã bỏ công nhận tiêu biểu."),
            "success",
        )
    return redirect(url_for("practices.detail", practice_id=practice_id))


@bp.route("/public")
@access.public
def public():
    session = get_session()
    q = request.args.get("q", "").strip()[:100]
    stmt = svc.public_practices().where(svc.search(q))
    page = paginate(session, stmt, PUBLIC_PAGE_SIZE)
    return render_template("practices/public.html", page=page, q=q)


@bp.route("/public/<int:practice_id>")
@access.public
def public_detail(practice_id: int):
    practice = get_session().get(Practice, practice_id)
    if practice is None or practice.status != "exemplary":
        abort(404)
    return render_template("practices/public_detail.html", practice=practice)
