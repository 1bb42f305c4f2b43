"""Rows read from a pasted block or a file: matched to the unit's register and the catalogue in
a few queries, every bad line named, nothing added when one is bad."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Unit
from tests.fixtures.people import NOW, make_dossier, new_person
from workflow.core.errors import EditRefused
from workflow.documents.import_templates import template_xlsx
from workflow.people.spreadsheets import read_table
from workflow.proposals.rows import add_rows, parse_rows, table_from_paste

pytestmark = pytest.mark.db


def _unit(session, world) -> Unit:
    return session.get(Unit, world.units["a"].id)


def test_a_pasted_block_without_header_is_read_in_the_template_order(session, world):
    huong = new_person(session, world.units["a"].id, "Nguyễn Thị Hương", "Giáo viên")
    text = "Nguyễn Thị Hương\tLao động tiên tiến\tDạy giỏi cấp trường.\n\n"
    found = parse_rows(session, _unit(session, world), table_from_paste(text))
    assert not found.problems
    assert [(e.person_id, e.award_type_id) for e in found.entries] == [
        (huong.id, world.awards["ldtt"].id)
    ]


def test_a_header_row_is_recognised_whatever_its_accents(session, world):
    new_person(session, world.units["a"].id, "Vũ Hoài Nam")
    text = "Ho va ten / ten tap the\tDanh hieu, hinh thuc khen thuong\tTom tat thanh tich\n"
    text += "vu hoai nam\tLDTT\tHoàn thành tốt.\n"
    found = parse_rows(session, _unit(session, world), table_from_paste(text))
    assert not found.problems and len(found.entries) == 1


def test_missing_columns_name_the_line_and_the_columns(session, world):
    with pytest.raises(EditRefused) as refused:
        table_from_paste("Nguyễn Thị Hương\tLao động tiên tiến\n")
    text = " ".join(refused.value.messages("vi"))
    assert "Dòng 1" in text and "Tóm tắt thành tích" in text


def test_unknown_people_awards_and_twice_named_lines_are_each_reported(session, world):
    new_person(session, world.units["a"].id, "Phạm Thu Trang")
    text = "\n".join(
        [
            "Phạm Thu Trang\tLao động tiên tiến\tTốt.",
            "Không Có Ai\tLao động tiên tiến\tTốt.",
            "Phạm Thu Trang\tDanh hiệu lạ\tTốt.",
            "Phạm Thu Trang\tLao động tiên tiến\tLần hai.",
        ]
    )
    found = parse_rows(session, _unit(session, world), table_from_paste(text))
    messages = [p.message("vi") for p in found.problems]
    assert len(found.entries) == 1
    assert messages[0].startswith("Dòng 2:")
    assert messages[1].startswith("Dòng 3:") and "Danh hiệu lạ" in messages[1]
    assert messages[2].startswith("Dòng 4:") and "dòng 1" in messages[2]


def test_a_collective_row_names_the_unit_or_one_of_its_groups(session, world):
    unit = _unit(session, world)
    text = f"{unit.name}\tTập thể lao động tiên tiến\tHoàn thành xuất sắc.\n"
    if "ttldtt" not in world.awards:
        pytest.skip("the test catalogue has no collective award")
    found = parse_rows(session, unit, table_from_paste(text))
    assert not found.problems and found.entries[0].collective_id is not None


def test_the_template_reads_back_and_adds_its_example_when_the_person_exists(session, world):
    huong = new_person(session, world.units["a"].id, "Nguyễn Thị Thu Hương")
    huong.identity_number, huong.date_of_birth = "031185001234", dt.date(1985, 9, 5)
    session.flush()
    table = read_table(template_xlsx("proposal"), "mau.xlsx")
    found = parse_rows(session, _unit(session, world), table)
    assert not found.problems, [p.message("vi") for p in found.problems]
    proposal = make_dossier(session, world, kind="proposal")
    added = add_rows(session, world.actor("staff_a"), proposal.id, found.entries, now=NOW)
    assert [r.nominee_name for r in added] == ["Nguyễn Thị Thu Hương"]
