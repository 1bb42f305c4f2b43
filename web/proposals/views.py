"""The lists a person may see, and one list's page: its rows, filtered and paginated, with what
the person may do to them."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import select

from models import (
    AwardType,
    Campaign,
    Collective,
    Nomination,
    Person,
    Proposal,
    Unit,
)
from models.clock import today
from web.auth.user import current_actor
from web.db import get_session
from web.dossiers.presenters import open_sessions
from web.home.links import register
from web.proposals import bp
from web.support.access import requires
from web.support.listing import paginate
from web.support.parsing import whole_number
from workflow.core import authz
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import bulk
from workflow.people.entries import groups_of, search
from workflow.people.register import current_people
from workflow.proposals import listing
from workflow.proposals.rows import load_list

register(bp)

ROWS_PER_PAGE = 50
LISTS_PER_PAGE = 25
# The register entries the "pick" form shows at once; narrow with the search box.
PICK_LIMIT = 200


@bp.route("/")
@requires(authz.is_signed_in)
def index():
    session, who = get_session(), current_actor()
    campaign_id = whole_number(request.args.get("campaign"))
    unit_id = whole_number(request.args.get("unit"))
    page = paginate(
        session,
        listing.lists_query(who, campaign_id=campaign_id, unit_id=unit_id),
        LISTS_PER_PAGE,
    )
    counts = listing.row_counts(session, [p.id for p in page.items])
    return render_template(
        "proposals/index.html",
        page=page,
        counts=counts,
        campaigns=session.scalars(select(Campaign).order_by(Campaign.year.desc())).all(),
        campaign_id=campaign_id,
        may_draft=authz.may_draft(who),
        row_states=WORKFLOWS["nomination"].states,
    )


def _filter() -> listing.RowFilter:
    return listing.RowFilter(
        state=request.args.get("state") or None,
        award_type_id=whole_number(request.args.get("award")),
        words=(request.args.get("q") or "")[:200],
        sort=request.args.get("sort") or "award",
    )


def _editable(proposal: Proposal, who) -> bool:
    """Whether the person may add and remove rows now (the same check the change makes)."""
    state = WORKFLOWS["proposal"].state(proposal.state)
    return state.editable and authz.may_edit_dossier(who, proposal)


def _pick_entries(session, proposal: Proposal) -> dict[str, Any]:
    """The unit's people (narrowed by ``find``) and collectives, for the pick form."""
    find = (request.args.get("find") or request.form.get("find") or "")[:200]
    people = session.scalars(
        current_people()
        .where(Person.unit_id == proposal.unit_id, search(find))
        .order_by(Person.name_key, Person.id)
        .limit(PICK_LIMIT + 1)
    ).all()
    # The unit itself is offered as "unit", not by id: its register entry may not exist yet,
    # and this page is drawn in a read session, where creating it would not last.
    collectives = groups_of(session, proposal.unit_id)
    listed = session.execute(
        select(Nomination.person_id, Nomination.collective_id, Collective.kind)
        .outerjoin(Collective, Collective.id == Nomination.collective_id)
        .where(Nomination.proposal_id == proposal.id)
    ).all()
    return {
        "find": find,
        "listed": {f"person-{p}" for p, _c, _k in listed if p}
        | {"unit" if k == "unit" else f"collective-{c}" for _p, c, k in listed if c},
        "people": people[:PICK_LIMIT],
        "more_people": len(people) > PICK_LIMIT,
        "collectives": collectives,
    }


def render_list(
    proposal_id: int,
    *,
    problems: list[str] | None = None,
    kept: dict[str, Any] | None = None,
    status: int = 200,
):
    """The list's page; after a refused change, with the messages and what was typed."""
    session, who = get_session(), current_actor()
    proposal = load_list(session, proposal_id, who)
    chosen = _filter()
    page = paginate(session, listing.rows_query(proposal.id, chosen), ROWS_PER_PAGE)
    editable = _editable(proposal, who)
    context = {
        "proposal": proposal,
        "unit": session.get(Unit, proposal.unit_id),
        "page": page,
        "chosen": chosen,
        "counts": listing.row_counts(session, [proposal.id])[proposal.id],
        "awards_in_list": listing.award_counts(session, proposal.id),
        "awards": session.scalars(
            select(AwardType).where(AwardType.active.is_(True)).order_by(AwardType.id)
        ).all(),
        "row_states": WORKFLOWS["nomination"].states,
        "row_initial": WORKFLOWS["nomination"].initial,
        # Rows whose reason the unit must read: sent back to it, or ended by the Office.
        "reason_states": [
            s.name
            for s in WORKFLOWS["nomination"].states
            if (s.editable and s.name != WORKFLOWS["nomination"].initial)
            or (s.terminal and not s.public and not s.retracted)
        ],
        "council_reasons": listing.council_reasons(session, [r.id for r in page.items]),
        "editable": editable,
        "register": _pick_entries(session, proposal) if editable else None,
        "may_review": authz.may_review_in_bulk(who),
        "may_decide": authz.may_run_council(who),
        "sessions": open_sessions(session) if authz.may_run_council(who) else [],
        # The unit sees its rows' checks while it drafts, as on a nomination's own page.
        "see_checks": authz.may_see_eligibility(who)
        or authz.may_see_register_of(who, proposal.unit_id),
        "decline": bulk.office_action("nomination", bulk.DECLINE) is not None,
        "problems": problems or [],
        "kept": kept or {},
        "today": today(),
    }
    return render_template("proposals/list.html", **context), status


@bp.route("/<int:proposal_id>")
@requires(authz.is_signed_in)
def detail(proposal_id: int):
    return render_list(proposal_id)


@bp.app_template_global()
def list_summary(proposal_id: int) -> dict[str, Any]:
    """What a list's dossier page shows of its rows: how many, per award and per result."""
    session = get_session()
    return {
        "counts": listing.row_counts(session, [proposal_id])[proposal_id],
        "awards": listing.award_counts(session, proposal_id),
        "states": WORKFLOWS["nomination"].states,
    }
