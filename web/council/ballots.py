"""Secret ballots of a Council session: the secretary opens, closes and applies them and
records conflicts; each present member votes on their own device.

Ballots open in lists (every agenda nomination at once, or one dossier as a list of one); a
member marks a whole list on one page and one card. The chair's and the secretary's
passphrases are typed on the secretary's device, both officers present, when the session's
ballot key is made and again at each close. They are never put back into a page: a refused
form comes back with the passphrase fields empty, as password fields do.

A member's page never shows back how they voted, and no page shows who voted how: the
workflow layer does not keep it. Refusals about who votes (recused, not on the roll) are
403, refusals about the ballot's state 409; nothing changes on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
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
from workflow.core.errors import EditRefused
from workflow.council import ballot as ballots
from workflow.council import secrecy
from workflow.council import sessions as council
from workflow.council.ballot import is_recusal
from workflow.council.guards import counts_written

T = TypeVar("T")

CHOICE_LABELS = (
    ("approve", _l("Đồng ý")),
    ("reject", _l("Không đồng ý")),
    ("abstain", _l("Không biểu quyết")),
)
# On a list a member marks every row; "không ý kiến" is how the Council's forms word abstaining.
LIST_CHOICES = (
    ("approve", _l("Đồng ý")),
    ("reject", _l("Không đồng ý")),
    ("abstain", _l("Không ý kiến")),
)


def _passphrases() -> tuple[str, str]:
    return request.form.get("chair_passphrase", ""), request.form.get("secretary_passphrase", "")


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
        key=secrecy.key_of(session, meeting.id),
        chair_id=secrecy.chair_of(session, meeting),
        lists=[(bl, ballots.turnout(session, bl)) for bl in ballots.lists_of(session, meeting.id)],
        waiting=len(ballots.unballoted(session, meeting, actor)) if meeting.status == "open" else 0,
    )


@bp.route("/<int:id>/ballots/key", methods=["POST"])
@requires(authz.may_run_council)
def create_ballot_key(id: int):
    actor = current_actor()
    session = get_session()
    chair, secretary = _passphrases()
    mismatch = [
        label
        for label, typed, again in (
            (_("chủ tịch"), chair, request.form.get("chair_confirm", "")),
            (_("thư ký"), secretary, request.form.get("secretary_confirm", "")),
        )
        if typed != again
    ]
    if mismatch:
        for who in mismatch:
            flash(_("Mật khẩu nhập lại của %(who)s không khớp.", who=who), "error")
        return _back(id)
    _commit(lambda: ballots.create_key(session, id, actor, chair, secretary), id)
    flash(
        _(
            "Đã tạo khóa kiểm phiếu. Chủ tịch và thư ký cần nhập lại đúng mật khẩu này khi đóng "
            "phiếu; quên mật khẩu thì không thể kiểm phiếu."
        ),
        "success",
    )
    return _back(id)


@bp.route("/<int:id>/ballots/open-all", methods=["POST"])
@requires(authz.may_run_council)
def open_all_ballots(id: int):
    actor = current_actor()
    session = get_session()
    opened = _commit(lambda: ballots.open_all(session, id, actor), id)
    flash(_("Đã mở phiếu %(n)d hồ sơ trong một danh sách.", n=opened.rows), "success")
    return redirect(url_for("council.ballots", id=id) + f"#list-{opened.id}")


@bp.route("/<int:id>/lists/<int:list_id>/close", methods=["POST"])
@requires(authz.may_run_council)
def close_list(id: int, list_id: int):
    actor = current_actor()
    session = get_session()
    written: dict[int, tuple[int, int]] = {}
    for ballot in ballots.get_list(session, id, list_id).ballots:
        given = (
            _count(f"written_for_{ballot.dossier_id}"),
            _count(f"written_against_{ballot.dossier_id}"),
        )
        if None in given:
            flash(_("Số ý kiến bằng văn bản phải là số nguyên, không âm."), "error")
            return _back(id)
        written[ballot.dossier_id] = given  # type: ignore[assignment]
    closed = _commit(
        lambda: ballots.close_list(
            session, id, list_id, actor, passphrases=_passphrases(), written=written
        ),
        id,
    )
    flash(_("Đã đóng phiếu và kiểm phiếu %(n)d hồ sơ.", n=closed.rows), "success")
    return redirect(url_for("council.ballots", id=id) + f"#list-{list_id}")


@bp.route("/<int:id>/lists/<int:list_id>/count.json")
@requires(authz.may_view_council)
def list_count(id: int, list_id: int):
    """How many members have voted on a list, for the live count: never who chose what."""
    session = get_session()
    meeting = council.get(session, id, current_actor())
    ballot_list = ballots.get_list(session, meeting.id, list_id)
    turnout = ballots.turnout(session, ballot_list)
    return jsonify(
        voted=turnout.voted,
        roll=turnout.roll,
        open=ballot_list.is_open,
        text=_("%(v)d/%(n)d thành viên đã bỏ phiếu", v=turnout.voted, n=turnout.roll),
    )


@bp.route("/<int:id>/lists/<int:list_id>/published.json")
@requires(authz.may_view_council)
def list_published(id: int, list_id: int):
    """A closed list's public key, cards, totals and the randomness of their product: anyone
    can check the totals with ``workflow.council.secrecy.verify_published``."""
    session = get_session()
    data = commit_or_answer(
        session,
        lambda: ballots.published(session, id, list_id, current_actor()),
        lambda refusal: render_error(409, refusal.messages),
    )
    response = jsonify(data)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="phieu-kin-phien-{id}-danh-sach-{list_id}.json"'
    )
    return response


@bp.route("/<int:id>/lists/<int:list_id>/vote", methods=["GET", "POST"])
@requires(authz.may_view_council)
def vote_list(id: int, list_id: int):
    """A member's card for a whole list: three choices per row, one submit, one transaction."""
    actor = current_actor()
    session = get_session()
    meeting = council.get(session, id, actor)
    ballot_list = ballots.get_list(session, meeting.id, list_id)
    marks: dict[int, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        marks = {
            b.dossier_id: request.form.get(f"mark-{b.dossier_id}", "") for b in ballot_list.ballots
        }
        typed = {k: v for k, v in marks.items() if v}
        try:
            ballots.cast_list(session, meeting.id, list_id, actor, typed)
            session.commit()
        except EditRefused as error:
            # Refused, the page comes back with the member's marks kept and why, changing
            # nothing; a member with no row on the roll has nothing to come back to.
            session.rollback()
            if error.is_permission:
                raise
            if not ballots.my_rows(session, ballot_list, actor.user_id):
                return render_error(403, error.messages(lang()))
            problems = error.messages(lang())
        else:
            flash(_("Đã ghi nhận phiếu của bạn cho %(n)d hồ sơ.", n=len(typed)), "success")
            return redirect(url_for("council.vote_list", id=id, list_id=list_id))
    mine = ballots.my_rows(session, ballot_list, actor.user_id)
    status = (
        "closed"
        if not ballot_list.is_open
        else "not_on_roll"
        if not mine or all(r.recusal for r in mine.values())
        else "voted"
        if any(r.voted for r in mine.values())
        else "may_vote"
    )
    return render_template(
        "council/vote_list.html",
        meeting=meeting,
        ballot_list=ballot_list,
        mine=mine,
        status=status,
        marks=marks,
        problems=problems,
        choices=LIST_CHOICES,
        turnout=ballots.turnout(session, ballot_list),
    ), 422 if problems else 200


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
            session,
            id,
            dossier_id,
            actor,
            passphrases=_passphrases(),
            written_for=written_for,
            written_against=written_against,
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
    if ballot is not None and ballot.ballot_list is not None and ballot.ballot_list.rows > 1:
        return redirect(url_for("council.vote_list", id=id, list_id=ballot.list_id))
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
