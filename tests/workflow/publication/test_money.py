"""Award money: each row is its award's multiple of the base salary in force on the decision's
date, rounded up to tens of thousands of đồng; the annex orders and numbers the rows; the
finance office's exports carry the same figures and never a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import AuditEvent, AwardRule, BaseSalary, Nomination
from tests.fixtures.money import DAY, add_bonus, approved, approved_group, draft_decision
from tests.fixtures.people import NOW, make_council_session
from workflow.awards import catalogue
from workflow.awards.catalogue import CatalogueRefused
from workflow.publication import decision_exports, decisions, money

BASE = 2_340_000


@pytest.mark.parametrize(
    "multiple,base,amount",
    [
        ("0.3", BASE, 710_000),  # 702.000 rounded up to tens of thousands
        ("0.8", BASE, 1_880_000),  # 1.872.000
        ("1.0", BASE, 2_340_000),  # already a multiple of 10.000: unchanged
        ("1.5", BASE, 3_510_000),
        ("3.0", BASE, 7_020_000),
        ("0.6", BASE, 1_410_000),  # 1.404.000
        ("1", 1_234_567, 1_240_000),
        ("0.5", 1_230_000, 620_000),  # 615.000
    ],
)
def test_money_is_the_multiple_rounded_up_to_tens_of_thousands(multiple, base, amount):
    assert money.award_money(Decimal(multiple), base) == amount


def test_rounding_and_writing_of_amounts():
    assert money.round_up(Decimal("1230000")) == 1_230_000
    assert money.round_up(Decimal("1230000.01")) == 1_240_000
    assert money.round_up(Decimal("1")) == 10_000
    assert [money.dong(a) for a in (2_340_000, 710_000, 9_000, 0)] == [
        "2.340.000",
        "710.000",
        "9.000",
        "0",
    ]
    assert money.dong(None) == ""


def salary(values: dict) -> dict:
    return {"valid_from": "01/07/2026", "amount": "2.530.000", "source": "Nghị định mới", **values}


@pytest.mark.db
def test_the_base_salary_in_force_on_the_decision_date(session, world):
    # The migration's seed: 2.340.000 đồng from 01/7/2024 (Nghị định 73/2024/NĐ-CP).
    assert money.base_salary_on(session, dt.date(2024, 6, 30)) is None
    assert money.base_salary_on(session, dt.date(2024, 7, 1)).amount == BASE
    added = money.add_base_salary(session, world.actor("admin"), salary({}), now=NOW)
    assert (added.valid_from, added.amount) == (dt.date(2026, 7, 1), 2_530_000)
    assert money.base_salary_on(session, dt.date(2026, 6, 30)).amount == BASE
    assert money.base_salary_on(session, dt.date(2026, 7, 1)).amount == 2_530_000
    assert [s.amount for s in money.base_salaries(session)] == [2_530_000, BASE]
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "base_salary")).one()
    assert event.entity_id == 20260701 and event.actor_id == world.users["admin"].id
    assert json.loads(event.changes) == {
        "valid_from": "2026-07-01",
        "amount": 2_530_000,
        "source": "Nghị định mới",
    }


@pytest.mark.db
@pytest.mark.parametrize("who", ["secretary", "reviewer", "staff_a"])
def test_only_an_administrator_adds_a_base_salary(session, world, who):
    with pytest.raises(CatalogueRefused) as refused:
        money.add_base_salary(session, world.actor(who), salary({}))
    assert refused.value.is_permission
    assert session.scalars(select(BaseSalary.amount)).all() == [BASE]


@pytest.mark.db
@pytest.mark.parametrize(
    "values,field,words",
    [
        ({"amount": "hai triệu"}, "amount", "phải là số tiền bằng đồng"),
        ({"amount": "-5"}, "amount", "phải là số tiền bằng đồng"),
        ({"amount": "0"}, "amount", "phải là số tiền bằng đồng"),
        ({"amount": "2340000,5"}, "amount", "phải là số tiền bằng đồng"),
        ({"amount": "2.340,000"}, "amount", "phải là số tiền bằng đồng"),
        ({"amount": "23.40.000"}, "amount", "phải là số tiền bằng đồng"),
        ({"valid_from": "31/02/2026"}, "valid_from", "ngày/tháng/năm"),
        ({"valid_from": ""}, "valid_from", "không được để trống"),
        ({"valid_from": "01/07/2024"}, "valid_from", "đã có mức lương cơ sở"),
        ({"source": " "}, "source", "cần ghi căn cứ"),
    ],
)
def test_a_base_salary_that_is_not_one_is_refused(session, world, values, field, words):
    with pytest.raises(CatalogueRefused) as refused:
        money.add_base_salary(session, world.actor("admin"), salary(values))
    [problem] = refused.value.violations
    assert problem.params["field"] == field and words in problem.message("vi")
    assert session.scalars(select(BaseSalary.amount)).all() == [BASE]


@pytest.mark.db
def test_amounts_are_read_as_vietnamese_write_them(session, world):
    for typed, day, amount in (
        ("2 530 000", "01/07/2026", 2_530_000),
        ("2,600,000", "2027-01-01", 2_600_000),
        ("2700000", "01/07/2027", 2_700_000),
    ):
        added = money.add_base_salary(
            session, world.actor("admin"), salary({"amount": typed, "valid_from": day})
        )
        assert added.amount == amount


@pytest.mark.db
def test_the_multiple_in_force_on_the_decision_date(session, world):
    ldtt = world.awards["ldtt"].id
    add_bonus(session, world, "ldtt", "0.3", "individual", "2025-07-01", "2026-06-30")
    add_bonus(session, world, "ldtt", "0,4", "individual", "2026-07-01")
    before = money.row_money(session, ldtt, "individual", dt.date(2026, 6, 30))
    assert before == money.RowMoney(Decimal("0.3"), BASE, 710_000)
    after = money.row_money(session, ldtt, "individual", dt.date(2026, 7, 1))
    assert after == money.RowMoney(Decimal("0.4"), BASE, 940_000)  # 936.000
    # Before the first rule, or for a collective (no rule of its own): no amount.
    assert money.row_money(session, ldtt, "individual", dt.date(2025, 6, 30)).amount is None
    assert money.row_money(session, ldtt, "collective", DAY).amount is None


def _row(world, i: int, award: str, kind: str, name: str, unit: str) -> Nomination:
    """A row not stored: the annex reads only what a decision's nominations carry."""
    return Nomination(
        id=1000 + i,
        nominee_kind=kind,
        nominee_name=name,
        position="Giáo viên" if kind == "individual" else None,
        award_type_id=world.awards[award].id,
        award_type=world.awards[award],
        unit_id=world.units[unit].id,
        unit=world.units[unit],
    )


@pytest.mark.db
def test_annex_orders_individuals_then_collectives_numbered_per_group(session, world):
    add_bonus(session, world, "ldtt", "0.3", "individual")
    add_bonus(session, world, "ldtt", "0.6", "collective")
    add_bonus(session, world, "ttldtt", "0.8", "collective")
    rows = [
        _row(world, 1, "ttldtt", "collective", "Tổ Ngữ văn", "a"),
        _row(world, 2, "ldtt", "collective", "Tổ Toán", "a"),
        _row(world, 3, "ldtt", "individual", "Trần Phú", "b"),
        _row(world, 4, "ldtt", "individual", "Ngô Văn Bình", "a"),
        _row(world, 5, "ldtt", "individual", "Lê Thị An", "a"),
        _row(world, 6, "cstdcs", "individual", "Đỗ Hùng", "b"),  # no multiple
    ]
    annex = money.annex(session, rows, DAY)
    assert annex.base_salary.amount == BASE
    got = [
        (b.award_vi, g.nominee_kind, [(line.number, line.name, line.amount) for line in g.lines])
        for b in annex.blocks
        for g in b.groups
    ]
    assert got == [
        (
            "Lao động tiên tiến",
            "individual",
            # School a before school b (Vietnamese order), then the given name.
            [(1, "Lê Thị An", 710_000), (2, "Ngô Văn Bình", 710_000), (3, "Trần Phú", 710_000)],
        ),
        ("Lao động tiên tiến", "collective", [(1, "Tổ Toán", 1_410_000)]),
        ("Chiến sĩ thi đua cơ sở", "individual", [(1, "Đỗ Hùng", None)]),
        ("Tập thể lao động tiên tiến", "collective", [(1, "Tổ Ngữ văn", 1_880_000)]),
    ]
    assert [b.total for b in annex.blocks] == [3 * 710_000 + 1_410_000, 0, 1_880_000]
    assert annex.total == 5_420_000
    assert [line.name for line in annex.without_money] == ["Đỗ Hùng"]
    table = decisions.annex_rows(annex)
    assert [(r.kind, r.cells[0]) for r in table[:7]] == [
        ("heading", "I. Lao động tiên tiến"),
        ("heading", "Cá nhân"),
        ("row", "1"),
        ("row", "2"),
        ("row", "3"),
        ("heading", "Tập thể"),
        ("row", "1"),
    ]
    assert table[2].cells == ("1", "Lê Thị An", "Giáo viên", world.units["a"].name, "710.000")
    assert table[7].cells == ("Cộng Lao động tiên tiến", "3.540.000")
    assert table[8].cells[0] == "II. Chiến sĩ thi đua cơ sở"
    assert table[10].cells[-1] == ""  # no amount rather than a wrong one
    assert table[-1].cells == ("Tổng cộng", "5.420.000")


@pytest.mark.db
def test_no_money_without_a_base_salary_on_the_day(session, world):
    add_bonus(session, world, "ldtt", "0.3", "individual", None)
    annex = money.annex(
        session, [_row(world, 1, "ldtt", "individual", "Trần Phú", "a")], dt.date(2024, 1, 1)
    )
    assert annex.base_salary is None and annex.total == 0
    assert annex.lines[0].money == money.RowMoney(Decimal("0.3"), None, None)


@pytest.fixture()
def decision(session, world):
    """A decision of two teachers and a group, one teacher's name and position like formulas."""
    add_bonus(session, world, "ldtt", "0.3", "individual")
    add_bonus(session, world, "ttldtt", "0.8", "collective")
    council = make_council_session(session, world)
    formula = '=HYPERLINK("http://x.example","Bấm")'
    made = [
        approved(session, world, council, "Trần Phú", position=formula),
        approved(session, world, council, "Đỗ Thị Mai", "b", position="@Hiệu phó"),
        approved_group(session, world, council, "Tổ Ngữ văn"),
    ]
    return draft_decision(session, world, made)


EXPECTED = [
    ["1", "Lao động tiên tiến", "Trần Phú", "a", "'=HYPERLINK", "0.3", "2340000", "710000"],
    ["2", "Lao động tiên tiến", "Đỗ Thị Mai", "b", "'@Hiệu phó", "0.3", "2340000", "710000"],
    ["3", "Tập thể lao động tiên tiến", "Tổ Ngữ văn", "a", "", "0.8", "2340000", "1880000"],
    ["", "Tổng cộng", "", "", "", "", "", "3300000"],
]


def _same(world, got: list[list[str]]) -> None:
    units = {"a": world.units["a"].name, "b": world.units["b"].name}
    assert len(got) == len(EXPECTED)
    for row, want in zip(got, EXPECTED):
        want = [units.get(v, v) if i == 3 else v for i, v in enumerate(want)]
        assert row[4].startswith(want[4]) and row[:4] + row[5:] == want[:4] + want[5:]


@pytest.mark.db
def test_csv_for_the_finance_office(session, world, decision):
    data = decision_exports.decision_csv(decisions.decision_annex(session, decision))
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(decision_exports.HEADER)
    _same(world, table[1:])


@pytest.mark.db
def test_xlsx_for_the_finance_office(session, world, decision):
    data = decision_exports.decision_xlsx(decision, decisions.decision_annex(session, decision))
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(decision_exports.HEADER)
    # Numbers stay numbers (the accountant adds them up); text never runs as a formula.
    assert values[1][0] == 1 and values[1][7] == 710_000 and values[1][6] == BASE
    assert float(values[1][5]) == 0.3
    assert sheet.cell(row=2, column=8).number_format == "#,##0"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    text = [["" if v is None else str(v) for v in row] for row in values[1:]]
    for row in text:
        if row[5]:
            row[5] = str(Decimal(row[5]).normalize())
    _same(world, text)


@pytest.mark.db
def test_issuing_keeps_the_money_as_signed(session, world, decision):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    kept = [(i.multiple, i.base_salary, i.amount) for i in decision.items]
    assert sorted(kept) == [
        ("0.3", BASE, 710_000),
        ("0.3", BASE, 710_000),
        ("0.8", BASE, 1_880_000),
    ]
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "decision", AuditEvent.action == "issue")
    ).one()
    assert json.loads(event.changes)["total"] == 3_300_000
    # Later: a base salary from before the decision's date, and the multiples removed.
    money.add_base_salary(session, world.actor("admin"), salary({"valid_from": "01/01/2026"}))
    for rule in session.scalars(select(AwardRule).where(AwardRule.kind == "bonus")):
        catalogue.remove_rule(session, world.actor("admin"), rule.id)
    assert decisions.decision_annex(session, decision).total == 3_300_000
    # A draft decision's money is read at the time: none now.
    draft = decisions.dossiers_of(session, decision)
    assert money.annex(session, draft, DAY).total == 0
