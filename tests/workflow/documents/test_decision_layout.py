"""The decision and the proposal letter read back with python-docx: the page number from page
2, the list's head repeated on each page, the heading's parent agency, the draft mark, the
audit head kept at issue, Điều 1's wording per award, and the proposal's rows and counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from models import AwardType, Dossier
from models.decisions import Decision
from tests.fixtures.money import draft_decision
from tests.fixtures.people import NOW, make_council_session, make_dossier
from workflow.awards.catalogue import conferral, is_form
from workflow.core.audit import current_head
from workflow.documents import docx as documents
from workflow.publication import decisions

DAY = dt.date(2026, 6, 5)
GK = "Giấy khen của Giám đốc Sở"
GK_TEAM = "Giấy khen của Giám đốc Sở (tập thể)"


def read(data: bytes):
    return Document(io.BytesIO(data))


def list_tables(doc) -> list:
    return [t for t in doc.tables if t.rows[0].cells[0].text == "STT"]


def repeats_as_header(row) -> bool:
    tr = row.cells[0].paragraphs[0].paragraph_format.element.getparent().getparent()
    flags = tr.findall(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
    return len(flags) == 1 and flags[0].get(qn("w:val")) in (None, "true", "1")


def instructions(part) -> str:
    runs = [run for paragraph in part.paragraphs for run in paragraph.runs]
    return "".join(e.text or "" for run in runs for e in run.element.iter(qn("w:instrText")))


def first_article(doc) -> str:
    return next(p.text for p in doc.paragraphs if p.text.startswith("Điều 1."))


@pytest.fixture()
def mixed(session, world):
    """Approved: two individuals of a title, a collective of a title, an individual and a
    collective of a form (Giấy khen), as the catalogue splits it."""
    form, team_form = (
        AwardType(
            code=code,
            name_vi=name,
            name_en=name,
            nominee_kind=kind,
            conferring_authority="department_director",
        )
        for code, name, kind in (("GKGD", GK, "individual"), ("GKGDTT", GK_TEAM, "collective"))
    )
    session.add_all([form, team_form])
    session.flush()
    council = make_council_session(session, world)

    def approved(name: str, award: int, kind: str = "individual", unit: str = "a") -> int:
        return make_dossier(
            session,
            world,
            "nomination",
            "approved",
            council=council,
            unit=unit,
            nominee_name=name,
            nominee_kind=kind,
            award_type_id=award,
        ).id

    ldtt, ttldtt = world.awards["ldtt"].id, world.awards["ttldtt"].id
    return [
        approved("Tổ Toán", team_form.id, "collective"),
        approved("Trần Phú", ldtt),
        approved("Tổ Ngữ văn", ttldtt, "collective"),
        approved("Đỗ Thị Mai", ldtt, unit="b"),
        approved("Lê Văn Bảo", form.id),
    ]


def draft_of(session, world, ids, number="05/QĐ-SGDĐT") -> Decision:
    return draft_decision(session, world, [session.get(Dossier, i) for i in ids], number)


def test_titles_are_recognised_and_forms_given():
    assert not is_form("Lao động tiên tiến") and not is_form("Cờ thi đua của Ủy ban nhân dân")
    assert is_form(GK) and is_form("Bằng khen của Chủ tịch Ủy ban nhân dân thành phố")
    assert conferral("Chiến sĩ thi đua cơ sở") == "công nhận danh hiệu “Chiến sĩ thi đua cơ sở”"
    assert conferral("“Lao động tiên tiến”") == "công nhận danh hiệu “Lao động tiên tiến”"
    assert conferral(GK) == f"tặng {GK}"


def test_quoted_never_doubles_the_quotes():
    for name in ("Thi đua 2026", "“Thi đua 2026”", '"Thi đua 2026"', " “Thi đua 2026” "):
        assert documents.quoted(name) == "“Thi đua 2026”"


@pytest.mark.db
def test_page_numbers_from_page_two_and_the_list_head_on_every_page(session, world, mixed):
    doc = read(decisions.decision_docx(session, draft_of(session, world, mixed)))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert instructions(section.header).strip() == "PAGE"
    assert instructions(section.first_page_header) == ""
    # The audit head's line is on the first page's footer as on the others.
    assert section.first_page_footer.paragraphs[0].text == section.footer.paragraphs[0].text
    (annex,) = list_tables(doc)
    assert repeats_as_header(annex.rows[0])
    assert not any(repeats_as_header(row) for row in annex.rows[1:])


def test_the_body_list_head_repeats_too():
    letter = documents.Letter(
        agency_parent=documents.DEPARTMENT_FOR_UNITS,
        agency="TRƯỜNG THPT CHUYÊN TRẦN PHÚ",
        number="12/TTr-THPT",
        day=DAY,
        kind_title="TỜ TRÌNH",
        subject="Về việc đề nghị khen thưởng năm 2026",
        bases=[],
        rows=[documents.Awardee(f"Người {i}", "Giáo viên", "Trường", "LĐTT") for i in range(60)],
        signer="A",
        signer_title="HIỆU TRƯỞNG",
        recipients=[],
    )
    doc = read(documents.proposal_docx(letter))
    (table,) = list_tables(doc)
    assert repeats_as_header(table.rows[0]) and len(table.rows) == 61
    assert instructions(doc.sections[0].header).strip() == "PAGE"


@pytest.mark.db
def test_the_parent_agency_fits_its_line(session, world, mixed):
    doc = read(decisions.decision_docx(session, draft_of(session, world, mixed)))
    parent = doc.tables[0].rows[0].cells[0].paragraphs[0]
    assert parent.text == "UBND THÀNH PHỐ HẢI PHÒNG"
    # Times New Roman capitals at 12 pt average under 0.75 em: the line is shorter than its
    # column less the cell's margins, so it is never wrapped, let alone inside a word.
    width_cm = len(parent.text) * 0.75 * 12 / 72 * 2.54
    assert width_cm < documents.HEAD_WIDTHS[0] - 0.4


@pytest.mark.db
def test_draft_mark_only_on_a_draft(session, world, mixed):
    decision = draft_of(session, world, mixed)
    draft = read(decisions.decision_docx(session, decision))
    assert draft.paragraphs[0].text == documents.DRAFT_MARK
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    issued = read(decisions.decision_docx(session, decision))
    assert all(documents.DRAFT_MARK not in p.text for p in issued.paragraphs)


@pytest.mark.db
def test_the_issued_decision_keeps_its_audit_head(session, world, mixed):
    decision = draft_of(session, world, mixed[:2])
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    kept = current_head(session)
    assert (decision.audit_seq, decision.audit_hash) == kept
    other = draft_of(session, world, mixed[2:], number="06/QĐ-SGDĐT")  # more audit events
    assert current_head(session) != kept
    footer = read(decisions.decision_docx(session, decision)).sections[0].footer
    assert footer.paragraphs[0].text.endswith(f"tại thời điểm ban hành: {kept[0]}:{kept[1]}")
    seq, digest = current_head(session)
    draft_footer = read(decisions.decision_docx(session, other)).sections[0].footer
    assert draft_footer.paragraphs[0].text.endswith(f"lập văn bản: {seq}:{digest}")


@pytest.mark.db
def test_first_article_recognises_titles_and_gives_forms(session, world, mixed):
    doc = read(decisions.decision_docx(session, draft_of(session, world, mixed)))
    # Individuals first, then collectives, each award in the catalogue's order.
    assert first_article(doc) == (
        "Điều 1. Công nhận danh hiệu “Lao động tiên tiến” cho 2 cá nhân; "
        f"tặng {GK} cho 1 cá nhân; "
        "công nhận danh hiệu “Tập thể lao động tiên tiến” cho 1 tập thể; "
        f"tặng {GK_TEAM} cho 1 tập thể, "
        "có tên trong danh sách kèm theo Quyết định này."
    )


@pytest.mark.db
def test_default_subject_per_kind(session, world, mixed):
    dossiers = decisions.candidates(session, world.actor("secretary"))
    by_award = {}
    for d in dossiers:
        by_award.setdefault(d.award_type.name_vi, []).append(d)
    assert (
        decisions.default_title(by_award["Lao động tiên tiến"], 2026)
        == "Về việc công nhận danh hiệu “Lao động tiên tiến” năm 2026"
    )
    assert decisions.default_title(by_award[GK], 2026) == f"Về việc tặng {GK} năm 2026"


@pytest.mark.db
def test_proposal_lists_what_the_unit_passed_with_counts(session, world, mixed):
    world.campaign.name = "“Phong trào thi đua năm 2026”"
    for state, name in (
        ("draft", "Nháp"),
        ("unit_review", "Chờ duyệt"),
        ("returned", "Trả lại"),
        ("withdrawn", "Đã rút"),
    ):
        make_dossier(session, world, "nomination", state, nominee_name=name)
    make_dossier(session, world, "nomination", "office_review", nominee_name="Phạm Văn An")
    doc = read(
        decisions.proposal_docx(
            session,
            world.actor("head_a"),
            unit_id=world.units["a"].id,
            campaign_id=world.campaign.id,
            number="12/TTr-THPT-TRAN-PHU",
            day=DAY,
            signer="Trần Văn Bình",
        )
    )
    (table,) = list_tables(doc)
    rows = [(r.cells[1].text, r.cells[4].text) for r in table.rows[1:]]
    assert rows == [
        ("Phạm Văn An", "Lao động tiên tiến"),
        ("Trần Phú", "Lao động tiên tiến"),
        ("Tổ Ngữ văn", "Tập thể lao động tiên tiến"),
        ("Lê Văn Bảo", GK),
        ("Tổ Toán", GK_TEAM),
    ]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "khen thưởng cho 3 cá nhân và 2 tập thể sau:" in body
    assert "Căn cứ “Phong trào thi đua năm 2026” của Sở" in body
    assert "““" not in body and "””" not in body
