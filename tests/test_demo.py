"""The demo data: loaded once through the real workflow, every state of every lifecycle,
a verifying audit chain, accounts that sign in, and a second load that changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Attachment,
    AuditEvent,
    AwardType,
    Campaign,
    CouncilSession,
    Dossier,
    Nomination,
    Setting,
    Unit,
    User,
    get_setting,
    make_sessionmaker,
)
from models.decisions import DecisionItem, Revocation
from models.passwords import verify_password
from tests.fixtures.web import app_db
from web.auth.views import DEMO_PASSWORD_KEY
from web.demo import DEMO_PASSWORD, DemoConflict, load_demo
from web.demo.lists import DECISION, REVOCATION
from workflow.accounts.service import authenticate
from workflow.core.audit import current_head, verify
from workflow.core.inputs import DECISION_NUMBER
from workflow.core.registry import WORKFLOWS
from workflow.dossiers.evidence import stored_path
from workflow.publication.revocation import REVOKE

pytestmark = pytest.mark.db

TODAY = dt.date(2026, 11, 26)

ORG_KINDS = ("department", "office", "division")


def _count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_organisation_follows_the_city_today(demo):
    factory, _, _ = demo
    with factory() as session:
        units = session.scalars(select(Unit)).all()
    schools = [u for u in units if u.kind not in ORG_KINDS]
    assert len(schools) >= 20
    assert {
        "preschool",
        "primary",
        "lower_secondary",
        "upper_secondary",
        "continuing_education",
    } <= {u.kind for u in schools}
    assert any(u.kind == "office" and u.name == "Văn phòng Sở" for u in units)
    assert sum(u.kind == "division" for u in units) >= 3
    for school in schools:
        assert re.match(r"^(xã|phường|đặc khu) \S", school.locality), school.locality
        assert re.match(r"^[A-Z0-9-]+$", school.code) and school.parent_id is not None
    text = " ".join(f"{u.name} {u.locality or ''}" for u in units).lower()
    assert "quận" not in text and "huyện" not in text  # two-tier local government since 2025
    assert {"đặc khu Cát Hải", "đặc khu Bạch Long Vĩ"} <= {u.locality for u in schools}


def test_every_state_of_every_lifecycle_is_present(demo):
    factory, _, _ = demo
    with factory() as session:
        pairs = {tuple(row) for row in session.execute(select(Dossier.kind, Dossier.state))}
        total = _count(session, Dossier)
    assert total >= 40
    for kind, wdef in WORKFLOWS.items():
        missing = set(wdef.state_names) - {state for k, state in pairs if k == kind}
        assert not missing, f"{kind}: no demo dossier in {missing}"


def test_histories_are_real_transitions_ending_in_the_current_state(demo):
    factory, _, _ = demo
    with factory() as session:
        assert verify(session).ok
        for dossier in session.scalars(select(Dossier)):
            events = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "dossier", AuditEvent.entity_id == dossier.id)
                .order_by(AuditEvent.seq)
            ).all()
            assert events[0].action == "create" and events[0].to_state == "draft"
            state = "draft"
            for event in events[1:]:
                if event.action == REVOKE:  # not a transition: the state stays
                    assert (event.from_state, event.to_state) == (None, None)
                    continue
                assert event.from_state == state, (dossier.id, event.action)
                state = event.to_state
            assert state == dossier.state
            times = [e.occurred_at for e in events]
            assert times == sorted(times) and times[-1].date() <= TODAY


def test_published_nominations_carry_their_decision(demo):
    factory, _, _ = demo
    with factory() as session:
        published = session.scalars(select(Nomination).where(Nomination.state == "published")).all()
        ad_hoc = session.scalar(
            select(func.count()).select_from(Nomination).where(Nomination.ad_hoc)
        )
        direct = session.scalar(
            select(func.count()).select_from(Nomination).where(Nomination.direct_worker)
        )
        returned = session.scalars(select(Dossier).where(Dossier.state == "returned")).all()
    assert len(published) >= 3 and ad_hoc >= 2 and direct >= 5
    for nomination in published:
        assert DECISION_NUMBER.match(nomination.decision_number), nomination.decision_number
        assert nomination.decision_signer and nomination.decision_date <= TODAY
    assert any(n.decision_number == "05/QĐ-SGDĐT" for n in published)
    assert all(len(d.return_reason) > 30 for d in returned)


def test_campaigns_awards_and_council_sessions(demo):
    factory, _, _ = demo
    with factory() as session:
        campaigns = {c.code: c for c in session.scalars(select(Campaign))}
        awards = {a.name_vi: a for a in session.scalars(select(AwardType))}
        sessions = session.scalars(select(CouncilSession)).all()
    theme = campaigns["TD-2026"]
    assert "Chủ động thực thi; phát huy động lực; tăng trưởng bứt phá" in theme.name
    assert (theme.kind, theme.year, theme.plan_due, theme.report_due) == (
        "annual",
        2026,
        dt.date(2026, 3, 10),
        dt.date(2026, 12, 10),
    )
    assert theme.window_open(TODAY)
    assert {"ad_hoc", "thematic"} <= {c.kind for c in campaigns.values()}
    for name in (
        "Lao động tiên tiến",
        "Chiến sĩ thi đua cơ sở",
        "Chiến sĩ thi đua cấp thành phố",
        "Tập thể lao động tiên tiến",
        "Tập thể lao động xuất sắc",
        "Cờ thi đua của Ủy ban nhân dân thành phố",
        "Giấy khen của Giám đốc Sở",
        "Bằng khen của Chủ tịch Ủy ban nhân dân thành phố",
    ):
        assert awards[name].name_en and awards[name].legal_source, name
    assert {a.nominee_kind for a in awards.values()} == {"individual", "collective"}
    assert {s.status for s in sessions} == {"open", "closed"}
    assert all(s.present_count >= 5 for s in sessions)


def test_evidence_files_are_stored_pdfs(demo):
    factory, uploads, _ = demo
    with factory() as session:
        attachments = session.scalars(select(Attachment)).all()
    assert len(attachments) >= 26
    for attachment in attachments:
        data = stored_path(uploads, attachment.sha256).read_bytes()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        assert attachment.content_type == "application/pdf" and attachment.size == len(data)


def test_accounts_sign_in_with_the_demo_password(demo):
    factory, _, lines = demo
    with factory() as session:
        users = session.scalars(select(User)).all()
        assert all(verify_password(u.password_hash, DEMO_PASSWORD) for u in users)
        for username in (
            "canbo.thpt-tran-phu",
            "thutruong.mn-hoa-phuong",
            "chuyenvien.vp",
            "chuyenvien2.vp",
            "thuky.hd",
            "hoidong7",
            "quantri",
        ):
            assert authenticate(session, username, DEMO_PASSWORD) is not None, username
        assert authenticate(session, "quantri", "sai-mật-khẩu") is None
        assert get_setting(session, DEMO_PASSWORD_KEY) == DEMO_PASSWORD
        session.rollback()
        roles = {(u.username.split(".")[0], g.role) for u in users for g in u.grants}
    assert {("canbo", "unit_staff"), ("thutruong", "unit_head")} <= roles
    assert {
        ("hoidong1", "council_member"),
        ("thuky", "council_secretary"),
        ("quantri", "admin"),
    } <= roles
    assert any(DEMO_PASSWORD in line for line in lines)


def test_second_load_changes_nothing(demo):
    factory, uploads, _ = demo
    models = (
        Unit,
        User,
        Dossier,
        Attachment,
        AuditEvent,
        Campaign,
        AwardType,
        CouncilSession,
        Setting,
    )
    with factory() as session:
        before = (current_head(session), [_count(session, m) for m in models])
        assert (
            load_demo(session, DEMO_PASSWORD, upload_dir=uploads, progress=lambda _: None) is False
        )
        session.commit()
    with factory() as session:
        assert (current_head(session), [_count(session, m) for m in models]) == before


def test_units_of_the_same_codes_refuse_the_load(fresh_engine, tmp_path):
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        session.add(
            Unit(code="THPT-TRAN-PHU", name="Trường THPT chuyên Trần Phú", kind="upper_secondary")
        )
        session.flush()
        with pytest.raises(DemoConflict):
            load_demo(session, DEMO_PASSWORD, upload_dir=tmp_path, progress=lambda _: None)


def test_demo_command_and_the_sign_in_page(app, runner, client, auth):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    _one_award_is_revoked_and_every_public_page_says_so(app, client)
    assert "Đã nạp dữ liệu mẫu" in first.output and "VinhDanh@2026" in first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "Dữ liệu mẫu đã có sẵn" in again.output
    assert DEMO_PASSWORD in client.get("/auth/login").get_data(as_text=True)
    response = auth.login("thutruong.thpt-tran-phu", DEMO_PASSWORD)
    assert response.status_code == 302 and "/auth/login" not in response.headers["Location"]


def _one_award_is_revoked_and_every_public_page_says_so(app, client) -> None:
    """The Office revoked one row of decision 1258 through the workflow: the public list strikes
    it through, and its certificate's code says so on ``/v``."""
    with app_db(app) as session:
        (revoked,) = session.scalars(select(Revocation)).all()
        nomination = session.get_one(Nomination, revoked.dossier_id)
        code = session.scalar(
            select(DecisionItem.verify_code).where(DecisionItem.dossier_id == revoked.dossier_id)
        )
        name = nomination.person.full_name
        event = session.get_one(AuditEvent, revoked.audit_seq)
    number, day, reason = REVOCATION
    assert (revoked.number, revoked.decided_on.isoformat(), revoked.reason) == (number, day, reason)
    assert nomination.state == "published" and nomination.decision_number == DECISION[0]
    assert event.action == "revoke" and event.visibility == "public"
    listed = client.get("/public/", query_string={"q": name}).get_data(as_text=True)
    assert "Đã thu hồi" in listed and f"Quyết định số {number}" in listed
    page = client.get(f"/v/{code}").get_data(as_text=True)
    assert f"ĐÃ BỊ THU HỒI theo Quyết định số {number}" in page
