"""How many SQL statements each busy page runs, on the demo data: a budget per page, so a change
that adds a query per row, or one more per request, fails here rather than under load.

Counted with SQLAlchemy's ``before_cursor_execute`` event on the app's engine, for one request
after a first one (which warms caches that live for the app's lifetime). Transaction control
(``BEGIN``, which only SQLite's driver sends as a statement) is not counted, so the budgets are
the same on both databases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from models import Dossier, Nomination, Unit
from tests.fixtures.demo import demo_copy
from tests.fixtures.web import csrf_from
from web import create_app
from web.demo import DEMO_PASSWORD
from workflow.lifecycles.common import OFFICE_REVIEW

pytestmark = [pytest.mark.db, pytest.mark.slow]

STAFF, HEAD, REVIEWER = "canbo.thpt-tran-phu", "thutruong.thpt-tran-phu", "chuyenvien.vp"

# (who, page): the most statements it may run. Measured on the demo, then kept: a page may get
# cheaper (lower its budget then), never dearer without saying why here.
# A visitor's pages read the audit head, then what is kept for it (workflow.publication.outcomes):
# a public outcome's page reads besides the register entry it names.
BUDGETS = {
    (None, "/public/"): 1,
    (None, "/public/?q=nguyen"): 1,
    # Two words: on PostgreSQL the first run asks the planner how many rows each matches.
    (None, "/public/?q=tran+phu"): 1,
    (None, "/public/audit"): 1,
    (STAFF, "/"): 12,
    (HEAD, "/"): 12,
    (STAFF, "/dossiers/"): 6,
    (REVIEWER, "/"): 12,
    (REVIEWER, "/office/"): 11,
    (REVIEWER, "/dashboard/"): 12,
}
# A dossier awaiting the Office, as its reviewer sees it; a published outcome's public page.
# The reviewer's: the account, the dossier with its nominee, its files, the nominee's history
# (awards, nominations, ratings, initiatives), the award's rules, the award types and the
# nominee's holds (what the checks read besides), the audit history, the returns and their
# points, the names shown, the Council's results, the unread notifications, the notice's
# comments and those pending. The outcome's page, seen before: the audit head (its record is
# kept per head).
DOSSIER_BUDGET, OUTCOME_BUDGET = 18, 1
# A published nomination of the unit officer's own unit, as they see it: no notice comments,
# the Council's results read without who attended, no return points to read.
OWN_DOSSIER_BUDGET = 16
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


@pytest.fixture(scope="module")
def demo_app(db_templates, backend, tmp_path_factory) -> Iterator[Flask]:
    uploads = tmp_path_factory.mktemp("demo") / "uploads"
    url, _ = demo_copy(db_templates, backend, uploads)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(uploads),
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app
    app.extensions["vinhdanh.engine"].dispose()


def signed_in(app: Flask, username: str | None) -> FlaskClient:
    client = app.test_client()
    if username is not None:
        page = client.get("/auth/login").get_data(as_text=True)
        answer = client.post(
            "/auth/login",
            data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf_from(page)},
        )
        assert answer.status_code in (302, 303), username
    return client


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run inside the block (transaction control left out)."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if not TRANSACTION_CONTROL.match(statement):
            seen.append(statement)

    engine = app.extensions["vinhdanh.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements(app: Flask, client: FlaskClient, path: str) -> list[str]:
    """The SQL statements of one GET of ``path`` (after a first one)."""
    assert client.get(path).status_code == 200, path
    with counted(app) as seen:
        assert client.get(path).status_code == 200, path
    return seen


@pytest.mark.parametrize(("who", "path"), list(BUDGETS), ids=lambda v: str(v))
def test_each_page_keeps_to_its_statement_budget(demo_app, who, path):
    seen = statements(demo_app, signed_in(demo_app, who), path)
    shown = "\n".join(" ".join(s.split())[:160] for s in seen)
    assert len(seen) <= BUDGETS[(who, path)], f"{len(seen)} statements:\n{shown}"


def test_the_dossier_pages_keep_to_their_statement_budgets(demo_app):
    with demo_app.extensions["vinhdanh.write"]() as session:
        waiting = session.scalar(
            select(Dossier.id).where(Dossier.state == OFFICE_REVIEW.name).order_by(Dossier.id)
        )
        own = session.scalar(
            select(Nomination.id)
            .join(Unit, Unit.id == Nomination.unit_id)
            .where(func.lower(Unit.code) == STAFF.split(".", 1)[1])
            .where(Nomination.state == "published")
            .order_by(Nomination.id)
        )
    visitor = signed_in(demo_app, None)
    outcome = re.search(r'href="(/public/outcomes/\d+)"', visitor.get("/public/").get_data(True))
    for who, path, budget in (
        (REVIEWER, f"/dossiers/{waiting}", DOSSIER_BUDGET),
        (STAFF, f"/dossiers/{own}", OWN_DOSSIER_BUDGET),
        (None, outcome.group(1), OUTCOME_BUDGET),
    ):
        seen = statements(demo_app, signed_in(demo_app, who), path)
        assert len(seen) <= budget, (path, len(seen), seen)


def test_an_outcome_no_one_has_viewed_yet_costs_one_statement_more(demo_app):
    # Visitors read outcomes at random: most pages are drawn from a record not kept yet.
    visitor = signed_in(demo_app, None)
    links = re.findall(r'href="(/public/outcomes/\d+)"', visitor.get("/public/").get_data(True))
    with counted(demo_app) as seen:
        assert visitor.get(links[-1]).status_code == 200
    assert len(seen) == OUTCOME_BUDGET + 1, seen


def test_a_signed_in_request_loads_the_account_in_one_statement(demo_app):
    # A page that reads nothing else: what every signed-in request costs.
    seen = statements(demo_app, signed_in(demo_app, STAFF), "/notifications/")
    account = [s for s in seen if "user_account" in s]
    assert len(account) == 1 and "role_grant" in account[0], seen


def test_pages_keep_their_prepared_statements_on_postgresql(demo_app):
    """PostgreSQL plans a page's statements once per connection, not once per request: psycopg
    prepares a statement at its fifth run and forgets them all at a ROLLBACK, so a page that
    only read ends with COMMIT (``web.db.close_session``)."""
    engine = demo_app.extensions["vinhdanh.engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    client = signed_in(demo_app, STAFF)
    engine.dispose()  # one connection from here on, which the test reads after the pages
    for _ in range(6):
        assert client.get("/").status_code == 200
    assert engine.pool.checkedout() == 0 and engine.pool.checkedin() == 1
    with engine.connect() as conn:
        prepared = conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar()
    assert prepared >= 5


def most_repeated(seen: list[str]) -> int:
    """How many times the most repeated statement ran (the mark of a query per row)."""
    return max(Counter(seen).values(), default=0)


def test_the_home_page_does_not_query_per_row(demo_app, monkeypatch):
    """The Office reviewer's to-do list repeats no statement more often when it shows every
    waiting dossier than when it shows one: the rules of the rows shown are read for all of
    them at once."""
    from web.home import views

    client = signed_in(demo_app, REVIEWER)
    with demo_app.extensions["vinhdanh.write"]() as session:
        waiting = list(
            session.scalars(select(Dossier.id).where(Dossier.state == OFFICE_REVIEW.name))
        )
    assert len(waiting) >= 3, "the demo has dossiers awaiting the Office"
    every = statements(demo_app, client, "/")
    monkeypatch.setattr(views, "SHOWN_PER_QUEUE", 1)
    one = statements(demo_app, client, "/")
    assert most_repeated(every) <= most_repeated(one), every


def test_a_transition_reads_nothing_after_its_commit(demo_app):
    """The action's answer (a message and a redirect) is drawn from what the transition read:
    a read after its commit would begin a transaction for nothing."""
    client = signed_in(demo_app, STAFF)
    with demo_app.extensions["vinhdanh.write"]() as session:
        drafts = session.scalars(
            select(Dossier.id)
            .join(Unit, Unit.id == Dossier.unit_id)
            .where(func.lower(Unit.code) == STAFF.split(".", 1)[1], Dossier.state == "draft")
            .order_by(Dossier.id)
        ).all()
    page = client.get(f"/dossiers/{drafts[0]}").get_data(as_text=True)
    seen: list[str] = []
    engine = demo_app.extensions["vinhdanh.engine"]

    def statement(conn, cursor, text, parameters, context, executemany) -> None:
        seen.append(text)

    def commit(conn) -> None:
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        answer = client.post(
            f"/dossiers/{drafts[0]}/actions/submit", data={"csrf_token": csrf_from(page)}
        )
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    with demo_app.extensions["vinhdanh.write"]() as session:
        assert session.get(Dossier, drafts[0]).state != "draft"
    # One transaction, the action's: nothing read after it (a read would begin another).
    assert seen.count("COMMIT") == 1, seen
    after = seen[seen.index("COMMIT") + 1 :]
    assert not [s for s in after if not TRANSACTION_CONTROL.match(s)], seen
