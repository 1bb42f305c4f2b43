"""Two people on the same dossier: the second is told why, sees the current state, and keeps
what they typed; nothing else changes."""

from sqlalchemy import func, select

from models import AuditEvent, Dossier
from tests.fixtures.people import make_dossier
from tests.fixtures.web import csrf_from


def test_second_action_on_a_stale_page_keeps_the_typed_reason(app, client, app_world, auth):
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        dossier_id = make_dossier(session, app_world, "nomination", "unit_review").id
        session.commit()
        session.close()
    auth.login("head_a")
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    token, old_version = csrf_from(page), _version(app, dossier_id)
    first = client.post(
        f"/dossiers/{dossier_id}/actions/unit_approve",
        data={"csrf_token": token, "version": old_version},
    )
    assert first.status_code == 302
    events_before = _events(app)
    second = client.post(
        f"/dossiers/{dossier_id}/actions/unit_return",
        data={"csrf_token": token, "version": old_version, "reason": "Thiếu biên bản họp xét"},
    )
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Người khác đã thao tác trên hồ sơ này trước bạn" in html
    assert "Văn phòng Sở thẩm định" in html  # the current state
    assert "Thiếu biên bản họp xét" in html  # what was typed is still there
    assert _events(app) == events_before
    assert _state(app, dossier_id) == "office_review"


def _version(app, dossier_id):
    with app.app_context(), app.extensions["vinhdanh.read"]() as session:
        return session.get(Dossier, dossier_id).version


def _state(app, dossier_id):
    with app.app_context(), app.extensions["vinhdanh.read"]() as session:
        return session.get(Dossier, dossier_id).state


def _events(app):
    with app.app_context(), app.extensions["vinhdanh.read"]() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))
