"""Background jobs on a real Redis of the test's own (so that it can be stopped mid-run):
e-mail and exports queued and run by an RQ worker, progress and errors on the Office's
page, inline work when Redis is down, and no e-mail lost or sent twice either way."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from models import OutboxEmail
from tests.fixtures.dossiers import act, setup_dossier
from tests.fixtures.queue import (  # noqa: F401  (a fixture)
    private_redis,
    run_worker,
    run_worker_command,
)
from tests.fixtures.web import AuthActions, csrf_from
from web.jobs import fetch, job_queue, submit, tasks
from web.jobs.listing import error_in_words

pytestmark = pytest.mark.slow


@pytest.fixture()
def queued_app(app, private_redis, smtp_server):
    app.config.update(
        REDIS_URL=private_redis.url,
        SMTP_HOST=smtp_server.host,
        SMTP_PORT=smtp_server.port,
        SMTP_SENDER="vinhdanh@sgd.example.vn",
    )
    return app


def _outbox(app) -> list[OutboxEmail]:
    session = app.extensions["vinhdanh.write"]()
    try:
        return list(session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))
    finally:
        session.close()


def _drafted(app, world, state="unit_review", **fields) -> int:
    dossier_id = setup_dossier(app, world, state=state, **fields)
    session = app.extensions["vinhdanh.write"]()
    try:
        session.execute(delete(OutboxEmail))  # the e-mails of the set-up are not this test's
        session.commit()
    finally:
        session.close()
    return dossier_id


def test_e_mail_waits_for_the_worker_then_goes_once(queued_app, app_world, smtp_server):
    app = queued_app
    dossier_id = _drafted(app, app_world)
    client = app.test_client()
    AuthActions(client).login("head_a")
    response = act(client, dossier_id, "unit_approve")
    assert response.status_code == 302
    assert smtp_server.messages == []  # the request did not send: the job will
    assert {e.status for e in _outbox(app)} == {"queued"}
    with app.app_context():
        assert job_queue().count == 1
    run_worker(app)
    assert sorted(a for m in smtp_server.messages for a in m.rcpt_tos) == [
        "reviewer2@example.vn",
        "reviewer@example.vn",
    ]
    assert {e.status for e in _outbox(app)} == {"sent"}
    run_worker(app)  # nothing left, nothing sent again
    assert len(smtp_server.messages) == 2


def test_redis_stopped_mid_run_loses_and_doubles_nothing(
    queued_app, app_world, smtp_server, private_redis
):
    app = queued_app
    first = _drafted(app, app_world, title="Hồ sơ thứ nhất")
    second = _drafted(app, app_world, title="Hồ sơ thứ hai")
    client = app.test_client()
    AuthActions(client).login("head_a")
    assert act(client, first, "unit_approve").status_code == 302  # its e-mail job is queued
    assert smtp_server.messages == []

    private_redis.stop()
    started = time.monotonic()
    # Redis down: sent after the response, as without a queue (following the redirect
    # closes the response, which runs the sending).
    response = act(client, second, "unit_approve", follow=True)
    took = time.monotonic() - started
    assert response.status_code == 200
    # The inline sender takes every due e-mail of the outbox: the first action's too.
    assert len(smtp_server.messages) == 4 and {e.status for e in _outbox(app)} == {"sent"}
    assert took < 10

    private_redis.start()  # the queued job survived the restart; it finds nothing to send
    with app.app_context():
        assert job_queue().count == 1
    run_worker(app)
    sent = Counter((m.subject, tuple(m.rcpt_tos)) for m in smtp_server.messages)
    assert len(sent) == 4 and set(sent.values()) == {1}


def test_a_large_export_runs_as_a_job_with_its_progress_shown(queued_app, app_world):
    app = queued_app
    for _ in range(3):
        setup_dossier(app, app_world, state="office_review")
    client = app.test_client()
    AuthActions(client).login("reviewer")
    campaign = app_world.campaign.id
    response = _press_export(client, campaign)
    assert response.status_code == 303 and response.location.endswith("/office/jobs")
    page = client.get("/office/jobs").get_data(as_text=True)
    assert "Đang tạo bảng tổng hợp của đợt" in page
    assert "Xuất bảng tổng hợp của đợt thi đua" in page and "Đang chờ" in page

    run_worker(app)
    rows = client.get("/office/jobs/rows").get_data(as_text=True)
    assert "Xong" in rows
    done = re.search(r'<progress value="(\d+)" max="(\d+)"', rows)
    assert done and done.group(1) == done.group(2) and int(done.group(2)) >= 3
    link = re.search(r'href="(/office/jobs/[^"]+/download)"', rows)
    assert link
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(download.data)).namelist()


def _press_export(client, campaign: int):
    """The dashboard's workbook button: a form that posts."""
    dashboard = client.get(f"/dashboard/?campaign={campaign}").get_data(as_text=True)
    url = f"/dashboard/export.xlsx?campaign={campaign}"
    assert f'<form method="post" action="{url}"' in dashboard
    return client.post(url, data={"csrf_token": csrf_from(dashboard)})


def test_a_get_queues_no_export_and_a_second_press_leads_to_the_first(queued_app, app_world):
    app = queued_app
    client = app.test_client()
    AuthActions(client).login("reviewer")
    campaign = app_world.campaign.id
    followed = client.get(f"/dashboard/export.xlsx?campaign={campaign}")
    assert followed.status_code == 302
    assert followed.location.endswith(f"/dashboard/?campaign={campaign}")
    with app.app_context():
        assert job_queue().count == 0
    assert _press_export(client, campaign).status_code == 303
    again = _press_export(client, campaign)
    assert again.status_code == 303 and again.location.endswith("/office/jobs")
    page = client.get("/office/jobs").get_data(as_text=True)
    assert "đang được tạo theo yêu cầu trước của bạn" in page
    assert page.count("data-job=") == 1
    with app.app_context():
        assert job_queue().count == 1
    run_worker(app)
    _press_export(client, campaign)  # once made, a press makes a new workbook
    with app.app_context():
        assert job_queue().count == 1


def test_a_failing_job_waits_to_be_retried_and_says_why(queued_app, app_world):
    app = queued_app
    with app.test_request_context():
        submitted = submit("export", tasks.campaign_workbook, 987654)
    assert submitted.queued
    run_worker(app)
    client = app.test_client()
    AuthActions(client).login("reviewer")
    rows = client.get("/office/jobs/rows").get_data(as_text=True)
    assert "Chờ thử lại" in rows and "còn 2 lần thử" in rows
    assert "Dữ liệu của việc này không còn nữa (đã bị xóa)." in rows
    assert client.get(f"/office/jobs/{submitted.job_id}/download").status_code == 404


def test_the_jobs_page_is_the_offices_only(queued_app, app_world):
    client = app_world and queued_app.test_client()
    AuthActions(client).login("staff_a")
    assert client.get("/office/jobs").status_code == 403
    assert client.get("/office/jobs/rows").status_code == 403
    assert client.get("/office/jobs/abc/download").status_code == 403


def test_without_redis_work_runs_inline_and_the_page_says_so(app, app_world, smtp_server):
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port)
    dossier_id = _drafted(app, app_world)
    client = app.test_client()
    AuthActions(client).login("head_a")
    act(client, dossier_id, "unit_approve", follow=True)
    assert len(smtp_server.messages) == 2  # after the response, in the request's process
    AuthActions(client).logout()
    AuthActions(client).login("reviewer")
    page = client.get("/office/jobs").get_data(as_text=True)
    assert "Máy chủ chưa cấu hình hàng đợi (VINHDANH_REDIS_URL)" in page
    export = client.get(f"/dashboard/export.xlsx?campaign={app_world.campaign.id}")
    assert export.status_code == 200 and export.data[:2] == b"PK"


def test_the_worker_command_needs_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "Chưa cấu hình VINHDANH_REDIS_URL" in result.output


def test_errors_in_words():
    assert error_in_words("Traceback…\nLookupError: campaign 9 no longer exists\n") == (
        "Dữ liệu của việc này không còn nữa (đã bị xóa)."
    )
    assert "LibreOffice" in error_in_words("RuntimeError: LibreOffice is not installed")
    assert error_in_words("ValueError: bad") == "Việc gặp lỗi: ValueError: bad"
    assert error_in_words("") == ""


def test_vinhdanh_worker_runs_queued_jobs_in_forked_processes(queued_app, app_world, tmp_path):
    """The real command: each job in a process forked from the worker, on the same database."""
    app = queued_app
    for _ in range(2):
        setup_dossier(app, app_world, state="office_review")
    with app.test_request_context():
        submitted = submit("export", tasks.campaign_workbook, app_world.campaign.id)
    run_worker_command(app)
    with app.app_context():
        job = fetch(submitted.job_id)
        assert job.is_finished and job.meta["done"] == job.meta["total"] > 0
        assert tasks.export_file(app, job.id).read_bytes()[:2] == b"PK"


def test_reminders_on_the_queue_are_sent_once_by_the_worker(
    queued_app, app_world, smtp_server, runner
):
    from tests.workflow.notifications.test_reminders import _app_campaign

    app = queued_app
    _app_campaign(app, app_world)
    queued = runner.invoke(args=["remind", "--today", "2026-06-01", "--queue"])
    assert queued.exit_code == 0 and "Đã đưa vào hàng đợi / queued:" in queued.output
    assert smtp_server.messages == []
    run_worker(app)
    assert len(smtp_server.messages) == 6  # three units, their staff and head
    again = runner.invoke(args=["remind", "--today", "2026-06-01", "--queue"])
    assert again.exit_code == 0
    run_worker(app)
    assert len(smtp_server.messages) == 6  # never one reminder twice


def test_reminders_without_a_queue_run_at_once(app, app_world, runner):
    from tests.workflow.notifications.test_reminders import _app_campaign

    _app_campaign(app, app_world)
    result = runner.invoke(args=["remind", "--today", "2026-06-01", "--queue"])
    assert result.exit_code == 0
    assert "Không có hàng đợi (VINHDANH_REDIS_URL): đã nhắc ngay." in result.output
    assert "'reminders': 3" in result.output


def test_issuing_a_decision_queues_its_pdf_for_the_worker(queued_app, app_world):
    """Issuing hands LibreOffice's seconds to the worker; the public PDF is then served from
    what the job made."""
    from tests.fixtures.money import approved, draft_decision
    from tests.fixtures.people import make_council_session
    from tests.fixtures.web import app_db, csrf_from
    from workflow.documents import docx as documents

    if documents.pdf_converter() is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    app = queued_app
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        made = [approved(session, app_world, council, "Lê Thị An", position="Giáo viên")]
        decision_id = draft_decision(session, app_world, made).id
    client = app.test_client()
    AuthActions(client).login("secretary")
    detail = f"/council/decisions/{decision_id}"
    token = csrf_from(client.get(detail).get_data(as_text=True))
    assert client.post(f"{detail}/issue", data={"csrf_token": token}).status_code == 302
    cached = tasks_pdf_path(app, decision_id)
    assert not cached.exists()  # not made in the request
    with app.app_context():
        assert "pdf" in {job.meta["kind"] for job in job_queue().jobs}
    run_worker(app)
    assert cached.read_bytes()[:4] == b"%PDF"
    public = client.get(f"/public/decisions/{decision_id}.pdf")
    assert public.status_code == 200 and public.data == cached.read_bytes()


def tasks_pdf_path(app, decision_id: int) -> Path:
    return Path(app.config["UPLOAD_DIR"]) / "decisions" / f"{decision_id}.pdf"
