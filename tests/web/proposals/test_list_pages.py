"""The list pages through the browser's path: a unit creates a list, adds rows from the
register, by pasting and from a file, sends it; the Office acts on ticked rows; the Council
decides them with one tally. Refusals keep what was typed and change nothing."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models import Collective, Nomination, Proposal
from tests.fixtures.people import inputs_for, make_council_session, make_dossier, new_person
from tests.fixtures.web import app_db, csrf_from
from workflow import fire

pytestmark = pytest.mark.db


@pytest.fixture()
def draft_list(app, app_world):
    """A draft list of unit a with its letter, minutes and one row, and two more teachers."""
    with app_db(app) as session:
        proposal = make_dossier(
            session, app_world, kind="proposal", title="Tờ trình năm học 2025–2026"
        )
        for name in ("Nguyễn Thị Hương", "Trần Quốc Bảo"):
            new_person(session, app_world.units["a"].id, name, "Giáo viên")
        return proposal.id


def _rows(app, proposal_id):
    with app_db(app) as session:
        return session.execute(
            select(Nomination.id, Nomination.nominee_name, Nomination.state)
            .where(Nomination.proposal_id == proposal_id)
            .order_by(Nomination.id)
        ).all()


def _post(client, page_url, url, data, **kwargs):
    page = client.get(page_url)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def test_the_unit_picks_people_from_the_register_searching_without_accents(
    client, auth, app, app_world, draft_list
):
    auth.login("staff_a")
    url = f"/lists/{draft_list}"
    html = client.get(url, query_string={"find": "huong"}).get_data(as_text=True)
    assert "Nguyễn Thị Hương" in html and "Trần Quốc Bảo" not in html
    person = re.search(r'id="pick-p\d+" name="entry" value="(person-\d+)"', html).group(1)
    award = app_world.awards["ldtt"].id
    answer = _post(
        client,
        url,
        f"{url}/rows",
        {"entry": person, "award": award, "achievements": "Dạy giỏi cấp trường."},
    )
    assert answer.status_code == 302
    assert [r.nominee_name for r in _rows(app, draft_list)][-1] == "Nguyễn Thị Hương"


def test_a_bad_pasted_block_adds_nothing_and_keeps_the_text(client, auth, app, draft_list):
    auth.login("staff_a")
    url = f"/lists/{draft_list}"
    before = _rows(app, draft_list)
    text = "Trần Quốc Bảo\tLao động tiên tiến\tTốt.\nKhông Có Ai\tLao động tiên tiến\tTốt."
    answer = _post(client, url, f"{url}/paste", {"pasted": text})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Dòng 2" in html and "Không Có Ai" in html
    assert "Trần Quốc Bảo\tLao động tiên tiến" in html  # the text is still in the box
    assert _rows(app, draft_list) == before
    good = _post(client, url, f"{url}/paste", {"pasted": text.splitlines()[0]})
    assert good.status_code == 302
    assert len(_rows(app, draft_list)) == len(before) + 1


def test_an_xlsx_file_adds_its_rows_and_a_bad_one_comes_back_as_text(client, auth, app, draft_list):
    auth.login("staff_a")
    url = f"/lists/{draft_list}"
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Họ và tên / tên tập thể", "Danh hiệu, hình thức khen thưởng", "Tóm tắt thành tích"]
    )
    sheet.append(["Trần Quốc Bảo", "Lao động tiên tiến", "Hoàn thành tốt."])
    sheet.append(["Người Lạ", "Lao động tiên tiến", "Tốt."])
    data = io.BytesIO()
    book.save(data)
    answer = _post(
        client,
        url,
        f"{url}/upload",
        {"file": (io.BytesIO(data.getvalue()), "danh-sach.xlsx")},
        content_type="multipart/form-data",
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Người Lạ" in html
    assert "danh-sach.xlsx" in html and "Trần Quốc Bảo\tLao động tiên tiến" in html


def test_another_unit_cannot_add_rows_and_nothing_changes(client, auth, app, app_world, draft_list):
    auth.login("staff_b")
    before = _rows(app, draft_list)
    page = client.get("/lists/")
    token = csrf_from(page.get_data(as_text=True))
    answer = client.post(
        f"/lists/{draft_list}/paste",
        data={"csrf_token": token, "pasted": "Trần Quốc Bảo\tLao động tiên tiến\tTốt."},
    )
    assert answer.status_code in (403, 404)
    assert _rows(app, draft_list) == before
    assert client.get(f"/lists/{draft_list}").status_code == 404


def test_the_office_returns_one_row_and_accepts_the_rest_then_the_council_passes_them(
    client, auth, app, app_world, draft_list
):
    auth.login("staff_a")
    url = f"/lists/{draft_list}"
    _post(client, url, f"{url}/paste", {"pasted": "Trần Quốc Bảo\tLao động tiên tiến\tTốt."})
    _post(client, f"/dossiers/{draft_list}", f"/dossiers/{draft_list}/actions/submit", {})
    auth.logout()
    auth.login("head_a")
    _post(client, f"/dossiers/{draft_list}", f"/dossiers/{draft_list}/actions/unit_approve", {})
    auth.logout()
    rows = _rows(app, draft_list)
    assert {r.state for r in rows} == {"office_review"}
    auth.login("reviewer")
    html = client.get(url).get_data(as_text=True)
    assert 'value="decline"' in html
    first, second = rows[0].id, rows[1].id
    _post(
        client,
        url,
        "/office/bulk",
        {"ids": [first], "action": "return", f"reason-{first}": "Thiếu minh chứng", "next": url},
    )
    accepted = _post(
        client, url, "/office/bulk", {"ids": [second], "action": "accept", "next": url}
    )
    # The result page leads back to the list the rows were ticked on, and says so.
    assert f'href="{url}">Quay lại danh sách đề nghị</a>' in accepted.get_data(as_text=True)
    assert [r.state for r in _rows(app, draft_list)] == ["returned", "council_review"]
    auth.logout()
    with app_db(app) as session:
        council = make_council_session(session, app_world)
        tally = inputs_for("council_approve", council)
    auth.login("secretary")
    html = client.get(url).get_data(as_text=True)
    assert "Hội đồng thông qua các dòng đã chọn" in html
    answer = _post(
        client,
        url,
        f"{url}/council",
        {
            "ids": [first, second],
            "trigger": "council_approve",
            "session_id": tally["session_id"],
            "votes_for": tally["votes_for"],
            "votes_against": 0,
            "votes_abstain": 0,
        },
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    # The returned row is refused and named; the accepted one passes.
    assert [r.state for r in _rows(app, draft_list)] == ["returned", "approved"]
    assert rows[0].nominee_name in html
    assert f'href="{url}">Quay lại danh sách đề nghị</a>' in html


def test_the_lists_page_counts_rows_by_result(client, auth, app, draft_list):
    auth.login("head_a")
    html = client.get("/lists/").get_data(as_text=True)
    assert "Tờ trình năm học 2025–2026" in html
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(Proposal)) == 1


def test_the_unit_itself_is_picked_before_its_register_entry_exists(
    client, auth, app, app_world, draft_list
):
    auth.login("staff_a")
    url = f"/lists/{draft_list}"
    html = client.get(url).get_data(as_text=True)
    # Drawing the page (a read session) makes no entry whose id the form would post.
    assert 'id="pick-unit" name="entry" value="unit"' in html
    with app_db(app) as session:
        assert session.scalar(select(func.count()).select_from(Collective)) == 0
    answer = _post(
        client,
        url,
        f"{url}/rows",
        {
            "entry": "unit",
            "award": app_world.awards["ttldtt"].id,
            "achievements": "Tập thể hoàn thành tốt nhiệm vụ.",
        },
    )
    assert answer.status_code == 302
    assert _rows(app, draft_list)[-1].nominee_name == app_world.units["a"].name
    unit = app_world.units["a"].name
    assert f"{unit} (đã có trong danh sách)" in client.get(url).get_data(as_text=True)


def test_a_row_the_council_rejects_shows_the_councils_reason_to_the_unit(
    client, auth, app, app_world, draft_list
):
    with app_db(app) as session:
        fire(session, draft_list, "submit", app_world.actor("staff_a"))
        fire(session, draft_list, "unit_approve", app_world.actor("head_a"))
        (row,) = session.scalars(select(Nomination).where(Nomination.proposal_id == draft_list))
        fire(session, row.id, "office_approve", app_world.actor("reviewer"), inputs={})
        council = make_council_session(session, app_world)
        inputs = {**inputs_for("council_reject", council), "votes_for": 1, "votes_against": 4}
        inputs["reason"] = "Chưa đủ thời gian công tác trong năm học."
        fire(session, row.id, "council_reject", app_world.actor("secretary"), inputs=inputs)
    auth.login("staff_a")
    html = client.get(f"/lists/{draft_list}").get_data(as_text=True)
    assert "Hội đồng: Chưa đủ thời gian công tác trong năm học." in html


def test_the_unit_sees_its_rows_checks_but_not_the_reason_of_a_hold(
    client, auth, app, app_world, draft_list
):
    import datetime as dt

    from models import Hold

    row = _rows(app, draft_list)[0]
    with app_db(app) as session:
        person_id = session.get(Nomination, row.id).person_id
        session.add(
            Hold(person_id=person_id, reason="Đang xem xét kỷ luật", starts_on=dt.date(2026, 1, 1))
        )
    auth.login("staff_a")
    html = client.get(f"/lists/{draft_list}").get_data(as_text=True)
    assert "data-checks=" in html
    assert "Đang xem xét kỷ luật" not in html
    auth.logout()
    auth.login("reviewer")
    # The Department sees a draft list only once it is sent: not here.
    assert client.get(f"/lists/{draft_list}").status_code == 404
