"""A whole decision's certificates as a background job on a real Redis of the test's own: the
button queues it and leads to its progress (certificates drawn of all), the worker draws it,
and only the person who asked may follow it and download the file; without Redis, or with
Redis down, the request makes the PDF as before."""

from __future__ import annotations

import html
import io
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader

from tests.fixtures.queue import (  # noqa: F401  (a fixture)
    private_redis,
    run_worker,
    run_worker_command,
)
from tests.fixtures.web import AuthActions, csrf_from
from tests.web.office.test_certificates import (  # noqa: F401  (fixtures)
    NUMBER,
    decision_id,
    issued_id,
    pdf_pages,
)
from web.jobs import KEEP_SECONDS, fetch, job_queue, submit, tasks
from web.jobs.listing import SHOWN

pytestmark = pytest.mark.slow


@pytest.fixture()
def queued_app(app, private_redis):
    app.config["REDIS_URL"] = private_redis.url
    return app


def _signed_in(app, username: str):
    client = app.test_client()
    AuthActions(client).login(username)
    return client


def _ask(client, decision_id: int, mode: str = "full"):
    """Presses the button for the whole decision's certificates (a form that posts)."""
    token = csrf_from(client.get("/office/certificates/").get_data(as_text=True))
    url = f"/office/certificates/decisions/{decision_id}.pdf?mode={mode}"
    return client.post(url, data={"csrf_token": token})


def _queue(client, issued_id: int, mode: str = "full") -> str:
    """Asks for the whole decision's certificates; the job's id, from the page it leads to."""
    asked = _ask(client, issued_id, mode)
    assert asked.status_code == 303, asked.get_data(as_text=True)[:500]
    found = re.fullmatch(r".*/office/certificates/jobs/([^/]+)", asked.location)
    assert found, asked.location
    return found.group(1)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_the_button_queues_the_job_and_its_page_follows_it_to_the_file(queued_app, issued_id):
    app = queued_app
    client = _signed_in(app, "member1")  # the Council prints, and follows no other job
    job_id = _queue(client, issued_id)
    with app.app_context():
        assert job_queue().count == 1
    waiting = _text(client.get(f"/office/certificates/jobs/{job_id}"))
    assert f"Đang tạo 2 giấy khen của Quyết định số {NUMBER}" in waiting
    assert f"In giấy khen, bằng chứng nhận: Quyết định số {NUMBER} (giấy trắng)" in waiting
    assert "Đang chờ" in waiting and "/download" not in waiting
    assert client.get(f"/office/certificates/jobs/{job_id}/download").status_code == 404

    run_worker(app)
    rows = _text(client.get(f"/office/certificates/jobs/{job_id}/rows"))
    assert "Xong" in rows
    assert re.search(r'<progress value="2" max="2"', rows)  # certificates drawn of all
    link = re.search(r'href="(/office/certificates/jobs/[^"]+/download)"', rows)
    assert link
    download = client.get(link.group(1))
    assert len(pdf_pages(download)) == 2
    assert 'filename="giay-khen-05-QD-SGDDT.pdf"' in download.headers["Content-Disposition"]
    # Where they started, the file waits for them too.
    started = _text(client.get("/office/certificates/"))
    assert "Giấy khen bạn đã yêu cầu" in started and link.group(1) in started
    assert link.group(1) in _text(client.get("/office/certificates/requested"))
    with app.app_context():
        job = fetch(job_id)
        assert job.meta["done"] == job.meta["total"] == 2
        assert job.return_value() == {"certificates": 2, "bytes": len(download.data)}


def test_a_get_queues_nothing_and_a_second_press_leads_to_the_first_job(queued_app, issued_id):
    app = queued_app
    client = _signed_in(app, "member1")
    followed = client.get(f"/office/certificates/decisions/{issued_id}.pdf")
    assert followed.status_code == 302 and followed.location.endswith("/office/certificates/")
    buttons = _text(client.get(followed.location))
    assert f'<form method="post" action="/office/certificates/decisions/{issued_id}.pdf"' in buttons
    with app.app_context():
        assert job_queue().count == 0
    first = _queue(client, issued_id)
    again = _ask(client, issued_id)
    assert again.status_code == 303
    assert again.location.endswith(f"/office/certificates/jobs/{first}")
    assert "đang được tạo theo yêu cầu trước của bạn" in _text(client.get(again.location))
    # Another mode, or another person, is other work.
    preprinted = _queue(client, issued_id, "preprinted")
    theirs = _queue(_signed_in(app, "secretary"), issued_id)
    assert len({first, preprinted, theirs}) == 3
    with app.app_context():
        assert job_queue().count == 3
    run_worker(app)
    # Once made, a press makes a new batch (a revocation since would show in it).
    assert _queue(client, issued_id) != first


def test_presses_at_the_same_moment_queue_one_job(queued_app, issued_id):
    app = queued_app
    presses = 6
    together = threading.Barrier(presses)

    def press(_: int) -> str | None:
        with app.test_request_context():
            together.wait()
            return submit(
                "certificates",
                tasks.certificates_pdf,
                issued_id,
                "full",
                "http://x/",
                user_id=1,
                inline=False,
                target=f"{issued_id}:full",
            ).job_id

    with ThreadPoolExecutor(presses) as pool:
        ids = set(pool.map(press, range(presses)))
    assert len(ids) == 1 and None not in ids
    with app.app_context():
        assert job_queue().count == 1


def test_ones_batch_stays_in_view_behind_many_other_jobs(queued_app, issued_id):
    """Many e-mail jobs since do not push one's certificates off their list; the jobs page
    shows the older ones on its next pages."""
    app = queued_app
    client = _signed_in(app, "reviewer")
    job_id = _queue(client, issued_id)
    with app.test_request_context():
        for _ in range(SHOWN + 5):
            submit("mail", tasks.send_mail)
    assert f'data-job="{job_id}"' in _text(client.get("/office/certificates/"))
    assert f'data-job="{job_id}"' in _text(client.get("/office/certificates/requested"))
    first = _text(client.get("/office/jobs"))
    assert "tạo bản PDF của quyết định và in giấy khen cả quyết định chạy trên hàng đợi" in first
    assert f'data-job="{job_id}"' not in first and first.count("data-job=") == SHOWN
    assert 'href="/office/jobs?page=2" rel="next"' in first
    second = _text(client.get("/office/jobs?page=2"))
    assert f'data-job="{job_id}"' in second and second.count("data-job=") == 6
    assert 'data-job-rows="/office/jobs/rows?page=2"' in second
    assert f'data-job="{job_id}"' in _text(client.get("/office/jobs/rows?page=2"))


def test_the_preprinted_batch_is_a_job_too_and_listed_on_the_jobs_page(queued_app, issued_id):
    app = queued_app
    client = _signed_in(app, "reviewer")
    job_id = _queue(client, issued_id, "preprinted")
    # Files of jobs RQ has forgotten (a week) go when a new one is written; others stay.
    forgotten, recent = (tasks.export_file(app, name, "pdf") for name in ("old", "new"))
    for path in (forgotten, recent):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF")
    week_ago = time.time() - KEEP_SECONDS - 60
    os.utime(forgotten, (week_ago, week_ago))
    run_worker(app)
    assert not forgotten.exists() and recent.exists()
    rows = _text(client.get("/office/jobs/rows"))
    assert f"Quyết định số {NUMBER} (phôi in sẵn)" in rows and "Xong" in rows
    assert f'href="/office/certificates/jobs/{job_id}/download"' in rows
    download = client.get(f"/office/certificates/jobs/{job_id}/download")
    assert len(pdf_pages(download)) == 2
    assert "giay-khen-05-QD-SGDDT-phoi.pdf" in download.headers["Content-Disposition"]


@pytest.mark.parametrize("other", ["secretary", "member1", "reviewer2"])
def test_nobody_else_follows_or_downloads_the_file(queued_app, issued_id, other):
    app = queued_app
    job_id = _queue(_signed_in(app, "reviewer"), issued_id)
    run_worker(app)
    client = _signed_in(app, other)  # each may print certificates of their own
    for url in (f"/office/certificates/jobs/{job_id}", f"/office/certificates/jobs/{job_id}/rows"):
        refused = client.get(url)
        assert refused.status_code == 403
        assert "Chỉ người đã yêu cầu in các giấy khen này" in html.unescape(
            refused.get_data(as_text=True)
        )
    download = client.get(f"/office/certificates/jobs/{job_id}/download")
    assert download.status_code == 403 and b"%PDF" not in download.data
    assert job_id not in _text(client.get("/office/certificates/"))
    assert job_id not in _text(client.get("/office/certificates/requested"))
    if other == "secretary":  # follows every job, downloads none of another's certificates
        rows = _text(client.get("/office/jobs/rows"))
        assert "In giấy khen, bằng chứng nhận" in rows and "Tải về" not in rows


def test_who_may_not_print_queues_nothing_and_a_draft_is_refused_at_once(queued_app, decision_id):
    app = queued_app
    staff = _signed_in(app, "staff_a")
    token = csrf_from(staff.get("/").get_data(as_text=True))
    url = f"/office/certificates/decisions/{decision_id}.pdf"
    assert staff.post(url, data={"csrf_token": token}).status_code == 403
    assert staff.get("/office/certificates/jobs/any").status_code == 403
    secretary = _signed_in(app, "secretary")
    draft = _ask(secretary, decision_id)
    assert draft.status_code == 409 and "chưa ban hành" in html.unescape(
        draft.get_data(as_text=True)
    )
    assert secretary.get("/office/certificates/jobs/nothing-here").status_code == 404
    with app.app_context():
        assert job_queue().count == 0


def test_one_row_and_a_stopped_redis_make_the_pdf_in_the_request(
    queued_app, issued_id, private_redis
):
    client = _signed_in(queued_app, "reviewer")
    one = client.get(f"/office/certificates/decisions/{issued_id}.pdf?row=2")
    assert len(pdf_pages(one)) == 1
    token = csrf_from(client.get("/office/certificates/").get_data(as_text=True))
    private_redis.stop()
    whole = client.post(
        f"/office/certificates/decisions/{issued_id}.pdf", data={"csrf_token": token}
    )
    assert len(pdf_pages(whole)) == 2
    assert 'filename="giay-khen-05-QD-SGDDT.pdf"' in whole.headers["Content-Disposition"]


def test_without_redis_the_whole_decision_is_made_in_the_request(client, auth, issued_id):
    auth.login("secretary")
    whole = client.get(f"/office/certificates/decisions/{issued_id}.pdf?mode=preprinted")
    assert len(pdf_pages(whole)) == 2


def test_a_failed_batch_says_why_in_words_and_waits_to_be_retried(queued_app, decision_id):
    app = queued_app
    with app.test_request_context():
        draft = submit("certificates", tasks.certificates_pdf, decision_id, "full", "http://x/")
        gone = submit("certificates", tasks.certificates_pdf, 987654, "full", "http://x/")
    run_worker(app)
    client = _signed_in(app, "reviewer")
    rows = html.unescape(client.get("/office/jobs/rows").get_data(as_text=True))
    assert rows.count("Chờ thử lại") == 2 and "còn 2 lần thử" in rows
    # The workflow's own refusal, and a decision that no longer exists.
    assert f"Quyết định số {NUMBER} chưa ban hành: chỉ in giấy khen" in rows
    assert "Dữ liệu của việc này không còn nữa (đã bị xóa)." in rows
    token = csrf_from(client.get("/office/jobs").get_data(as_text=True))
    client.post("/lang/en", data={"csrf_token": token, "next": "/office/jobs"})
    english = html.unescape(client.get("/office/jobs/rows").get_data(as_text=True))
    assert f"Decision {NUMBER} is not issued" in english
    with app.app_context():
        assert not tasks.export_file(app, draft.job_id, "pdf").exists()
        assert not tasks.export_file(app, gone.job_id, "pdf").exists()


def test_vinhdanh_worker_draws_the_certificates_in_a_forked_process(queued_app, issued_id):
    """The real command, as deployed: the job runs in a process forked from the worker."""
    app = queued_app
    job_id = _queue(_signed_in(app, "secretary"), issued_id)
    run_worker_command(app)
    with app.app_context():
        job = fetch(job_id)
        assert job.is_finished and job.meta["done"] == job.meta["total"] == 2
        pdf = tasks.export_file(app, job_id, "pdf").read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
