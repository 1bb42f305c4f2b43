"""The demo register: forty people a school with groups, three years of ratings and history
signed by the right issuer for the year, accounts linked, all through the importer."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from models import AuditEvent, AwardRecord, Evaluation, Issuer, Person, Unit, User
from web.demo.organisation import SCHOOLS
from web.demo.people import YEARS, _imports, build_sheets

VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def _issuer(session, school: str, year: int, award: str = "LDTT") -> Issuer:
    return session.scalar(
        select(Issuer)
        .join(AwardRecord, AwardRecord.issuer_id == Issuer.id)
        .join(Unit, Unit.id == AwardRecord.unit_id)
        .where(Unit.code == school, AwardRecord.year == year)
        .limit(1)
    )


def test_the_demo_register(demo):
    factory, _, lines = demo
    with factory() as session:
        for code, *_ in SCHOOLS:
            # The imported staff list (the stories' nominees are in the register too, added by
            # name where the list does not hold them).
            people = session.scalars(
                select(Person)
                .join(Unit, Unit.id == Person.unit_id)
                .where(Unit.code == code, Person.identity_number.is_not(None))
            ).all()
            assert len(people) == 40
            assert len({p.full_name for p in people}) == 40
            assert all(re.fullmatch(r"031\d{9}", p.identity_number) for p in people)
            assert {p.gender for p in people} <= {"female", "male"}
            assert sum(bool(VIETNAMESE.search(p.full_name.lower())) for p in people) > 30
            assert len({p.collective_id for p in people if p.collective_id}) >= 3
        holders = session.scalars(select(User).where(User.username.like("thutruong.%"))).all()
        for user in holders:
            person = session.scalar(select(Person).where(Person.user_id == user.id))
            assert person is not None and person.full_name == user.full_name
            assert person.unit_id in {g.unit_id for g in user.grants}
        years = session.scalars(
            select(Evaluation.year).where(Evaluation.origin == "imported").distinct()
        ).all()
        assert sorted(years) == list(YEARS)
        assert _issuer(session, "THPT-TRAN-PHU", 2024).code == "SGDDT-HP"
        assert _issuer(session, "THPT-NGUYEN-TRAI", 2023).kind == "former_department"
        assert _issuer(session, "TH-LE-VAN-TAM", 2024).name == "Chủ tịch UBND quận Lê Chân"
        assert _issuer(session, "TH-LE-VAN-TAM", 2025).name == "Chủ tịch UBND phường Lê Chân"
        imports = session.scalars(
            select(AuditEvent.changes).where(AuditEvent.entity_type == "register_import")
        ).all()
        assert sorted(json.loads(c)["kind"] for c in imports) == [
            "evaluations",
            "history",
            "people",
        ]
        before = session.scalar(select(func.count()).select_from(AwardRecord))
        again = dict(_imports(session, build_sheets()))
        assert again == {"people": 0, "evaluations": 0, "history": 0}
        assert session.scalar(select(func.count()).select_from(AwardRecord)) == before
        session.rollback()
    assert any(line.startswith("Sổ theo dõi, nhập qua chức năng nhập dữ liệu") for line in lines)
