"""Eligibility and quota checks of a nomination, from its award type's rules (no Flask).

``check`` returns one ``CheckResult`` per rule in force, each with its reason in Vietnamese
and English and its legal source. Hard rules that fail block the Office's approval; soft
ones warn, and approving anyway needs a reason (``workflow.awards.guards``).

Which rules apply: those in force on the day the dossier was received by the Department
(``sent_at``, Hải Phòng date), or today for a dossier not sent yet. Holds are judged today.

Counting, for quotas and for "holds the title this year": the awards history
(``AwardRecord``: imported past years and what the system published), plus the unit's
nominations of the same campaign year in a state that ``counts_toward_quota`` (the lifecycle
says which: received by the Department and still alive, e.g. under Office review, at the
Council, approved, forwarded or published; a published one that already has its history
record is counted once). Drafts, dossiers with the unit (including returned ones) and
rejected or withdrawn ones are not counted. The nomination
being checked is always counted in its own quota. The limit is ``pct`` percent of the base
award's count, rounded down.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models import Attachment, AwardRecord, AwardRule, AwardType, Campaign, Hold, Nomination
from models.text import fold
from workflow.awards.catalogue import PURPOSES, rules_of
from workflow.core.registry import states_where

LOCAL_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def counted_states() -> tuple[str, ...]:
    """The nomination states that count toward quotas (from the lifecycle)."""
    return states_where(lambda s: s.counts_toward_quota)["nomination"]


def decided_states() -> tuple[str, ...]:
    """Counted and decided by the Council: as good as held for "this year" prerequisites."""
    return states_where(lambda s: s.counts_toward_quota and s.decided)["nomination"]


@dataclass(frozen=True)
class CheckResult:
    """One rule's verdict on one nomination."""

    code: str
    hard: bool
    ok: bool
    message_vi: str
    message_en: str
    source: str
    rule_id: int | None = None

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi

    @property
    def level(self) -> str:
        """ "ok", "warn" (a soft rule fails) or "fail" (a hard rule fails)."""
        return "ok" if self.ok else ("fail" if self.hard else "warn")


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(LOCAL_TZ).date() if moment else None


def summary(results: Iterable[CheckResult]) -> str:
    """ "none" (no rule), "ok", "warn" or "fail": the worst level among ``results``."""
    levels = {r.level for r in results}
    for level in ("fail", "warn", "ok"):
        if level in levels:
            return level
    return "none"


def hard_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "fail"]


def warnings(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "warn"]


class Checker:
    """Runs the checks; keeps what several nominations share (award names, base counts)."""

    def __init__(self, session: Session, today: dt.date) -> None:
        self.session = session
        self.today = today
        self._awards: dict[str, AwardType] | None = None
        self._counts: dict[tuple[int, int, int], int] = {}

    def awards(self) -> dict[str, AwardType]:
        if self._awards is None:
            self._awards = {a.code: a for a in self.session.scalars(select(AwardType))}
        return self._awards

    def check(
        self, nomination: Nomination, purposes: dict[str, int] | None = None
    ) -> list[CheckResult]:
        """Every rule of the nomination's award in force on the day it was received."""
        day = local_day(nomination.sent_at) or self.today
        rules = [r for r in rules_of(self.session, nomination.award_type_id) if r.applies_on(day)]
        if not rules:
            return []
        if purposes is None and any(r.kind == "evidence" for r in rules):
            purposes = attachment_purposes(self.session, [nomination.id]).get(nomination.id, {})
        results = []
        for rule in rules:
            handler = {
                "evidence": self._evidence,
                "prior_title": self._prior_title,
                "quota": self._quota,
                "hold": self._hold,
            }.get(rule.kind)
            if handler is not None:
                results.append(handler(rule, nomination, purposes or {}))
        return results

    # --- rules ---------------------------------------------------------------------------

    def _evidence(
        self, rule: AwardRule, nomination: Nomination, purposes: dict[str, int]
    ) -> CheckResult:
        purpose = rule.values.get("purpose", "")
        vi, en = PURPOSES.get(purpose, (purpose, purpose))
        count = purposes.get(purpose, 0)
        if count:
            return _result(
                rule,
                f"evidence:{purpose}",
                True,
                f"Đã có “{vi}” ({count} tệp).",
                f"“{en}” is attached ({count} file(s)).",
            )
        return _result(
            rule,
            f"evidence:{purpose}",
            False,
            f"Thiếu “{vi}”: chưa có tệp nào được đánh dấu là “{vi}”.",
            f"Missing “{en}”: no file is marked as “{en}”.",
        )

    def _prior_title(self, rule: AwardRule, nomination: Nomination, _: dict) -> CheckResult:
        p = rule.values
        award = self.awards().get(p.get("award", ""))
        code = f"prior_title:{p.get('award', '')}"
        if award is None:
            return _award_gone(rule, code, p.get("award"))
        year, years = nomination.campaign.year, max(1, int(p.get("years") or 1))
        last = year if p.get("include_current") else year - 1
        wanted = list(range(last - years + 1, last + 1))
        held = self._years_held(award.id, nomination, wanted)
        pending: list[int] = []
        if last == year and year not in held:
            pending = self._same_year_nominations(award.id, nomination, year)
            if any(state in decided_states() for _, state in pending):
                held.add(year)
        missing = [y for y in wanted if y not in held]
        span = f"{wanted[0]}–{wanted[-1]}" if len(wanted) > 1 else str(wanted[0])
        if not missing:
            return _result(
                rule,
                code,
                True,
                f"Đã đạt “{award.name_vi}” năm {span} (lịch sử khen thưởng).",
                f"Held “{award.name_en}” in {span} (awards history).",
            )
        gaps = ", ".join(map(str, missing))
        vi = (
            f"Chưa đủ điều kiện “{award.name_vi}” năm {span}: "
            f"chưa có năm {gaps} trong lịch sử khen thưởng."
        )
        en = f"“{award.name_en}” needed in {span}: {gaps} not in the awards history."
        if missing == [year] and pending:
            ids = ", ".join(str(i) for i, _ in pending)
            return CheckResult(
                code,
                False,
                False,
                vi + f" Hồ sơ đề nghị cùng năm (số {ids}) đang chờ xét.",
                en + f" A same-year nomination (no. {ids}) is still pending.",
                rule.source,
                rule.id,
            )
        return _result(rule, code, False, vi, en)

    def _quota(self, rule: AwardRule, nomination: Nomination, _: dict) -> CheckResult:
        p = rule.values
        base_award = self.awards().get(p.get("of", ""))
        code = f"quota:{p.get('of', '')}"
        if base_award is None:
            return _award_gone(rule, code, p.get("of"))
        year, pct = nomination.campaign.year, int(p.get("pct") or 0)
        base = self.count(base_award.id, nomination.unit_id, year)
        used = self.count(nomination.award_type_id, nomination.unit_id, year)
        if nomination.state not in counted_states():
            used += 1  # this one, not counted yet
        limit = math.floor(base * pct / 100)
        award = nomination.award_type
        ok = used <= limit
        vi = (
            f"{used}/{limit}: “{award.name_vi}” của đơn vị "
            f"năm {year}, kể cả hồ sơ này và hồ sơ đang xét; "
            f"tối đa {pct}% của {base} “{base_award.name_vi}”."
        )
        en = (
            f"{used}/{limit}: the unit's “{award.name_en}” "
            f"in {year}, this one and pending ones included; "
            f"at most {pct}% of {base} “{base_award.name_en}”."
        )
        return _result(
            rule,
            code,
            ok,
            ("Trong hạn mức " if ok else "Vượt hạn mức ") + vi,
            ("Within the quota " if ok else "Over the quota ") + en,
        )

    def _hold(self, rule: AwardRule, nomination: Nomination, _: dict) -> CheckResult:
        holds = [h for h in self.session.scalars(_holds_for(nomination)) if h.active_on(self.today)]
        if not holds:
            return _result(
                rule,
                "hold",
                True,
                "Không có thông tin đang bị xem xét kỷ luật, điều tra, khiếu nại.",
                "Not under disciplinary review, investigation or complaint.",
            )
        hold = holds[0]
        since = hold.starts_on.strftime("%d/%m/%Y")
        return _result(
            rule,
            "hold",
            False,
            f"Đang tạm dừng xét khen thưởng từ {since}: {hold.reason}",
            f"On hold since {since}: {hold.reason}",
        )

    # --- counting ------------------------------------------------------------------------

    def count(self, award_type_id: int, unit_id: int, year: int) -> int:
        """Records of the award in the unit and year, plus nominations received and alive."""
        key = (award_type_id, unit_id, year)
        if key not in self._counts:
            records = self.session.scalar(
                select(func.count())
                .select_from(AwardRecord)
                .where(
                    AwardRecord.award_type_id == award_type_id,
                    AwardRecord.unit_id == unit_id,
                    AwardRecord.year == year,
                )
            )
            recorded = exists().where(AwardRecord.dossier_id == Nomination.id)
            nominations = self.session.scalar(
                select(func.count())
                .select_from(Nomination)
                .join(Campaign, Campaign.id == Nomination.campaign_id)
                .where(
                    Nomination.award_type_id == award_type_id,
                    Nomination.unit_id == unit_id,
                    Campaign.year == year,
                    Nomination.state.in_(counted_states()),
                    ~recorded,
                )
            )
            self._counts[key] = records + nominations
        return self._counts[key]

    def _years_held(self, award_type_id: int, nomination: Nomination, years: list[int]) -> set[int]:
        # Ad-hoc and thematic results are no ground for higher merit titles (NĐ 152/2025).
        return set(
            self.session.scalars(
                select(AwardRecord.year).where(
                    AwardRecord.award_type_id == award_type_id,
                    AwardRecord.year.in_(years),
                    AwardRecord.basis == "merit",
                    _same_nominee(AwardRecord, nomination),
                )
            )
        )

    def _same_year_nominations(
        self, award_type_id: int, nomination: Nomination, year: int
    ) -> list[tuple[int, str]]:
        """(id, state) of the nominee's other nominations for the award that year, received."""
        rows = self.session.execute(
            select(
                Nomination.id,
                Nomination.state,
                Nomination.nominee_name,
                Nomination.nominee_user_id,
                Nomination.unit_id,
            )
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(
                Nomination.award_type_id == award_type_id,
                Campaign.year == year,
                Nomination.id != nomination.id,
                Nomination.state.in_(counted_states()),
            )
        )
        key = fold(nomination.nominee_name)
        return [
            (r.id, r.state)
            for r in rows
            if (nomination.nominee_user_id and r.nominee_user_id == nomination.nominee_user_id)
            or (r.unit_id == nomination.unit_id and fold(r.nominee_name) == key)
        ]


def _award_gone(rule: AwardRule, code: str, award_code: object) -> CheckResult:
    """A rule naming an award that has left the catalogue cannot hold."""
    return _result(
        rule,
        code,
        False,
        f"Danh hiệu “{award_code}” không còn trong danh mục.",
        f"The award “{award_code}” is no longer in the catalogue.",
    )


def _result(rule: AwardRule, code: str, ok: bool, vi: str, en: str) -> CheckResult:
    return CheckResult(code, rule.hard, ok, vi, en, rule.source, rule.id)


def _same_nominee(model, nomination: Nomination):
    """Rows of ``model`` about the same nominee: the same account, or the same name in the same
    unit."""
    condition = and_(
        model.name_key == fold(nomination.nominee_name), model.unit_id == nomination.unit_id
    )
    if nomination.nominee_user_id:
        condition = or_(model.user_id == nomination.nominee_user_id, condition)
    return condition


def _holds_for(nomination: Nomination):
    """Holds that may concern the nominee (their dates are checked afterwards): on their
    account, on their name (in their unit, or in any), or, for a collective, on its unit."""
    conditions = [
        and_(
            Hold.name_key != "",
            Hold.name_key == fold(nomination.nominee_name),
            or_(Hold.unit_id.is_(None), Hold.unit_id == nomination.unit_id),
        )
    ]
    if nomination.nominee_user_id:
        conditions.append(Hold.user_id == nomination.nominee_user_id)
    if nomination.nominee_kind == "collective":
        conditions.append(
            and_(Hold.name_key == "", Hold.user_id.is_(None), Hold.unit_id == nomination.unit_id)
        )
    return select(Hold).where(or_(*conditions)).order_by(Hold.starts_on)


def attachment_purposes(session: Session, dossier_ids: list[int]) -> dict[int, dict[str, int]]:
    """{dossier id: {purpose: number of files}} in one query."""
    out: dict[int, dict[str, int]] = {}
    if not dossier_ids:
        return out
    for dossier_id, purpose, count in session.execute(
        select(Attachment.dossier_id, Attachment.purpose, func.count())
        .where(Attachment.dossier_id.in_(dossier_ids))
        .group_by(Attachment.dossier_id, Attachment.purpose)
    ):
        out.setdefault(dossier_id, {})[purpose] = count
    return out


def check(session: Session, nomination: Nomination, today: dt.date) -> list[CheckResult]:
    """The checks of one nomination (an empty list when its award has no rule)."""
    return Checker(session, today).check(nomination)


def check_many(
    session: Session, nominations: Iterable[Nomination], today: dt.date
) -> dict[int, list[CheckResult]]:
    """The checks of several nominations (a page of a queue), sharing counts and queries."""
    nominations = [n for n in nominations if isinstance(n, Nomination)]
    checker = Checker(session, today)
    purposes = attachment_purposes(session, [n.id for n in nominations])
    return {n.id: checker.check(n, purposes.get(n.id, {})) for n in nominations}
