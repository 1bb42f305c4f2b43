"""Days typed as people write them: dd/mm/yyyy first, ISO still accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from workflow.core.dates import day_text, parse_day

DEC_5 = dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    "typed",
    ["05/12/2026", "5/12/2026", " 05/12/2026 ", "05.12.2026", "05-12-2026", "2026-12-05", DEC_5],
)
def test_a_day_as_people_type_it(typed):
    assert parse_day(typed) == DEC_5


def test_a_datetime_is_its_day():
    assert parse_day(dt.datetime(2026, 12, 5, 23, 0)) == DEC_5


@pytest.mark.parametrize(
    "typed",
    ["", None, "12/2026", "31/02/2026", "2026/12/05", "5 tháng 12", "05/13/2026", "٠٥/١٢/٢٠٢٦"],
)
def test_anything_else_is_not_a_day(typed):
    assert parse_day(typed) is None


def test_a_day_is_shown_back_day_first_and_a_wrong_one_as_typed():
    assert day_text(DEC_5) == "05/12/2026"
    assert day_text("2026-12-05") == "05/12/2026"
    assert day_text("31/02/2026") == "31/02/2026"
    assert day_text(None) == ""


def test_a_decision_date_is_read_day_first_and_a_wrong_one_is_explained():
    from workflow.core.inputs import check_decision

    typed = {"decision_number": "05/QĐ-SGDĐT", "decision_signer": "Nguyễn Văn A"}
    assert check_decision({**typed, "decision_date": "05/12/2026"}) == []
    assert [v.code for v in check_decision({**typed, "decision_date": ""})] == [
        "decision_date_missing"
    ]
    wrong = check_decision({**typed, "decision_date": "12/31/2026"})
    assert [v.message() for v in wrong] == ["Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/12/2026."]
