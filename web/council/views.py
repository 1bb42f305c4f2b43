"""Council sessions: the list, opening one, the session page (attendance, agenda, decisions,
publication) and closing. Decisions are transitions posted to ``dossiers.fire`` with typed
counts, or, for a dossier put to a secret ballot, the ballot's result applied through
``council.apply_ballot``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import Dossier, Nomination
from models.clock import today
from models.council import OUTCOME_CLASSIFIED
from web.auth.user import current_actor
from web.council import bp
from web.council.decisions import DOCX
from web.council.forms import SessionForm
from web.db import get_session
from web.home.links import helpers, register
from web.support.access import requires
from web.support.downloads import send_download
from web.support.parsing import posted_version, whole_numbers
from web.support.refusals import (
    Refusal,
    commit_or_answer,
    flash_and_redirect,
    redraws_refused_actions,
)
from workflow import available
from workflow.accounts.council_admin import POSITION_LABELS
from workflow.awards.catalogue import NOMINEE_LABELS
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.errors import NotFound, Violation
from workflow.core.inputs import CLASSIFICATIONS, INPUTS, InputDef, inputs_of
from workflow.core.spec import Input, TransitionDef
from workflow.council import meeting as meetings
from workflow.council import minutes
from workflow.council import sessions as council
from workflow.proposals.listing import awaiting_council
from workflow.publication.decisions import publishable_states
from workflow.publication.notice import agenda_states

register(bp)


@dataclass
class Action:
    """A transition form on the session page: what the engine offers and what it needs."""

    tdef: TransitionDef
    inputs: tuple[InputDef, ...]
    problems: list[Violation]


def _actions(session, dossier: Dossier, actor) -> list[Action]:
    return [
        Action(t, inputs_of(t.requires), problems)
        for t, problems in available(session, dossier, actor)
        if t.by_form
    ]


def _report_actions(session, items: list[meetings.AgendaItem], actor) -> dict[int, list[Action]]:
    """The engine's own forms of the items that are not nominations (a report is classified,
    not judged on a threshold): {dossier id: forms}."""
    return {
        i.dossier.id: _actions(session, i.dossier, actor) for i in items if i.entry == "actions"
    }


def _present_ids() -> set[int]:
    return whole_numbers(request.form.getlist("present"))


@bp.route("/")
@requires(authz.may_view_council)
def sessions():
    actor = current_actor()
    return render_template(
        "council/sessions.html",
        sessions=council.list_sessions(get_session()),
        can_manage=authz.may_run_council(actor),
        quorum=council.quorum,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(authz.may_run_council)
def new_session():
    actor = current_actor()
    session = get_session()
    form = SessionForm()
    members = council.council_members(session)
    waiting = council.unclaimed_agenda(session, actor)
    if request.method == "GET":
        # Today in the Department's time zone, not the server's.
        form.held_on.data = today().isoformat()
        present = {m.id for m in members}
        chosen = {d.id for d in waiting}
    else:
        present = _present_ids()
        chosen = whole_numbers(request.form.getlist("agenda"))

    def page() -> str:
        return render_template(
            "council/new.html",
            form=form,
            members=members,
            present=present,
            waiting=waiting,
            chosen=chosen,
            elsewhere=council.claimed_elsewhere(session),
        )

    if not form.validate_on_submit():
        return page()

    def answer(refusal: Refusal):
        refusal.flash()
        return page()  # drawn again as it was posted, status 200

    opened = commit_or_answer(
        session,
        lambda: council.open_session(
            session,
            actor,
            title=form.title.data,
            held_on=form.held_on.parsed,
            place=form.place.data or "",
            quorum=form.quorum.data,
            present_ids=present,
            agenda_ids=chosen,
            quorum_source=form.quorum_source.data or "",
            quorum_from=form.quorum_from.parsed,
        ),
        answer,
    )
    flash(_("Đã mở phiên họp “%(t)s”.", t=opened.title), "success")
    return redirect(url_for("council.session_detail", id=opened.id))


@bp.route("/<int:id>")
@requires(authz.may_view_council)
def session_detail(id: int):
    actor = current_actor()
    session = get_session()
    return _render_session(session, council.get(session, id, actor), actor)


@redraws_refused_actions("council.session_detail")
def _redraw_session(failed: dict, status: int, id: int) -> tuple[str, int] | None:
    """The session page after a decision on it was refused: the messages at the dossier's own
    form (or at the top, when the dossier has left the agenda), with what was typed kept.
    None for someone who does not run the Council: only its secretary has forms there."""
    actor = current_actor()
    if not authz.may_run_council(actor):
        return None
    session = get_session()
    try:
        meeting = council.get(session, id, actor)
    except NotFound:
        return None
    return _render_session(session, meeting, actor, status, failed)


def _render_session(
    session, meeting, actor: Actor, status: int = 200, failed: dict | None = None
) -> tuple[str, int]:
    decided = council.decided_items(session, meeting.id)
    # A nomination is published only by issuing a Decision (Quyết định) that lists it; a report
    # the Council classified keeps its own publication form.
    to_publish = [
        (item, a)
        for item in decided
        if not isinstance(item.dossier, Nomination)
        for a in _actions(session, item.dossier, actor)
        if Input.DECISION in a.tdef.requires
    ]
    to_decide = [
        item
        for item in decided
        if isinstance(item.dossier, Nomination) and item.dossier.state in publishable_states()
    ]
    is_open = meeting.status == "open"
    items = meetings.agenda_items(session, meeting, actor) if is_open else []
    actions = _report_actions(session, items, actor) if is_open else {}
    failed = dict(failed or {})
    if failed:
        # Whether the refused form is drawn again; if not, the page shows what was typed.
        # Agenda forms are drawn while the session is open, publication forms after it too.
        forms = {(i.dossier.id, "result") for i in items if i.entry == "counts"}
        forms |= {(d, a.tdef.trigger) for d, acts in actions.items() for a in acts}
        forms |= {(item.dossier.id, a.tdef.trigger) for item, a in to_publish}
        mine = (failed["dossier_id"], failed["trigger"])
        failed["drawn"] = authz.may_run_council(actor) and mine in forms
        failed["typed"] = [
            (f, failed["values"][f.name])
            for f in {f.name: f for d in INPUTS.values() for f in d.fields}.values()
            if f.control in ("text", "textarea", "date") and failed["values"].get(f.name)
        ]
    return render_template(
        "council/session.html",
        # Also drawn from the dossiers' blueprint after a refusal: its own helpers explicitly.
        **helpers(),
        failed=failed,
        meeting=meeting,
        members=council.attendance_in_order(session, meeting),
        council_positions=council.positions_at(session, meeting),
        position_labels=POSITION_LABELS,
        quorum=council.quorum(meeting),
        groups=meetings.by_award(items),
        agenda_size=len(items),
        actions=actions,
        counted=len(meetings.counted_ballots(session, meeting.id)) if is_open else 0,
        waiting=len(council.unclaimed_agenda(session, actor)) if is_open else 0,
        lists=awaiting_council(session, actor) if is_open else [],
        agenda_state=agenda_states()[0],
        decided=decided,
        to_publish=to_publish,
        to_decide=to_decide,
        can_manage=authz.may_run_council(actor),
        is_open=is_open,
        pending_ballots=council.pending_ballots(session, meeting.id) if is_open else [],
        classifications=CLASSIFICATIONS,
        outcomes=council.OUTCOME_LABELS,
        nominee_labels=NOMINEE_LABELS,
        classified_outcome=OUTCOME_CLASSIFIED,
        here=url_for("council.session_detail", id=meeting.id),
    ), status


@bp.route("/<int:id>/items/<int:dossier_id>/result", methods=["POST"])
@requires(authz.may_run_council)
def record_result(id: int, dossier_id: int):
    """One item's result from typed counts: the outcome follows from the award's threshold."""
    actor = current_actor()
    session = get_session()
    typed = {
        k: request.form.get(k, "")
        for k in ("votes_for", "votes_against", "votes_abstain", "reason")
    }
    choice = meetings.DEFER if request.form.get("choice") == meetings.DEFER else meetings.VOTE

    def answer(refusal: Refusal):
        meeting = council.get(session, id, actor)
        dossier = session.get(Dossier, dossier_id)
        failed = {
            "dossier_id": dossier_id,
            "dossier_title": dossier.title if dossier else "",
            "trigger": "result",
            "label": _("Ghi nhận kết quả"),
            "values": typed,
            "messages": refusal.messages,
            "stale": refusal.stale,
        }
        return _render_session(session, meeting, actor, refusal.status, failed)

    event = commit_or_answer(
        session,
        lambda: meetings.record_result(
            session,
            id,
            dossier_id,
            actor,
            typed,
            choice=choice,
            expected_version=posted_version(),
        ),
        answer,
        rule_status=409,
    )
    flash(
        {
            "council_approve": _("Đã ghi nhận: Hội đồng thông qua."),
            "council_reject": _("Đã ghi nhận: Hội đồng không thông qua (chưa đạt tỷ lệ)."),
        }.get(event.action, _("Đã ghi nhận: hoãn xét, trả Văn phòng Sở xem lại.")),
        "success",
    )
    return redirect(url_for("council.session_detail", id=id, _anchor="agenda-title"))


@bp.route("/<int:id>/apply-all", methods=["POST"])
@requires(authz.may_run_council)
def apply_all(id: int):
    """Every counted secret ballot's result, recorded together."""
    actor = current_actor()
    session = get_session()
    back = url_for("council.session_detail", id=id)
    events = commit_or_answer(
        session,
        lambda: meetings.apply_all(session, id, actor),
        flash_and_redirect(back, lead=_("Chưa ghi nhận kết quả nào vì:")),
        rule_status=409,
    )
    flash(_("Đã ghi nhận kết quả bỏ phiếu kín của %(n)d hồ sơ.", n=len(events)), "success")
    return redirect(back)


@bp.route("/<int:id>/agenda", methods=["POST"])
@requires(authz.may_run_council)
def add_to_agenda(id: int):
    """Dossiers that reached the Council after the session opened, put on its agenda."""
    actor = current_actor()
    session = get_session()
    back = url_for("council.session_detail", id=id)
    taken = commit_or_answer(
        session,
        lambda: council.add_to_agenda(session, id, actor),
        flash_and_redirect(back),
        rule_status=409,
    )
    flash(_("Đã bổ sung %(n)d hồ sơ vào chương trình họp.", n=len(taken)), "success")
    return redirect(back)


@bp.route("/<int:id>/attendance", methods=["POST"])
@requires(authz.may_run_council)
def attendance(id: int):
    actor = current_actor()
    session = get_session()
    meeting = council.record_attendance(session, id, actor, _present_ids())
    session.commit()
    q = council.quorum(meeting)
    flash(
        _("Đã ghi nhận: %(p)d/%(m)d thành viên có mặt.", p=q.present, m=q.members),
        "success" if q.met else "warning",
    )
    return redirect(url_for("council.session_detail", id=id))


@bp.route("/<int:id>/close", methods=["POST"])
@requires(authz.may_run_council)
def close(id: int):
    actor = current_actor()
    session = get_session()

    def answer(refusal: Refusal):
        # The session page again, with why and (open ballots) what to do first.
        refusal.flash()
        return _render_session(session, council.get(session, id, actor), actor, refusal.status)

    commit_or_answer(
        session, lambda: council.close_session(session, id, actor), answer, rule_status=409
    )
    flash(
        _("Đã kết thúc phiên họp. Không thể ghi nhận thêm quyết định trong phiên này."), "success"
    )
    return redirect(url_for("council.session_detail", id=id))


@bp.route("/<int:id>/minutes.docx")
@requires(authz.may_view_council)
def minutes_docx(id: int):
    """The session's minutes (biên bản họp) as DOCX, from what it recorded."""
    actor = current_actor()
    session = get_session()
    meeting = council.get(session, id, actor)
    name = f"bien-ban-hop-hoi-dong-{meeting.held_on.isoformat()}-{meeting.id}.docx"
    return send_download(minutes.minutes_docx(session, meeting), name, DOCX)
