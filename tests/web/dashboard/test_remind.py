""" "Gửi nhắc nhở" on the dashboard: the Office reminds the late units in one click, once a day;
the Council's secretary sees the dashboard without the button and is refused the POST."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Notification, ReminderSent
from tests.fixtures.dossiers import page
from tests.fixtures.web import app_db, csrf_from


def _count(app, model) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_office_reminds_late_units_once_a_day(app, client, app_world, auth):
    auth.login("reviewer")
    url = f"/dashboard/?campaign={app_world.campaign.id}"
    html = page(client, url)
    assert 'data-remind="plan"' in html
    action = re.search(r'action="(/dashboard/remind[^"]*)"', html).group(1).replace("&amp;", "&")
    first = client.post(action, data={"kind": "plan", "csrf_token": csrf_from(html)})
    assert first.status_code == 302 and first.headers["Location"].endswith("#chase")
    assert "Đã gửi nhắc nhở kế hoạch thi đua tới 2 đơn vị." in page(client, url)
    notes = _count(app, Notification)
    client.post(action, data={"kind": "plan", "csrf_token": csrf_from(html)})
    assert "đã được nhắc hôm nay" in page(client, url)
    assert _count(app, Notification) == notes and _count(app, ReminderSent) == 2


def test_the_secretary_has_no_button_and_is_refused(app, client, app_world, auth):
    auth.login("secretary")
    html = page(client, f"/dashboard/?campaign={app_world.campaign.id}")
    assert "data-remind" not in html
    response = client.post(
        f"/dashboard/remind?campaign={app_world.campaign.id}",
        data={"kind": "plan", "csrf_token": csrf_from(html)},
    )
    assert response.status_code == 403 and _count(app, ReminderSent) == 0
