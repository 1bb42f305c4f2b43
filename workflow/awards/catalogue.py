"""The award catalogue as data: award types and their rules, changed by the admin, audited.

Rule kinds (what a rule's ``params`` hold, how it is worded and checked) are classes in
``workflow.awards.rules``; the rules here are cleaned and described by their kind.

Every change appends an audit event (entity ``award_type``) whose ``changes`` is the diff.

Optimistic locking: ``update_award`` locks the award type and may name the version the admin's
form was drawn with; when someone else saved the award since, it is refused (StaleVersion) and
nothing changes. Rule changes neither check nor move that version: a rule is a row of its own,
adding one overwrites nothing, and the award form (which carries the version) holds no rules, so
bumping it would refuse a field edit that conflicts with nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import AwardRule, AwardType
from models.awards import CONFERRING_AUTHORITIES, NOMINEE_KINDS, THRESHOLD_BASES
from models.text import nfc
from workflow.awards.rules import (
    CATALOGUE_MESSAGES,
    NOMINEE_CHOICES,
    Evidence,
    invalid_field,
    kind_of,
    whole_number_in,
)
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_manage_awards, refuse_unless
from workflow.core.dates import DATE_RULE, parse_day
from workflow.core.errors import Violation, WorkflowError, refuse_if_stale
from workflow.core.shares import parse_share, share_text

AUTHORITIES: dict[str, tuple[str, str]] = {
    "unit_head": ("Thủ trưởng đơn vị", "Head of the unit"),
    "department_director": ("Giám đốc Sở", "Director of the Department"),
    "city_chairman": ("Chủ tịch UBND thành phố", "Chairman of the City People's Committee"),
    "ministry": ("Bộ trưởng Bộ Giáo dục và Đào tạo", "Minister of Education and Training"),
    "higher": (
        "Cấp trên khác (Thủ tướng Chính phủ, Chủ tịch nước)",
        "Higher (Prime Minister, President)",
    ),
}
STATE_LABELS = {"active": ("Đang sử dụng", "In use"), "inactive": ("Ngừng sử dụng", "Not in use")}
NOMINEE_LABELS = NOMINEE_CHOICES
# Forms of commendation (hình thức: Giấy khen, Bằng khen, orders and medals) are "tặng";
# every other award is a title (danh hiệu: Lao động tiên tiến, Chiến sĩ thi đua, Cờ thi đua …),
# "công nhận". The catalogue names them so (Luật Thi đua, khen thưởng 2022, Điều 9 and 25).
FORM_PREFIXES = ("giấy khen", "bằng khen", "huân chương", "huy chương", "kỷ niệm chương")


def is_form(name_vi: str) -> bool:
    """True for a form of commendation (tặng), False for a title (công nhận)."""
    return nfc(name_vi).strip().strip('“”"').lower().startswith(FORM_PREFIXES)


def conferral(name_vi: str) -> str:
    """ "tặng Giấy khen của Giám đốc Sở" or "công nhận danh hiệu “Lao động tiên tiến”"."""
    name = nfc(name_vi).strip().strip('“”"')
    return f"tặng {name}" if is_form(name) else f"công nhận danh hiệu “{name}”"


BASE_LABELS = {
    "all_members": ("Tổng số thành viên Hội đồng", "All Council members"),
    "present": ("Số thành viên có mặt", "Members present"),
}
HOLD_SOURCE = (
    "Nghị định 152/2025/NĐ-CP, nguyên tắc khen thưởng: không đề nghị, khen thưởng khi đang "
    "xem xét kỷ luật, điều tra, thanh tra có dấu hiệu vi phạm hoặc khiếu nại chưa giải quyết"
)
# The award money of the standard catalogue's awards, as multiples of the base salary (award
# code: (individual or collective, multiple, source)), from the day Nghị định 152/2025/NĐ-CP took
# effect. Defaults: the admin changes them on /awards like any rule (a new dated rule).
BONUS_FROM = "2025-07-01"
_DECREE_152 = "Nghị định 152/2025/NĐ-CP, Điều 50"
_UNCHECKED = f"{_DECREE_152} (mức như Nghị định 73/2017/NĐ-CP), chưa đối chiếu văn bản gốc"
STANDARD_BONUSES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "CSTDCS": (("individual", "1.0", f"{_DECREE_152}: Chiến sĩ thi đua cơ sở 1,0 lần"),),
    "LDTT": (("individual", "0.3", f"{_DECREE_152}: Lao động tiên tiến 0,3 lần"),),
    "TTLDXS": (("collective", "1.5", f"{_DECREE_152}: Tập thể lao động xuất sắc 1,5 lần"),),
    "TTLDTT": (("collective", "0.8", f"{_DECREE_152}: Tập thể lao động tiên tiến 0,8 lần"),),
    "CSTDTP": (("individual", "3.0", f"{_DECREE_152}: Chiến sĩ thi đua cấp tỉnh 3,0 lần"),),
    "GK-GD-CN": (("individual", "0.3", f"{_UNCHECKED}: Giấy khen cá nhân 0,3 lần"),),
    "GK-GD-TT": (("collective", "0.6", f"{_UNCHECKED}: Giấy khen tập thể 0,6 lần"),),
}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
AWARD_FIELDS = (
    "code",
    "name_vi",
    "name_en",
    "nominee_kind",
    "conferring_authority",
    "vote_threshold",
    "threshold_base",
    "threshold_source",
    "threshold_from",
    "public_notice_days",
    "legal_source",
    "active",
)
_RULES_CACHE = "vinhdanh.award_rules"


class CatalogueRefused(WorkflowError):
    """A catalogue change that is not permitted or not valid; nothing was changed."""


# What managing the catalogue is called in a refusal (Vietnamese, English).
MANAGE_ACTION = ("Quản lý danh mục khen thưởng", "Manage the award catalogue")


def require_admin(actor: Actor | None) -> Actor:
    """The actor, when an administrator; else CatalogueRefused (a permission refusal)."""
    refuse_unless(may_manage_awards(actor), MANAGE_ACTION, error=CatalogueRefused)
    return actor


def clean_award(
    session: Session, values: Mapping[str, Any], award_id: int | None = None
) -> tuple[dict[str, Any], list[Violation]]:
    """The award type's fields from ``values``, checked: (clean values, problems)."""
    out: dict[str, Any] = {}
    problems: list[Violation] = []
    code = nfc(str(values.get("code") or "")).upper()
    if not CODE.match(code):
        problems.append(
            invalid_field(
                "code",
                "chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch ngang",
                "only capital letters, digits and hyphens",
            )
        )
    elif session.scalar(
        select(AwardType.id).where(AwardType.code == code, AwardType.id != (award_id or 0))
    ):
        problems.append(
            invalid_field(
                "code", "đã có danh hiệu khác dùng mã này", "another award uses this code"
            )
        )
    out["code"] = code
    optional = ("legal_source", "threshold_source")
    for key, limit in (("name_vi", 255), ("name_en", 255), *((k, 400) for k in optional)):
        out[key] = nfc(str(values.get(key) or ""))
        if key not in optional and not out[key]:
            problems.append(invalid_field(key, "không được để trống", "is required"))
        elif len(out[key]) > limit:
            problems.append(
                invalid_field(key, f"dài quá {limit} ký tự", f"is longer than {limit} characters")
            )
    out["legal_source"] = out["legal_source"] or None
    out["threshold_source"] = out["threshold_source"] or None
    raw = str(values.get("threshold_from") or "").strip()
    out["threshold_from"] = parse_day(raw)  # dd/mm/yyyy as typed, or ISO
    if raw and out["threshold_from"] is None:
        problems.append(invalid_field("threshold_from", DATE_RULE[0], DATE_RULE[1]))
    for key, allowed in (
        ("nominee_kind", NOMINEE_KINDS),
        ("conferring_authority", CONFERRING_AUTHORITIES),
        ("threshold_base", THRESHOLD_BASES),
    ):
        out[key] = str(values.get(key) or "")
        if out[key] not in allowed:
            problems.append(invalid_field(key, "chưa chọn giá trị hợp lệ", "is not a valid choice"))
    share = parse_share(values.get("vote_threshold"))
    out["vote_threshold"] = share_text(share) if share else str(values.get("vote_threshold") or "")
    if share is None:
        problems.append(
            invalid_field(
                "vote_threshold",
                "phải là một phân số như 4/5 hoặc một tỷ lệ phần trăm từ 1 đến 100",
                "must be a fraction such as 4/5 or a percentage from 1 to 100",
            )
        )
    out["public_notice_days"], problem = whole_number_in(values, "public_notice_days", 0, 90)
    problems += [problem] if problem else []
    out["active"] = bool(values.get("active"))
    return out, problems


def snapshot(award: AwardType) -> dict[str, Any]:
    """The award type's catalogue fields, as recorded in the audit log."""
    return {key: getattr(award, key) for key in AWARD_FIELDS}


def _log(
    session: Session,
    actor: Actor,
    award_id: int,
    action: str,
    changes: Mapping[str, Any],
    now: dt.datetime | None,
) -> None:
    audit.append(
        session,
        entity_type="award_type",
        entity_id=award_id,
        action=action,
        actor_id=actor.user_id,
        actor_role=Role.ADMIN.value,
        changes=changes,
        now=now,
    )
    session.info.pop(_RULES_CACHE, None)


def create_award(
    session: Session,
    actor: Actor | None,
    values: Mapping[str, Any],
    *,
    with_hold_rule: bool = True,
    now: dt.datetime | None = None,
) -> AwardType:
    """Add an award type (and, by default, the hold rule every award should have). Never commits."""
    actor = require_admin(actor)
    clean, problems = clean_award(session, values)
    if problems:
        raise CatalogueRefused(problems)
    award = AwardType(**clean)
    session.add(award)
    session.flush()
    _log(session, actor, award.id, "create", snapshot(award), now)
    if with_hold_rule:
        add_rule(
            session, actor, award.id, {"kind": "hold", "hard": True, "source": HOLD_SOURCE}, now=now
        )
    return award


def add_standard_bonuses(
    session: Session,
    actor: Actor | None,
    awards: Mapping[str, AwardType],
    *,
    now: dt.datetime | None = None,
) -> int:
    """Give each award of ``STANDARD_BONUSES`` (by code, among ``awards``) its default award
    money, unless it has a bonus rule already; returns the rules added. Never commits."""
    added = 0
    for code, bonuses in STANDARD_BONUSES.items():
        award = awards.get(code)
        if award is None or any(r.kind == "bonus" for r in rules_of(session, award.id)):
            continue
        for nominee, multiple, source in bonuses:
            values = {
                "kind": "bonus",
                "multiple": multiple,
                "nominee": nominee,
                "hard": False,
                "source": source,
                "valid_from": BONUS_FROM,
            }
            add_rule(session, actor, award.id, values, now=now)
            added += 1
    return added


def update_award(
    session: Session,
    actor: Actor | None,
    award_id: int,
    values: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> dict[str, list[Any]]:
    """Change an award type's fields; returns (and audits) the diff {field: [old, new]}. With
    ``expected_version``, an award saved by someone else since is refused (StaleVersion)."""
    actor = require_admin(actor)
    award = _award(session, award_id, lock=True)
    refuse_if_stale(
        award.version,
        expected_version,
        "award_stale_version",
        STATE_LABELS["active" if award.active else "inactive"],
        CATALOGUE_MESSAGES,
    )
    clean, problems = clean_award(session, values, award_id)
    if problems:
        raise CatalogueRefused(problems)
    before = snapshot(award)
    diff = {k: [before[k], v] for k, v in clean.items() if before[k] != v}
    if diff:
        for key, (_, new) in diff.items():
            setattr(award, key, new)
        session.flush()
        _log(session, actor, award.id, "edit", diff, now)
    return diff


def _award(session: Session, award_id: int, *, lock: bool = False) -> AwardType:
    """The award type; with ``lock``, row-locked and refreshed from the database, so the version
    compared is the committed one (SQLite serialises its writers with BEGIN IMMEDIATE)."""
    award = session.get(AwardType, award_id, with_for_update=lock or None, populate_existing=lock)
    if award is None:
        raise CatalogueRefused([CATALOGUE_MESSAGES.violation("catalogue_not_found")])
    return award


def clean_rule(
    session: Session, values: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Violation]]:
    """A rule's kind, params, hard flag, source and dates from ``values``: (clean, problems)."""
    code = str(values.get("kind") or "")
    kind = kind_of(code)
    codes = set(session.scalars(select(AwardType.code)))
    params: dict[str, Any] = {}
    problems: list[Violation] = []
    if kind is None:
        problems.append(invalid_field("kind", "chưa chọn loại điều kiện", "choose a kind of rule"))
    else:
        params, problems = kind.clean(values, codes)
    dates = {}
    for key in ("valid_from", "valid_to"):
        raw = str(values.get(key) or "").strip()
        dates[key] = parse_day(raw)  # dd/mm/yyyy as typed, or ISO
        if raw and dates[key] is None:
            problems.append(invalid_field(key, DATE_RULE[0], DATE_RULE[1]))
    if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
        problems.append(
            invalid_field("valid_to", "trước ngày bắt đầu áp dụng", "is before the start date")
        )
    source = nfc(str(values.get("source") or ""))
    if not source:
        problems.append(
            invalid_field("source", "cần ghi căn cứ (văn bản, điều khoản)", "give the legal source")
        )
    return {
        "kind": code,
        "params": params,
        "hard": bool(values.get("hard")),
        "source": source,
        **dates,
    }, problems


def rule_snapshot(rule: AwardRule) -> dict[str, Any]:
    return {
        "rule_id": rule.id,
        "kind": rule.kind,
        "params": rule.values,
        "hard": rule.hard,
        "source": rule.source,
        "valid_from": rule.valid_from,
        "valid_to": rule.valid_to,
    }


def add_rule(
    session: Session,
    actor: Actor | None,
    award_id: int,
    values: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> AwardRule:
    """Add a rule to an award type (audited on the award type). Never commits."""
    actor = require_admin(actor)
    award = _award(session, award_id)
    clean, problems = clean_rule(session, values)
    if problems:
        raise CatalogueRefused(problems)
    rule = AwardRule(
        award_type_id=award.id,
        kind=clean["kind"],
        params=json.dumps(clean["params"], ensure_ascii=False, sort_keys=True),
        hard=clean["hard"],
        source=clean["source"],
        valid_from=clean["valid_from"],
        valid_to=clean["valid_to"],
    )
    session.add(rule)
    session.flush()
    _log(session, actor, award.id, "add_rule", rule_snapshot(rule), now)
    return rule


def remove_rule(
    session: Session, actor: Actor | None, rule_id: int, *, now: dt.datetime | None = None
) -> int:
    """Remove a rule; returns its award type's id. (To retire a rule that applied to past
    dossiers, prefer ending it with ``valid_to`` through a new rule.)"""
    actor = require_admin(actor)
    # Locked: of two admins removing it at once, the second finds it gone (not a second event).
    rule = session.get(AwardRule, rule_id, with_for_update=True, populate_existing=True)
    if rule is None:
        raise CatalogueRefused([CATALOGUE_MESSAGES.violation("catalogue_not_found")])
    award_id, removed = rule.award_type_id, rule_snapshot(rule)
    session.delete(rule)
    session.flush()
    _log(session, actor, award_id, "remove_rule", removed, now)
    return award_id


_RULES_OF = (
    select(AwardRule)
    .where(AwardRule.award_type_id == bindparam("award_type_id"))
    .order_by(AwardRule.id)
)


def rules_of(session: Session, award_type_id: int) -> list[AwardRule]:
    """The award type's rules, in the order they were added (cached for the session)."""
    cache = session.info.setdefault(_RULES_CACHE, {})
    if award_type_id not in cache:
        params = {"award_type_id": award_type_id}
        cache[award_type_id] = list(session.scalars(_RULES_OF, params))
    return cache[award_type_id]


def evidence_purposes(session: Session, award_type_id: int, day: dt.date) -> list[str]:
    """The documents (``rules.PURPOSES``) the award's rules in force on ``day`` ask a dossier
    to carry, in the order the rules were added, each once."""
    found = [
        rule.values.get("purpose", "")
        for rule in rules_of(session, award_type_id)
        if rule.kind == Evidence.code and rule.applies_on(day)
    ]
    return list(dict.fromkeys(p for p in found if p))


def prefetch_rules(session: Session, award_type_ids: Iterable[int]) -> None:
    """Read the rules of every award type among ``award_type_ids`` not read yet, in one query,
    into the session's cache that ``rules_of`` reads."""
    cache = session.info.setdefault(_RULES_CACHE, {})
    missing = sorted(set(award_type_ids) - set(cache))
    if not missing:
        return
    for award_type_id in missing:
        cache[award_type_id] = []
    for rule in session.scalars(
        select(AwardRule).where(AwardRule.award_type_id.in_(missing)).order_by(AwardRule.id)
    ):
        cache[rule.award_type_id].append(rule)


def rule_counts(session: Session) -> dict[int, int]:
    """Number of rules per award type id."""
    return dict(
        session.execute(
            select(AwardRule.award_type_id, func.count()).group_by(AwardRule.award_type_id)
        ).all()
    )


def describe(rule: AwardRule, names: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """What the rule asks, in Vietnamese and English. ``names``: award code → (vi, en)."""
    kind = kind_of(rule.kind)
    return kind.describe(rule.values, names) if kind is not None else (rule.kind, rule.kind)


def is_condition(rule: AwardRule) -> bool:
    """True for a rule nominations are checked against (hard or soft); False for one that sets
    a value, such as the award money."""
    kind = kind_of(rule.kind)
    return kind is None or kind.checked
