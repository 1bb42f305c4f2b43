"""The Office's campaign pages: the list, and one form to create or edit a campaign with its
windows, due dates, admitted awards, participating units and targets.

Only office reviewers and administrators: anyone else gets 403 from the server (the service
refuses too). A refused form comes back with everything that was typed. The edit form posts
the version it was drawn with: when someone else saved the campaign first, it comes back (409)
with everything typed and the current version, so saving again applies it.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AwardType, Campaign, CampaignAward, CampaignUnit, Target, Unit, User
from models.campaigns import TARGET_COMPARISONS, TARGET_KINDS
from models.text import vi_sort_key
from web.auth.user import current_actor
from web.campaigns import bp
from web.campaigns.presenters import number_input
from web.db import get_session
from web.support.access import requires
from web.support.i18n import pick
from web.support.parsing import posted_version, whole_number, whole_numbers
from web.support.refusals import Refusal, commit_or_answer
from workflow.campaigns import service as svc
from workflow.campaigns.targets import COMPARISON_LABELS, TARGET_KIND_LABELS
from workflow.core import authz

MAX_TARGET_ROWS = 60
BLANK_ROWS = 3


@bp.route("/")
@requires(authz.may_manage_campaigns)
def index():
    session = get_session()
    campaigns = sorted(
        session.scalars(select(Campaign)), key=lambda c: (not c.active, *svc.pickers_order(c))
    )
    return render_template(
        "campaigns/list.html", campaigns=campaigns, kinds=svc.KIND_LABELS, counts=_counts(session)
    )


def _counts(session: Session) -> dict[str, dict[int, int]]:
    """Per campaign: chosen units, admitted awards and targets."""
    out = {}
    for key, model in (("units", CampaignUnit), ("awards", CampaignAward), ("targets", Target)):
        out[key] = dict(
            session.execute(
                select(model.campaign_id, func.count()).group_by(model.campaign_id)
            ).all()
        )
    return out


def _values_of(campaign: Campaign | None) -> dict[str, Any]:
    if campaign is None:
        return {"kind": "periodic", "active": "1", "all_units": "1"}
    values = {name: getattr(campaign, name) for name in svc.FIELDS}
    for name in ("opens_on", "closes_on", "plan_due", "report_due"):
        values[name] = values[name].isoformat() if values[name] else ""
    for name in ("late_allowed", "active", "all_units"):
        values[name] = "1" if values[name] else ""
    values["version"] = str(campaign.version)
    return values


def _rows_of(session: Session, campaign_id: int | None) -> list[svc.TargetRow]:
    if campaign_id is None:
        return []
    return [
        svc.TargetRow(
            id=t.id,
            code=t.code,
            title_vi=t.title_vi,
            title_en=t.title_en,
            kind=t.kind,
            comparison=t.comparison,
            threshold=number_input(t.threshold),
        )
        for t in svc.targets_of(session, campaign_id)
    ]


def _posted_rows() -> list[svc.TargetRow]:
    count = request.form.get("target_rows", "0")
    rows = []
    for i in range(min(whole_number(count) or 0, MAX_TARGET_ROWS)):
        get = lambda name, i=i: request.form.get(f"t{i}-{name}", "").strip()  # noqa: E731
        rows.append(
            svc.TargetRow(
                id=whole_number(get("id")),
                code=get("code"),
                title_vi=get("title_vi"),
                title_en=get("title_en"),
                kind=get("kind"),
                comparison=get("comparison") or "at_least",
                threshold=get("threshold"),
                remove=bool(get("remove")),
            )
        )
    return rows


def _render(
    session: Session,
    campaign: Campaign | None,
    values: dict,
    unit_ids: set,
    award_ids: set,
    rows: list,
    refusal: Refusal | None = None,
):
    """The form with what it holds; after a refusal, with its messages and status."""
    rows = rows + [svc.TargetRow() for _ in range(max(0, BLANK_ROWS - sum(r.blank for r in rows)))]
    units = sorted(
        session.scalars(select(Unit).where(Unit.active.is_(True))),
        key=lambda u: vi_sort_key(u.name),
    )
    awards = sorted(
        session.scalars(select(AwardType).where(AwardType.active.is_(True))),
        key=lambda a: (a.nominee_kind, vi_sort_key(a.name_vi)),
    )
    return render_template(
        "campaigns/form.html",
        campaign=campaign,
        values=values,
        unit_ids=unit_ids,
        award_ids=award_ids,
        rows=rows,
        units=units,
        awards=awards,
        problems=refusal.messages if refusal else [],
        stale=refusal is not None and refusal.stale,
        kinds=svc.KIND_LABELS,
        target_kinds=[(k, pick(*TARGET_KIND_LABELS[k])) for k in TARGET_KINDS],
        comparisons=[(k, pick(*COMPARISON_LABELS[k])) for k in TARGET_COMPARISONS],
        history=_history(session, campaign.id) if campaign else [],
    ), (refusal.status if refusal else 200)


def _history(session: Session, campaign_id: int) -> list[tuple[Any, str, str, list[str], Any]]:
    """(when, who, action, changed field labels, reason) of the campaign's audit events."""
    events = svc.campaign_history(session, campaign_id)
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
    labels = {
        **{k: pick(v[0], v[1]) for k, v in svc.FIELDS.items()},
        "units": _("Đơn vị tham gia"),
        "awards": _("Danh hiệu được xét"),
        "targets": _("Chỉ tiêu thi đua"),
    }
    out = []
    for event in events:
        action = _("Tạo phong trào") if event.action == "create" else _("Sửa phong trào")
        changed = [labels.get(key, key) for key in json.loads(event.changes or "{}")]
        out.append(
            (event.occurred_at, names.get(event.actor_id, ""), action, changed, event.reason)
        )
    return out


def _posted_values() -> dict[str, Any]:
    return {
        name: request.form.get(name, "") for name in (*svc.FIELDS, "version", "due_change_reason")
    }


def _save(session: Session, campaign: Campaign | None):
    """Create or update from the posted form; the form again with every problem if refused."""
    actor = current_actor()
    values, rows = _posted_values(), _posted_rows()
    unit_ids, award_ids = request.form.getlist("unit_ids"), request.form.getlist("award_ids")

    def answer(refusal: Refusal):
        values["version"] = refusal.version(values["version"])
        return _render(
            session,
            campaign,
            values,
            whole_numbers(unit_ids),
            whole_numbers(award_ids),
            rows,
            refusal=refusal,
        )

    saved = commit_or_answer(
        session,
        lambda: svc.save_campaign(
            session,
            actor,
            values,
            campaign_id=campaign.id if campaign else None,
            unit_ids=unit_ids,
            award_ids=award_ids,
            targets=rows,
            expected_version=posted_version(),
            reason=values["due_change_reason"],
        ),
        answer,
    )
    flash(_("Đã lưu phong trào “%(name)s”.", name=saved.name), "success")
    return redirect(url_for("campaigns.index"))


@bp.route("/new", methods=["GET", "POST"])
@requires(authz.may_manage_campaigns)
def create():
    session = get_session()
    if request.method == "POST":
        return _save(session, None)
    return _render(session, None, _values_of(None), set(), set(), [])


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@requires(authz.may_manage_campaigns)
def edit(campaign_id: int):
    session = get_session()
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    if request.method == "POST":
        return _save(session, campaign)
    return _render(
        session,
        campaign,
        _values_of(campaign),
        set(svc.chosen_unit_ids(session, campaign_id)),
        set(svc.admitted_award_ids(session, campaign_id)),
        _rows_of(session, campaign_id),
    )
