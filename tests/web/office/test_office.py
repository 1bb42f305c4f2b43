"""The Office queue: who may see it, filters, text search, sorting, pagination, CSV export."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.fixtures.people import make_dossier
from tests.fixtures.web import app_db

ROW = re.compile(r'<tr data-dossier="(\d+)"')
COUNT = re.compile(r"Hiển thị (\d+)–(\d+) trên (\d+)")


def rows(client, query: str = "") -> list[int]:
    response = client.get(f"/office/{query}")
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


@pytest.fixture()
def queue_data(app, app_world):
    """Dossiers sent to the Department, and some that are not; returns their ids by name."""
    w = app_world
    with app_db(app) as session:
        ids = {}

        def add(name, kind="nomination", state="office_review", unit="a", **fields):
            ids[name] = make_dossier(session, w, kind, state, unit=unit, **fields).id

        add(
            "hong",
            nominee_name="Nguyễn Thị Hồng",
            title="Đề nghị LĐTT Nguyễn Thị Hồng",
            direct_worker=True,
        )
        add(
            "dang",
            nominee_name="Đặng Văn Thu",
            title="Đề nghị CSTĐCS",
            award_type_id=w.awards["cstdcs"].id,
        )
        add(
            "adhoc",
            nominee_name="Bùi Thị Yến",
            title="Cứu người đuối nước",
            ad_hoc=True,
            campaign_id=w.ad_hoc.id,
        )
        add("cuc", unit="b", nominee_name="Lê Thị Cúc", title="Đề nghị LĐTT Lê Thị Cúc")
        add(
            "team",
            unit="b",
            nominee_kind="collective",
            nominee_name="Tổ Toán",
            award_type_id=w.awards["ttldtt"].id,
            title="Tập thể tổ Toán",
        )
        add("plan_b", kind="plan", unit="b", title="Kế hoạch thi đua 2026")
        add("report_b", kind="report", unit="b", title="Báo cáo kết quả thi đua 2026")
        add(
            "at_council",
            state="council_review",
            nominee_name="Phạm Minh Anh",
            title="Trình Hội đồng",
        )
        add("returned", state="returned", unit="b", nominee_name="Vũ Thị Lan", title="Bị trả lại")
        # Never sent to the Department: never in the queue.
        add("draft_a", state="draft", nominee_name="Nháp A")
        add("waiting_head", state="unit_review", unit="b", nominee_name="Chờ thủ trưởng")
    return ids


OFFICE_REVIEW = {"hong", "dang", "adhoc", "cuc", "team", "plan_b", "report_b"}


@pytest.mark.parametrize(
    "username,status",
    [
        ("staff_a", 403),
        ("head_b", 403),
        ("secretary", 403),
        ("member1", 403),
        ("reviewer", 200),
        ("admin", 200),
    ],
)
def test_only_the_office_and_admins(client, app_world, auth, username, status):
    auth.login(username)
    assert client.get("/office/").status_code == status
    assert client.get("/office/export.csv").status_code == status


def test_visitor_is_sent_to_sign_in(client, app_world):
    assert client.get("/office/").status_code == 302


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", OFFICE_REVIEW),
        ("?state=all", OFFICE_REVIEW | {"at_council", "returned"}),
        ("?state=council_review", {"at_council"}),
        ("?state=returned", {"returned"}),
        ("?kind=nomination", OFFICE_REVIEW - {"plan_b", "report_b"}),
        ("?kind=plan", {"plan_b"}),
        ("?kind=report&state=all", {"report_b"}),
        ("?unit={b}", {"cuc", "team", "plan_b", "report_b"}),
        ("?unit={b}&state=all", {"cuc", "team", "plan_b", "report_b", "returned"}),
        ("?award={cstdcs}", {"dang"}),
        ("?campaign={adhoc_campaign}", {"adhoc"}),
        ("?campaign={campaign}&kind=nomination&unit={a}", {"hong", "dang"}),
        (
            "?q=dang",
            {"dang", "cuc", "team", "plan_b", "report_b"},
        ),  # Đặng, and unit b "Đặng Trần Côn"
        ("?q=DANG+VAN", {"dang"}),
        ("?q=nguyen+thi+hong", {"hong"}),
        ("?q=to+toan", {"team"}),
        ("?q=ke+hoach", {"plan_b"}),
        ("?q=tran+phu&state=all", {"hong", "dang", "adhoc", "at_council"}),
        ("?q=không+có+ai", set()),
        ("?state=nonsense&kind=nonsense&unit=x", OFFICE_REVIEW),
    ],
)
def test_filters_and_search(client, app_world, auth, queue_data, query, expected):
    w = app_world
    query = query.format(
        a=w.units["a"].id,
        b=w.units["b"].id,
        cstdcs=w.awards["cstdcs"].id,
        campaign=w.campaign.id,
        adhoc_campaign=w.ad_hoc.id,
    )
    auth.login("reviewer")
    listed = rows(client, query)
    assert sorted(listed) == sorted(queue_data[n] for n in expected)
    html = client.get(f"/office/{query}").get_data(as_text=True)
    if expected:
        assert COUNT.search(html).group(3) == str(len(expected))
    else:
        assert "Không có hồ sơ nào khớp với bộ lọc." in html


def test_row_content(client, app_world, auth, queue_data):
    auth.login("reviewer")
    html = client.get("/office/?q=hong").get_data(as_text=True)
    assert f'href="/dossiers/{queue_data["hong"]}"' in html
    assert "Trường THPT Chuyên Trần Phú" in html and "Lao động tiên tiến" in html
    assert "Phong trào thi đua năm 2026" in html and "Lao động trực tiếp" in html
    assert 'class="badge tone-info" data-state="office_review"' in html
    assert "Văn phòng Sở thẩm định" in html
    assert "01/06/2026" in html  # sent on NOW, shown in Vietnamese date order
    assert "Đột xuất" in client.get("/office/?q=yen").get_data(as_text=True)


def test_sorting(client, app_world, auth, queue_data):
    auth.login("reviewer")
    names = {v: k for k, v in queue_data.items()}
    by_nominee = [names[i] for i in rows(client, "?kind=nomination&sort=nominee")]
    # By given name (Yến, Thu, Cúc, Hồng) in Vietnamese order; the collective by its name.
    assert by_nominee == ["cuc", "hong", "dang", "team", "adhoc"]
    assert [names[i] for i in rows(client, "?kind=nomination&sort=-nominee")] == by_nominee[::-1]
    by_unit = [names[i] for i in rows(client, "?sort=unit")]
    a_ids = {"hong", "dang", "adhoc"}
    # Vietnamese order: "Trường THPT …" before "Trường Tiểu học …" (h before i).
    assert set(by_unit[:3]) == a_ids and set(by_unit[3:]) == OFFICE_REVIEW - a_ids
    assert set(rows(client, "?sort=-unit")[:4]) == {queue_data[n] for n in OFFICE_REVIEW - a_ids}
    by_state = [names[i] for i in rows(client, "?state=all&sort=state")]
    # The lifecycle's order: office_review, then returned, then council_review.
    assert by_state[-1] == "at_council" and by_state[-2] == "returned"
    assert [names[i] for i in rows(client, "?state=all&sort=-state")][0] == "at_council"


def test_pagination(app, client, app_world, auth, queue_data):
    app.config["PAGE_SIZE"] = 3
    auth.login("reviewer")
    first, second, third = (rows(client, f"?sort=nominee&page={n}") for n in (1, 2, 3))
    # People by given name, collectives, plans and reports by name, in Vietnamese order:
    # Báo cáo…, Cúc, Hồng, Kế hoạch…, Thu, Tổ Toán, Yến.
    order = ["report_b", "cuc", "hong", "plan_b", "dang", "team", "adhoc"]
    assert first + second + third == [queue_data[n] for n in order]
    html = client.get("/office/?sort=nominee&page=2").get_data(as_text=True)
    assert "Hiển thị 4–6 trên 7" in html and "Trang 2/3" in html
    assert rows(client, "?sort=nominee&page=99") == third  # past the end: the last page
    # The default order (sent date, then id) is paged by the database.
    by_sent = [rows(client, f"?page={n}") for n in (1, 2, 3)]
    assert [i for p in by_sent for i in p] == sorted(queue_data[n] for n in OFFICE_REVIEW)
    assert [len(p) for p in by_sent] == [3, 3, 1]
    assert "Hiển thị 7–7 trên 7" in client.get("/office/?page=3").get_data(as_text=True)
    # Pagination of a text search, sort kept.
    # "thi" is in "Thị", in "thi đua" of two titles and of the award "Chiến sĩ thi đua cơ sở".
    found = [rows(client, f"?q=thi&sort=nominee&page={n}") for n in (1, 2)]
    assert found == [
        [queue_data[n] for n in ("report_b", "cuc", "hong")],
        [queue_data[n] for n in ("plan_b", "dang", "adhoc")],
    ]


def test_csv_export(client, app_world, auth, queue_data):
    auth.login("reviewer")
    response = client.get(f"/office/export.csv?unit={app_world.units['a'].id}&sort=nominee")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == [
        "Mã hồ sơ",
        "Loại hồ sơ",
        "Tiêu đề",
        "Cá nhân / tập thể được đề nghị",
        "Chức vụ",
        "Đơn vị",
        "Danh hiệu, hình thức khen thưởng",
        "Phong trào",
        "Trạng thái",
        "Ngày gửi Sở",
        "Khen thưởng đột xuất",
        "Người lao động trực tiếp",
    ]
    assert [r[0] for r in table[1:]] == [str(queue_data[n]) for n in ("hong", "dang", "adhoc")]
    adhoc = table[3]
    assert adhoc[1] == "Hồ sơ đề nghị khen thưởng" and adhoc[3] == "Bùi Thị Yến"
    assert adhoc[5] == "Trường THPT Chuyên Trần Phú" and adhoc[6] == "Lao động tiên tiến"
    assert adhoc[7] == "Khen thưởng đột xuất năm 2026" and adhoc[8] == "Văn phòng Sở thẩm định"
    assert adhoc[9].startswith("01/06/2026") and adhoc[10] == "Có" and adhoc[11] == ""
    assert table[1][11] == "Có" and table[1][10] == ""  # Nguyễn Thị Hồng is a direct worker
    searched = client.get("/office/export.csv?q=ke+hoach").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(searched)))) == 2


def test_csv_neutralises_formulas(app, client, app_world, auth):
    with app_db(app) as session:
        make_dossier(session, app_world, "plan", "office_review", title='=HYPERLINK("http://x")')
    auth.login("reviewer")
    table = list(
        csv.reader(io.StringIO(client.get("/office/export.csv").get_data().decode("utf-8-sig")))
    )
    assert table[1][2] == '\'=HYPERLINK("http://x")'


def test_export_link_keeps_the_filters(client, app_world, auth, queue_data):
    auth.login("reviewer")
    html = client.get("/office/?kind=plan&q=ke&page=1").get_data(as_text=True)
    link = re.search(r'href="(/office/export\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "kind=plan" in link and "q=ke" in link and "page" not in link


@pytest.mark.db
def test_queue_statements_on_both_databases(session, world):
    """The queries behind the page: filters, diacritic-free search, order and paging."""
    from web.support.listing import paginate
    from workflow.dossiers.queues import OfficeFilter, office_queue, ordered_ids

    made = {
        name: make_dossier(session, world, "nomination", state, unit=unit, nominee_name=name).id
        for name, state, unit in (
            ("Đặng Thu", "office_review", "a"),
            ("Bùi An", "office_review", "b"),
            ("Lê Cúc", "returned", "b"),
            ("Nháp", "draft", "a"),
        )
    }
    reviewer = world.actor("reviewer")
    stmt = office_queue(reviewer, OfficeFilter())
    assert ordered_ids(session, stmt, "nominee") == [made["Bùi An"], made["Đặng Thu"]]
    assert ordered_ids(session, stmt, "nominee", descending=True) == [
        made["Đặng Thu"],
        made["Bùi An"],
    ]
    every = office_queue(reviewer, OfficeFilter(state=None, unit_id=world.units["b"].id))
    assert ordered_ids(session, every, "state") == [made["Bùi An"], made["Lê Cúc"]]
    assert ordered_ids(session, every, text="le cuc") == [made["Lê Cúc"]]
    page = paginate(session, every, per_page=1, page=2)
    assert (page.total, [d.id for d in page.items]) == (2, [made["Lê Cúc"]])
    assert ordered_ids(session, office_queue(world.actor("staff_a"), OfficeFilter(state=None))) == [
        made["Đặng Thu"]
    ]


@pytest.mark.db
def test_a_page_counted_and_marked_in_one_statement_on_both_databases(session, world):
    """``office_page``: the page, the whole queue's count and the answered marks of the page
    read together give what paging, counting and marking apart give, past the end too."""
    from models import ReturnPoint, ReturnRequest
    from tests.fixtures.statements import statements_run
    from web.support.listing import paginate
    from workflow.dossiers import returns
    from workflow.dossiers.queues import (
        ANY_DOSSIER,
        OfficeFilter,
        office_count,
        office_page,
        office_queue,
    )

    made = [
        make_dossier(session, world, "nomination", "office_review", nominee_name=name).id
        for name in ("An", "Bình", "Cúc")
    ]
    request = ReturnRequest(
        dossier_id=made[1], note="Bổ sung", returned_by=world.actor("reviewer").user_id
    )
    session.add(request)
    session.flush()
    session.add(ReturnPoint(request_id=request.id, text="Thiếu tệp", reply="Đã bổ sung"))
    session.flush()
    reviewer = world.actor("reviewer")
    stmt = office_queue(reviewer, OfficeFilter()).order_by(None)
    stmt = stmt.order_by(ANY_DOSSIER.sent_at.desc(), ANY_DOSSIER.id)
    total = office_count(session, stmt)
    for number in (1, 2, 3, 9):
        expected = paginate(session, stmt, per_page=2, page=number, total=total)
        found = office_page(session, stmt, number, 2, descending=True)
        seen = statements_run(
            session, lambda n=number: office_page(session, stmt, n, 2, descending=True)
        )
        assert [d.id for d in found.dossiers] == [d.id for d in expected.items], number
        assert (found.total, found.page) == (expected.total, expected.page) == (3, min(number, 2))
        assert found.answered == returns.answered_ids(session, [d.id for d in expected.items])
        assert len(seen) == (1 if number <= 2 else 3), number
    assert office_page(session, stmt, 2, 3, descending=True).page == 1
    assert {made[1]} == office_page(session, stmt, 1, 3, descending=True).answered
    empty = office_queue(reviewer, OfficeFilter(unit_id=-1))
    for number in (1, 4):
        nothing = office_page(session, empty, number, 2)
        assert (nothing.dossiers, nothing.total, nothing.page) == ([], 0, 1)
        assert nothing.answered == set()
    assert len(statements_run(session, lambda: office_page(session, empty, 1, 2))) == 1
