"""Award money (tiền thưởng): a multiple of the base salary, per row of a decision.

A row's money is the multiple of its award for an individual or a collective (an award rule of
kind ``bonus``, dated, in the award catalogue) times the base salary (lương cơ sở) in force on
the decision's date, rounded up to tens of thousands of đồng (Nghị định 152/2025/NĐ-CP, Điều
49–50). Money is Decimal and whole đồng, never float. A row whose award has no multiple on
that date has no amount (None): the decision's page names such rows, and totals leave them out.

The base salary is a dated table (``models.BaseSalary``) that administrators add to; every
addition is audited (entity ``base_salary``, its id the date as YYYYMMDD).

The annex of a decision (Phụ lục) lists its rows per award; within an award the individuals,
then the collectives, each group numbered from 1, with a total per award and a grand total.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AwardRule, BaseSalary, Nomination
from models.text import nfc, person_sort_key, vi_sort_key
from workflow.awards.catalogue import CatalogueRefused, rules_of
from workflow.awards.rules import Bonus, invalid_field
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_manage_base_salary, refuse_unless
from workflow.core.dates import DATE_RULE, parse_day
from workflow.core.errors import Violation

# Điều 49: the money is rounded up to tens of thousands of đồng.
ROUNDING = Decimal(10_000)
BONUS = Bonus.code
NOMINEE_ORDER = ("individual", "collective")
MANAGE_ACTION = ("Quản lý mức lương cơ sở", "Manage the base salary")
ENTITY = "base_salary"
# Far above any base salary ever set, far below what an integer column holds.
MAX_AMOUNT = 100_000_000


def round_up(amount: Decimal) -> int:
    """``amount`` đồng rounded up to the next ten thousand (an exact multiple stays)."""
    return int((amount / ROUNDING).to_integral_value(rounding=ROUND_CEILING) * ROUNDING)


def award_money(multiple: Decimal, base_salary: int) -> int:
    """The money of one row: ``multiple`` × ``base_salary``, rounded up to tens of thousands."""
    return round_up(multiple * Decimal(base_salary))


def dong(amount: int | None) -> str:
    """2340000 → "2.340.000" (dots between thousands, as written in Vietnamese); "" for None."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


# --- the base salary ---------------------------------------------------------------------------


def base_salaries(session: Session) -> list[BaseSalary]:
    """Every base salary amount, the latest first."""
    return list(session.scalars(select(BaseSalary).order_by(BaseSalary.valid_from.desc())))


def base_salary_on(session: Session, day: dt.date) -> BaseSalary | None:
    """The base salary in force on ``day``: the latest from that day or before; None before
    the first."""
    return session.scalars(
        select(BaseSalary)
        .where(BaseSalary.valid_from <= day)
        .order_by(BaseSalary.valid_from.desc())
        .limit(1)
    ).first()


def _entity_id(day: dt.date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def add_base_salary(
    session: Session,
    actor: Actor | None,
    values: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> BaseSalary:
    """Add a base salary amount from a date on (administrators; audited). Never commits."""
    refuse_unless(may_manage_base_salary(actor), MANAGE_ACTION, error=CatalogueRefused)
    problems: list[Violation] = []
    raw_day = str(values.get("valid_from") or "").strip()
    day = parse_day(raw_day)
    if day is None:
        problems.append(
            invalid_field("valid_from", DATE_RULE[0], DATE_RULE[1])
            if raw_day
            else invalid_field("valid_from", "không được để trống", "is required")
        )
    elif session.get(BaseSalary, day) is not None:
        problems.append(
            invalid_field(
                "valid_from",
                "đã có mức lương cơ sở áp dụng từ ngày này",
                "already has a base salary from that day",
            )
        )
    amount = _whole_dong(values.get("amount"))
    if amount is None:
        problems.append(
            invalid_field(
                "amount",
                f"phải là số tiền bằng đồng, từ 1 đến {dong(MAX_AMOUNT)}, ví dụ 2.340.000",
                f"must be an amount in đồng, from 1 to {MAX_AMOUNT:,}, e.g. 2,340,000",
            )
        )
    source = nfc(str(values.get("source") or "")).strip()
    if not source:
        problems.append(
            invalid_field("source", "cần ghi căn cứ (văn bản, điều khoản)", "give the legal source")
        )
    if problems:
        raise CatalogueRefused(problems)
    row = BaseSalary(valid_from=day, amount=amount, source=source)
    session.add(row)
    session.flush()
    audit.append(
        session,
        entity_type=ENTITY,
        entity_id=_entity_id(day),
        action="create",
        actor_id=actor.user_id,
        actor_role=Role.ADMIN.value,
        changes={"valid_from": day, "amount": amount, "source": source},
        now=now,
    )
    return row


def _whole_dong(value: object) -> int | None:
    """An amount typed "2.340.000", "2,340,000", "2 340 000" or "2340000"; None otherwise (a
    decimal part, "2340000,5", is not a whole amount: it is not read as 23.400.005)."""
    raw = str(value or "").strip().replace("\u00a0", " ")
    if not (_PLAIN.fullmatch(raw) or _GROUPED.fullmatch(raw)):
        return None
    amount = int(re.sub(r"\D", "", raw))
    return amount if 1 <= amount <= MAX_AMOUNT else None


_PLAIN = re.compile(r"[0-9]+")
# Thousands grouped by one separator, the same throughout: 2.340.000, 2,340,000, 2 340 000.
_GROUPED = re.compile(r"[0-9]{1,3}(?:([., ])[0-9]{3})(?:\1[0-9]{3})*")


# --- the multiple of an award ------------------------------------------------------------------


def bonus_rule(rules: Sequence[AwardRule], nominee_kind: str, day: dt.date) -> AwardRule | None:
    """Among an award's ``rules``, the bonus rule for ``nominee_kind`` in force on ``day``;
    of several, the one that starts latest (a newer amount overrides an open-ended one)."""
    found = [
        r
        for r in rules
        if r.kind == BONUS and r.values.get("nominee") == nominee_kind and r.applies_on(day)
    ]
    return max(found, key=lambda r: (r.valid_from or dt.date.min, r.id), default=None)


def multiple_of(rule: AwardRule | None) -> Decimal | None:
    """The rule's multiple as a Decimal, or None without a rule (or with a broken one)."""
    if rule is None:
        return None
    try:
        multiple = Decimal(str(rule.values.get("multiple", "")))
    except ArithmeticError:
        return None
    return multiple if multiple.is_finite() and multiple > 0 else None


@dataclass(frozen=True)
class RowMoney:
    """The money of one row: the multiple, the base salary used and the amount (None when
    either is missing)."""

    multiple: Decimal | None
    base_salary: int | None
    amount: int | None


def row_money(session: Session, award_type_id: int, nominee_kind: str, day: dt.date) -> RowMoney:
    """The money of a row of ``award_type_id`` for ``nominee_kind`` on ``day`` (a decision's
    date): what a list of nominations shows beside each row."""
    base = base_salary_on(session, day)
    return _money(
        multiple_of(bonus_rule(rules_of(session, award_type_id), nominee_kind, day)), base
    )


def _money(multiple: Decimal | None, base: BaseSalary | None) -> RowMoney:
    amount = award_money(multiple, base.amount) if multiple is not None and base else None
    return RowMoney(multiple, base.amount if base else None, amount)


# --- a decision's rows and its annex -----------------------------------------------------------


@dataclass(frozen=True)
class MoneyLine:
    """One row of a decision with its money, numbered within its group of the annex."""

    number: int
    dossier_id: int
    award_type_id: int
    award_vi: str
    award_en: str
    nominee_kind: str
    name: str
    position: str
    unit: str
    money: RowMoney

    @property
    def amount(self) -> int | None:
        return self.money.amount


@dataclass(frozen=True)
class AnnexGroup:
    """The individuals (or the collectives) of one award, numbered from 1."""

    nominee_kind: str
    lines: tuple[MoneyLine, ...]


@dataclass(frozen=True)
class AwardBlock:
    """One award of the annex: its groups and the total of its money."""

    award_vi: str
    award_en: str
    groups: tuple[AnnexGroup, ...]
    total: int

    @property
    def count(self) -> int:
        """The people and collectives of the award."""
        return sum(len(g.lines) for g in self.groups)


@dataclass
class Annex:
    """A decision's rows in annex order, by award, with the totals."""

    day: dt.date
    base_salary: BaseSalary | None
    blocks: list[AwardBlock] = field(default_factory=list)

    @property
    def lines(self) -> list[MoneyLine]:
        return [line for b in self.blocks for g in b.groups for line in g.lines]

    @property
    def total(self) -> int:
        return sum(b.total for b in self.blocks)

    @property
    def without_money(self) -> list[MoneyLine]:
        """Rows whose award has no multiple on the day (or no base salary is in force)."""
        return [line for line in self.lines if line.amount is None]


def annex_order(dossier: Nomination) -> tuple:
    """The award (catalogue order), individuals before collectives, the unit, then the name."""
    kind = dossier.nominee_kind
    return (
        dossier.award_type_id,
        NOMINEE_ORDER.index(kind) if kind in NOMINEE_ORDER else len(NOMINEE_ORDER),
        vi_sort_key(dossier.unit.name),
        person_sort_key(dossier.nominee_name),
    )


def annex(
    session: Session,
    dossiers: Sequence[Nomination],
    day: dt.date,
    kept: Mapping[int, RowMoney] | None = None,
) -> Annex:
    """The annex of a decision dated ``day`` listing ``dossiers``, with each row's money: the
    money ``kept`` for a dossier (by id) when the decision was issued, else computed now."""
    kept = kept or {}
    base = base_salary_on(session, day)
    result = Annex(day, base)
    ordered = sorted(dossiers, key=annex_order)
    multiples: dict[tuple[int, str], Decimal | None] = {}
    start = 0
    while start < len(ordered):
        award = ordered[start].award_type
        end = start
        while end < len(ordered) and ordered[end].award_type_id == award.id:
            end += 1
        groups = []
        for kind in dict.fromkeys(d.nominee_kind for d in ordered[start:end]):
            key = (award.id, kind)
            if key not in multiples:
                rule = bonus_rule(rules_of(session, award.id), kind, day)
                multiples[key] = multiple_of(rule)
            money = _money(multiples[key], base)
            members = [d for d in ordered[start:end] if d.nominee_kind == kind]
            groups.append(
                AnnexGroup(
                    kind,
                    tuple(
                        MoneyLine(
                            number,
                            d.id,
                            award.id,
                            award.name_vi,
                            award.name_en,
                            kind,
                            d.nominee_name,
                            d.position or "",
                            d.unit.name,
                            kept.get(d.id, money),
                        )
                        for number, d in enumerate(members, start=1)
                    ),
                )
            )
        total = sum(line.amount or 0 for g in groups for line in g.lines)
        result.blocks.append(AwardBlock(award.name_vi, award.name_en, tuple(groups), total))
        start = end
    return result
