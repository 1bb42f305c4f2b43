"""Campaign rules on dossiers: which units take part, which awards a campaign admits, the due
dates of plans and reports, and the figures a report gives for its campaign's targets.

The guards are wired into the lifecycles by ``workflow.lifecycles``; the campaigns' refusals are
worded by ``CAMPAIGN_MESSAGES`` below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from sqlalchemy import ColumnElement, bindparam, exists, select
from sqlalchemy.orm import Session, object_session

from models import (
    AwardType,
    Campaign,
    CampaignAward,
    CampaignUnit,
    Dossier,
    ReportFigure,
    Target,
    Unit,
)
from models.clock import local_day
from workflow.campaigns.deadlines import due_date
from workflow.core.context import GuardContext
from workflow.core.errors import Violation
from workflow.core.guards import guard
from workflow.core.judged import once, per_dossier
from workflow.core.messages import Messages

CAMPAIGN_MESSAGES = Messages(
    {
        "unit_not_taking_part": (
            "Đơn vị “{unit}” không tham gia phong trào “{campaign}”.",
            "The unit “{unit}” does not take part in the campaign “{campaign}”.",
        ),
        "award_not_admitted": (
            "Phong trào “{campaign}” không xét “{award}”. "
            "Danh hiệu, hình thức được xét: {admitted}.",
            "The campaign “{campaign}” does not admit “{award}”. Admitted: {admitted}.",
        ),
        "past_due": (
            "Đã quá hạn nộp {what} của phong trào “{campaign}” (hạn ngày {due}, hôm nay {day}); "
            "phong trào không nhận hồ sơ nộp muộn.",
            "The {what} for the campaign “{campaign}” was due on {due} (today is {day}); "
            "the campaign does not accept late submissions.",
        ),
        "figures_missing": (
            "Báo cáo chưa có số liệu cho các chỉ tiêu: {targets}.",
            "The report has no figure yet for these targets: {targets}.",
        ),
        "campaign_code_taken": (
            "Mã phong trào “{code}” đã được dùng cho phong trào khác.",
            "The campaign code “{code}” is already used.",
        ),
        "choice_invalid": (
            "Vui lòng chọn “{field}” trong danh sách.",
            "Please choose “{field}” from the list.",
        ),
        "date_invalid": (
            "“{field}”: ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026.",
            "“{field}”: dates are day/month/year, for example 05/12/2026.",
        ),
        "year_invalid": (
            "Năm phải là số từ 2000 đến 2100.",
            "The year must be a number from 2000 to 2100.",
        ),
        "dates_out_of_order": (
            "“{later}” không được trước “{earlier}”.",
            "“{later}” cannot be before “{earlier}”.",
        ),
        "due_change_reason_required": (
            "Hãy ghi lý do thay đổi hạn nộp {kind}: lý do được lưu trong lịch sử của phong "
            "trào. Hồ sơ đã gửi giữ nguyên “Đúng hạn” hay “Nộp muộn” như khi gửi.",
            "Give the reason for changing the {kind_en} due date: it is kept in the campaign's "
            "history. What was already sent keeps its “On time” or “Late” as judged then.",
        ),
        "units_required": (
            "Chọn ít nhất một đơn vị tham gia, hoặc chọn “Tất cả đơn vị”.",
            "Choose at least one participating unit, or “All units”.",
        ),
        "target_invalid": ("Chỉ tiêu “{target}”: {problem}", "Target “{target}”: {problem}"),
        "target_code_taken": (
            "Hai chỉ tiêu không được cùng mã “{code}”.",
            "Two targets cannot share the code “{code}”.",
        ),
        "target_in_use": (
            "Không thể xóa chỉ tiêu “{target}” vì đã có báo cáo nhập số liệu.",
            "The target “{target}” cannot be removed: reports already give figures for it.",
        ),
        "campaign_closed": (
            "Phong trào “{campaign}” không nhận hồ sơ vào ngày {day} "
            "(thời hạn {opens} – {closes}).",
            "The campaign “{campaign}” does not accept dossiers on {day} "
            "(window {opens} – {closes}).",
        ),
        "campaign_inactive": (
            "Phong trào “{campaign}” đã kết thúc.",
            "The campaign “{campaign}” is no longer active.",
        ),
        "ad_hoc_takes_nominations": (
            "“{campaign}” chỉ nhận đề nghị khen thưởng đột xuất, không nhận {what}.",
            "“{campaign}” takes ad-hoc nominations only, not a {what_en}.",
        ),
        "campaign_stale_version": (
            "Người khác đã thay đổi phong trào thi đua này trước bạn. "
            "Trạng thái hiện tại: “{state}”. "
            "Vui lòng xem lại nội dung hiện tại của phong trào thi đua rồi thực hiện lại.",
            "Someone else changed this emulation campaign first. It is now “{state}”. "
            "Please review its current content and try again.",
        ),
    }
)

_WHAT = {
    "plan": ("kế hoạch thi đua", "emulation plan"),
    "report": ("báo cáo kết quả", "results report"),
}


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def takes_part(campaign: Campaign, unit_id: int) -> bool:
    """True when ``unit_id`` takes part in ``campaign`` (every unit, or one of those chosen)."""
    if campaign.all_units:
        return True
    session = object_session(campaign)
    if session is None:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    CampaignUnit.campaign_id == campaign.id, CampaignUnit.unit_id == unit_id
                )
            )
        )
    )


def taking_part(unit_ids: Iterable[int]) -> ColumnElement[bool]:
    """WHERE clause on ``Campaign``: one of ``unit_ids`` takes part (as :func:`takes_part`)."""
    return Campaign.all_units.is_(True) | exists().where(
        CampaignUnit.campaign_id == Campaign.id, CampaignUnit.unit_id.in_(list(unit_ids))
    )


def participation_problem(session: Session, campaign: Campaign, unit_id: int) -> Violation | None:
    """The refusal for a unit that does not take part in ``campaign``, or None."""
    if takes_part(campaign, unit_id):
        return None
    unit = session.get(Unit, unit_id)
    return CAMPAIGN_MESSAGES.violation(
        "unit_not_taking_part", {"unit": unit.name if unit else unit_id, "campaign": campaign.name}
    )


def admitted_awards(session: Session, campaign_id: int) -> list[AwardType]:
    """The award types a campaign admits; an empty list means it admits every award."""
    return list(
        session.scalars(
            select(AwardType)
            .join(CampaignAward, CampaignAward.award_type_id == AwardType.id)
            .where(CampaignAward.campaign_id == campaign_id)
            .order_by(AwardType.name_vi)
        )
    )


def targets_of(session: Session, campaign_id: int) -> list[Target]:
    """A campaign's targets in their display order."""
    return list(
        session.scalars(
            select(Target)
            .where(Target.campaign_id == campaign_id)
            .order_by(Target.position, Target.id)
        )
    )


def figure_complete(target: Target, figure: ReportFigure | None) -> bool:
    """A figure counts when it has a value, and a baseline where the target compares with one."""
    if figure is None or figure.value is None:
        return False
    return (
        target.kind == "yes_no"
        or target.comparison != "above_baseline"
        or figure.baseline is not None
    )


def _figures(session: Session, report_ids: list[int]) -> dict[int, dict[int, ReportFigure]]:
    """The figures of each report, by target."""
    found: dict[int, dict[int, ReportFigure]] = {}
    stmt = select(ReportFigure).where(ReportFigure.report_id.in_(report_ids))
    for figure in session.scalars(stmt):
        found.setdefault(figure.report_id, {})[figure.target_id] = figure
    return found


def missing_targets(session: Session, report: Dossier) -> list[Target]:
    """The campaign's targets for which ``report`` gives no complete figure yet (its figures
    and targets read once for all the rows a page judges with it: ``workflow.core.judged``)."""
    figures = per_dossier(session, "report_figures", report.id, partial(_figures, session)) or {}
    targets = once(
        session, "targets", report.campaign_id, partial(targets_of, session, report.campaign_id)
    )
    return [t for t in targets if not figure_complete(t, figures.get(t.id))]


# --- guards ------------------------------------------------------------------------------


@guard("Đơn vị tham gia phong trào", "The unit takes part in the campaign")
def unit_takes_part(ctx: GuardContext) -> Violation | None:
    """The dossier's unit takes part in its campaign."""
    return participation_problem(ctx.session, ctx.dossier.campaign, ctx.dossier.unit_id)


@guard("Phong trào xét danh hiệu, hình thức được đề nghị", "The campaign admits the proposed award")
def award_admitted(ctx: GuardContext) -> Violation | None:
    """The nomination's award is one its campaign admits (a campaign listing none admits all)."""
    award_id = getattr(ctx.dossier, "award_type_id", None)
    if award_id is None:
        return None
    # Ids first; names only for the refusal.
    ids = _admitted_ids(ctx.session, ctx.dossier.campaign_id)
    if not ids or award_id in ids:
        return None
    admitted = admitted_awards(ctx.session, ctx.dossier.campaign_id)
    award = ctx.session.get(AwardType, award_id)
    return CAMPAIGN_MESSAGES.violation(
        "award_not_admitted",
        {
            "campaign": ctx.dossier.campaign.name,
            "award": award.name_vi,
            "award_en": award.name_en,
            "admitted": ", ".join(a.name_vi for a in admitted),
            "admitted_en": ", ".join(a.name_en for a in admitted),
        },
    )


_ADMITTED_IDS = select(CampaignAward.award_type_id).where(
    CampaignAward.campaign_id == bindparam("campaign_id")
)


def _admitted_ids(session: Session, campaign_id: int) -> frozenset[int]:
    """The award types ``campaign_id`` admits (none listed: all), read once for all the rows
    a page judges (a home page judges every dossier of its to-do list by this guard)."""
    return once(
        session,
        "admitted awards",
        campaign_id,
        lambda: frozenset(session.scalars(_ADMITTED_IDS, {"campaign_id": campaign_id})),
    )


def _past_due(campaign: Campaign, kind: str, now: dt.datetime) -> Violation | None:
    """A plan or report sent at ``now`` is past its due date and the campaign takes no late
    ones; None otherwise."""
    if campaign.late_allowed:
        return None
    due, day = due_date(campaign, kind), local_day(now)
    if due is None or day <= due:
        return None
    what_vi, what_en = _WHAT.get(kind, (kind, kind))
    return CAMPAIGN_MESSAGES.violation(
        "past_due",
        {
            "what": what_vi,
            "what_en": what_en,
            "campaign": campaign.name,
            "due": _day(due),
            "day": _day(day),
        },
    )


def _window_closed(campaign: Campaign, now: dt.datetime) -> Violation | None:
    """The campaign takes no regular nomination on ``now``'s day (in Việt Nam); None otherwise."""
    day = local_day(now)  # not the UTC date: 06:00 on 1/3 is 23:00 on 28/2 UTC
    if campaign.window_open(day):
        return None
    return CAMPAIGN_MESSAGES.violation(
        "campaign_closed",
        {
            "campaign": campaign.name,
            "day": _day(day),
            "opens": _day(campaign.opens_on),
            "closes": _day(campaign.closes_on),
        },
    )


def refusal_today(campaign: Campaign, kind: str, now: dt.datetime) -> Violation | None:
    """Why a new dossier of ``kind`` could not be sent in ``campaign`` at ``now`` (what the
    submission guards say of a regular dossier), or None when the campaign accepts it: a form
    offers only the campaigns this accepts. Plans and reports belong to regular campaigns; a
    nomination marked ad-hoc passes a closed window (``campaign_accepts``), but its place is the
    ad-hoc campaign, so a form leaves closed campaigns out."""
    if not campaign.active:
        return CAMPAIGN_MESSAGES.violation("campaign_inactive", {"campaign": campaign.name})
    if kind in _WHAT:
        if campaign.is_ad_hoc:
            what_vi, what_en = _WHAT[kind]
            return CAMPAIGN_MESSAGES.violation(
                "ad_hoc_takes_nominations",
                {"campaign": campaign.name, "what": what_vi, "what_en": what_en},
            )
        return _past_due(campaign, kind, now)
    return _window_closed(campaign, now)


@guard(
    "Gửi Sở đúng hạn, hoặc phong trào cho phép nộp muộn (khi đó hồ sơ được ghi “Nộp muộn”)",
    "Sent by the due date, or the campaign accepts late submissions (marked “Late”)",
)
def due_date_kept(ctx: GuardContext) -> Violation | None:
    """A plan or report is first sent by its due date (a Việt Nam calendar day), or the
    campaign accepts late submissions; a closed campaign takes none."""
    dossier = ctx.dossier
    campaign = dossier.campaign
    if not campaign.active:
        return CAMPAIGN_MESSAGES.violation("campaign_inactive", {"campaign": campaign.name})
    if dossier.sent_at is not None:
        return None
    return _past_due(campaign, dossier.kind, ctx.now)


@guard(
    "Có số liệu cho mọi chỉ tiêu thi đua của phong trào",
    "A figure for every emulation target of the campaign",
)
def figures_complete(ctx: GuardContext) -> Violation | None:
    """The report gives a figure for every target of its campaign."""
    missing = missing_targets(ctx.session, ctx.dossier)
    if not missing:
        return None
    return CAMPAIGN_MESSAGES.violation(
        "figures_missing",
        {
            "targets": "; ".join(t.title_vi for t in missing),
            "targets_en": "; ".join(t.title_en for t in missing),
        },
    )


@guard(
    "Phong trào đang nhận hồ sơ (trong thời hạn), hoặc là khen thưởng đột xuất",
    "The campaign is taking dossiers (within its window), or the nomination is ad-hoc",
)
def campaign_accepts(ctx: GuardContext) -> Violation | None:
    """The campaign takes dossiers today, or the nomination is ad-hoc (đột xuất)."""
    campaign = ctx.dossier.campaign
    if not campaign.active:
        return CAMPAIGN_MESSAGES.violation("campaign_inactive", {"campaign": campaign.name})
    if getattr(ctx.dossier, "ad_hoc", False):
        return None
    return _window_closed(campaign, ctx.now)
