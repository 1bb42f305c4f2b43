"""Council sessions: the list, opening one, the session page (attendance, agenda, decisions,
publication) and closing. Decisions are transitions posted to ``dossiers.fire`` with typed
counts, or, for a dossier put to a secret ballot, the ballot's result applied through
``council.apply_ballot``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from models import Dossier
from models.clock import today
from models.council import OUTCOME_CLASSIFIED
from web.auth.user import current_actor
from web.council import bp
from web.council.forms import SessionForm
from web.db import get_session
from web.home.links import helpers, register
from web.support.access import requires
from web.support.parsing import whole_numbers
from web.support.refusals import Refusal, commit_or_answer, redraws_refused_actions
from workflow import available
from workflow.accounts.council_admin import POSITION_LABELS
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.core.errors import NotFound, Violation
from workflow.core.inputs import CLASSIFICATIONS, INPUTS, InputDef, inputs_of
from workflow.core.spec import Input, TransitionDef
from workflow.council import ballot as ballots
from workflow.council import sessions as council
from workflow.council.ballot import BoardRow
from workflow.council.guards import records_tally
from workflow.proposals.listing import awaiting_council
from workflow.publication.notice import agenda_states

register(bp)


@dataclass
class Action:
    """A transition form on the session page: what the engine offers and what it needs."""

    tdef: TransitionDef
    inputs: tuple[InputDef, ...]
    problems: list[Violation]


@dataclass
class AgendaEntry:
    dossier: Dossier
    actions: list[Action]
    ballot: BoardRow | None = None  # the dossier's secret ballot in this session


def _actions(session, dossier: Dossier, actor, *, balloted: bool = False) -> list[Action]:
    actions = [
        Action(t, inputs_of(t.requires), problems)
        for t, problems in available(session, dossier, actor)
    ]
    # A balloted dossier is decided by its ballot (the engine refuses typed counts, and a
    # rejection or deferral without them): the apply form replaces every decision form.
    return [a for a in actions if not (balloted and records_tally(a.tdef))]


def _agenda(session, meeting, actor: Actor) -> list[AgendaEntry]:
    dossiers = council.agenda(session, actor)
    rows = ballots.balloted(session, meeting, actor, dossiers)
    return [
        AgendaEntry(d, _actions(session, d, actor, balloted=d.id in rows), rows.get(d.id))
        for d in dossiers
    ]


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
    if request.method == "GET":
        # Today in the Department's time zone, not the server's.
        form.held_on.data = today().isoformat()
        present = {m.id for m in members}
    else:
        present = _present_ids()

    def page() -> str:
        return render_template("council/new.html", form=form, members=members, present=present)

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
    # Publication (a decision number) is offered for the approved and classified items.
    to_publish = [
        (item, a)
        for item in decided
        # A list's rows are published by a decision, not one by one from here.
        if getattr(item.dossier, "proposal_id", None) is None
        for a in _actions(session, item.dossier, actor)
        if Input.DECISION in a.tdef.requires
    ]
    is_open = meeting.status == "open"
    agenda = _agenda(session, meeting, actor) if is_open else []
    failed = dict(failed or {})
    if failed:
        # Whether the refused form is drawn again; if not, the page shows what was typed.
        # Agenda forms are drawn while the session is open, publication forms after it too.
        forms = {(e.dossier.id, a.tdef.trigger) for e in agenda for a in e.actions if is_open}
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
        agenda=agenda,
        lists=awaiting_council(session, actor) if is_open else [],
        agenda_state=agenda_states()[0],
        decided=decided,
        to_publish=to_publish,
        can_manage=authz.may_run_council(actor),
        is_open=is_open,
        pending_ballots=council.pending_ballots(session, meeting.id) if is_open else [],
        classifications=CLASSIFICATIONS,
        outcomes=council.OUTCOME_LABELS,
        classified_outcome=OUTCOME_CLASSIFIED,
        here=url_for("council.session_detail", id=meeting.id),
    ), status


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
