"""Returns that help, through the pages: the Office's return form starts from the failed
checks, the unit reads the points and the day to fix by, and answers each point."""

from __future__ import annotations

import pytest

from tests.fixtures.people import make_dossier
from tests.fixtures.web import app_db, csrf_from
from workflow import fire
from workflow.dossiers import returns

pytestmark = pytest.mark.db


def _post(client, page_url, url, data):
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_office_returns_with_points_and_the_unit_answers_them(client, auth, app, app_world):
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "office_review").id
    page = f"/dossiers/{dossier}"
    auth.login("reviewer")
    html = client.get(page).get_data(as_text=True)
    assert 'name="points"' in html and 'name="fix_by"' in html
    answer = _post(
        client,
        page,
        f"{page}/actions/office_return",
        {
            "reason": "Cần bổ sung trước khi trình Hội đồng",
            "points": "Thiếu Báo cáo thành tích\nThiếu biên bản họp xét",
            "fix_by": "20/12/2026",
        },
    )
    assert answer.status_code == 302
    auth.logout()
    auth.login("staff_a")
    html = client.get(page).get_data(as_text=True)
    assert "Hạn bổ sung: 20/12/2026" in html
    assert "Thiếu Báo cáo thành tích" in html and "Thiếu biên bản họp xét" in html
    with app_db(app) as session:
        point = returns.thread(session, dossier)[0].points[0].id
    empty = _post(client, page, f"/dossiers/points/{point}/reply", {"reply": "  "})
    assert empty.status_code == 422 and "Vui lòng nhập “Trả lời”" in empty.get_data(as_text=True)
    done = _post(client, page, f"/dossiers/points/{point}/reply", {"reply": "Đã tải lên bản scan."})
    assert done.status_code == 302
    assert "Đã tải lên bản scan." in client.get(page).get_data(as_text=True)


def test_another_unit_cannot_answer_and_nothing_changes(client, auth, app, app_world):
    with app_db(app) as session:
        dossier = make_dossier(session, app_world, "nomination", "office_review").id
        fire(
            session,
            dossier,
            "office_return",
            app_world.actor("reviewer"),
            inputs={"reason": "Bổ sung", "points": "Thiếu minh chứng"},
        )
        point = returns.thread(session, dossier)[0].points[0].id
    auth.login("staff_b")
    token = csrf_from(client.get("/").get_data(as_text=True))
    answer = client.post(
        f"/dossiers/points/{point}/reply", data={"csrf_token": token, "reply": "Xen vào"}
    )
    assert answer.status_code in (403, 404)
    with app_db(app) as session:
        assert returns.thread(session, dossier)[0].points[0].reply is None
