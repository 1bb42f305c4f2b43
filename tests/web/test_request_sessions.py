"""The request's database session: how a page that only read ends its transaction."""

from __future__ import annotations

from sqlalchemy import event, select, update

from models import Unit
from tests.fixtures.web import app_db
from web.db import close_session, get_session


def test_a_page_that_changed_an_object_writes_nothing(app, app_world):
    """A read session with a change (an attribute set for show) is rolled back, not
    committed."""
    with app_db(app) as session:
        unit = session.scalars(select(Unit).order_by(Unit.id)).first()
        unit_id, name = unit.id, unit.name
    with app.test_request_context("/"):
        session = get_session()
        session.get(Unit, unit_id).name = "Tên chỉ để hiển thị"
        close_session()
    with app_db(app) as session:
        assert session.get(Unit, unit_id).name == name


def test_a_form_that_wrote_without_committing_leaves_nothing(app, app_world):
    """A write session whose statements changed rows, never committed by its view (a refusal
    shown as a page), is rolled back at the end of the request."""
    with app_db(app) as session:
        unit_id = session.scalars(select(Unit.id).order_by(Unit.id)).first()
        name = session.get(Unit, unit_id).name
    with app.test_request_context("/", method="POST"):
        session = get_session()
        session.execute(update(Unit).where(Unit.id == unit_id).values(name="Tên chưa lưu"))
        close_session()
    with app_db(app) as session:
        assert session.get(Unit, unit_id).name == name


def test_a_form_that_read_after_its_commit_ends_in_a_commit(app, app_world, monkeypatch):
    """After a form's commit, what it read (for the redirect, the flash) ends with COMMIT:
    nothing to undo, and psycopg keeps its prepared statements."""
    ended = []
    engine = app.extensions["vinhdanh.engine"]
    event.listen(engine, "commit", lambda conn: ended.append("commit"))
    event.listen(engine, "rollback", lambda conn: ended.append("rollback"))
    with app.test_request_context("/", method="POST"):
        session = get_session()
        session.get(Unit, session.scalars(select(Unit.id)).first()).name = "Trường mới"
        session.commit()
        session.scalars(select(Unit)).all()
        close_session()
    assert ended == ["commit", "commit"]
