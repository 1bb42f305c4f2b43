"""The unit's list of dossiers, the dossier page and its transitions.

Refusals of a transition (the engine decides, whatever the browser sent; nothing changes):
- not visible to this person → 404 page; not permitted for this person → 403 page;
- a rule not met (missing reason, no quorum, wrong state…) or someone acting first (stale
  version, the message naming the current state) → the fresh dossier page with status 409,
  the engine's messages next to the action and what was typed kept; when the form came from
  another page (``next``), that page drawn again the same way if it registered how
  (``redraws_refused_actions``), else a flash naming the dossier and a redirect back there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, NamedTuple

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, with_polymorphic

from models import AwardType, Campaign, Dossier, Nomination, Unit
from models.clock import local_day, utcnow
from models.text import fold, like_escaped, vi_sort_key
from web.db import get_session
from web.dossiers import bp
from web.dossiers.common import (
    KINDS,
    actor,
    detail_url,
    load_visible,
    max_file_bytes,
    member_units,
)
from web.dossiers.presenters import detail_context, share_with_checks, state_text
from web.home.links import dossier_url
from web.support.access import requires
from web.support.i18n import pick
from web.support.listing import paginate, sort_order
from web.support.parsing import posted_version, whole_number
from web.support.redirects import local_target
from web.support.refusals import Refusal, commit_or_answer, redraw_refused_action
from workflow.awards import eligibility
from workflow.core import authz, engine
from workflow.core.actors import Actor
from workflow.core.audit import AppendedEvent
from workflow.core.authz import visible_dossiers
from workflow.core.inputs import field_names
from workflow.core.registry import WORKFLOWS, all_state_names

LISTED = with_polymorphic(Dossier, [Nomination])
SORTS = {
    "updated": LISTED.updated_at,
    "created": LISTED.created_at,
    "title": LISTED.title,
    "state": LISTED.state,
    "kind": LISTED.kind,
    "id": LISTED.id,
}


class Named(NamedTuple):
    name: str


class AwardName(NamedTuple):
    name_vi: str
    name_en: str


class CampaignDue(NamedTuple):
    """What a row shows of its campaign, and what its late badge reads."""

    name: str
    plan_due: dt.date | None
    report_due: dt.date | None


class ListedDossier(NamedTuple):
    """A row of the unit's list: the columns it shows, read as plain rows (loading every
    kind's entities, with their mappers' machinery, cost more than the page around them), under
    the names the template and ``late_badge`` read on a dossier."""

    id: int
    kind: str
    title: str
    state: str
    updated_at: dt.datetime
    sent_at: dt.datetime | None
    sent_late: bool | None
    return_reason: str | None
    nominee_name: str | None
    ad_hoc: bool | None
    direct_worker: bool | None
    unit: Named
    campaign: CampaignDue
    award_type: AwardName | None


LISTED_COLUMNS = (
    LISTED.id,
    LISTED.kind,
    LISTED.title,
    LISTED.state,
    LISTED.updated_at,
    LISTED.sent_at,
    LISTED.sent_late,
    LISTED.return_reason,
    LISTED.Nomination.nominee_name,
    LISTED.Nomination.ad_hoc,
    LISTED.Nomination.direct_worker,
    Unit.name,
    Campaign.name,
    Campaign.plan_due,
    Campaign.report_due,
    AwardType.name_vi,
    AwardType.name_en,
)


def _listed(row: Any) -> ListedDossier:
    award = AwardName(row[15], row[16]) if row[15] is not None else None
    return ListedDossier(*row[:11], Named(row[11]), CampaignDue(row[12], row[13], row[14]), award)


def _page_rows(scoped):
    """``scoped`` with the columns a row shows."""
    return (
        scoped.with_only_columns(*LISTED_COLUMNS, maintain_column_froms=True)
        .join(Unit, Unit.id == LISTED.unit_id)
        .join(Campaign, Campaign.id == LISTED.campaign_id)
        .outerjoin(AwardType, AwardType.id == LISTED.Nomination.award_type_id)
    )


def _filters(units: list) -> dict[str, Any]:
    args = request.args
    unit_ids = {u.id for u in units}
    unit = whole_number(args.get("unit"))
    unit = unit if unit in unit_ids else None
    return {
        "kind": args.get("kind") if args.get("kind") in KINDS else None,
        "state": args.get("state") if args.get("state") in all_state_names() else None,
        "campaign": whole_number(args.get("campaign")),
        "unit": unit,
        "q": args.get("q", "").strip()[:100],
    }


def _scoped(who: Actor, unit_ids: list[int], chosen: dict[str, Any]):
    """The unit's dossiers narrowed by ``chosen`` (their ids; the page's columns are joined
    by ``_page_rows``)."""
    stmt = select(LISTED.id).where(visible_dossiers(who), LISTED.unit_id.in_(unit_ids))
    if chosen["unit"]:
        stmt = stmt.where(LISTED.unit_id == chosen["unit"])
    if chosen["kind"]:
        stmt = stmt.where(LISTED.kind == chosen["kind"])
    if chosen["campaign"]:
        stmt = stmt.where(LISTED.campaign_id == chosen["campaign"])
    if chosen["q"]:
        stmt = stmt.where(
            or_(
                func.lower(LISTED.title).like(
                    f"%{like_escaped(chosen['q'].lower())}%", escape="\\"
                ),
                LISTED.Nomination.search_key.like(
                    f"%{like_escaped(fold(chosen['q']))}%", escape="\\"
                ),
            )
        )
    return stmt


def _state_choices(kind: str | None) -> list[tuple[str, str, str]]:
    """(state, label, tone) of the states of ``kind`` (or of every kind)."""
    kinds = [kind] if kind else list(KINDS)
    seen: dict[str, tuple[str, str, str]] = {}
    for name in all_state_names():
        for k in kinds:
            if name in WORKFLOWS[k].state_names and name not in seen:
                seen[name] = (name, state_text(k, name), WORKFLOWS[k].state(name).tone.value)
    return list(seen.values())


def _campaign_choices(session: Session, who: Actor, unit_ids: list[int]) -> list[Any]:
    """(id, name, year) of the campaigns the unit may file in or has filed in, newest first."""
    used = select(Dossier.campaign_id).where(visible_dossiers(who), Dossier.unit_id.in_(unit_ids))
    rows = session.execute(
        select(Campaign.id, Campaign.name, Campaign.year).where(
            or_(Campaign.active.is_(True), Campaign.id.in_(used))
        )
    ).all()
    return sorted(rows, key=lambda c: (-c.year, vi_sort_key(c.name)))


@bp.route("/")
@requires(
    authz.may_draft,
    refusal=_l("Trang này dành cho cán bộ thi đua và thủ trưởng đơn vị."),
)
def unit_list():
    session, who = get_session(), actor()
    units = member_units(session, who)
    unit_ids = [u.id for u in units]
    chosen = _filters(units)
    sort_key, order = sort_order(SORTS, "-updated")
    scoped = _scoped(who, unit_ids, chosen)
    counts = _state_counts(session, scoped)  # before the state filter: the chips show every state
    if chosen["state"]:
        scoped = scoped.where(LISTED.state == chosen["state"])
    page = paginate(
        session,
        _page_rows(scoped).order_by(*order, LISTED.id.desc()),
        current_app.config.get("PAGE_SIZE", 20),
        scalars=False,
        # The chips' counts are the list's: no second count.
        total=counts.get(chosen["state"], 0) if chosen["state"] else sum(counts.values()),
    )
    page = replace(page, items=[_listed(row) for row in page.items])
    filtered = any(chosen[k] for k in ("kind", "state", "campaign", "unit", "q"))
    return render_template(
        "dossiers/list.html",
        page=page,
        units=units,
        chosen=chosen,
        sort=sort_key,
        counts=counts,
        states=_state_choices(chosen["kind"]),
        campaigns=_campaign_choices(session, who, unit_ids),
        filtered=filtered,
        kinds=KINDS,
        dossier_url=dossier_url,
    )


def _state_counts(session: Session, scoped) -> dict[str, int]:
    # Grouped in place, not over a subquery of every column (whose proxies cost more to build
    # than the count).
    counts = (
        scoped.order_by(None)
        .with_only_columns(LISTED.state, func.count(), maintain_column_froms=True)
        .group_by(LISTED.state)
    )
    return dict(session.execute(counts).all())


def render_detail(
    session: Session,
    dossier: Dossier,
    who: Actor,
    failed: dict | None = None,
    status: int = 200,
    failed_reply: dict | None = None,
):
    """The dossier page (``failed``: the action that was just refused, with what was typed;
    ``failed_reply``: the same for a reply to a return's point)."""
    workflow_url = (
        url_for("workflow_pages.index")
        if "workflow_pages.index" in current_app.view_functions
        else None
    )
    now = utcnow()
    day = local_day(now)
    # The rules of the actions offered and the checklist shown read the same facts, and the
    # page only reads: the checks run once (``settled``), on what the page reads anyway.
    with eligibility.batch(session, day, (), settled=True):
        share_with_checks(session, dossier, day)
        context = detail_context(session, dossier, who)
        return render_template(
            "dossiers/detail.html",
            failed=failed or {},
            failed_reply=failed_reply or {},
            workflow_url=workflow_url,
            max_mb=max_file_bytes() // (1024 * 1024),
            now=now,
            **context,
        ), status


@bp.route("/<int:dossier_id>")
@requires(authz.is_signed_in)
def detail(dossier_id: int):
    session, who = get_session(), actor()
    return render_detail(session, load_visible(session, dossier_id, who, nominee=True), who)


@bp.route("/<int:dossier_id>/actions/<trigger>", methods=["POST"])
@requires(authz.is_signed_in)
def fire(dossier_id: int, trigger: str):
    session, who = get_session(), actor()
    # What a transition form may post: the fields its inputs declare (workflow.core.inputs).
    inputs = {k: request.form[k] for k in field_names() if k in request.form}
    back = local_target(request.form.get("next"), detail_url(dossier_id))

    def answer(refusal: Refusal):
        # Show the fresh page with what was typed, so nothing is lost.
        dossier = load_visible(session, dossier_id, who)
        failed = {
            "dossier_id": dossier.id,
            "dossier_title": dossier.title,
            "trigger": trigger,
            "label": _action_label(dossier.kind, trigger),
            "values": inputs,
            "messages": refusal.messages,
            "stale": refusal.stale,
        }
        if request.form.get("next"):
            redrawn = redraw_refused_action(back, failed, refusal.status)
            if redrawn is not None:
                return redrawn
            refusal.flash(
                stale_category="warning",
                lead=_(
                    "Chưa thực hiện được “%(action)s” cho hồ sơ số %(id)d “%(title)s”",
                    action=failed["label"],
                    id=dossier.id,
                    title=dossier.title,
                ),
            )
            return redirect(back)
        return render_detail(session, dossier, who, failed, refusal.status)

    def change() -> tuple[AppendedEvent, str]:
        event = engine.fire(
            session,
            dossier_id,
            trigger,
            who,
            inputs=inputs,
            expected_version=posted_version(),
            from_form=True,
        )
        # Still in the session until the commit: after it, reading the kind is a query.
        return event, session.get(Dossier, dossier_id).kind

    event, kind = commit_or_answer(session, change, answer, rule_status=409)
    flash(
        _(
            "Đã thực hiện: %(action)s. Trạng thái mới: %(state)s.",
            action=_action_label(kind, trigger),
            state=state_text(kind, event.to_state),
        ),
        "success",
    )
    return redirect(back)


def _action_label(kind: str, trigger: str) -> str:
    try:
        tdef = WORKFLOWS[kind].transition(trigger)
    except KeyError:
        return trigger
    return pick(tdef.label_vi, tdef.label_en)


# Creating, editing and evidence live in their own modules.
from web.dossiers import editing, files, replies  # noqa: E402,F401
