"""Certificates on the web and the CLI: downloads from the decision page and the Office's page,
refusals for drafts and for roles that may not print, the Office's settings (which awards
print, positions on blanks) validated, kept as typed when refused, audited."""

from __future__ import annotations

import html
import io
import json

import pytest
import segno
from pypdf import PdfReader
from sqlalchemy import select

from models import AuditEvent, AwardType, CertificateLayout
from models.decisions import Decision
from tests.fixtures.dossiers import page
from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import NOW, make_council_session
from tests.fixtures.web import app_db, csrf_from
from tests.workflow.publication.test_certificates import qr_matrix
from workflow.publication import certificates, decisions

NUMBER = "05/QĐ-SGDĐT"


@pytest.fixture()
def decision_id(app, app_world) -> int:
    """A draft decision: two Chiến sĩ thi đua cơ sở (printed) and a Lao động tiên tiến (not)."""
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        cstdcs = app_world.awards["cstdcs"].id
        made = [
            approved(session, app_world, council, "Trần Phú", award_type_id=cstdcs),
            approved(session, app_world, council, "Đỗ Thị Mai"),
            approved(session, app_world, council, "Lương Thế Vinh", award_type_id=cstdcs),
        ]
        return draft_decision(session, app_world, made, NUMBER).id


@pytest.fixture()
def issued_id(app, app_world, decision_id) -> int:
    with app_db(app) as session:
        decisions.issue(session, decision_id, app_world.actor("secretary"), now=NOW)
    return decision_id


def test_a_revoked_row_offers_no_certificate_and_its_download_is_refused(
    client, auth, issued_id, app, app_world
):
    from tests.fixtures import TEST_NOW
    from workflow.publication import revocation

    with app_db(app) as session:
        vinh = next(
            i.dossier_id
            for i in session.get(decisions.Decision, issued_id).items
            if i.dossier.nominee_name == "Lương Thế Vinh"
        )
        revocation.revoke(
            session,
            vinh,
            app_world.actor("reviewer"),
            number="12/QĐ-SGDĐT",
            decided_on="01/12/2026",
            reason="Kê khai thành tích không trung thực.",
            now=TEST_NOW,
        )
    auth.login("secretary")
    shown = html.unescape(page(client, f"/council/decisions/{issued_id}"))
    assert 'data-certificate-row="2"' in shown and 'data-certificate-row="3"' not in shown
    assert "Đã thu hồi" in shown
    refused = client.get(f"/office/certificates/decisions/{issued_id}.pdf?row=3")
    assert refused.status_code == 409
    assert "đã bị thu hồi theo Quyết định số 12/QĐ-SGDĐT" in html.unescape(
        refused.get_data(as_text=True)
    )
    assert len(pdf_pages(client.get(f"/office/certificates/decisions/{issued_id}.pdf"))) == 1


def pdf_pages(response) -> list:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data)).pages


def test_the_decision_page_offers_the_certificates_once_issued(client, auth, decision_id, app):
    auth.login("secretary")
    draft = html.unescape(page(client, f"/council/decisions/{decision_id}"))
    assert "data-certificates" not in draft
    refused = client.get(f"/office/certificates/decisions/{decision_id}.pdf")
    assert refused.status_code == 409
    assert "chưa ban hành" in html.unescape(refused.get_data(as_text=True))
    with app_db(app) as session:
        decisions.issue(session, decision_id, _secretary(session), now=NOW)
    issued = html.unescape(page(client, f"/council/decisions/{decision_id}"))
    assert 'data-certificates="full"' in issued and 'data-certificates="preprinted"' in issued
    # Rows 2 and 3 (Chiến sĩ thi đua cơ sở) print; row 1, Lao động tiên tiến, does not.
    assert 'data-certificate-row="2"' in issued and 'data-certificate-row="3"' in issued
    assert 'data-certificate-row="1"' not in issued
    whole = client.get(f"/office/certificates/decisions/{decision_id}.pdf")
    assert len(pdf_pages(whole)) == 2
    assert 'filename="giay-khen-05-QD-SGDDT.pdf"' in whole.headers["Content-Disposition"]
    one = pdf_pages(client.get(f"/office/certificates/decisions/{decision_id}.pdf?row=3"))
    assert len(one) == 1 and "Lương Thế Vinh" in one[0].extract_text()


def _secretary(session):
    from models import User
    from workflow.core.actors import Actor

    user = session.scalar(select(User).where(User.username == "secretary"))
    return Actor.from_user(user)


def test_the_qr_code_opens_the_verification_page_on_this_host(client, auth, app, issued_id):
    auth.login("reviewer")
    first = pdf_pages(client.get(f"/office/certificates/decisions/{issued_id}.pdf?row=2"))[0]
    with app_db(app) as session:
        decision = session.get(Decision, issued_id)
        code = next(i.verify_code for i in decision.items if i.dossier.nominee_name == "Trần Phú")
    drawn = qr_matrix(first, certificates.DEFAULT_POSITIONS["qr"])
    url = f"http://localhost/v/{code}"
    assert drawn == [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]


def test_the_public_address_is_taken_from_the_configuration(client, auth, app, issued_id):
    app.config["PUBLIC_URL"] = "https://vinhdanh.haiphong.edu.vn"
    auth.login("member1")
    first = pdf_pages(client.get(f"/office/certificates/decisions/{issued_id}.pdf?row=2"))[0]
    with app_db(app) as session:
        decision = session.get(Decision, issued_id)
        code = next(i.verify_code for i in decision.items if i.dossier.nominee_name == "Trần Phú")
    url = f"https://vinhdanh.haiphong.edu.vn/v/{code}"
    drawn = qr_matrix(first, certificates.DEFAULT_POSITIONS["qr"])
    assert drawn == [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]


@pytest.mark.parametrize("who", ["staff_a", "head_a"])
def test_units_may_not_print(client, auth, issued_id, who):
    auth.login(who)
    assert client.get(f"/office/certificates/decisions/{issued_id}.pdf").status_code == 403
    assert client.get("/office/certificates/").status_code == 403


def test_the_office_prints_from_its_page_and_a_row_that_prints_nothing_is_refused(
    client, auth, issued_id
):
    auth.login("reviewer")
    text = html.unescape(page(client, "/office/certificates/"))
    assert NUMBER in text and f"/office/certificates/decisions/{issued_id}.pdf" in text
    assert (
        len(
            pdf_pages(client.get(f"/office/certificates/decisions/{issued_id}.pdf?mode=preprinted"))
        )
        == 2
    )
    calibration = pdf_pages(client.get("/office/certificates/calibration.pdf"))
    assert "TRANG CĂN CHỈNH" in calibration[0].extract_text()
    refused = client.get(f"/office/certificates/decisions/{issued_id}.pdf?row=1")
    assert refused.status_code == 409
    assert "không có dòng số 1" in html.unescape(refused.get_data(as_text=True))
    assert client.get(f"/office/certificates/decisions/{issued_id}.pdf?row=abc").status_code == 409
    assert client.get("/office/certificates/decisions/999999.pdf").status_code == 404


def test_a_council_member_sees_no_settings(client, auth, issued_id, app_world):
    auth.login("member1")
    text = html.unescape(page(client, "/office/certificates/"))
    assert NUMBER in text and "Khen thưởng nào được in" not in text
    award = app_world.awards["ldtt"].id
    token = csrf_from(text)
    answer = client.post(
        f"/office/certificates/awards/{award}/prints", data={"prints": "yes", "csrf_token": token}
    )
    assert answer.status_code == 403
    assert client.get(f"/office/certificates/awards/{award}/layout").status_code == 403


def test_the_office_sets_a_money_only_title_to_print(client, auth, app, issued_id, app_world):
    auth.login("reviewer")
    token = csrf_from(page(client, "/office/certificates/"))
    award = app_world.awards["ldtt"].id
    answer = client.post(
        f"/office/certificates/awards/{award}/prints", data={"prints": "yes", "csrf_token": token}
    )
    assert answer.status_code == 302
    assert len(pdf_pages(client.get(f"/office/certificates/decisions/{issued_id}.pdf"))) == 3
    with app_db(app) as session:
        assert session.get(AwardType, award).prints_certificate is True
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "award_type")
        ).all()[-1]
        assert json.loads(event.changes)["prints_certificate"] == [None, True]


def test_bad_positions_are_refused_and_kept_as_typed(client, auth, app, app_world):
    auth.login("reviewer")
    award = app_world.awards["cstdcs"].id
    unit = app_world.units["a"].id
    url = f"/office/certificates/awards/{award}/layout"
    form_page = page(client, f"{url}?unit={unit}")
    values = certificates.layout_form_values(certificates.DEFAULT_POSITIONS)
    values.update(name_y="12,5x", csrf_token=csrf_from(form_page), unit=str(unit), version="")
    answer = client.post(url, data=values)
    assert answer.status_code == 422
    text = html.unescape(answer.get_data(as_text=True))
    assert "Họ và tên / tên tập thể, từ mép trên: cần một số từ 0 đến 210" in text
    assert 'value="12,5x"' in text
    with app_db(app) as session:
        assert session.scalars(select(CertificateLayout)).first() is None
    values["name_y"] = "80,5"
    assert client.post(url, data=values).status_code == 302
    with app_db(app) as session:
        layout = session.scalars(select(CertificateLayout)).one()
        assert layout.unit_id == unit and json.loads(layout.positions)["name"]["y"] == 80.5
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "certificate_layout")
        ).one()
        assert json.loads(event.changes)["positions"]["name"][1]["y"] == "80.5"
    again = html.unescape(page(client, f"{url}?unit={unit}"))
    assert 'value="80.5"' in again


def test_the_cli_writes_the_certificates(runner, app, tmp_path, issued_id):
    out = tmp_path / "giay-khen.pdf"
    result = runner.invoke(
        args=["certificates", NUMBER, "--out", str(out), "--base-url", "https://vd.example.vn"]
    )
    assert result.exit_code == 0, result.output
    assert "Đã ghi 2 giấy khen" in result.output
    assert len(PdfReader(str(out)).pages) == 2
    one = tmp_path / "one.pdf"
    result = runner.invoke(
        args=[
            "certificates",
            NUMBER,
            "--out",
            str(one),
            "--row",
            "2",
            "--mode",
            "preprinted",
            "--base-url",
            "https://vd.example.vn",
        ]
    )
    assert result.exit_code == 0 and "Trần Phú" in PdfReader(str(one)).pages[0].extract_text()


def test_the_cli_refuses_a_draft_and_an_unknown_number(runner, tmp_path, decision_id):
    out = tmp_path / "x.pdf"
    base = ["--out", str(out), "--base-url", "https://vd.example.vn"]
    draft = runner.invoke(args=["certificates", NUMBER, *base])
    assert draft.exit_code == 1 and "chưa ban hành" in draft.output and not out.exists()
    unknown = runner.invoke(args=["certificates", "99/QĐ-SGDĐT", *base])
    assert unknown.exit_code == 1 and "Không có quyết định số" in unknown.output
    no_address = runner.invoke(args=["certificates", NUMBER, "--out", str(out)])
    assert no_address.exit_code != 0 and "VINHDANH_PUBLIC_URL" in no_address.output


def test_the_home_page_leads_the_office_and_the_council_to_the_certificates(
    client, auth, app_world
):
    for who, shown in (("reviewer", True), ("secretary", True), ("staff_a", False)):
        auth.login(who)
        home = client.get("/", follow_redirects=True).get_data(as_text=True)
        assert ('href="/office/certificates/"' in home) is shown, who
        auth.logout()


def test_the_secretary_marks_a_deputy_signer_when_drawing_up_a_decision(
    client, auth, app, app_world
):
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        dossier = approved(session, app_world, council, "Trần Phú").id
    auth.login("secretary")
    form = page(client, "/council/decisions/new")
    answer = client.post(
        "/council/decisions/new",
        data={
            "csrf_token": csrf_from(form),
            "number": "08/QĐ-SGDĐT",
            "decided_on": "05/06/2026",
            "signer": "Phạm Văn Phó",
            "signer_deputy": "1",
            "title": "Về việc khen thưởng năm 2026",
            "legal_bases": "",
            "dossier": str(dossier),
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    with app_db(app) as session:
        made = session.scalar(select(Decision).where(Decision.number == "08/QĐ-SGDĐT"))
        assert made.signer_deputy is True
    shown = html.unescape(page(client, answer.headers["Location"]))
    assert "Phạm Văn Phó (Phó Giám đốc ký thay)" in shown
