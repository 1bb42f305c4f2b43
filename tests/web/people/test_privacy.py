"""The four private fields of a person (identity number, date of birth, phone, e-mail) appear on
no public page, feed or export, and in no export of the register: every public route of the app
is fetched, so a new public page is checked as soon as it exists."""

from __future__ import annotations

import io

import pytest
from flask import url_for
from openpyxl import load_workbook
from sqlalchemy import select, update

from models import AuditEvent, AwardRecord, DecisionItem, Nomination
from tests.fixtures.people import make_dossier
from tests.fixtures.register import PRIVATE_VALUES, make_person
from tests.fixtures.web import AuthActions, app_db
from web.support.access import Public, access_of
from workflow.people.register import unit_collective

# Every way a value could be written: as typed, and a date in both forms.
LEAKS = (*PRIVATE_VALUES.values(), "1988-03-14", "0912345678", "079188001234")
# Query strings that make a feed or list show the most.
QUERIES = {
    "public.audit_events_json": {"after": 0, "limit": 1000},
    "public.outcomes": {"q": "Phạm Thu Trang"},
    "public.consistency_json": {"from": 1, "to": 2},
    "public.consistency": {"from": 1, "to": 2},
}


@pytest.fixture()
def published(app, app_world):
    """She is in the register with her private values, and a published nomination, one in the
    Council's hands and an imported record name her."""
    with app_db(app) as session:
        person = make_person(session, app_world, **PRIVATE_VALUES, identity_kind="national_id")
        ids = {"person_id": person.id}
        # Two awards: one achievement is proposed for one award only.
        for state, award in (("published", "ldtt"), ("council_review", "cstdcs")):
            dossier = make_dossier(
                session,
                app_world,
                state=state,
                nominee_name=person.full_name,
                award_type_id=app_world.awards[award].id,
            )
            session.get(Nomination, dossier.id).person_id = person.id
            # Publishing records the award; it names her once nominations name register entries.
            session.execute(
                update(AwardRecord)
                .where(AwardRecord.dossier_id == dossier.id)
                .values(person_id=person.id)
            )
            ids.setdefault("dossier_id", dossier.id)
        ids["collective_id"] = unit_collective(session, app_world.units["a"].id).id
        ids["practice_id"] = 1
        # A password reset link's secret: an unknown one, whose page must name nobody either.
        ids["secret"] = "khong-phai-lien-ket-that"
        # The decision that published her, when the publication went through one.
        ids["decision_id"] = (
            session.scalar(
                select(DecisionItem.decision_id).where(DecisionItem.dossier_id == ids["dossier_id"])
            )
            or 1
        )
        # Her certificate's verification code (/v/<code>), when a decision conferred it.
        ids["code"] = (
            session.scalar(
                select(DecisionItem.verify_code).where(DecisionItem.dossier_id == ids["dossier_id"])
            )
            or "0000000000"
        )
        # The audit log's proofs and checkpoints (none signed here: their pages say so).
        public = session.scalar(
            select(AuditEvent.seq).where(AuditEvent.visibility == "public").order_by(AuditEvent.seq)
        )
        ids["seq_text"], ids["size"] = str(public), 1
    return ids


def _public_urls(app, ids: dict[str, int]) -> list[str]:
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            public = isinstance(access_of(app, rule.endpoint), Public)
            if not public or rule.endpoint == "static" or "GET" not in rule.methods:
                continue
            values = {name: ids[name] for name in rule.arguments}
            urls.append(url_for(rule.endpoint, **values, **QUERIES.get(rule.endpoint, {})))
    return urls


def _leaked(body: str) -> list[str]:
    return [value for value in LEAKS if value in body]


def test_no_public_page_feed_or_export_shows_a_private_value(client, published, app):
    urls = _public_urls(app, published)
    assert f"/register/public/people/{published['person_id']}" in urls
    for url in urls:
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert not _leaked(body), (url, _leaked(body))
    person_page = client.get(f"/register/public/people/{published['person_id']}")
    assert "Phạm Thu Trang" in person_page.get_data(as_text=True)
    outcome = client.get(f"/public/outcomes/{published['dossier_id']}").get_data(as_text=True)
    assert f"/register/public/people/{published['person_id']}" in outcome


@pytest.mark.parametrize("username", ["staff_a", "reviewer"])
def test_the_register_exports_show_no_private_value(client, published, username):
    AuthActions(client).login(username)
    page = client.get(f"/register/people/{published['person_id']}").get_data(as_text=True)
    assert not set(PRIVATE_VALUES.values()) - {v for v in LEAKS if v in page}  # she is there
    csv = client.get("/register/export.csv").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/register/export.xlsx").data))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    for body in (csv, cells):
        assert "Phạm Thu Trang" in body
        assert not _leaked(body)
