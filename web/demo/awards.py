"""The demo's award rules, awards history (imported) and a hold, loaded with the demo.

Rules taken from law say so in their ``source`` (and in a comment here, with the article).
Laws change (Luật Thi đua, khen thưởng số 06/2022/QH15 in force 01/01/2024; its decree
Nghị định 98/2023/NĐ-CP replaced by Nghị định 152/2025/NĐ-CP from 01/7/2025): every number
is a configurable default the admin can change at /awards. Where an article could not be
checked against the official text, the source says "chưa đối chiếu" (not verified).

The history stands for what the Department decided on paper before Vinh Danh (Lao động
tiên tiến and Chiến sĩ thi đua cơ sở lists of 2024 and 2025, and the 2025–2026 school-year
lists decided in June 2026), so that prior-title checks of the 2026 nominations have
something to read. Every name is invented.

No quota is set: the 15 % share of Chiến sĩ thi đua cơ sở came from Nghị định 91/2017/NĐ-CP,
since repealed, and neither the law nor its decrees set one today. A quota stays a rule kind
the city may add on /awards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AwardRecord, AwardRule, AwardType, Hold, Unit
from models.text import fold
from web.demo.nominees import collective_of, person_of
from workflow.awards import catalogue
from workflow.core.actors import Actor

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
DECREE = "Nghị định 152/2025/NĐ-CP (thay Nghị định 98/2023/NĐ-CP)"
# Dossier parts: many provincial procedure pages (tờ trình, biên bản họp xét có kết quả bỏ
# phiếu kín, báo cáo thành tích theo mẫu). Certain in structure; per award configurable.
PARTS = f"Thành phần hồ sơ theo thủ tục xét tặng cấp thành phố; {DECREE}"
HOLD = catalogue.HOLD_SOURCE

# Report and minutes rules shared by many awards.
REPORT = {"kind": "evidence", "purpose": "achievement_report", "hard": True, "source": PARTS}
# The city's Emulation Board asks for the proposing unit's minutes with each forwarded dossier;
# at the Department's level the unit's minutes come once with its proposal letter.
MINUTES = {
    "kind": "evidence",
    "purpose": "minutes",
    "hard": True,
    "source": f"{PARTS}: hồ sơ trình cấp trên kèm biên bản họp xét của đơn vị",
}
HOLD_RULE = {"kind": "hold", "hard": True, "source": HOLD}

# The instruments in force, by the day a dossier is received (the check applies the version in
# force then): the 2022 law with its decree 98/2023 until 30/6/2025, with decree 152/2025 from
# 01/7/2025, and the amended law from 01/10/2026.
VERSIONS = (
    ("Nghị định 98/2023/NĐ-CP", None, "2025-06-30"),
    ("Nghị định 152/2025/NĐ-CP", "2025-07-01", "2026-09-30"),
    ("Luật Thi đua, khen thưởng sửa đổi số 06/2026/QH16", "2026-10-01", None),
)


def versions(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule once per instrument, each with its dates and the instrument in its source."""
    return [
        dict(rule, source=f"{rule['source']} (theo {name})", valid_from=start, valid_to=end)
        for name, start, end in VERSIONS
    ]


# Conditions on the nominee's history in the register (the law's articles).
LDTT_STANDARD = {
    "kind": "rating",
    "rating": "good",
    "hard": True,
    "source": f"{LAW}, Điều 24: hoàn thành tốt nhiệm vụ trở lên",
}
CSTDCS_STANDARD = {
    "kind": "grassroots_fighter",
    "rating": "good",
    "hard": True,
    "source": f"{LAW}, Điều 23: tiêu chuẩn Lao động tiên tiến và hoàn thành xuất sắc nhiệm vụ, "
    "hoặc có sáng kiến được công nhận, hoặc đề tài được nghiệm thu",
}
CSTDTP_STANDARD = {
    "kind": "city_fighter",
    "award": "CSTDCS",
    "years": 3,
    "include_current": True,
    "level": "city",
    "hard": True,
    "source": f"{LAW}, Điều 22: 03 lần liên tục Chiến sĩ thi đua cơ sở và sáng kiến được "
    "Chủ tịch UBND thành phố công nhận",
}
BK_STANDARD = {
    "kind": "merit_certificate",
    "award": "CSTDCS",
    "years": 2,
    "include_current": True,
    "initiatives": 2,
    "hard": True,
    "source": f"{LAW}, Điều 74: 02 lần liên tục Chiến sĩ thi đua cơ sở, hoặc 02 năm hoàn "
    "thành xuất sắc nhiệm vụ với 02 sáng kiến (khen đột xuất: xét theo thành tích)",
}

# award code: (public-notice days, rules)
RULES: dict[str, tuple[int, list[dict[str, Any]]]] = {
    # Luật 2022, Điều 24 (Lao động tiên tiến): completes tasks well, takes part in emulation.
    "LDTT": (0, [REPORT, HOLD_RULE, *versions(LDTT_STANDARD)]),
    "CSTDCS": (
        0,
        [
            REPORT,
            # Luật 2022, Điều 23: has an initiative recognised and applied (or research accepted).
            {
                "kind": "evidence",
                "purpose": "initiative",
                "hard": True,
                "source": f"{LAW}, Điều 23: có sáng kiến được công "
                "nhận, áp dụng hoặc đề tài đã nghiệm thu, áp dụng",
            },
            # Luật 2022, Điều 23: chosen among those with Lao động tiên tiến (the same year).
            {
                "kind": "prior_title",
                "award": "LDTT",
                "years": 1,
                "include_current": True,
                "hard": True,
                "source": f"{LAW}, Điều 23: được lựa chọn trong "
                "số cá nhân đạt danh hiệu Lao động tiên tiến",
            },
            HOLD_RULE,
            *versions(CSTDCS_STANDARD),
        ],
    ),
    "CSTDTP": (
        10,
        [
            REPORT,
            MINUTES,
            # Luật 2022, Điều 22: initiative with an influence across the city (province).
            {
                "kind": "evidence",
                "purpose": "initiative",
                "hard": True,
                "source": f"{LAW}, Điều 22: sáng kiến, đề tài có phạm vi ảnh hưởng cấp tỉnh",
            },
            # Luật 2022, Điều 22: three consecutive Chiến sĩ thi đua cơ sở titles.
            {
                "kind": "prior_title",
                "award": "CSTDCS",
                "years": 3,
                "include_current": True,
                "hard": True,
                "source": f"{LAW}, Điều 22: có 03 lần liên "
                "tục đạt danh hiệu Chiến sĩ thi đua cơ sở",
            },
            HOLD_RULE,
            *versions(CSTDTP_STANDARD),
        ],
    ),
    # Luật 2022, Điều 28 (Tập thể lao động tiên tiến).
    "TTLDTT": (0, [REPORT, HOLD_RULE]),
    # Luật 2022, Điều 27 (Tập thể lao động xuất sắc), conferred by the city's Chairman.
    "TTLDXS": (0, [REPORT, MINUTES, HOLD_RULE]),
    "CO-UBND": (
        10,
        [
            REPORT,
            MINUTES,
            # Luật 2022, Điều 26 (Cờ thi đua cấp tỉnh): practice chooses among the year's
            # Tập thể lao động xuất sắc; not verified as a legal requirement, so soft.
            {
                "kind": "prior_title",
                "award": "TTLDXS",
                "years": 1,
                "include_current": True,
                "hard": False,
                "source": f"{LAW}, Điều 26: tập thể tiêu biểu xuất "
                "sắc; thường chọn trong số Tập thể lao động "
                "xuất sắc (chưa đối chiếu; cấu hình được)",
            },
            HOLD_RULE,
        ],
    ),
    # Ad-hoc certificates often carry the achievements in the proposal letter itself: soft.
    "GK-GD-CN": (
        0,
        [
            dict(
                REPORT,
                hard=False,
                source=f"{PARTS}; khen đột xuất: tóm tắt thành tích có thể nêu trong tờ trình",
            ),
            HOLD_RULE,
        ],
    ),
    "GK-GD-TT": (0, [REPORT, HOLD_RULE]),
    "BK-UBND-CN": (0, [REPORT, MINUTES, HOLD_RULE, *versions(BK_STANDARD)]),
    "BK-UBND-TT": (0, [REPORT, MINUTES, HOLD_RULE]),
}

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
_MIDDLE = (
    "Thị",
    "Văn",
    "Thị Thu",
    "Minh",
    "Thị Ngọc",
    "Đức",
    "Thị Hồng",
    "Quang",
    "Thị Thanh",
    "Hữu",
)
_GIVEN = (
    "An",
    "Bích",
    "Chi",
    "Dung",
    "Giang",
    "Hạnh",
    "Hải",
    "Hiền",
    "Hòa",
    "Khánh",
    "Lan",
    "Linh",
    "Loan",
    "Long",
    "Mai",
    "Nga",
    "Ngân",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tú",
    "Tuấn",
    "Vân",
    "Yến",
    "Hưng",
    "Nhung",
    "Thắm",
    "Tùng",
)


def staff_names(unit_code: str, count: int) -> list[str]:
    """``count`` invented, distinct staff names for a unit (the same every load)."""
    seed = sum(map(ord, unit_code))
    names: list[str] = []
    i = 0
    while len(names) < count:
        k = seed + i * 7
        name = (
            f"{_FAMILY[k % len(_FAMILY)]} {_MIDDLE[(k // 3) % len(_MIDDLE)]} "
            f"{_GIVEN[(k * 5) % len(_GIVEN)]}"
        )
        if name not in names:
            names.append(name)
        i += 1
    return names


# Decisions of the paper era: year → (number, date).
PAPER = {
    ("LDTT", 2024): ("1215/QĐ-SGDĐT", "2024-06-14"),
    ("LDTT", 2025): ("1198/QĐ-SGDĐT", "2025-06-13"),
    ("LDTT", 2026): ("1180/QĐ-SGDĐT", "2026-06-12"),
    ("CSTDCS", 2024): ("1216/QĐ-SGDĐT", "2024-06-14"),
    ("CSTDCS", 2025): ("1199/QĐ-SGDĐT", "2025-06-13"),
    ("CSTDCS", 2026): ("1181/QĐ-SGDĐT", "2026-06-12"),
    ("TTLDTT", 2024): ("1217/QĐ-SGDĐT", "2024-06-14"),
    ("TTLDTT", 2025): ("1200/QĐ-SGDĐT", "2025-06-13"),
}
# unit: {(award, year): (named people, how many others)}
HISTORY: dict[str, dict[tuple[str, int], tuple[tuple[str, ...], int]]] = {
    "THPT-TRAN-PHU": {
        ("LDTT", 2024): (("Nguyễn Thị Thu Hương",), 25),
        ("LDTT", 2025): (("Nguyễn Thị Thu Hương",), 27),
        ("LDTT", 2026): (("Nguyễn Thị Thu Hương",), 29),
    },
    "PHONG-GDPT": {
        ("LDTT", 2025): (("Ngô Thị Phương Thảo",), 6),
        ("LDTT", 2026): (("Ngô Thị Phương Thảo",), 7),
    },
    "THCS-LY-TU-TRONG": {
        ("LDTT", 2024): (("Đào Văn Mạnh",), 17),
        ("LDTT", 2025): (("Đào Văn Mạnh",), 18),
        ("LDTT", 2026): (("Đào Văn Mạnh",), 19),
    },
    "THPT-NGO-QUYEN": {
        ("LDTT", 2026): (("Hoàng Văn Quyết",), 39),
        ("CSTDCS", 2024): (("Hoàng Văn Quyết",), 4),
        ("CSTDCS", 2025): (("Hoàng Văn Quyết",), 5),
        ("CSTDCS", 2026): (("Hoàng Văn Quyết",), 5),
    },
    "THPT-THAI-PHIEN": {
        ("TTLDTT", 2024): (("Trường THPT Thái Phiên",), 0),
        ("TTLDTT", 2025): (("Trường THPT Thái Phiên",), 0),
    },
}
# (unit, person, reason, starts on): under review, so their nominations are blocked.
HOLDS = [
    (
        "THCS-CHU-VAN-AN",
        "Tô Thị Kim Oanh",
        "Đang xem xét đơn phản ánh của phụ huynh học sinh "
        "(tiếp nhận ngày 05/11/2026), chưa có kết luận.",
        "2026-11-06",
    )
]

SEEDED_AT = dt.datetime(2025, 12, 1, 1, 0, tzinfo=dt.UTC)


def seed_rules(session: Session, admin: Actor, awards: dict[str, AwardType]) -> int:
    """Add the rules of ``RULES`` to awards that have none, and the standard award money
    (``catalogue.STANDARD_BONUSES``) to awards with none (idempotent); audited as the admin."""
    added = 0
    for code, (notice_days, rules) in RULES.items():
        award = awards.get(code)
        if award is None or session.scalar(
            select(AwardRule.id).where(AwardRule.award_type_id == award.id).limit(1)
        ):
            continue
        if award.public_notice_days != notice_days:
            catalogue.update_award(
                session,
                admin,
                award.id,
                {**catalogue.snapshot(award), "public_notice_days": notice_days},
                now=SEEDED_AT,
            )
        for rule in rules:
            catalogue.add_rule(session, admin, award.id, rule, now=SEEDED_AT)
            added += 1
    return added + catalogue.add_standard_bonuses(session, admin, awards, now=SEEDED_AT)


def load_history(session: Session, units: dict[str, Unit], awards: dict[str, AwardType]) -> int:
    """The imported awards history and the holds (only once: skipped when history exists)."""
    if session.scalar(select(AwardRecord.id).where(AwardRecord.origin == "imported").limit(1)):
        return 0
    rows = []
    for unit_code, lists in HISTORY.items():
        unit = units[unit_code]
        for (code, year), (named, others) in lists.items():
            number, day = PAPER[(code, year)]
            people = (
                list(named)
                + [
                    n for n in staff_names(f"{unit_code}{code}{year}", others + 1) if n not in named
                ][:others]
            )
            rows += [
                AwardRecord(
                    award_type_id=awards[code].id,
                    year=year,
                    person_name=name,
                    name_key=fold(name),
                    unit_id=unit.id,
                    **_entry(session, unit, awards[code], name),
                    decision_number=number,
                    decision_date=dt.date.fromisoformat(day),
                    origin="imported",
                    basis="merit",
                    created_at=SEEDED_AT,
                )
                for name in people
            ]
    for unit_code, person, reason, since in HOLDS:
        rows.append(
            Hold(
                person_id=person_of(session, units[unit_code], person).id,
                unit_id=units[unit_code].id,
                reason=reason,
                starts_on=dt.date.fromisoformat(since),
                created_at=SEEDED_AT,
            )
        )
    session.add_all(rows)
    session.flush()
    return len(rows)


def _entry(session: Session, unit: Unit, award: AwardType, name: str) -> dict[str, int]:
    """The register link of a history line: the person, or the unit or its group."""
    if award.nominee_kind == "collective":
        return {"collective_id": collective_of(session, unit, name).id}
    return {"person_id": person_of(session, unit, name).id}


_PURPOSE_WORDS = (
    ("bao cao thanh tich", "achievement_report"),
    ("to trinh", "proposal"),
    ("bien ban", "minutes"),
    ("sang kien", "initiative"),
    ("de tai", "initiative"),
)


def purpose_of(file_name: str) -> str:
    """The purpose of a demo file, from its name ("Biên bản họp…" → minutes)."""
    folded = fold(file_name)
    return next((purpose for words, purpose in _PURPOSE_WORDS if words in folded), "evidence")
