"""Decisions and proposal letters: the DOCX read back with python-docx, the decision's
number and date checks, issuing all-or-nothing, PDF through a converter when there is one."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat

import pytest
from docx import Document
from sqlalchemy import select

from models import AuditEvent, Dossier
from models.decisions import Decision
from tests.fixtures.money import add_bonus
from tests.fixtures.people import NOW, make_council_session, make_dossier
from workflow.core.audit import current_head, verify
from workflow.core.errors import EditRefused, NotFound
from workflow.documents import docx as documents
from workflow.publication import decisions

DAY = dt.date(2026, 6, 5)


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def cell_texts(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def awardee_rows(doc) -> list[list[str]]:
    """The list of awardees: the table whose head starts with "STT"."""
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "STT"]
    assert len(tables) == 1
    return cell_texts(tables[0])


def test_date_line_follows_decree_30():
    assert documents.date_line(DAY) == "Hải Phòng, ngày 05 tháng 6 năm 2026"
    assert documents.date_line(dt.date(2026, 2, 14)) == "Hải Phòng, ngày 14 tháng 02 năm 2026"
    assert documents.date_line(dt.date(2026, 12, 1)) == "Hải Phòng, ngày 01 tháng 12 năm 2026"


@pytest.mark.parametrize(
    "number,ok",
    [
        ("12/TTr-THPT-TRAN-PHU", True),
        ("05/TTr-THCS", True),
        ("5/TTr-THCS", False),
        ("12 /TTr-THCS", False),
        ("12/QĐ-THCS", False),
        ("12/TTr-thcs", False),
    ],
)
def test_proposal_number_form(number, ok):
    assert bool(documents.PROPOSAL_NUMBER.match(number)) == ok


@pytest.fixture()
def approved(session, world):
    """Three approved nominations of two units and two awards, one still under review."""
    council = make_council_session(session, world)
    made = {
        "phu": make_dossier(
            session,
            world,
            "nomination",
            "approved",
            council=council,
            nominee_name="Trần Phú",
            position="Giáo viên Toán",
        ),
        "mai": make_dossier(
            session,
            world,
            "nomination",
            "approved",
            council=council,
            unit="b",
            nominee_name="Đỗ Thị Mai",
            position="Hiệu phó",
        ),
        "to": make_dossier(
            session,
            world,
            "nomination",
            "approved",
            council=council,
            nominee_kind="collective",
            nominee_name="Tổ Ngữ văn",
            position="",
            award_type_id=world.awards["ttldtt"].id,
        ),
        "review": make_dossier(
            session, world, "nomination", "council_review", council=council, nominee_name="Chưa xét"
        ),
    }
    return made


def create(session, world, ids, number="05/QĐ-SGDĐT", **overrides):
    fields = dict(
        number=number,
        decided_on=DAY,
        signer="Nguyễn Văn Giám",
        title="Về việc khen thưởng năm 2026",
        legal_bases="\n".join(decisions.DEFAULT_BASES),
        dossier_ids=ids,
        now=NOW,
    )
    fields.update(overrides)
    return decisions.create(session, world.actor("secretary"), **fields)


@pytest.mark.db
def test_candidates_are_approved_and_free(session, world, approved):
    ids = [d.id for d in decisions.candidates(session, world.actor("secretary"))]
    assert sorted(ids) == sorted(approved[k].id for k in ("phu", "mai", "to"))
    create(session, world, [approved["phu"].id])
    assert approved["phu"].id not in [
        d.id for d in decisions.candidates(session, world.actor("secretary"))
    ]


@pytest.mark.db
def test_decision_checks_its_heading_and_its_dossiers(session, world, approved):
    with pytest.raises(EditRefused) as info:
        create(
            session,
            world,
            [approved["review"].id, 999999],
            number="5/QĐ-SGDĐT",
            signer=" ",
            decided_on=None,
        )
    codes = [v.code for v in info.value.violations]
    assert codes == [
        "decision_number_invalid",
        "decision_date_missing",
        "signer_missing",
        "decision_dossier_unfit",
        "decision_dossier_unfit",
    ]
    assert "Chưa xét" in info.value.messages("vi")[3]
    create(session, world, [approved["phu"].id])
    with pytest.raises(EditRefused) as info:
        create(session, world, [approved["phu"].id], number="05/QĐ-SGDĐT")
    assert [v.code for v in info.value.violations] == [
        "decision_number_taken",
        "decision_dossier_taken",
    ]
    with pytest.raises(EditRefused) as info:
        decisions.create(
            session,
            world.actor("member1"),
            number="06/QĐ-SGDĐT",
            decided_on=DAY,
            signer="X",
            title="Y",
            legal_bases="",
            dossier_ids=[approved["mai"].id],
        )
    assert info.value.is_permission


@pytest.mark.db
def test_decision_docx_in_the_administrative_format(session, world, approved):
    add_bonus(session, world, "ldtt", "0.3", "individual")
    add_bonus(session, world, "ttldtt", "0.8", "collective")
    decision = create(session, world, [approved[k].id for k in ("phu", "mai", "to")])
    doc = Document(io.BytesIO(decisions.decision_docx(session, decision)))
    heading = cell_texts(doc.tables[0])
    assert heading[0][0].split("\n")[:2] == [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    ]
    assert heading[0][1].split("\n")[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert heading[1] == ["Số: 05/QĐ-SGDĐT", "Hải Phòng, ngày 05 tháng 6 năm 2026"]
    body = texts(doc)
    for line in (
        "QUYẾT ĐỊNH",
        "Về việc khen thưởng năm 2026",
        "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        decisions.DEFAULT_BASES[0],
        "QUYẾT ĐỊNH:",
    ):
        assert line in body, line
    assert body.index("QUYẾT ĐỊNH") < body.index("QUYẾT ĐỊNH:")
    articles = [t for t in body if t.startswith("Điều ")]
    assert [a[:7] for a in articles] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert "danh sách kèm theo Quyết định này" in articles[0]
    # LĐTT 0,3 × 2.340.000 = 702.000 → 710.000 (twice); TTLĐTT 0,8 × … = 1.872.000 → 1.880.000.
    assert articles[1].endswith("Tổng số tiền thưởng: 3.300.000 đồng.")
    assert (
        "PHỤ LỤC" in body
        and "(Kèm theo Quyết định số 05/QĐ-SGDĐT ngày 05 tháng 6 năm 2026" in " ".join(body)
    )
    awardees = awardee_rows(doc)
    assert awardees[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Số tiền (đồng)"]
    a, b = world.units["a"].name, world.units["b"].name
    # By award (catalogue order), individuals then collectives, then unit and given name; the
    # headings and totals span the table (a merged cell repeats its text across the row).
    assert [row if len(set(row)) > 1 else [row[0]] for row in awardees[1:]] == [
        ["I. Lao động tiên tiến"],
        ["Cá nhân"],
        ["1", "Trần Phú", "Giáo viên Toán", a, "710.000"],
        ["2", "Đỗ Thị Mai", "Hiệu phó", b, "710.000"],
        ["Cộng Lao động tiên tiến"] * 4 + ["1.420.000"],
        ["II. Tập thể lao động tiên tiến"],
        ["Tập thể"],
        ["1", "Tổ Ngữ văn", "", a, "1.880.000"],
        ["Cộng Tập thể lao động tiên tiến"] * 4 + ["1.880.000"],
        ["Tổng cộng"] * 4 + ["3.300.000"],
    ]
    # The annex comes after the signature.
    signature = cell_texts(doc.tables[-2])[0]
    assert signature[0].startswith("Nơi nhận:") and "- Như Điều 3;" in signature[0]
    assert signature[1].split("\n")[0] == "GIÁM ĐỐC" and signature[1].endswith("Nguyễn Văn Giám")
    seq, digest = current_head(session)
    assert doc.sections[0].footer.paragraphs[0].text.endswith(f"{seq}:{digest}")


@pytest.mark.db
def test_issue_publishes_every_dossier_together(session, world, approved):
    decision = create(session, world, [approved["phu"].id, approved["mai"].id])
    events = decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    assert sorted(e.entity_id for e in events) == sorted([approved["phu"].id, approved["mai"].id])
    for key in ("phu", "mai"):
        dossier = session.get(Dossier, approved[key].id)
        assert (
            dossier.state,
            dossier.decision_number,
            dossier.decision_date,
            dossier.decision_signer,
        ) == ("published", "05/QĐ-SGDĐT", DAY, "Nguyễn Văn Giám")
    assert session.get(Decision, decision.id).status == "issued"
    actions = (
        session.execute(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "decision")
            .order_by(AuditEvent.seq)
        )
        .scalars()
        .all()
    )
    assert actions == ["create", "issue"]
    with pytest.raises(EditRefused) as info:
        decisions.issue(session, decision.id, world.actor("secretary"))
    assert info.value.code == "decision_not_draft"
    assert verify(session).ok


@pytest.mark.db
def test_issue_is_all_or_nothing(session, world, approved):
    """One dossier cannot be published (published meanwhile under another number): none is."""
    decision = create(session, world, [approved["phu"].id, approved["mai"].id])
    # The second dossier moves on before the decision is issued: publish is refused for it.
    from workflow import fire

    fire(
        session,
        approved["mai"].id,
        "publish",
        world.actor("secretary"),
        now=NOW,
        inputs={
            "decision_number": "09/QĐ-SGDĐT",
            "decision_date": "2026-06-01",
            "decision_signer": "Người khác",
        },
    )
    head = current_head(session)
    with pytest.raises(EditRefused) as info:
        decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    assert [v.code for v in info.value.violations] == ["decision_item_refused"]
    assert info.value.messages("vi")[0].startswith("“Đỗ Thị Mai”: Không thể thực hiện “Công bố”")
    assert session.get(Dossier, approved["phu"].id).state == "approved"
    assert session.get(Dossier, approved["phu"].id).decision_number is None
    assert session.get(Decision, decision.id).status == "draft"
    assert current_head(session) == head


@pytest.mark.db
def test_discard_frees_the_dossiers(session, world, approved):
    decision = create(session, world, [approved["phu"].id])
    decisions.discard(session, decision.id, world.actor("secretary"))
    assert session.get(Decision, decision.id) is None
    create(session, world, [approved["phu"].id], number="06/QĐ-SGDĐT")


@pytest.mark.db
def test_proposal_letter(session, world, approved):
    head = world.actor("head_a")
    data = decisions.proposal_docx(
        session,
        head,
        unit_id=world.units["a"].id,
        campaign_id=world.campaign.id,
        number="12/TTr-THPT-TRAN-PHU",
        day=dt.date(2026, 2, 3),
        signer="Trần Văn Bình",
    )
    doc = Document(io.BytesIO(data))
    heading = cell_texts(doc.tables[0])
    assert heading[0][0].split("\n")[:2] == [
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO HẢI PHÒNG",
        "TRƯỜNG THPT CHUYÊN TRẦN PHÚ",
    ]
    assert heading[1] == ["Số: 12/TTr-THPT-TRAN-PHU", "Hải Phòng, ngày 03 tháng 02 năm 2026"]
    assert "TỜ TRÌNH" in texts(
        doc
    ) and "Kính gửi: Sở Giáo dục và Đào tạo thành phố Hải Phòng" in texts(doc)
    names = [row[1] for row in awardee_rows(doc)[1:]]
    # Unit a's nominations its head approved and sent (unit b's are not its own).
    assert names == ["Trần Phú", "Chưa xét", "Tổ Ngữ văn"]
    assert cell_texts(doc.tables[-1])[0][1].split("\n")[0] == "HIỆU TRƯỞNG"
    with pytest.raises(EditRefused) as info:
        decisions.proposal_docx(
            session,
            head,
            unit_id=world.units["a"].id,
            campaign_id=world.campaign.id,
            number="12/QĐ-SGDĐT",
            day=None,
            signer="",
        )
    assert [v.code for v in info.value.violations] == [
        "proposal_number_invalid",
        "decision_date_missing",
        "signer_missing",
    ]
    with pytest.raises(NotFound):  # another unit's head
        decisions.proposal_docx(
            session,
            world.actor("head_b"),
            unit_id=world.units["a"].id,
            campaign_id=world.campaign.id,
            number="12/TTr-A",
            day=DAY,
            signer="X",
        )


@pytest.mark.skipif(documents.pdf_converter() is None, reason="LibreOffice is not installed")
def test_pdf_from_libreoffice():
    letter = documents.Letter(
        agency_parent=documents.PARENT_AGENCY,
        agency=documents.AGENCY,
        number="05/QĐ-SGDĐT",
        day=DAY,
        kind_title="QUYẾT ĐỊNH",
        subject="Về việc khen thưởng",
        bases=decisions.DEFAULT_BASES,
        rows=[
            documents.Awardee(
                "Trần Phú", "Giáo viên", "Trường THPT Chuyên Trần Phú", "Lao động tiên tiến"
            )
        ],
        signer="Nguyễn Văn Giám",
        signer_title="GIÁM ĐỐC",
        recipients=decisions.RECIPIENTS,
        articles=decisions.ARTICLES,
        intro="Khen thưởng:",
    )
    assert documents.to_pdf(documents.decision_docx(letter)).startswith(b"%PDF")


def test_pdf_is_skipped_without_a_converter(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert documents.pdf_converter() is None and documents.to_pdf(b"PK") is None


def test_pdf_through_the_converter_when_present(monkeypatch, tmp_path):
    """A stand-in ``libreoffice`` on PATH receives the documented arguments and its PDF is read."""
    fake = tmp_path / "libreoffice"
    fake.write_text(
        "#!/bin/sh\n"
        "for last; do :; done\n"
        'out=$(dirname "$last")\n'
        'echo "$@" > "$out/args.txt"\n'
        'cp "$out/args.txt" ' + str(tmp_path / "seen.txt") + "\n"
        "printf '%%PDF-1.4 fake' > \"$out/document.pdf\"\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin:/bin")
    assert documents.to_pdf(b"PK fake docx") == b"%PDF-1.4 fake"
    args = (tmp_path / "seen.txt").read_text()
    assert "--headless --convert-to pdf --outdir" in args and args.strip().endswith("document.docx")
