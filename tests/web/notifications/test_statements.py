"""What a signed-in page pays before its own work, in SQL statements: the account with its
grants, and the header's unread count, once; a page that counts the unread itself (the
notifications list) gives its count to the header rather than the header counting again."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import Notification
from tests.fixtures.dossiers import act, page, setup_dossier
from tests.fixtures.statements import statements_run

TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK)\b", re.I)
UNREAD_COUNT = re.compile(r"count\(\*\) .*FROM notification WHERE .*read_at IS NULL")


def _statements(app, client, path: str) -> tuple[list[str], str]:
    """The statements one GET of ``path`` runs (transaction control left out), and its page."""
    client.get(path)  # warms what the app keeps between requests
    session = app.extensions["vinhdanh.write"]()
    try:
        answers = []
        seen = statements_run(session, lambda: answers.append(client.get(path)))
    finally:
        session.close()
    assert answers[0].status_code == 200, path
    return [s for s in seen if not TRANSACTION_CONTROL.match(s)], answers[0].get_data(as_text=True)


def _unread_counts(statements: list[str]) -> int:
    return sum(bool(UNREAD_COUNT.search(" ".join(s.split()))) for s in statements)


def test_a_signed_in_page_with_nothing_of_its_own_runs_two_statements(app, client, app_world, auth):
    auth.login("staff_a")
    statements, html = _statements(app, client, "/auth/password")
    assert len(statements) == 2, statements
    assert "FROM user_account" in statements[0] and _unread_counts(statements) == 1
    assert 'class="notifications-link"' in html


def test_the_notifications_list_counts_the_unread_once(app, client, app_world, auth):
    dossier_id = setup_dossier(app, app_world)
    auth.login("staff_a")
    act(client, dossier_id, "submit")
    auth.logout()
    auth.login("head_a")
    statements, html = _statements(app, client, "/notifications/")
    # The account, the list's total and its page, the unread count: four.
    assert len(statements) == 4, statements
    assert _unread_counts(statements) == 1
    # The heading's count and the header's badge agree.
    assert 'data-unread="1"' in html and "1 chưa đọc" in html
    session = app.extensions["vinhdanh.write"]()
    try:
        unread = session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    finally:
        session.close()
    assert len([n for n in unread if n.user_id == app_world.users["head_a"].id]) == 1
    assert "Hồ sơ chờ bạn xử lý" in page(client, "/notifications/")
