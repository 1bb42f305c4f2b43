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
from typing import Any, ClassVar, Literal, Protocol

from models import AwardRule, AwardType, Hold, Nomination
from workflow.core.errors import Violation
from workflow.core.messages import Messages
from workflow.core.registry import states_where

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


@dataclass(frozen=True)
class ParamField:
    """One input of a kind's part of the rule form: a choice, a whole number or a tick."""

    name: str
    label: tuple[str, str]
    input: Literal["choice", "number", "check"]
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
        year, years = nomination.campaign.year, max(1, int(p.get("years") or 1))
        last = year if p.get("include_current") else year - 1
        wanted = list(range(last - years + 1, last + 1))
        held = facts.years_held(award.id, nomination, wanted)
        pending: list[tuple[int, str]] = []
        if last == year and year not in held:
            pending = facts.same_year_nominations(award.id, nomination, year)
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


# Every kind, in the order the admin's form offers them.
RULE_KINDS: tuple[RuleKind, ...] = (Evidence(), PriorTitle(), Quota(), OnHold())
KINDS: dict[str, RuleKind] = {kind.code: kind for kind in RULE_KINDS}
# Every kind's inputs, in that order: the rule form has one field of each (names are unique).
PARAM_FIELDS: tuple[ParamField, ...] = tuple(f for kind in RULE_KINDS for f in kind.inputs)


def kind_of(code: str) -> RuleKind | None:
    """The kind of that code; None for a code no kind has (a rule of it is never checked)."""
    return KINDS.get(code)


def label_of(code: str) -> tuple[str, str]:
    """The kind's labels (Vietnamese, English); the code itself for an unknown kind."""
    kind = kind_of(code)
    return kind.label if kind is not None else (code, code)
