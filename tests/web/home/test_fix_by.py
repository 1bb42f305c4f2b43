"""The unit's "Việc cần làm" reminds it of a return's fix-by day when it is near or passed
(the tests' clock says 6/12/2026)."""

from __future__ import annotations

import pytest

from tests.fixtures.dossiers import page
from tests.fixtures.people import make_dossier
from tests.fixtures.web import app_db
from web.home.presenters import today
from workflow import fire
from workflow.dossiers import returns

pytestmark = pytest.mark.db


def _returned(session, world, fix_by: str, unit: str = "a", **fields) -> int:
    dossier = make_dossier(session, world, "nomination", "office_review", unit=unit, **fields).id
    fire(
        session,
        dossier,
        "office_return",
        world.actor("reviewer"),
        inputs={"reason": "Bổ sung", "points": "Thiếu minh chứng", "fix_by": fix_by},
    )
    return dossier


def test_the_unit_is_reminded_of_near_and_passed_fix_by_days(app, client, app_world, auth):
    assert today().isoformat() == "2026-12-06"
    with app_db(app) as session:
        near = _returned(session, app_world, "10/12/2026", title="Hồ sơ sắp đến hạn")
        passed = _returned(
            session, app_world, "01/12/2026", title="Hồ sơ quá hạn", nominee_name="Lê Lợi"
        )
        far = _returned(
            session, app_world, "30/12/2026", title="Hồ sơ còn xa", nominee_name="Ngô Quyền"
        )
        other = _returned(session, app_world, "07/12/2026", unit="b", title="Hồ sơ đơn vị khác")
        sent = _returned(session, app_world, "02/12/2026", title="Đã gửi lại", nominee_name="Lý Bí")
        fire(session, sent, "resubmit", app_world.actor("staff_a"))
    auth.login("staff_a")
    html = page(client, "/")
    assert "Hồ sơ bị trả lại sắp đến hạn bổ sung" in html
    assert f'data-fix-by="{near}"' in html and "Hạn bổ sung còn 4 ngày" in html
    assert f'data-fix-by="{passed}"' in html and "Hạn bổ sung quá hạn 5 ngày" in html
    assert html.index(f'data-fix-by="{passed}"') < html.index(f'data-fix-by="{near}"')
    for absent in (far, other, sent):
        assert f'data-fix-by="{absent}"' not in html
    auth.logout()
    auth.login("reviewer")
    assert "data-fix-by" not in page(client, "/")


def test_only_the_latest_return_sets_the_day(app, app_world):
    with app_db(app) as session:
        dossier = _returned(session, app_world, "01/12/2026")
        fire(session, dossier, "resubmit", app_world.actor("staff_a"))
        fire(session, dossier, "unit_approve", app_world.actor("head_a"))
        fire(
            session,
            dossier,
            "office_return",
            app_world.actor("reviewer"),
            inputs={"reason": "Lần hai", "points": "Thiếu chữ ký", "fix_by": "06/12/2026"},
        )
        units = [app_world.units["a"].id]
        [reminder] = returns.fix_by_reminders(session, units, today())
    assert reminder.dossier_id == dossier and reminder.days_left == 0 and not reminder.overdue
