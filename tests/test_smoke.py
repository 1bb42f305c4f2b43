"""The cast can be built and a nomination moved to every state on both databases."""

import pytest

from tests.fixtures.people import NOMINATION_PATHS, PLAN_PATHS, REPORT_PATHS, make_dossier
from workflow.core.audit import verify


@pytest.mark.db
@pytest.mark.parametrize(
    "kind,state",
    [("nomination", s) for s in NOMINATION_PATHS]
    + [("plan", s) for s in PLAN_PATHS]
    + [("report", s) for s in REPORT_PATHS],
)
def test_builders_reach_every_state(session, world, kind, state):
    dossier = make_dossier(session, world, kind, state)
    assert dossier.state == state
    assert verify(session).ok


def test_login_page_and_sign_in(client, app_world, auth):
    assert client.get("/auth/login").status_code == 200
    response = auth.login("staff_a")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
