"""Secret ballots of a Council session: the secretary opens, closes and applies them and
records conflicts; each present member votes on their own device.

A member's page never shows back how they voted, and no page shows who voted how: the
workflow layer does not keep it. Refusals about who votes (recused, not on the roll) are
403, refusals about the ballot's state 409; nothing changes on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from models import Nomination
from web.auth.user import current_actor
from web.council import bp
from web.db import get_session
from web.errors import render_error
from web.support.access import requires
from web.support.i18n import lang
from web.support.parsing import whole_number
from web.support.refusals import commit_or_answer, flash_and_redirect
from workflow.core import authz
from workflow.council import ballot as ballots
from workflow.council import sessions as council
from workflow.council.ballot import is_recusal
from workflow.council.guards import counts_written

T = TypeVar("T")

CHOICE_LABELS = (
    ("approve", _l("Đồng ý")),
    ("reject", _l("Không đồng ý")),
    ("abstain", _l("Không biểu quyết")),
)


def _back_url(id: int, dossier_id: int | None = None) -> str:
    """The ballot page, or the session page when the form came from there (``back``)."""
    page, anchor = (
        ("council.session_detail", "dossier")
        if request.form.get("back") == "session"
        else ("council.ballots", "ballot")
    )
    return url_for(page, id=id) + (f"#{anchor}-{dossier_id}" if dossier_id else "")


def _back(id: int, dossier_id: int | None = None):
    return redirect(_back_url(id, dossier_id))


def _commit(change: Callable[[], T], id: int, dossier_id: int | None = None) -> T:
    """Run a ballot change; refused, its messages are flashed on the page the form came from."""
    return commit_or_answer(get_session(), change, flash_and_redirect(_back_url(id, dossier_id)))


def _count(name: str) -> int | None:
    return whole_number(request.form.get(name) or "0")


@bp.route("/<int:id>/ballots", endpoint="ballots")
@requires(authz.may_view_council)
def ballots_page(id: int):
    actor = current_actor()
    session = get_session()
    meeting = council.get(session, id, actor)
    return render_template(
        "council/ballots.html",
        meeting=meeting,
        rows=ballots.board(session, meeting, actor),
        quorum=council.quorum(meeting),
        can_manage=authz.may_run_council(actor),
        is_open=meeting.status == "open",
        counts_written=counts_written,
        members=council.attendance_in_order(session, meeting),
        names={a.user_id: a.user.full_name for a in meeting.attendance},
    )


@bp.route("/<int:id>/ballots/<int:dossier_id>/open", methods=["POST"])
@requires(authz.may_run_council)
def open_ballot(id: int, dossier_id: int):
    actor = current_actor()
    session = get_session()
    ballot = _commit(lambda: ballots.open_ballot(session, id, dossier_id, actor), id, dossier_id)
    flash(_("Đã mở phiếu: %(n)d thành viên được bỏ phiếu.", n=ballot.eligible), "success")
    return _back(id, dossier_id)


@bp.route("/<int:id>/ballots/<int:dossier_id>/close", methods=["POST"])
@requires(authz.may_run_council)
def close_ballot(id: int, dossier_id: int):
    actor = current_actor()
    session = get_session()
    written_for, written_against = _count("written_for"), _count("written_against")
    if written_for is None or written_against is None:
        flash(_("Số ý kiến bằng văn bản phải là số nguyên, không âm."), "error")
        return _back(id, dossier_id)
    result = _commit(
        lambda: ballots.close_ballot(
            session, id, dossier_id, actor, written_for=written_for, written_against=written_against
        ),
        id,
        dossier_id,
    )
    flash(
        _(
            "Đã đóng phiếu: %(f)d đồng ý, %(a)d không đồng ý, %(b)d không biểu quyết.",
            f=result.votes_for,
            a=result.votes_against,
            b=result.votes_abstain,
        ),
        "success",
    )
    return _back(id, dossier_id)


@bp.route("/<int:id>/ballots/<int:dossier_id>/apply", methods=["POST"])
@requires(authz.may_run_council)
def apply_ballot(id: int, dossier_id: int):
    actor = current_actor()
    session = get_session()
    reason = request.form.get("reason", "")
    event = _commit(
        lambda: ballots.apply_result(session, id, dossier_id, actor, reason), id, dossier_id
    )
    flash(
        _("Đã ghi nhận: Hội đồng thông qua theo kết quả bỏ phiếu kín.")
        if event.action == "council_approve"
        else _("Đã ghi nhận: Hội đồng không thông qua theo kết quả bỏ phiếu kín."),
        "success",
    )
    return _back(id, dossier_id)


@bp.route("/<int:id>/conflicts", methods=["POST"])
@requires(authz.may_run_council)
def add_conflict(id: int):
    actor = current_actor()
    session = get_session()
    dossier_id, user_id = request.form.get("dossier_id", ""), request.form.get("user_id", "")
    if whole_number(dossier_id) is None or whole_number(user_id) is None:
        flash(_("Vui lòng chọn thành viên và hồ sơ."), "error")
        return _back(id)
    reason = request.form.get("reason", "")
    _commit(
        lambda: ballots.set_conflict(session, id, int(dossier_id), int(user_id), reason, actor),
        id,
        int(dossier_id),
    )
    flash(
        _("Đã ghi nhận thành viên có xung đột lợi ích; thành viên này không bỏ phiếu hồ sơ."),
        "success",
    )
    return _back(id, int(dossier_id))


@bp.route("/<int:id>/vote/<int:dossier_id>", methods=["GET", "POST"])
@requires(authz.may_view_council)
def vote(id: int, dossier_id: int):
    actor = current_actor()
    session = get_session()
    meeting = council.get(session, id, actor)
    if request.method == "POST":
        choice = request.form.get("choice", "")
        commit_or_answer(
            session,
            lambda: ballots.cast_vote(session, meeting.id, dossier_id, actor, choice),
            lambda refusal: render_error(
                403 if any(is_recusal(v) for v in refusal.error.violations) else 409,
                refusal.messages,
            ),
        )
        flash(_("Đã ghi nhận phiếu của bạn."), "success")
        return redirect(url_for("council.vote", id=id, dossier_id=dossier_id))
    dossier = ballots.load_nomination(session, dossier_id, actor)
    if not isinstance(dossier, Nomination):
        abort(404)
    ballot = ballots.find(session, meeting.id, dossier.id)
    standing = ballots.standing(session, meeting, dossier, actor, ballot)
    problem = ballots.refusal(standing)
    if problem is not None and is_recusal(problem):
        return render_error(403, [problem.message(lang())])
    result = ballots.tally(session, ballot) if ballot and not ballot.is_open else None
    return render_template(
        "council/vote.html",
        meeting=meeting,
        dossier=dossier,
        standing=standing,
        problem=problem,
        result=result,
        choices=CHOICE_LABELS,
    )
