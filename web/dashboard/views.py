"""The dashboard of a campaign, the lists behind its figures, and its exports.

Every page refuses (403) anyone but the Office, the Council's secretary and administrators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from models import Campaign, Target
from web.auth.user import current_actor
from web.campaigns.presenters import show_number
from web.dashboard import bp
from web.dashboard.presenters import Links, result_label, shown, status_label
from web.db import get_session
from web.home.links import register
from web.jobs import submit, tasks
from web.support.access import requires
from web.support.downloads import XLSX_CONTENT_TYPE, send_download
from web.support.i18n import pick
from web.support.listing import Page, page_number, paginate
from web.support.parsing import whole_number
from web.support.templating import kind_label
from workflow.campaigns.participation import STATUSES, SUBMISSION_KINDS
from workflow.core import authz
from workflow.core.registry import WORKFLOWS
from workflow.reporting import dashboard, exports
from workflow.reporting.dashboard import RESULTS

register(bp)


def campaign_of_request(session, required: bool = True) -> Campaign | None:
    """``?campaign=<id>`` (404 when unknown), else this year's active annual campaign."""
    raw = request.args.get("campaign")
    if raw:
        campaign = session.get(Campaign, whole_number(raw) or 0)
        if campaign is None:
            abort(404)
        return campaign
    campaign = dashboard.default_campaign(session, dashboard.today_local())
    if campaign is None and required:
        abort(404)
    return campaign


# The campaign select's choices: the three columns it shows, not ORM objects.
_CAMPAIGNS = select(Campaign.id, Campaign.name, Campaign.year).order_by(
    Campaign.year.desc(), Campaign.name
)


def _campaigns(session) -> list:
    return list(session.execute(_CAMPAIGNS))


@bp.route("/")
@requires(authz.may_view_dashboard)
def index():
    actor, session = current_actor(), get_session()
    campaign = campaign_of_request(session, required=False)
    if campaign is None:
        return render_template("dashboard/index.html", campaign=None, campaigns=[])
    board = dashboard.campaign_dashboard(
        session, campaign, max_age=current_app.config["DASHBOARD_MAX_AGE"]
    )
    drawn = shown(board, Links(actor, campaign))
    return render_template(
        "dashboard/index.html",
        campaign=campaign,
        campaigns=_campaigns(session),
        board=board,
        view=drawn.view,
        status_label=status_label,
        may_remind=authz.may_remind_units(actor),
        submission_chart=drawn.submission_chart,
        target_chart=drawn.target_chart,
        charts=drawn.charts,
    )


def _year(session) -> tuple[int, list[int]]:
    """``?year=`` (404 when no campaign has it), else the newest year with a campaign."""
    years = dashboard.campaign_years(session)
    raw = request.args.get("year")
    year = whole_number(raw) if raw else (years[0] if years else dashboard.today_local().year)
    if raw and year not in years:
        abort(404)
    return year, years


@bp.route("/year")
@requires(authz.may_view_dashboard)
def year():
    session = get_session()
    chosen, years = _year(session)
    return render_template(
        "dashboard/year.html",
        year=chosen,
        years=years,
        board=dashboard.year_dashboard(session, chosen) if years else None,
        today=dashboard.today_local(),
    )


@bp.route("/year/export.xlsx")
@requires(authz.may_view_dashboard)
def year_export_xlsx():
    session = get_session()
    chosen, years = _year(session)
    if not years:
        abort(404)
    return send_download(
        exports.year_workbook(session, chosen), f"tong-hop-nam-{chosen}.xlsx", XLSX_CONTENT_TYPE
    )


def _target(session, campaign: Campaign) -> Target | None:
    target_id = whole_number(request.args.get("target"))
    if target_id is None:
        return None
    target = session.get(Target, target_id)
    if target is None or target.campaign_id != campaign.id:
        abort(404)
    return target


def _title(target: Target) -> str:
    return pick(target.title_vi, target.title_en)


def _units_heading(target: Target | None, kind: str, status: str | None, result: str | None) -> str:
    if target is not None:
        if result is None:
            return _("Chỉ tiêu “%(title)s”: các đơn vị tham gia", title=_title(target))
        return _(
            "Chỉ tiêu “%(title)s”: đơn vị %(result)s",
            title=_title(target),
            result=result_label(result).lower(),
        )
    if status is None:
        return _("%(kind)s: các đơn vị tham gia", kind=kind_label(kind))
    return _(
        "%(kind)s: đơn vị %(status)s", kind=kind_label(kind), status=status_label(status).lower()
    )


@bp.route("/units")
@requires(authz.may_view_dashboard)
def units():
    """The units behind a figure: a plan/report status, or a target's result; with their
    heads' contacts, so this is also the list of whom to chase."""
    session = get_session()
    campaign = campaign_of_request(session)
    target = _target(session, campaign)
    kind = request.args.get("kind") if request.args.get("kind") in SUBMISSION_KINDS else "plan"
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    result = request.args.get("result") if request.args.get("result") in RESULTS else None
    lines = dashboard.unit_lines(session, campaign, dashboard.today_local())
    if target is not None:
        lines = dashboard.filter_lines(lines, target_id=target.id, result=result)
    else:
        lines = dashboard.filter_lines(lines, kind=kind, status=status)
    per_page = current_app.config["PAGE_SIZE"]
    page = min(page_number(), max(1, math.ceil(len(lines) / per_page)))
    start = (page - 1) * per_page
    return render_template(
        "dashboard/units.html",
        heading=_units_heading(target, kind, status, result),
        campaign=campaign,
        target=target,
        kind=kind,
        status=status,
        result=result,
        status_label=status_label,
        result_label=result_label,
        show_number=show_number,
        page=Page(lines[start : start + per_page], len(lines), page, per_page),
    )


def _nomination_filters(args: Mapping[str, str]) -> dict:
    """The list's filters from the query string; unknown values are ignored."""
    state = args.get("state")
    nominee = args.get("nominee")
    direct = {"1": True, "0": False}.get(args.get("direct", ""))
    return {
        "state": state if state in WORKFLOWS["nomination"].state_names else None,
        "award_type_id": whole_number(args.get("award")),
        "unit_id": whole_number(args.get("unit")),
        "ad_hoc": args.get("ad_hoc") == "1",
        "direct": direct,
        "nominee_kind": nominee if nominee in ("individual", "collective") else None,
        "in_progress": args.get("stage") == "in_progress",
    }


@bp.route("/nominations")
@requires(authz.may_view_dashboard)
def nominations():
    """The nominations behind a figure, for the figures the Office queue cannot filter on
    (ad-hoc, direct workers, in progress) and for people who do not use that queue."""
    actor, session = current_actor(), get_session()
    campaign = campaign_of_request(session)
    filters = _nomination_filters(request.args)
    page = paginate(
        session,
        dashboard.nominations_behind(actor, campaign, **filters),
        current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "dashboard/nominations.html", campaign=campaign, filters=filters, page=page
    )


@bp.route("/export.xlsx", methods=["GET", "POST"])
@requires(authz.may_view_dashboard)
def export_xlsx():
    session = get_session()
    campaign = campaign_of_request(session)
    if current_app.config.get("REDIS_URL"):
        # A city's campaign holds thousands of rows: made by the worker, with its progress
        # shown on the jobs page, and downloaded from there (inline when Redis is down).
        # Queued by a POST only: a GET leads back to the page whose button posts.
        if request.method != "POST":
            return redirect(url_for("dashboard.index", campaign=campaign.id))
        submitted = submit(
            "export",
            tasks.campaign_workbook,
            campaign.id,
            user_id=current_user.id,
            inline=False,
            target=str(campaign.id),
        )
        if submitted.queued:
            flash(_workbook_queued(campaign.name, submitted.again), "info")
            return redirect(url_for("office.jobs"), 303)
    body = exports.campaign_workbook(session, campaign)
    return send_download(body, f"tong-hop-{campaign.code}.xlsx", XLSX_CONTENT_TYPE)


def _workbook_queued(name: str, again: bool) -> str:
    if again:
        return _(
            "Bảng tổng hợp của đợt “%(name)s” đang được tạo theo yêu cầu trước của bạn.", name=name
        )
    return _("Đang tạo bảng tổng hợp của đợt “%(name)s”; tải về tại đây khi xong.", name=name)


@bp.route("/export.csv")
@requires(authz.may_view_dashboard)
def export_csv():
    session = get_session()
    campaign = campaign_of_request(session)
    return send_download(
        exports.unit_results_csv(session, campaign),
        f"ket-qua-don-vi-{campaign.code}.csv",
        "text/csv",  # the charset is added for any text type
    )
