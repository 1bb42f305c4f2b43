"""The kinds of award rule, one class each (no Flask).

A kind holds everything a rule of its kind means: its code and labels; the inputs of its part of
the admin's rule form, as plain data (``ParamField``: the web builds the form fields from them);
how the posted values are cleaned into the rule's ``params``, with the problems found; what the
rule asks, in words; and the check of a nomination against it, with its reason in Vietnamese and
English. The catalogue, the eligibility checks and the admin's pages dispatch on the kind: adding
a kind is a class here and its entry in ``RULE_KINDS``.

What the checks read (the awards history, counts, holds, the dossier's files) is computed and
cached by ``workflow.awards.eligibility.Checker``; ``Facts`` names it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Literal, Protocol

from models import AwardRule, AwardType, Hold, Initiative, Nomination
from models.people import DISCIPLINE_FORMS, INITIATIVE_LEVELS, RATINGS
from workflow.core.errors import Violation
from workflow.core.messages import Messages
from workflow.core.registry import states_where
from workflow.people.labels import DISCIPLINE_LABELS, INITIATIVE_LEVEL_LABELS, RATING_LABELS

# Attachment purposes (what a file is); "evidence" is the default of an upload.
PURPOSES: dict[str, tuple[str, str]] = {
    "evidence": ("Minh chứng khác", "Other evidence"),
    "proposal": ("Tờ trình đề nghị khen thưởng", "Proposal letter (tờ trình)"),
    "minutes": ("Biên bản họp xét thi đua, khen thưởng", "Minutes of the unit's award meeting"),
    "achievement_report": ("Báo cáo thành tích", "Achievement report"),
    "initiative": (
        "Quyết định công nhận sáng kiến, đề tài",
        "Recognition of an initiative or research",
    ),
    "prior_decision": ("Quyết định khen thưởng đã có", "Earlier award decision"),
}


def counted_states() -> tuple[str, ...]:
    """The nomination states that count toward quotas (from the lifecycle)."""
    return states_where(lambda s: s.counts_toward_quota)["nomination"]


def decided_states() -> tuple[str, ...]:
    """Counted and decided by the Council: as good as held for "this year" prerequisites."""
    return states_where(lambda s: s.counts_toward_quota and s.decided)["nomination"]


# ``ParamField.choices``: the catalogue's award codes, read when the form is drawn.
AWARDS = "awards"


# The award catalogue's own refusals (the catalogue, its rules and holds word them).
CATALOGUE_MESSAGES = Messages(
    {
        "catalogue_invalid": ("“{field}” {problem}.", "“{field}” {problem}."),
        "catalogue_not_found": (
            "Không tìm thấy danh hiệu hoặc điều kiện này.",
            "No such award or rule.",
        ),
        "award_stale_version": (
            "Người khác đã thay đổi danh hiệu, hình thức "
            "khen thưởng này trước bạn. Trạng thái hiện tại: "
            "“{state}”. Vui lòng xem lại nội dung hiện tại của danh hiệu rồi thực hiện lại.",
            "Someone else changed this award first. It is now “{state}”. "
            "Please review its current content and try again.",
        ),
    }
)


def invalid_field(field: str, vi: str, en: str) -> Violation:
    """A problem with one field of a catalogue form, in Vietnamese and English."""
    return CATALOGUE_MESSAGES.violation(
        "catalogue_invalid", {"field": field, "problem": vi, "problem_en": en}
    )


def whole_number_in(
    values: Mapping[str, Any], key: str, low: int, high: int
) -> tuple[int | None, Violation | None]:
    """``values[key]`` as a whole number from ``low`` to ``high``, or the problem."""
    try:
        number = int(str(values.get(key, "")).strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        return None, invalid_field(
            key,
            f"phải là số nguyên từ {low} đến {high}",
            f"must be a whole number from {low} to {high}",
        )
    return number, None


def decimal_number(text: object) -> Decimal | None:
    """A number typed the Vietnamese way ("0,3") or with a point ("0.3"); None when it is not
    a finite number."""
    raw = str(text or "").strip().replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def decimal_in(
    values: Mapping[str, Any], key: str, low: Decimal, high: Decimal
) -> tuple[str | None, Violation | None]:
    """``values[key]`` as a decimal above ``low`` and at most ``high``, written plainly ("0.3"),
    or the problem."""
    number = decimal_number(values.get(key))
    if number is None or not low < number <= high:
        return None, invalid_field(
            key,
            f"phải là một số lớn hơn {_vi_number(low)} và không quá {_vi_number(high)}, "
            "ví dụ 0,3 hoặc 1,5",
            f"must be a number above {low} and at most {high}, e.g. 0.3 or 1.5",
        )
    return format(number.normalize(), "f"), None


def _vi_number(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


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
    # The initiatives the verdict relied on: publishing the award marks them used.
    initiatives: tuple[int, ...] = ()

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi

    @property
    def level(self) -> str:
        """ "ok", "warn" (a soft rule fails) or "fail" (a hard rule fails)."""
        return "ok" if self.ok else ("fail" if self.hard else "warn")


class Facts(Protocol):
    """What the checks read about a nomination and its unit (``eligibility.Checker``)."""

    def awards(self) -> dict[str, AwardType]: ...

    def purposes(self, nomination: Nomination) -> dict[str, int]: ...

    def count(self, award_type_id: int, unit_id: int, year: int) -> int: ...

    def years_held(
        self, award_type_id: int, nomination: Nomination, years: list[int]
    ) -> set[int]: ...

    def same_year_nominations(
        self, award_type_id: int, nomination: Nomination, year: int
    ) -> list[tuple[int, str]]: ...

    def holds_of(self, nomination: Nomination) -> list[Hold]: ...

    def records_of(self, nomination: Nomination) -> list[Any]: ...

    def ratings(self, person_id: int | None) -> dict[int, str]: ...

    def initiatives(self, person_id: int | None) -> list[Initiative]: ...

    def members_facts(self, nomination: Nomination, year: int) -> Any: ...


@dataclass(frozen=True)
class ParamField:
    """One input of a kind's part of the rule form: a choice, a whole number, a decimal number
    or a tick."""

    name: str
    label: tuple[str, str]
    input: Literal["choice", "number", "decimal", "check"]
    # "choice": the values allowed and their labels, or AWARDS (the catalogue's codes).
    choices: Mapping[str, tuple[str, str]] | str | None = None
    # "choice": the problem when nothing allowed is chosen.
    missing: tuple[str, str] = ("", "")
    # "number": the range allowed.
    low: int = 0
    high: int = 0
    default: str | bool | None = None

    def clean(
        self, values: Mapping[str, Any], codes: Collection[str]
    ) -> tuple[Any, Violation | None]:
        """(value, problem or None) of this input among the posted ``values``."""
        if self.input == "check":
            return bool(values.get(self.name)), None
        if self.input == "number":
            return whole_number_in(values, self.name, self.low, self.high)
        if self.input == "decimal":
            return decimal_in(values, self.name, Decimal(self.low), Decimal(self.high))
        value = str(values.get(self.name) or "")
        allowed = codes if self.choices == AWARDS else (self.choices or {})
        return value, None if value in allowed else invalid_field(self.name, *self.missing)


class RuleKind:
    """A kind of rule. Subclasses set the class attributes and write ``check``; ``clean`` and
    ``describe`` work from the inputs and the label unless a kind says more."""

    code: ClassVar[str]
    label: ClassVar[tuple[str, str]]
    inputs: ClassVar[tuple[ParamField, ...]] = ()
    # What its inputs are, for the form's hint ("the award and years"); None with no input.
    asks: ClassVar[tuple[str, str] | None] = None
    # False for a kind that sets a value (the award money) and is never a condition.
    checked: ClassVar[bool] = True
    # False for a kind that never reads the nominee (a document, a quota): its rules are checked
    # on a draft that names nobody yet.
    reads_nominee: ClassVar[bool] = True

    def clean(
        self, values: Mapping[str, Any], codes: Collection[str]
    ) -> tuple[dict[str, Any], list[Violation]]:
        """The rule's ``params`` from the posted ``values`` (``codes``: the catalogue's award
        codes), and the problems found."""
        params: dict[str, Any] = {}
        problems: list[Violation] = []
        for field in self.inputs:
            params[field.name], problem = field.clean(values, codes)
            problems += [problem] if problem else []
        return params, problems

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        """What the rule asks, in Vietnamese and English. ``names``: award code → (vi, en)."""
        return self.label

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        """The rule's verdict on ``nomination``, with its reason."""
        raise NotImplementedError


def _result(rule: AwardRule, code: str, ok: bool, vi: str, en: str) -> CheckResult:
    return CheckResult(code, rule.hard, ok, vi, en, rule.source, rule.id)


def _award_gone(rule: AwardRule, code: str, award_code: object) -> CheckResult:
    """A rule naming an award that has left the catalogue cannot hold."""
    return _result(
        rule,
        code,
        False,
        f"Danh hiệu “{award_code}” không còn trong danh mục.",
        f"The award “{award_code}” is no longer in the catalogue.",
    )


def _award_choice(name: str, label: tuple[str, str]) -> ParamField:
    return ParamField(name, label, "choice", AWARDS, ("chưa chọn danh hiệu", "choose an award"))


class Evidence(RuleKind):
    """``{"purpose": "minutes"}``: the dossier carries a file of that purpose."""

    code = "evidence"
    label = ("Thành phần hồ sơ bắt buộc", "Required document")
    inputs = (
        ParamField(
            "purpose",
            ("Thành phần hồ sơ phải có", "Document the dossier must include"),
            "choice",
            PURPOSES,
            ("chưa chọn thành phần hồ sơ", "choose a document"),
        ),
    )
    asks = ("thành phần hồ sơ", "the document")
    reads_nominee = False

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = PURPOSES.get(params.get("purpose", ""), (params.get("purpose", ""),) * 2)
        return f"Hồ sơ có “{vi}”", f"The dossier includes “{en}”"

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        purpose = rule.values.get("purpose", "")
        vi, en = PURPOSES.get(purpose, (purpose, purpose))
        count = facts.purposes(nomination).get(purpose, 0)
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


class PriorTitle(RuleKind):
    """``{"award": "CSTDCS", "years": 3, "include_current": true}``: the nominee held that title
    in each of ``years`` consecutive years, ending with the campaign's year
    (``include_current``) or the year before it."""

    code = "prior_title"
    label = ("Danh hiệu đã đạt", "Prior title")
    inputs = (
        _award_choice("award", ("Danh hiệu phải đã đạt", "Title that must already be held")),
        ParamField(
            "years", ("Số năm liên tục", "Consecutive years"), "number", low=1, high=10, default="1"
        ),
        ParamField(
            "include_current",
            ("Tính cả năm đang xét", "Including the year considered"),
            "check",
            default=True,
        ),
    )
    asks = ("danh hiệu và số năm", "the award and years")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = names.get(params.get("award", ""), (params.get("award", ""),) * 2)
        years = int(params.get("years") or 1)
        if years == 1 and params.get("include_current"):
            return f"Đạt “{vi}” trong năm xét", f"Holds “{en}” in the year considered"
        until = (
            ("đến năm xét", "up to the year considered")
            if params.get("include_current")
            else ("liền trước năm xét", "before the year considered")
        )
        return (
            f"Đạt “{vi}” {years} năm liên tục {until[0]}",
            f"Held “{en}” {years} consecutive years {until[1]}",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        p = rule.values
        award = facts.awards().get(p.get("award", ""))
        code = f"prior_title:{p.get('award', '')}"
        if award is None:
            return _award_gone(rule, code, p.get("award"))
        year = nomination.campaign.year
        wanted, held, pending = _title_years(p, award, nomination, facts)
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
            # Still pending, not failed: a warning whatever the rule's level.
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


def _title_years(
    p: Mapping[str, Any], award: AwardType, nomination: Nomination, facts: Facts
) -> tuple[list[int], set[int], list[tuple[int, str]]]:
    """The years wanted of a title held (``years`` consecutive, ending with the campaign's year
    when ``include_current``, else the year before), those held (merit records; a same-year
    nomination the Council decided counts), and the same-year nominations still pending."""
    year, years = nomination.campaign.year, max(1, int(p.get("years") or 1))
    last = year if p.get("include_current", True) else year - 1
    wanted = list(range(last - years + 1, last + 1))
    held = facts.years_held(award.id, nomination, wanted)
    pending: list[tuple[int, str]] = []
    if last == year and year not in held:
        pending = facts.same_year_nominations(award.id, nomination, year)
        if any(state in decided_states() for _, state in pending):
            held.add(year)
    return wanted, held, pending


class Quota(RuleKind):
    """``{"of": "LDTT", "pct": 15}``: this award's count in the unit and year is at most ``pct``
    percent (rounded down) of the other award's count there."""

    code = "quota"
    label = ("Tỷ lệ, hạn mức", "Quota")
    inputs = (
        _award_choice("of", ("Tính theo số lượng danh hiệu", "Counted against the number of")),
        ParamField(
            "pct",
            ("Tỷ lệ tối đa (%)", "Maximum share (%)"),
            "number",
            low=1,
            high=100,
            default="15",
        ),
    )
    asks = ("danh hiệu và tỷ lệ", "the award and share")
    reads_nominee = False

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = names.get(params.get("of", ""), (params.get("of", ""),) * 2)
        return (
            f"Không quá {params.get('pct')}% số “{vi}” của đơn vị trong năm",
            f"At most {params.get('pct')}% of the unit's “{en}” in the year",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        p = rule.values
        base_award = facts.awards().get(p.get("of", ""))
        code = f"quota:{p.get('of', '')}"
        if base_award is None:
            return _award_gone(rule, code, p.get("of"))
        year, pct = nomination.campaign.year, int(p.get("pct") or 0)
        base = facts.count(base_award.id, nomination.unit_id, year)
        used = facts.count(nomination.award_type_id, nomination.unit_id, year)
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


class OnHold(RuleKind):
    """``{}``: the nominee (person or unit) is not on hold (under review)."""

    code = "hold"
    label = ("Không đang bị xem xét kỷ luật, khiếu nại", "Not under review")

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        holds = facts.holds_of(nomination)
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


# --- Rules on the nominee's history in the register (Luật Thi đua, khen thưởng 2022) -----------

_RATING_CHOICES = {k: RATING_LABELS[k] for k in RATINGS}
_LEVEL_CHOICES = {k: INITIATIVE_LEVEL_LABELS[k] for k in INITIATIVE_LEVELS}
_DISCIPLINE_CHOICES = {k: DISCIPLINE_LABELS[k] for k in DISCIPLINE_FORMS}


def _rating_at_least(rating: str | None, minimum: str) -> bool:
    """Ratings are ordered best first (models.people.RATINGS)."""
    if rating not in RATINGS or minimum not in RATINGS:
        return False
    return RATINGS.index(rating) <= RATINGS.index(minimum)


def _rating_vi(rating: str | None) -> tuple[str, str]:
    if rating is None:
        return "chưa có đánh giá, xếp loại", "no rating recorded"
    return RATING_LABELS.get(rating, (rating, rating))


def _usable(initiative: Initiative, nomination: Nomination, facts: Facts) -> bool:
    """Not yet the ground of another award: one initiative counts once (CV 5007/BNV-TĐKT)."""
    if initiative.used_by_record_id is None:
        return True
    own = {r.record_id for r in facts.records_of(nomination) if r.dossier_id == nomination.id}
    return initiative.used_by_record_id in own


def _initiatives_in(
    nomination: Nomination, facts: Facts, years: list[int], levels: Collection[str]
) -> list[Initiative]:
    """The nominee's usable initiatives and research of ``years`` recognised at ``levels``."""
    return [
        i
        for i in facts.initiatives(nomination.person_id)
        if i.year in years and i.level in levels and _usable(i, nomination, facts)
    ]


def _levels_from(level: str) -> tuple[str, ...]:
    """The levels at or above ``level`` (unit < department < city < ministry)."""
    start = INITIATIVE_LEVELS.index(level) if level in INITIATIVE_LEVELS else 0
    return INITIATIVE_LEVELS[start:]


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


_MIN_RATING = ParamField(
    "rating",
    ("Xếp loại tối thiểu trong năm", "Lowest rating of the year"),
    "choice",
    _RATING_CHOICES,
    ("chưa chọn mức xếp loại", "choose a rating"),
    default="good",
)
_YEARS = ParamField(
    "years", ("Số năm liên tục", "Consecutive years"), "number", low=1, high=10, default="1"
)
_INCLUDE_CURRENT = ParamField(
    "include_current",
    ("Tính cả năm đang xét", "Including the year considered"),
    "check",
    default=True,
)
_MEMBER_PCT = ParamField(
    "member_pct",
    ("Tỷ lệ thành viên tối thiểu (%)", "Minimum share of members (%)"),
    "number",
    low=1,
    high=100,
    default="70",
)


class RatingStandard(RuleKind):
    """``{"rating": "good"}``: the person's rating in the campaign's year is at least that
    (the Lao động tiên tiến standard: "hoàn thành tốt nhiệm vụ trở lên", Luật Điều 24)."""

    code = "rating"
    label = ("Xếp loại đánh giá trong năm", "Annual rating")
    inputs = (_MIN_RATING,)
    asks = ("mức xếp loại", "the rating")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = _rating_vi(params.get("rating", "good"))
        return f"Xếp loại năm xét từ “{vi}” trở lên", f"Rated at least “{en}” in the year"

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        year, minimum = nomination.campaign.year, rule.values.get("rating", "good")
        rating = facts.ratings(nomination.person_id).get(year)
        (vi, en), (min_vi, min_en) = _rating_vi(rating), _rating_vi(minimum)
        ok = _rating_at_least(rating, minimum)
        return _result(
            rule,
            "rating",
            ok,
            f"Năm {year}: {vi.lower()}; {'đạt' if ok else 'chưa đạt'} mức “{min_vi}” trở lên.",
            f"{year}: {en.lower()}; {'meets' if ok else 'below'} “{min_en}” or better.",
        )


class GrassrootsFighter(RuleKind):
    """``{"rating": "good"}`` (Chiến sĩ thi đua cơ sở, Luật Điều 23): the Lao động tiên tiến
    standard the same year (rated at least ``rating``) and one of: rated "hoàn thành xuất sắc",
    a recognised initiative of that year not used by another award, or accepted research."""

    code = "grassroots_fighter"
    label = ("Tiêu chuẩn Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter standard")
    inputs = (_MIN_RATING,)
    asks = ("mức xếp loại", "the rating")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        return (
            "Đạt tiêu chuẩn Lao động tiên tiến trong năm và hoàn thành xuất sắc nhiệm vụ, "
            "hoặc có sáng kiến được công nhận, hoặc đề tài được nghiệm thu",
            "Advanced Worker standard in the year, plus an excellent rating, a recognised "
            "initiative or accepted research",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        year, minimum = nomination.campaign.year, rule.values.get("rating", "good")
        rating = facts.ratings(nomination.person_id).get(year)
        vi, en = _rating_vi(rating)
        code = "grassroots_fighter"
        if not _rating_at_least(rating, minimum):
            return _result(
                rule,
                code,
                False,
                f"Năm {year}: {vi.lower()}; chưa đạt tiêu chuẩn Lao động tiên tiến.",
                f"{year}: {en.lower()}; the Advanced Worker standard is not met.",
            )
        if rating == "excellent":
            return _result(
                rule,
                code,
                True,
                f"Năm {year}: hoàn thành xuất sắc nhiệm vụ.",
                f"{year}: completed tasks excellently.",
            )
        found = _initiatives_in(nomination, facts, [year], INITIATIVE_LEVELS)
        if found:
            return CheckResult(
                code,
                rule.hard,
                True,
                f"Năm {year}: {vi.lower()}; có sáng kiến, đề tài “{found[0].title}”.",
                f"{year}: {en.lower()}; initiative or research “{found[0].title}”.",
                rule.source,
                rule.id,
                (found[0].id,),
            )
        return _result(
            rule,
            code,
            False,
            f"Năm {year}: {vi.lower()}, nhưng chưa hoàn thành xuất sắc nhiệm vụ và không có "
            "sáng kiến được công nhận hoặc đề tài được nghiệm thu chưa dùng cho khen thưởng khác.",
            f"{year}: {en.lower()}, but no excellent rating and no recognised initiative or "
            "accepted research not already used for another award.",
        )


class CityFighter(RuleKind):
    """``{"award": "CSTDCS", "years": 3, "include_current": true, "level": "city"}``
    (Chiến sĩ thi đua thành phố, Luật Điều 22): the title held ``years`` consecutive years (as
    ``prior_title``) and an initiative of those years recognised at ``level`` or above."""

    code = "city_fighter"
    label = ("Tiêu chuẩn Chiến sĩ thi đua thành phố", "City Emulation Fighter standard")
    inputs = (
        _award_choice("award", ("Danh hiệu phải đã đạt", "Title that must already be held")),
        _YEARS,
        _INCLUDE_CURRENT,
        ParamField(
            "level",
            ("Sáng kiến được công nhận từ cấp", "Initiative recognised at least at"),
            "choice",
            _LEVEL_CHOICES,
            ("chưa chọn cấp công nhận", "choose a level"),
            default="city",
        ),
    )
    asks = ("danh hiệu, số năm và cấp sáng kiến", "the award, years and initiative level")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = names.get(params.get("award", ""), (params.get("award", ""),) * 2)
        lvi, len_ = INITIATIVE_LEVEL_LABELS.get(params.get("level", ""), ("", ""))
        years = params.get("years")
        return (
            f"Đạt “{vi}” {years} năm liên tục và có sáng kiến được công nhận {lvi.lower()}",
            f"Held “{en}” {years} consecutive years and an initiative recognised at {len_.lower()}",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        p = rule.values
        award = facts.awards().get(p.get("award", ""))
        if award is None:
            return _award_gone(rule, self.code, p.get("award"))
        wanted, held, _ = _title_years(p, award, nomination, facts)
        missing = [y for y in wanted if y not in held]
        found = _initiatives_in(nomination, facts, wanted, _levels_from(p.get("level", "city")))
        lvi, len_ = INITIATIVE_LEVEL_LABELS.get(p.get("level", ""), ("", ""))
        span = _span(wanted)
        if missing:
            gaps = ", ".join(map(str, missing))
            return _result(
                rule,
                self.code,
                False,
                f"Chưa đủ {len(wanted)} năm liên tục “{award.name_vi}” ({span}): thiếu năm {gaps}.",
                f"Not {len(wanted)} consecutive years of “{award.name_en}” ({span}): "
                f"{gaps} missing.",
            )
        if not found:
            return _result(
                rule,
                self.code,
                False,
                f"Đã đạt “{award.name_vi}” {span}, nhưng chưa có sáng kiến, đề tài được "
                f"công nhận {lvi.lower()} trở lên trong các năm đó "
                "(chưa dùng cho khen thưởng khác).",
                f"Held “{award.name_en}” {span}, but no initiative or research recognised at "
                f"{len_.lower()} or above in those years (not used for another award).",
            )
        return CheckResult(
            self.code,
            rule.hard,
            True,
            f"Đã đạt “{award.name_vi}” {span}; sáng kiến “{found[0].title}” ({found[0].year}).",
            f"Held “{award.name_en}” {span}; initiative “{found[0].title}” ({found[0].year}).",
            rule.source,
            rule.id,
            (found[0].id,),
        )


class MeritCertificate(RuleKind):
    """``{"award": "CSTDCS", "years": 2, "include_current": true, "initiatives": 2}`` (Bằng
    khen, Luật Điều 74): the title ``years`` consecutive years, or rated "hoàn thành xuất sắc"
    those years with ``initiatives`` initiatives or research (grassroots level or above)."""

    code = "merit_certificate"
    label = ("Tiêu chuẩn Bằng khen (cá nhân)", "Certificate of Commendation standard")
    inputs = (
        _award_choice("award", ("Danh hiệu phải đã đạt", "Title that must already be held")),
        _YEARS,
        _INCLUDE_CURRENT,
        ParamField(
            "initiatives",
            ("Hoặc số sáng kiến, đề tài", "Or number of initiatives"),
            "number",
            low=1,
            high=10,
            default="2",
        ),
    )
    asks = ("danh hiệu, số năm và số sáng kiến", "the award, years and initiatives")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = names.get(params.get("award", ""), (params.get("award", ""),) * 2)
        years, count = params.get("years"), params.get("initiatives")
        return (
            f"Đạt “{vi}” {years} năm liên tục, hoặc {years} năm hoàn thành xuất sắc nhiệm vụ "
            f"và có {count} sáng kiến, đề tài",
            f"Held “{en}” {years} consecutive years, or rated excellent {years} years with "
            f"{count} initiatives",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        p = rule.values
        award = facts.awards().get(p.get("award", ""))
        if award is None:
            return _award_gone(rule, self.code, p.get("award"))
        if nomination.ad_hoc or nomination.campaign.kind == "ad_hoc":
            return _result(
                rule,
                self.code,
                True,
                "Khen thưởng đột xuất: xét theo thành tích đột xuất, không cần số năm liên tục.",
                "Ad-hoc commendation: judged on the achievement, no consecutive years needed.",
            )
        wanted, held, _ = _title_years(p, award, nomination, facts)
        span = _span(wanted)
        if all(y in held for y in wanted):
            return _result(
                rule,
                self.code,
                True,
                f"Đã đạt “{award.name_vi}” {span}.",
                f"Held “{award.name_en}” {span}.",
            )
        ratings = facts.ratings(nomination.person_id)
        excellent = all(ratings.get(y) == "excellent" for y in wanted)
        count = int(p.get("initiatives") or 2)
        found = _initiatives_in(nomination, facts, wanted, INITIATIVE_LEVELS)[:count]
        if excellent and len(found) == count:
            return CheckResult(
                self.code,
                rule.hard,
                True,
                f"Hoàn thành xuất sắc nhiệm vụ {span} và có {count} sáng kiến, đề tài.",
                f"Rated excellent {span} with {count} initiatives.",
                rule.source,
                rule.id,
                tuple(i.id for i in found),
            )
        return _result(
            rule,
            self.code,
            False,
            f"Chưa đạt “{award.name_vi}” đủ các năm {span}; cũng chưa hoàn thành xuất sắc "
            f"nhiệm vụ các năm đó với {count} sáng kiến, đề tài (có {len(found)}).",
            f"Not “{award.name_en}” every year of {span}; nor rated excellent those years with "
            f"{count} initiatives ({len(found)} found).",
        )


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({math.floor(part * 100 / whole) if whole else 0}%)"


class AdvancedCollective(RuleKind):
    """``{"award": "LDTT", "member_pct": 70, "discipline": "warning"}`` (Tập thể lao động tiên
    tiến, Luật Điều 28): at least ``member_pct`` percent of the members hold the title that year
    and no member is under discipline at ``discipline`` or heavier in force that year.

    Members: people whose period in the unit (in the group, for a group) covers the year. A
    member holds the title when the awards history has a merit record of it that year."""

    code = "advanced_collective"
    label = ("Tiêu chuẩn Tập thể lao động tiên tiến", "Advanced Collective standard")
    inputs = (
        _award_choice("award", ("Danh hiệu phải đã đạt", "Title that must already be held")),
        _MEMBER_PCT,
        ParamField(
            "discipline",
            ("Không thành viên nào bị kỷ luật từ mức", "No member disciplined at or above"),
            "choice",
            _DISCIPLINE_CHOICES,
            ("chưa chọn hình thức kỷ luật", "choose a disciplinary measure"),
            default="warning",
        ),
    )
    asks = ("danh hiệu, tỷ lệ và mức kỷ luật", "the award, share and discipline")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = names.get(params.get("award", ""), (params.get("award", ""),) * 2)
        dvi, den = DISCIPLINE_LABELS.get(params.get("discipline", ""), ("", ""))
        pct = params.get("member_pct")
        return (
            f"Từ {pct}% thành viên đạt “{vi}”; không ai bị kỷ luật từ “{dvi.lower()}” trở lên",
            f"At least {pct}% of members hold “{en}”; nobody disciplined at “{den.lower()}” "
            "or above",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        p = rule.values
        award = facts.awards().get(p.get("award", ""))
        if award is None:
            return _award_gone(rule, self.code, p.get("award"))
        year, members = (
            nomination.campaign.year,
            facts.members_facts(nomination, nomination.campaign.year),
        )
        problems = _member_share(members, award, int(p.get("member_pct") or 70))
        heavy = DISCIPLINE_FORMS[DISCIPLINE_FORMS.index(p.get("discipline", "warning")) :]
        disciplined = sorted({person for person, form in members.disciplined if form in heavy})
        dvi, den = DISCIPLINE_LABELS.get(p.get("discipline", ""), ("", ""))
        if disciplined:
            problems.append(
                (
                    f"{len(disciplined)} thành viên bị kỷ luật từ “{dvi.lower()}” trở lên",
                    f"{len(disciplined)} member(s) disciplined at “{den.lower()}” or above",
                )
            )
        return _collective_result(rule, self.code, year, members, award, problems)


class ExcellentCollective(RuleKind):
    """``{"award": "LDTT", "member_pct": 70, "fighter": "CSTDCS", "rating": "complete"}`` (Tập
    thể lao động xuất sắc, Luật Điều 27): every member rated at least ``rating``, at least
    ``member_pct`` percent hold ``award`` and at least one holds ``fighter``, that year."""

    code = "excellent_collective"
    label = ("Tiêu chuẩn Tập thể lao động xuất sắc", "Excellent Collective standard")
    inputs = (
        _award_choice("award", ("Danh hiệu phải đã đạt", "Title that must already be held")),
        _MEMBER_PCT,
        _award_choice("fighter", ("Ít nhất một thành viên đạt", "At least one member holds")),
        _MIN_RATING,
    )
    asks = ("danh hiệu, tỷ lệ và xếp loại", "the awards, share and rating")

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        vi, en = names.get(params.get("award", ""), (params.get("award", ""),) * 2)
        fvi, fen = names.get(params.get("fighter", ""), (params.get("fighter", ""),) * 2)
        pct = params.get("member_pct")
        return (
            f"100% thành viên hoàn thành nhiệm vụ, từ {pct}% đạt “{vi}”, có thành viên đạt “{fvi}”",
            f"Every member completes their tasks, {pct}% hold “{en}”, one holds “{fen}”",
        )

    def check(self, rule: AwardRule, nomination: Nomination, facts: Facts) -> CheckResult:
        p, awards = rule.values, facts.awards()
        award, fighter = awards.get(p.get("award", "")), awards.get(p.get("fighter", ""))
        if award is None or fighter is None:
            gone = p.get("award") if award is None else p.get("fighter")
            return _award_gone(rule, self.code, gone)
        year = nomination.campaign.year
        members = facts.members_facts(nomination, year)
        problems = _member_share(members, award, int(p.get("member_pct") or 70))
        minimum = p.get("rating", "complete")
        below = [m for m in members.people if not _rating_at_least(members.ratings.get(m), minimum)]
        if below:
            mvi, men = _rating_vi(minimum)
            problems.append(
                (
                    f"{len(below)} thành viên chưa được xếp loại “{mvi.lower()}” trở lên",
                    f"{len(below)} member(s) not rated “{men.lower()}” or better",
                )
            )
        if not members.held.get(fighter.id, set()) & set(members.people):
            problems.append(
                (
                    f"không thành viên nào đạt “{fighter.name_vi}”",
                    f"no member holds “{fighter.name_en}”",
                )
            )
        return _collective_result(rule, self.code, year, members, award, problems)


def _member_share(members: Any, award: AwardType, pct: int) -> list[tuple[str, str]]:
    """The share of members holding ``award``, as a problem when under ``pct`` percent."""
    people = members.people
    holding = len(members.held.get(award.id, set()) & set(people))
    # Whole numbers, no rounding: 7 of 10 is 70 %, 69 of 100 is not.
    if people and holding * 100 >= pct * len(people):
        return []
    return [
        (
            f"{_share(holding, len(people))} thành viên đạt “{award.name_vi}”, cần từ {pct}%",
            f"{_share(holding, len(people))} members hold “{award.name_en}”, {pct}% needed",
        )
    ]


def _collective_result(
    rule: AwardRule,
    code: str,
    year: int,
    members: Any,
    award: AwardType,
    problems: list[tuple[str, str]],
) -> CheckResult:
    holding = len(members.held.get(award.id, set()) & set(members.people))
    share = _share(holding, len(members.people))
    if not problems:
        return _result(
            rule,
            code,
            True,
            f"Năm {year}: {share} thành viên đạt “{award.name_vi}”; đạt tiêu chuẩn.",
            f"{year}: {share} members hold “{award.name_en}”; standard met.",
        )
    return _result(
        rule,
        code,
        False,
        f"Năm {year}: " + "; ".join(vi for vi, _ in problems) + ".",
        f"{year}: " + "; ".join(en for _, en in problems) + ".",
    )


# Who an award is for (``AwardType.nominee_kind``, a bonus rule's ``nominee``).
NOMINEE_CHOICES = {"individual": ("Cá nhân", "Individual"), "collective": ("Tập thể", "Collective")}


class Bonus(RuleKind):
    """``{"multiple": "0.3", "nominee": "individual"}``: the award money of an individual (or a
    collective) is ``multiple`` times the base salary in force on the decision's date, rounded up
    to tens of thousands of đồng (Nghị định 152/2025/NĐ-CP, Điều 49–50). Not a condition: it is
    read by ``workflow.publication.money``, never checked."""

    code = "bonus"
    label = ("Mức tiền thưởng (hệ số lương cơ sở)", "Award money (multiple of the base salary)")
    inputs = (
        ParamField(
            "multiple",
            ("Hệ số so với lương cơ sở", "Multiple of the base salary"),
            "decimal",
            low=0,
            high=100,
        ),
        ParamField(
            "nominee",
            ("Áp dụng cho", "Applies to"),
            "choice",
            NOMINEE_CHOICES,
            ("chưa chọn cá nhân hay tập thể", "choose individual or collective"),
        ),
    )
    asks = ("hệ số và đối tượng", "the multiple and who")
    checked = False

    def describe(
        self, params: Mapping[str, Any], names: Mapping[str, tuple[str, str]]
    ) -> tuple[str, str]:
        multiple = str(params.get("multiple", ""))
        who_vi, who_en = NOMINEE_CHOICES.get(params.get("nominee", ""), ("", ""))
        return (
            f"{who_vi}: {multiple.replace('.', ',')} lần mức lương cơ sở",
            f"{who_en}: {multiple} times the base salary",
        )


# Every kind, in the order the admin's form offers them.
RULE_KINDS: tuple[RuleKind, ...] = (
    Evidence(),
    PriorTitle(),
    Quota(),
    OnHold(),
    RatingStandard(),
    GrassrootsFighter(),
    CityFighter(),
    MeritCertificate(),
    AdvancedCollective(),
    ExcellentCollective(),
    Bonus(),
)
KINDS: dict[str, RuleKind] = {kind.code: kind for kind in RULE_KINDS}


# Every kind's inputs, in that order: the rule form has one field of each name (kinds that
# share an input, e.g. the award and years of a title held, share its field).
def _first_of_each_name(kinds: tuple[RuleKind, ...]) -> tuple[ParamField, ...]:
    found: dict[str, ParamField] = {}
    for spec in (f for kind in kinds for f in kind.inputs):
        found.setdefault(spec.name, spec)
    return tuple(found.values())


PARAM_FIELDS: tuple[ParamField, ...] = _first_of_each_name(RULE_KINDS)


def kind_of(code: str) -> RuleKind | None:
    """The kind of that code; None for a code no kind has (a rule of it is never checked)."""
    return KINDS.get(code)


def label_of(code: str) -> tuple[str, str]:
    """The kind's labels (Vietnamese, English); the code itself for an unknown kind."""
    kind = kind_of(code)
    return kind.label if kind is not None else (code, code)
