"""The minutes of a Council session (biên bản họp) as DOCX in the Nghị định 30/2020 layout:
opened with python-docx and checked element by element, and converted to PDF by LibreOffice
(where installed) with its text read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from models import CouncilMembership
from models.clock import VIETNAM
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import NOW, make_council_session, make_dossier
from workflow.council import ballot as ballots
from workflow.council import meeting as meetings
from workflow.council import minutes
from workflow.council import sessions as councils
from workflow.documents import docx as documents

pytestmark = pytest.mark.db

# member4 Đinh Thị Oanh chairs, member3 Ngô Quang Nam is vice-chair, member1 Bùi Văn Long keeps
# the minutes; member2 Đỗ Thị Mai and member5 Lý Văn Phúc are Ủy viên.
TERMS = {"member1": "secretary", "member2": "member", "member3": "vice_chair", "member4": "chair"}


def _seat(session, world) -> None:
    for username, position in TERMS.items():
        session.add(
            CouncilMembership(
                user_id=world.users[username].id, position=position, starts_on=dt.date(2026, 1, 1)
            )
        )
    session.flush()


def _meeting(session, world, absent: tuple[str, ...] = ("member5",)):
    """A session held, two nominations decided (one by a secret ballot, one by counts, one of
    them failing), one deferred, then closed."""
    _seat(session, world)
    council = make_council_session(session, world)
    secretary = world.actor("secretary")
    councils.record_attendance(
        session,
        council.id,
        secretary,
        [a.user_id for a in council.attendance if a.user.username not in absent],
        now=NOW,
    )
    council.quorum_source = councils.DEFAULT_QUORUM_SOURCE
    council.quorum_from = councils.DEFAULT_QUORUM_FROM

    def nomination(award: str, name: str, unit: str = "a"):
        return make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            award_type_id=world.awards[award].id,
            nominee_name=name,
            unit=unit,
        )

    balloted = nomination("ldtt", "Trần Thị Mai")
    typed = nomination("cstdcs", "Phạm Văn Nam", unit="b")
    deferred = nomination("ldtt", "Lê Văn Bảo")
    keyed.open_ballot(session, council.id, balloted.id, secretary, now=NOW)
    present = [a.user.username for a in council.attendance if a.present]
    for name in present[:3]:
        ballots.cast_vote(session, council.id, balloted.id, world.actor(name), "approve")
    keyed.close_ballot(session, council.id, balloted.id, secretary, now=NOW)
    meetings.apply_all(session, council.id, secretary, now=NOW)
    meetings.record_result(
        session, council.id, typed.id, secretary, {"votes_for": "3", "votes_against": "1"}
    )
    meetings.record_result(
        session,
        council.id,
        deferred.id,
        secretary,
        {"reason": "Bổ sung minh chứng."},
        choice=meetings.DEFER,
    )
    councils.close_session(session, council.id, secretary, now=NOW + dt.timedelta(minutes=95))
    return council


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_the_minutes_carry_every_element(session, world):
    council = _meeting(session, world)
    doc = Document(io.BytesIO(minutes.minutes_docx(session, council)))
    head, *tables = doc.tables
    agency, motto = head.rows[0].cells
    assert [p.text for p in agency.paragraphs if p.text] == [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    ]
    assert [p.text for p in motto.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number, place = head.rows[1].cells
    assert number.text == "Số: .../BB-HĐTĐKT"
    assert place.text == f"Hải Phòng, {documents.day_words(council.held_on)}"
    text = _paragraphs(doc)
    assert text[0:2] == ["BIÊN BẢN", "HỌP HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG"]
    local = NOW.astimezone(VIETNAM)  # the time in Hải Phòng, not the server's
    opened = f"Thời gian: {local.hour} giờ {local.minute:02d} phút"
    assert f"{opened}, {documents.day_words(council.held_on)}." in text
    assert "Địa điểm: Phòng họp Sở." in text
    assert "Chủ trì: Đinh Thị Oanh, Chủ tịch Hội đồng." in text
    assert "Thư ký: Bùi Văn Long." in text
    start = text.index("Thành viên có mặt (4):")
    assert [line.split(" — ")[0] for line in text[start + 1 : start + 5]] == [
        "- Đinh Thị Oanh",
        "- Ngô Quang Nam",
        "- Đỗ Thị Mai",
        "- Bùi Văn Long",
    ]
    assert text[start + 5] == "Thành viên vắng mặt (1):"
    assert text[start + 6].startswith("- Lý Văn Phúc")
    quorum = next(line for line in text if line.startswith("Số thành viên có mặt"))
    assert "4/5; cần ít nhất 4/5 — hai phần ba tổng số thành viên (2/3)" in quorum
    assert "đủ túc số" in quorum and "86/2025/QĐ-UBND" in quorum and "03/12/2025" in quorum
    # The agenda by award, with counts per kind; each item's counts, threshold and outcome.
    assert "1. Chiến sĩ thi đua cơ sở (1 cá nhân, 0 tập thể)" in text
    assert "2. Lao động tiên tiến (2 cá nhân, 0 tập thể)" in text
    rows = {r.cells[1].text: [c.text for c in r.cells] for t in tables[:2] for r in t.rows[1:]}
    assert rows["Phạm Văn Nam"][3] == "3 / 1 / 0"
    assert rows["Phạm Văn Nam"][4] == (
        "cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng: Không thông qua "
        "(lý do: Kết quả biểu quyết: 3/5 phiếu đồng ý, chưa đạt tỷ lệ "
        "(cần ít nhất 5/5 — chín phần mười tổng số thành viên Hội đồng).)"
    )
    assert rows["Trần Thị Mai"][3] == "3 / 0 / 0"
    assert rows["Trần Thị Mai"][4].endswith(
        "một phần hai số thành viên có mặt được biểu quyết: Thông qua"
    )
    assert rows["Lê Văn Bảo"][3] == "—"
    assert (
        rows["Lê Văn Bảo"][4] == "Hoãn xét, trả Văn phòng Sở xem lại (lý do: Bổ sung minh chứng.)"
    )
    assert (
        "Hội đồng đã xét 3 hồ sơ: thông qua 1 hồ sơ; không thông qua 1 hồ sơ; "
        "hoãn xét, trả văn phòng sở xem lại 1 hồ sơ." in text
    )
    ended = local + dt.timedelta(minutes=95)
    assert (
        f"Phiên họp kết thúc lúc {ended.hour} giờ {ended.minute:02d} phút, "
        f"{documents.day_words(ended.date())}." in text
    )
    signatures = tables[-1].rows[0].cells
    left = [p.text for p in signatures[0].paragraphs if p.text]
    right = [p.text for p in signatures[1].paragraphs if p.text]
    assert left[0] == "THƯ KÝ" and left[-1] == "Bùi Văn Long"
    assert right[0] == "CHỦ TỊCH HỘI ĐỒNG" and right[-1] == "Đinh Thị Oanh"


def test_a_vice_chair_presiding_signs_as_chu_tri(session, world):
    council = _meeting(session, world, absent=("member4",))
    doc = Document(io.BytesIO(minutes.minutes_docx(session, council)))
    assert "Chủ trì: Ngô Quang Nam, Phó Chủ tịch Hội đồng." in _paragraphs(doc)
    right = [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert right[0] == "CHỦ TRÌ" and right[-1] == "Ngô Quang Nam"


@pytest.mark.slow
@pytest.mark.skipif(documents.pdf_converter() is None, reason="LibreOffice is not installed")
def test_the_minutes_convert_to_pdf_with_their_text(session, world):
    from pypdf import PdfReader

    council = _meeting(session, world)
    pdf = documents.to_pdf(minutes.minutes_docx(session, council))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: .../BB-HĐTĐKT",
        "BIÊN BẢN",
        "HỌP HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG",
        "Chủ trì: Đinh Thị Oanh",
        "Chiến sĩ thi đua cơ sở",
        "Phạm Văn Nam",
        "THƯ KÝ",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert expected in text, expected
