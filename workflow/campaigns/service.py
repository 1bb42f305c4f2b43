"""Campaigns managed by the Office: windows, due dates, kind, the awards they admit, the units
taking part and the emulation targets. Every change is one audit event of the campaign.

An update locks the campaign and may name the version the person's form was drawn with: when
someone else saved the campaign since, it is refused (StaleVersion) and nothing changes.

Report figures live in ``workflow.dossiers.figures`` and practices in ``workflow.practices``; their
entry points are re-exported here so the campaign service has one import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from models import (
    AuditEvent,
    AwardType,
    Campaign,
    CampaignAward,
    CampaignUnit,
    ReportFigure,
    Target,
    Unit,
)
from models.campaigns import CAMPAIGN_KINDS, TARGET_COMPARISONS, TARGET_KINDS
from models.clock import utcnow
from models.text import nfc, whole_number, whole_numbers
from workflow.campaigns.guards import CAMPAIGN_MESSAGES, takes_part, targets_of
from workflow.campaigns.targets import PROBLEMS, number_text, parse_number
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import OFFICE, first_role, may_manage_campaigns, refuse_unless
from workflow.core.dates import parse_day
from workflow.core.errors import EditRefused, NotFound, Violation, refuse_if_stale
from workflow.core.inputs import field_required, field_too_long

__all__ = [
    "CAMPAIGN_KINDS",
    "KIND_LABELS",
    "TargetRow",
    "save_campaign",
    "takes_part",
    "targets_of",
    "chosen_unit_ids",
    "admitted_award_ids",
    "pickers_order",
]

KIND_LABELS = {
    "annual": ("Phong trào thi đua thường xuyên (hằng năm)", "Yearly emulation movement"),
    "periodic": ("Đợt thi đua", "Emulation period"),
    "thematic": ("Thi đua theo chuyên đề", "Thematic emulation"),
    "ad_hoc": ("Khen thưởng đột xuất", "Ad-hoc commendation"),
}
# field: (Vietnamese label, English label, max length; 0 = not text)
FIELDS = {
    "code": ("Mã phong trào", "Code", 40),
    "name": ("Tên phong trào", "Name", 400),
    "description": ("Mô tả", "Description", 20000),
    "kind": ("Loại phong trào", "Kind", 0),
    "year": ("Năm", "Year", 0),
    "opens_on": ("Ngày bắt đầu nhận hồ sơ", "Opens on", 0),
    "closes_on": ("Ngày kết thúc nhận hồ sơ", "Closes on", 0),
    "plan_due": ("Hạn nộp kế hoạch", "Plan due", 0),
    "report_due": ("Hạn nộp báo cáo", "Report due", 0),
    "late_allowed": ("Cho phép nộp muộn", "Late allowed", 0),
    "active": ("Đang diễn ra", "Active", 0),
    "all_units": ("Tất cả đơn vị tham gia", "All units take part", 0),
}
_DATES = ("opens_on", "closes_on", "plan_due", "report_due")
_BOOLS = ("late_allowed", "active", "all_units")


@dataclass
class TargetRow:
    """One target as typed on the campaign form; ``id`` None for a new one."""

    id: int | None = None
    code: str = ""
    title_vi: str = ""
    title_en: str = ""
    kind: str = "percent"
    comparison: str = "at_least"
    threshold: Any = ""
    remove: bool = False

    @property
    def blank(self) -> bool:
        return self.id is None and not (nfc(self.code) or nfc(self.title_vi) or nfc(self.title_en))


def pickers_order(campaign: Campaign) -> tuple:
    """Sort key of campaign pickers: ad-hoc commendation first (fast-tracked), newest year next."""
    return (not campaign.is_ad_hoc, -campaign.year, campaign.name)


def chosen_unit_ids(session: Session, campaign_id: int) -> list[int]:
    """Ids of the units chosen for a campaign that does not take every unit."""
    return sorted(
        session.scalars(select(CampaignUnit.unit_id).where(CampaignUnit.campaign_id == campaign_id))
    )


def admitted_award_ids(session: Session, campaign_id: int) -> list[int]:
    """Ids of the award types a campaign admits (none: every award)."""
    return sorted(
        session.scalars(
            select(CampaignAward.award_type_id).where(CampaignAward.campaign_id == campaign_id)
        )
    )


def _label(name: str) -> dict[str, str]:
    vi, en, _ = FIELDS[name]
    return {"field": vi, "field_en": en}


def _date(value: Any) -> tuple[dt.date | None, bool]:
    """(date or None, valid) from a date, dd/mm/yyyy or an ISO string."""
    if value is None or not str(value).strip():
        return None, True
    day = parse_day(value)
    return day, day is not None


def _flag(value: Any) -> bool:
    return bool(value) and str(value).lower() not in ("0", "false", "off", "")


def _clean(
    session: Session, values: Mapping[str, Any], campaign_id: int | None
) -> tuple[dict[str, Any], list[Violation]]:
    """Check and convert the campaign's own fields."""
    out, problems = {}, []
    for name in ("code", "name", "description"):
        text = nfc(str(values.get(name) or ""))
        vi, en, limit = FIELDS[name]
        if name != "description" and not text:
            problems.append(field_required((vi, en)))
        elif len(text) > limit:
            problems.append(field_too_long((vi, en), limit))
        out[name] = text or (None if name == "description" else text)
    out["code"] = out["code"].upper().replace(" ", "-")
    taken = (
        select(func.count())
        .select_from(Campaign)
        .where(Campaign.code == out["code"], Campaign.id != (campaign_id or -1))
    )
    if out["code"] and session.scalar(taken):
        problems.append(CAMPAIGN_MESSAGES.violation("campaign_code_taken", {"code": out["code"]}))
    out["kind"] = values.get("kind")
    if out["kind"] not in CAMPAIGN_KINDS:
        problems.append(CAMPAIGN_MESSAGES.violation("choice_invalid", _label("kind")))
    year = str(values.get("year") or "").strip()
    out["year"] = (
        number if (number := whole_number(year)) is not None and 2000 <= number <= 2100 else None
    )
    if out["year"] is None:
        problems.append(CAMPAIGN_MESSAGES.violation("year_invalid"))
    for name in _DATES:
        out[name], valid = _date(values.get(name))
        if not valid:
            problems.append(CAMPAIGN_MESSAGES.violation("date_invalid", _label(name)))
    for earlier, later in (
        ("opens_on", "closes_on"),
        ("opens_on", "plan_due"),
        ("plan_due", "report_due"),
    ):
        if out[earlier] and out[later] and out[later] < out[earlier]:
            problems.append(
                CAMPAIGN_MESSAGES.violation(
                    "dates_out_of_order",
                    {
                        "earlier": FIELDS[earlier][0],
                        "later": FIELDS[later][0],
                        "earlier_en": FIELDS[earlier][1],
                        "later_en": FIELDS[later][1],
                    },
                )
            )
    for name in _BOOLS:
        out[name] = _flag(values.get(name))
    return out, problems


def _ids(session: Session, model: type, raw: Iterable[Any]) -> list[int]:
    wanted = whole_numbers(raw)
    return sorted(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else []


def _target_problem(row: TargetRow, code: str) -> tuple[str, str] | None:
    if not nfc(row.title_vi):
        return ("vui lòng nhập tên chỉ tiêu.", "please give the target's title.")
    if len(nfc(row.title_vi)) > 400 or len(nfc(row.title_en)) > 400 or len(code) > 40:
        return ("tên hoặc mã chỉ tiêu quá dài.", "the title or code is too long.")
    if row.kind not in TARGET_KINDS or row.comparison not in TARGET_COMPARISONS:
        return (
            "vui lòng chọn loại chỉ tiêu và cách tính đạt.",
            "please choose the kind and the rule.",
        )
    return None


def _check_targets(
    session: Session, campaign_id: int | None, rows: list[TargetRow]
) -> tuple[list[tuple[TargetRow, dict]], list[Violation]]:
    """Validated (row, values) of the rows to keep; removals of targets with figures refused."""
    existing = {t.id: t for t in targets_of(session, campaign_id)} if campaign_id else {}
    kept, problems, codes = [], [], set()
    for position, row in enumerate(r for r in rows if not r.blank):
        if row.id is not None and row.id not in existing:
            continue  # not this campaign's target
        if row.remove:
            used = session.scalar(
                select(func.count())
                .select_from(ReportFigure)
                .where(ReportFigure.target_id == row.id)
            )
            if row.id is not None and used:
                problems.append(
                    CAMPAIGN_MESSAGES.violation(
                        "target_in_use", {"target": existing[row.id].title_vi}
                    )
                )
            continue
        code = nfc(row.code).upper().replace(" ", "-") or f"CT{position + 1}"
        name = nfc(row.title_vi) or code
        issue = _target_problem(row, code)
        comparison = "at_least" if row.kind == "yes_no" else row.comparison
        threshold, number_issue = None, None
        if row.kind != "yes_no" and comparison != "above_baseline":
            threshold, number_issue = parse_number(row.threshold, row.kind)
            if threshold is None and number_issue is None:
                issue = issue or ("vui lòng nhập ngưỡng đạt.", "please give the threshold.")
        if number_issue:
            issue = issue or PROBLEMS[number_issue]
        if code in codes:
            problems.append(CAMPAIGN_MESSAGES.violation("target_code_taken", {"code": code}))
        codes.add(code)
        if issue:
            problems.append(
                CAMPAIGN_MESSAGES.violation(
                    "target_invalid", {"target": name, "problem": issue[0], "problem_en": issue[1]}
                )
            )
            continue
        kept.append(
            (
                row,
                {
                    "code": code,
                    "title_vi": nfc(row.title_vi),
                    "title_en": nfc(row.title_en) or nfc(row.title_vi),
                    "kind": row.kind,
                    "comparison": comparison,
                    "threshold": threshold,
                    "position": position,
                },
            )
        )
    return kept, problems


def _lock(session: Session, campaign_id: int) -> Campaign:
    """Lock and load the campaign, refreshed from the database so the version compared is the
    committed one (SQLite has no row locks; its writers are serialised by BEGIN IMMEDIATE)."""
    campaign = session.get(Campaign, campaign_id, with_for_update=True, populate_existing=True)
    if campaign is None:
        raise NotFound()
    return campaign


def save_campaign(
    session: Session,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    campaign_id: int | None = None,
    unit_ids: Iterable[Any] = (),
    award_ids: Iterable[Any] = (),
    targets: list[TargetRow] | None = None,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Campaign:
    """Create (``campaign_id`` None) or update a campaign with its participating units, admitted
    awards (none = all) and targets (None = leave them). Office reviewers and admins only;
    refuses with every problem at once. One audit event ("create" or "edit"). Never commits.

    An update with ``expected_version`` is refused (StaleVersion, nothing changed) when someone
    else saved the campaign since the person's form was drawn; any saved change moves the
    version by one. Moving a plan or report due date needs a ``reason``, kept in the audit
    event: the campaign's history shows why units were judged against another date."""
    now = now or utcnow()
    refuse_unless(may_manage_campaigns(actor), ("Quản lý phong trào thi đua", "Manage campaigns"))
    role = first_role(actor, OFFICE)
    campaign = _lock(session, campaign_id) if campaign_id is not None else Campaign()
    if campaign_id is not None:
        refuse_if_stale(
            campaign.version,
            expected_version,
            "campaign_stale_version",
            _state(campaign),
            CAMPAIGN_MESSAGES,
        )
    fields, problems = _clean(session, values, campaign_id)
    units = _ids(session, Unit, unit_ids)
    if not fields["all_units"] and not units:
        problems.append(CAMPAIGN_MESSAGES.violation("units_required"))
    if campaign_id is not None and not nfc(reason):
        problems += _unexplained_due_changes(campaign, fields)
    kept, target_problems = _check_targets(session, campaign_id, targets or [])
    if problems + target_problems:
        raise EditRefused(problems + target_problems)
    changes = {}
    for name, value in fields.items():
        old = getattr(campaign, name) if campaign_id else None
        if old != value:
            changes[name] = [old, value] if campaign_id else value
            setattr(campaign, name, value)
    if campaign_id is None:
        session.add(campaign)
    session.flush()
    own_fields_changed = bool(changes)
    chosen = [] if fields["all_units"] else units
    changes.update(_set_links(session, campaign.id, CampaignUnit, "unit_id", chosen, "units"))
    awards = _ids(session, AwardType, award_ids)
    changes.update(
        _set_links(session, campaign.id, CampaignAward, "award_type_id", awards, "awards")
    )
    if targets is not None:
        changes.update(_set_targets(session, campaign.id, kept))
    if campaign_id is not None and changes and not own_fields_changed:
        # Units, awards and targets live in other tables: force the campaign's UPDATE, so its
        # version moves (once) for them too.
        flag_modified(campaign, "name")
    if changes or campaign_id is None:
        audit.append(
            session,
            entity_type="campaign",
            entity_id=campaign.id,
            action="create" if campaign_id is None else "edit",
            actor_id=actor.user_id,
            actor_role=role.value,
            changes=_jsonable(changes),
            reason=nfc(reason) or None,
            now=now,
        )
    session.flush()
    return campaign


_DUE_KINDS = {"plan_due": ("kế hoạch", "plan"), "report_due": ("báo cáo", "report")}


def _unexplained_due_changes(campaign: Campaign, fields: Mapping[str, Any]) -> list[Violation]:
    """A refusal for each due date moved without a reason."""
    return [
        CAMPAIGN_MESSAGES.violation("due_change_reason_required", {"kind": vi, "kind_en": en})
        for name, (vi, en) in _DUE_KINDS.items()
        if fields[name] != getattr(campaign, name)
    ]


def _state(campaign: Campaign) -> tuple[str, str]:
    """The campaign's state as the stale-version message names it (Vietnamese, English)."""
    return ("Đang diễn ra", "Active") if campaign.active else ("Đã kết thúc", "Closed")


def _set_links(
    session: Session, campaign_id: int, model: type, column: str, wanted: list[int], key: str
) -> dict:
    current = sorted(
        session.scalars(select(getattr(model, column)).where(model.campaign_id == campaign_id))
    )
    if current == wanted:
        return {}
    session.execute(
        delete(model).where(model.campaign_id == campaign_id, getattr(model, column).not_in(wanted))
    )
    session.add_all(
        model(campaign_id=campaign_id, **{column: ident})
        for ident in wanted
        if ident not in current
    )
    return {key: [current, wanted]}


def _set_targets(session: Session, campaign_id: int, kept: list[tuple[TargetRow, dict]]) -> dict:
    existing = {t.id: t for t in targets_of(session, campaign_id)}
    keep_ids = {row.id for row, _ in kept if row.id is not None}
    changes: dict[str, Any] = {}
    for ident, target in existing.items():
        if ident not in keep_ids:
            changes.setdefault("removed", []).append(target.code)
            session.delete(target)
    session.flush()  # a removed code may be reused below
    for row, values in kept:
        target = existing.get(row.id) if row.id is not None else None
        if target is None:
            session.add(Target(campaign_id=campaign_id, **values))
            changes.setdefault("added", []).append(values["code"])
            continue
        diff = {
            k: [getattr(target, k), v]
            for k, v in values.items()
            if getattr(target, k) != v and k != "position"
        }
        for k, v in values.items():
            setattr(target, k, v)
        if diff:
            changes.setdefault("changed", {})[values["code"]] = diff
    return {"targets": changes} if changes else {}


def _jsonable(value: Any) -> Any:
    """Decimals as text for the audit log (it refuses floats and Decimals)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "as_tuple"):
        return number_text(value)
    return value


def campaign_history(session: Session, campaign_id: int) -> list[AuditEvent]:
    """The campaign's audit events, oldest first."""
    return audit.history(session, "campaign", campaign_id)
