"""The dashboard pages: who may see them, every figure, the list behind each, the exports."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import Campaign, Target, Unit, User
from tests.fixtures import dashboard_data as data
from tests.fixtures.clock import StepClock
from tests.fixtures.web import app_db
from web.dashboard.presenters import Links, shown
from web.support.i18n import in_language
from workflow.core.actors import Actor
from workflow.core.kept import Kept
from workflow.reporting import dashboard
from workflow.reporting.dashboard import campaign_dashboard, today_local

FIGURE = re.compile(
    r'<a(?: class="[^"]*")? href="([^"]+)" data-figure="([^"]+)">\s*'
    r'(?:<span class="number">)?(?:[^<:]*: )?(?:<strong>)?(\d+)'
)
COUNT = re.compile(r"Hiển thị (\d+)–(\d+) trên (\d+)")
SVG = re.compile(r"<svg .*?</svg>", re.S)
PAGES = [
    "/dashboard/",
    "/dashboard/units",
    "/dashboard/nominations",
    "/dashboard/export.xlsx",
    "/dashboard/export.csv",
]


@pytest.fixture()
def scenario(app, app_world):
    """The scenario of the workflow tests; the report due date moved a month past today so
    the page (which uses the real today) shows the same figures on any later day."""
    with app_db(app) as session:
        found = data.build(session, app_world)
        campaign = session.get(Campaign, found.campaign.id)
        campaign.report_due = today_local() + dt.timedelta(days=30)
        campaign.year = today_local().year
        ids = {
            "campaign": campaign.id,
            **{f"unit_{k}": u.id for k, u in found.units.items()},
            **{k: t.id for k, t in found.targets.items()},
            "ldtt": app_world.awards["ldtt"].id,
        }
    return ids


def figures(page: str) -> dict[str, tuple[str, int]]:
    """{figure name: (link, number shown)} of every linked figure of the page."""
    return {name: (html.unescape(url), int(n)) for url, name, n in FIGURE.findall(page)}


def listed(client, url: str) -> int:
    """How many rows the list at ``url`` says it has."""
    response = client.get(url)
    assert response.status_code == 200, url
    match = COUNT.search(response.get_data(as_text=True))
    return int(match.group(3)) if match else 0


@pytest.mark.parametrize(
    "username,status",
    [
        ("staff_a", 403),
        ("head_a", 403),
        ("member1", 403),
        ("reviewer", 200),
        ("secretary", 200),
        ("admin", 200),
    ],
)
def test_who_may_see_the_dashboard(client, auth, scenario, username, status):
    auth.login(username)
    for path in PAGES:
        assert client.get(f"{path}?campaign={scenario['campaign']}").status_code == status, path


def test_visitor_is_sent_to_sign_in(client, app_world):
    assert client.get("/dashboard/").status_code == 302


def test_menu_and_home_link_only_for_those_who_may(client, auth, scenario):
    auth.login("reviewer")
    page = client.get("/").get_data(as_text=True)
    assert (
        page.count('href="/dashboard/"') == 2
    )  # the menu's "Tổng hợp" and the home page's shortcut
    assert ">Tổng hợp</a>" in page
    auth.logout()
    auth.login("staff_a")
    assert "/dashboard/" not in client.get("/").get_data(as_text=True)


def test_default_campaign_is_this_years_annual_one(client, auth, scenario):
    auth.login("reviewer")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert f'<option value="{scenario["campaign"]}" selected>' in page


def test_every_figure_is_shown_and_links_to_its_list(client, auth, scenario):
    auth.login("reviewer")
    page = client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    found = figures(page)
    expected = {
        "expected": 4,
        "nominations": 11,
        "published": 4,
        "ad_hoc_published": 1,
        "plan-expected": 4,
        "plan-on_time": 1,
        "plan-late": 1,
        "plan-missing": 2,
        "plan-pending": 0,
        "report-expected": 4,
        "report-on_time": 2,
        "report-late": 0,
        "report-missing": 0,
        "report-pending": 2,
        "state-published": 4,
        "state-office_review": 2,
        "state-all": 11,
        f"award-{scenario['ldtt']}": 9,
        f"unit-{scenario['unit_a']}": 7,
        f"unit-{scenario['unit_b']}": 4,
        "direct": 2,
        "individuals": 3,
        "ad_hoc-published": 1,
        "ad_hoc-in_progress": 1,
        "chase-plan": 2,
        "chase-report": 0,
    }
    for code, counts in data.EXPECTED_TARGETS.items():
        expected.update({f"target-{scenario[code]}-{r}": n for r, n in counts.items()})
    assert {k: found[k][1] for k in expected} == expected
    # Each list has exactly as many rows as its figure says.
    for name, (url, number) in found.items():
        assert listed(client, url) == number, (name, url)


def test_nomination_figures_go_to_the_office_queue_for_the_office(client, auth, scenario):
    auth.login("reviewer")
    found = figures(
        client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    )
    assert found["state-published"][0].startswith("/office/?")
    assert (
        "kind=nomination" in found["state-published"][0]
        and "state=published" in found["state-published"][0]
    )
    # The queue cannot filter on ad-hoc or direct workers: the dashboard's own list does.
    assert found["ad_hoc-in_progress"][0].startswith("/dashboard/nominations?")
    assert found["plan-missing"][0].startswith("/dashboard/units?")


def test_the_secretary_gets_lists_she_may_open(client, auth, scenario):
    auth.login("secretary")
    found = figures(
        client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    )
    assert not any(url.startswith("/office/") for url, _ in found.values())
    for name in ("state-published", "state-all", "direct", "ad_hoc-in_progress"):
        url, number = found[name]
        assert listed(client, url) == number, name


def test_charts_are_inline_svg_without_style_attributes(client, auth, scenario):
    auth.login("admin")
    page = client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    svgs = SVG.findall(page)
    assert len(svgs) == 7
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.find("title").text and root.find("desc") is not None
    assert " style=" not in page and "<style" not in page and "http://" not in page
    assert "Người lao động trực tiếp: 2 (67%)" in page


def test_units_page_lists_whom_to_chase_with_contacts(client, auth, scenario):
    auth.login("reviewer")
    body = client.get(f"/dashboard/units?campaign={scenario['campaign']}&kind=plan&status=missing")
    page = body.get_data(as_text=True)
    assert "Kế hoạch thi đua: đơn vị chưa nộp" in page
    assert re.findall(r'<tr data-unit="(\d+)"', page) == [
        str(scenario["unit_d"]),
        str(scenario["unit_c"]),
    ]
    name, email, phone = data.HEAD_C
    assert name in page and f'href="mailto:{email}"' in page and 'href="tel:02253846123"' in page


def test_target_list_shows_the_units_figures(client, auth, scenario):
    auth.login("reviewer")
    page = client.get(
        f"/dashboard/units?campaign={scenario['campaign']}&target={scenario['T3']}&result=met"
    ).get_data(as_text=True)
    assert re.findall(r'<tr data-unit="(\d+)"', page) == [str(scenario["unit_a"])]
    assert "80" in page and "75" in page


def test_unknown_campaign_or_foreign_target_is_not_found(client, auth, scenario, app):
    auth.login("reviewer")
    assert client.get("/dashboard/?campaign=999999").status_code == 404
    with app_db(app) as session:
        other = session.scalar(
            Campaign.__table__.select()
            .where(Campaign.code == "DX-2026")
            .with_only_columns(Campaign.id)
        )
        session.add(
            Target(
                campaign_id=other,
                code="X",
                title_vi="Chỉ tiêu khác",
                title_en="Other",
                kind="count",
            )
        )
    with app_db(app) as session:
        foreign = session.scalar(
            Target.__table__.select().where(Target.code == "X").with_only_columns(Target.id)
        )
    assert (
        client.get(f"/dashboard/units?campaign={scenario['campaign']}&target={foreign}").status_code
        == 404
    )


def test_exports_download(client, auth, scenario):
    auth.login("reviewer")
    xlsx = client.get(f"/dashboard/export.xlsx?campaign={scenario['campaign']}")
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="tong-hop-TD-2026.xlsx"' in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book["Tổng hợp"]["A2"].value == "Phong trào thi đua năm 2026"
    assert book["Đơn vị"].max_row == 5
    report = client.get(f"/dashboard/export.csv?campaign={scenario['campaign']}")
    assert report.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(report.data.decode("utf-8-sig"))))
    assert rows[0][1] == "Tên đơn vị" and len(rows) == 5
    assert "Trường Tiểu học Đặng Trần Côn" in {r[1] for r in rows}


def test_dashboard_in_english(client, auth, scenario):
    auth.login("reviewer")
    page = client.get("/dashboard/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/lang/en", data={"csrf_token": token, "next": "/dashboard/"})
    page = client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    assert "Plans and reports of the units" in page and "On time" in page


def test_a_campaign_without_targets_or_nominations(client, auth, app_world):
    auth.login("secretary")
    response = client.get(f"/dashboard/?campaign={app_world.ad_hoc.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Phong trào này chưa có chỉ tiêu thi đua." in page
    assert "Chưa có hồ sơ đề nghị nào được gửi lên Sở." in page
    for svg in SVG.findall(page):
        ET.fromstring(svg)


def test_the_whole_year_page_and_its_workbook(client, auth, scenario):
    year = today_local().year
    auth.login("staff_a")
    assert client.get(f"/dashboard/year?year={year}").status_code == 403
    assert client.get(f"/dashboard/year/export.xlsx?year={year}").status_code == 403
    auth.logout()
    auth.login("reviewer")
    page = client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    assert f"/dashboard/year?year={year}" in page
    page = client.get(f"/dashboard/year?year={year}").get_data(as_text=True)
    assert re.search(r'data-figure="year-ad_hoc-published">2<', page)
    assert client.get("/dashboard/year?year=1999").status_code == 404
    response = client.get(f"/dashboard/year/export.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Khen thưởng đột xuất đã công bố"] == 2
    assert sheet.title == f"Tổng hợp năm {year}"


def test_target_charts_and_lists_name_targets_by_their_title(client, auth, scenario):
    """People read a target's name, never its code ("T1." before the name)."""
    auth.login("admin")
    page = client.get(f"/dashboard/?campaign={scenario['campaign']}").get_data(as_text=True)
    chart = next(svg for svg in SVG.findall(page) if 'id="chart-targets"' in svg)
    assert "Tỷ lệ cơ sở triển khai kế hoạch thi đua" in chart
    assert "T1." not in chart and "T1." not in page
    units = client.get(
        f"/dashboard/units?campaign={scenario['campaign']}&target={scenario['T1']}&result=met"
    ).get_data(as_text=True)
    assert "Chỉ tiêu “Tỷ lệ cơ sở triển khai kế hoạch thi đua”: đơn vị" in units


def test_a_board_dear_to_read_is_shown_again_as_of_when_it_was_read(
    client, auth, scenario, app, monkeypatch
):
    """With ``DASHBOARD_MAX_AGE`` the board is kept in the process for as long as reading it
    took over ``RECOUNT_SHARE``, at most that many seconds: the same figures and the same "as
    of" while it lasts, the moved ones after; an edit of the campaign is shown at once."""
    clock = StepClock(step=1.0)  # each reading a second: reading a board takes one
    monkeypatch.setattr(dashboard, "_boards", Kept(8, clock))
    app.config["DASHBOARD_MAX_AGE"] = 30  # a second over 2 %: 50 s, so 30 s
    url = f"/dashboard/?campaign={scenario['campaign']}"
    auth.login("reviewer")
    first = client.get(url).get_data(as_text=True)
    expected = figures(first)["plan-expected"][1]
    as_of = re.search(r"<span data-as-of>([^<]+)</span>", first).group(1)
    assert re.fullmatch(r"Số liệu lúc \d\d/\d\d/\d{4} \d\d:\d\d\.", as_of)

    with app_db(app) as session:  # a unit closes: it no longer takes part
        session.get(Unit, scenario["unit_c"]).active = False
    kept = client.get(url).get_data(as_text=True)
    assert figures(kept)["plan-expected"][1] == expected
    assert f"<span data-as-of>{as_of}</span>" in kept

    clock.now += 30
    moved = client.get(url).get_data(as_text=True)
    assert figures(moved)["plan-expected"][1] == expected - 1

    with app_db(app) as session:
        session.get(Unit, scenario["unit_c"]).active = True
    assert figures(client.get(url).get_data(as_text=True))["plan-expected"][1] == expected - 1
    with app_db(app) as session:  # the campaign's own edit: a new board at once
        session.get(Campaign, scenario["campaign"]).description = "Mô tả mới"
    assert figures(client.get(url).get_data(as_text=True))["plan-expected"][1] == expected


def _charts(page: str) -> dict[str, str]:
    return {re.search(r'id="([^"]+)"', svg).group(1): svg for svg in SVG.findall(page)}


def test_the_drawn_figures_follow_the_data_the_language_and_the_reader(client, auth, scenario, app):
    """Links and charts are kept per process (``presenters.shown``) for the figures, the
    language and the links they were drawn for: a figure that moves, another language or a
    reader with other lists gets a page drawn for it, never one kept for someone else."""
    app.config["DASHBOARD_MAX_AGE"] = 0  # the figures read on every view (kept: below)
    url = f"/dashboard/?campaign={scenario['campaign']}"
    auth.login("reviewer")
    first = client.get(url).get_data(as_text=True)
    assert _charts(client.get(url).get_data(as_text=True)) == _charts(first)
    expected = figures(first)["plan-expected"][1]

    with app_db(app) as session:  # a unit closes: it no longer takes part
        session.get(Unit, scenario["unit_c"]).active = False
        session.get(Target, scenario["T1"]).title_vi = "Chỉ tiêu đổi tên"
    moved = client.get(url).get_data(as_text=True)
    assert figures(moved)["plan-expected"][1] == expected - 1
    charts = _charts(moved)
    assert charts["chart-submissions"] != _charts(first)["chart-submissions"]
    assert "Chỉ tiêu đổi tên" in charts["chart-targets"]

    with app.test_request_context(url), app_db(app) as session:
        campaign = session.get(Campaign, scenario["campaign"])
        board = campaign_dashboard(session, campaign)
        reviewer, secretary = (
            Actor.from_user(session.scalars(select(User).filter_by(username=name)).one())
            for name in ("reviewer", "secretary")
        )
        with in_language("vi"):
            vi = shown(board, Links(reviewer, campaign))
        with in_language("en"):  # the same figures in the other language
            en = shown(board, Links(reviewer, campaign))
        with in_language("vi"):
            assert shown(board, Links(reviewer, campaign)) is vi
            other = shown(board, Links(secretary, campaign))  # no Office queue for her
    assert "Kế hoạch và báo cáo của đơn vị" in vi.submission_chart
    assert "Plans and reports of the units" in en.submission_chart
    assert vi.view.submissions[0].label != en.view.submissions[0].label
    assert "/office/" in vi.view.href["nominations"]
    assert "/office/" not in other.view.href["nominations"]
    assert other.view.href["nominations"].startswith("/dashboard/nominations?")
