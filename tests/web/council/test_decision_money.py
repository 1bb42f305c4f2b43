"""The decision's page with hundreds of rows: paginated, each row's money and the whole
decision's total, the finance office's XLSX and CSV; and the admin's base salary page."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import AwardRule, BaseSalary
from tests.fixtures.dossiers import page
from tests.fixtures.money import add_bonus, approved, approved_group, draft_decision
from tests.fixtures.people import make_council_session
from tests.fixtures.web import app_db, csrf_from
from web.council import decisions as decision_pages
from web.support.downloads import XLSX_CONTENT_TYPE

NAMES = ("Lê Thị An", "Ngô Văn Bình", "Vũ Văn Cường")


@pytest.fixture()
def decision_id(app, app_world) -> int:
    """A draft decision of three teachers (Lao động tiên tiến, 0,3) and a group (Tập thể lao
    động tiên tiến, 0,8)."""
    with app_db(app) as session:
        add_bonus(session, app_world, "ldtt", "0.3", "individual")
        add_bonus(session, app_world, "ttldtt", "0.8", "collective")
        council = make_council_session(session, app_world)
        made = [approved(session, app_world, council, name, position="Giáo viên") for name in NAMES]
        made.append(approved_group(session, app_world, council, "Tổ Ngữ văn"))
        return draft_decision(session, app_world, made).id


def test_the_page_shows_each_rows_money_and_the_total_page_by_page(
    client, auth, decision_id, monkeypatch
):
    monkeypatch.setattr(decision_pages, "PER_PAGE", 2)
    auth.login("secretary")
    first = html.unescape(page(client, f"/council/decisions/{decision_id}"))
    second = html.unescape(page(client, f"/council/decisions/{decision_id}?page=2"))
    # 3 × 710.000 + 1.880.000, on every page: the total is the decision's, not the page's.
    for text in (first, second):
        assert 'data-total="4010000"' in text and "4.010.000" in text
        assert "Lương cơ sở áp dụng vào ngày quyết định: 2.340.000 đồng" in text
        assert "Trang" in text and "trên 4" in text
    assert [n in first for n in NAMES] == [True, True, False]
    assert "Vũ Văn Cường" in second and "Tổ Ngữ văn" in second and "Lê Thị An" not in second
    assert first.count('data-amount="710000"') == 2
    assert second.count('data-amount="1880000"') == 1 and "0,8" in second
    assert "/money.xlsx" in first and "/money.csv" in first


def test_rows_without_a_multiple_are_named_and_left_out(app, client, auth, decision_id):
    with app_db(app) as session:
        session.execute(AwardRule.__table__.delete().where(AwardRule.kind == "bonus"))
    auth.login("secretary")
    text = html.unescape(page(client, f"/council/decisions/{decision_id}"))
    assert 'data-missing="4"' in text and "chưa có mức tiền thưởng" in text
    assert 'data-total="0"' in text


def test_the_finance_office_downloads_xlsx_and_csv(client, auth, app_world, decision_id):
    auth.login("member1")  # a Council member reads decisions, and their money
    xlsx = client.get(f"/council/decisions/{decision_id}/money.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'filename="05-QD-SGDDT-tien-thuong.xlsx"' in xlsx.headers["Content-Disposition"]
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows()]
    assert rows[0][0] == "STT" and rows[-1][1] == "Tổng cộng" and rows[-1][7] == 4_010_000
    assert [r[2] for r in rows[1:-1]] == [*NAMES, "Tổ Ngữ văn"]
    response = client.get(f"/council/decisions/{decision_id}/money.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[-1][-1] == "4010000" and table[1][5:] == ["0.3", "2340000", "710000"]
    assert client.get(f"/council/decisions/{decision_id}/money.pdf").status_code == 404


def test_no_one_outside_the_council_downloads_the_money(client, auth, decision_id):
    auth.login("staff_a")
    assert client.get(f"/council/decisions/{decision_id}/money.csv").status_code == 403


# --- the base salary page ------------------------------------------------------------------


def _post(client, **data):
    token = csrf_from(page(client, "/awards/base-salary"))
    return client.post("/awards/base-salary", data={"csrf_token": token, **data})


def test_the_admin_sees_and_adds_a_base_salary(app, client, auth, app_world):
    auth.login("admin")
    assert "/awards/base-salary" in page(client, "/awards/")
    text = html.unescape(page(client, "/awards/base-salary"))
    assert "2.340.000" in text and "01/07/2024" in text and "Nghị định 73/2024/NĐ-CP" in text
    added = _post(client, valid_from="01/07/2026", amount="2.530.000", source="Nghị định mới")
    assert added.status_code == 302
    text = html.unescape(page(client, "/awards/base-salary"))
    assert "Đã thêm mức lương cơ sở 2.530.000 đồng áp dụng từ ngày 01/07/2026." in text
    assert text.index("2.530.000") < text.index("2.340.000")  # the latest first
    with app_db(app) as session:
        assert session.get(BaseSalary, dt.date(2026, 7, 1)).amount == 2_530_000


def test_bad_input_is_named_in_vietnamese_and_kept(app, client, auth, app_world):
    auth.login("admin")
    refused = _post(client, valid_from="31/02/2026", amount="hai triệu", source="Căn cứ")
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    assert "phải là số tiền bằng đồng" in text and "phải theo dạng ngày/tháng/năm" in text
    assert 'value="hai triệu"' in text and 'value="31/02/2026"' in text
    with app_db(app) as session:
        assert session.scalars(select(BaseSalary.amount)).all() == [2_340_000]


@pytest.mark.parametrize("who", ["secretary", "reviewer", "head_a"])
def test_no_one_else_sees_or_adds_a_base_salary(app, client, auth, app_world, who):
    auth.login(who)
    assert client.get("/awards/base-salary").status_code == 403
    token = csrf_from(page(client, "/"))
    refused = client.post(
        "/awards/base-salary",
        data={"csrf_token": token, "valid_from": "01/07/2026", "amount": "1", "source": "X"},
    )
    assert refused.status_code == 403
    with app_db(app) as session:
        assert session.scalars(select(BaseSalary.amount)).all() == [2_340_000]


# --- the multiple, in the award catalogue's rule form --------------------------------------


def test_the_admin_sets_a_multiple_in_the_rule_form(app, client, auth, app_world):
    auth.login("admin")
    award = app_world.awards["cstdcs"]
    url = f"/awards/{award.id}/edit"

    def add(multiple: str):
        token = csrf_from(page(client, url))
        return client.post(
            f"/awards/{award.id}/rules",
            data={
                "rule-csrf_token": token,
                "rule-kind": "bonus",
                "rule-multiple": multiple,
                "rule-nominee": "individual",
                "rule-source": "Nghị định 152/2025/NĐ-CP, Điều 50",
                "rule-valid_from": "01/07/2025",
            },
        )

    refused = add("một phẩy năm")
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400 and "phải là một số lớn hơn 0" in text
    assert 'value="một phẩy năm"' in text
    assert add("1,5").status_code == 302
    text = html.unescape(page(client, url))
    assert "Cá nhân: 1,5 lần mức lương cơ sở" in text
    with app_db(app) as session:
        [rule] = session.scalars(select(AwardRule).where(AwardRule.kind == "bonus")).all()
        assert rule.values == {"multiple": "1.5", "nominee": "individual"}
