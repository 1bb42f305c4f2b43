"""Data of the dashboard benchmark, written fast with Core bulk INSERTs; and the one
hand-written SQL query the dashboard is compared with.

Nothing here goes through the workflow engine (no guards, no audit events): the benchmark
measures reading. Random choices are seeded, so every run builds the same year.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select, text

from bench.common import PASSWORD
from models import (
    AwardType,
    Campaign,
    Dossier,
    Nomination,
    Plan,
    Report,
    ReportFigure,
    RoleGrant,
    Target,
    Unit,
    User,
    make_sessionmaker,
)
from models.clock import VIETNAM
from workflow.accounts.service import create_user
from workflow.core.inputs import CLASSIFICATIONS
from workflow.lifecycles.common import (
    COUNCIL_REVIEW,
    DRAFT,
    OFFICE_REVIEW,
    PUBLISHED,
    RETURNED,
    UNIT_REVIEW,
    WITHDRAWN,
)
from workflow.lifecycles.nomination import APPROVED, REJECTED
from workflow.lifecycles.plan import ACCEPTED
from workflow.lifecycles.report import CLASSIFIED
from workflow.reporting.dashboard import today_local

UTC = dt.UTC
CHUNK = 5000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Quang", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Hà", "Hải", "Hương", "Khoa", "Lan", "Long", "Mai", "Yến"]
SCHOOLS = [
    ("preschool", "Trường Mầm non"),
    ("primary", "Trường Tiểu học"),
    ("lower_secondary", "Trường THCS"),
    ("upper_secondary", "Trường THPT"),
]
# (state, weight, share sent to the Department) — a year's spread.
NOMINATION_STATES = [
    (DRAFT.name, 8, 0),
    (UNIT_REVIEW.name, 5, 0.3),
    (OFFICE_REVIEW.name, 18, 1),
    (RETURNED.name, 6, 1),
    (COUNCIL_REVIEW.name, 10, 1),
    (APPROVED.name, 5, 1),
    (REJECTED.name, 5, 1),
    (PUBLISHED.name, 38, 1),
    (WITHDRAWN.name, 5, 0.5),
]
PLAN_STATES = [
    (ACCEPTED.name, 60, 1),
    (OFFICE_REVIEW.name, 18, 1),
    (RETURNED.name, 7, 1),
    (UNIT_REVIEW.name, 3, 0),
    (DRAFT.name, 7, 0),
    (WITHDRAWN.name, 5, 1),
]
REPORT_STATES = [
    (PUBLISHED.name, 15, 1),
    (CLASSIFIED.name, 15, 1),
    (COUNCIL_REVIEW.name, 20, 1),
    (OFFICE_REVIEW.name, 25, 1),
    (RETURNED.name, 5, 1),
    (UNIT_REVIEW.name, 4, 0),
    (DRAFT.name, 10, 0),
    (WITHDRAWN.name, 6, 1),
]


def cutoff(due: dt.date) -> dt.datetime:
    """The first UTC moment after the due day ends in Việt Nam: sent before it is on time."""
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), tzinfo=VIETNAM).astimezone(
        UTC
    )


@dataclass
class Bench:
    campaign_id: int
    today: dt.date
    plan_due: dt.date
    report_due: dt.date
    rows: int = 0


def _pick(rng: random.Random, table: list[tuple[str, int, float]]) -> tuple[str, bool]:
    state, _, sent_share = rng.choices(table, weights=[w for _, w, _ in table])[0]
    return state, rng.random() < sent_share


def _moment(rng: random.Random, due: dt.date, mean_days: float, spread: float) -> dt.datetime:
    offset = dt.timedelta(days=rng.gauss(mean_days, spread), seconds=rng.randrange(86400))
    return dt.datetime.combine(due, dt.time(0), tzinfo=VIETNAM).astimezone(UTC) + offset


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _cast(engine: Engine, today: dt.date) -> tuple[Bench, list[int]]:
    """The rows that need the ORM: the reviewer who signs in, the campaign, award types, targets."""
    plan_due, report_due = today - dt.timedelta(days=260), today - dt.timedelta(days=14)
    with make_sessionmaker(engine)() as session:
        create_user(session, "reviewer", "Đặng Thu Hà", PASSWORD, [("office_reviewer", None)])
        campaign = Campaign(
            code="TD-BENCH",
            name=f"Phong trào thi đua năm {today.year}",
            kind="annual",
            year=today.year,
            opens_on=plan_due - dt.timedelta(days=30),
            closes_on=report_due,
            plan_due=plan_due,
            report_due=report_due,
            late_allowed=True,
        )
        awards = [
            AwardType(
                code=f"AW{i}",
                name_vi=vi,
                name_en=en,
                nominee_kind=kind,
                conferring_authority="department_director",
            )
            for i, (vi, en, kind) in enumerate(
                [
                    ("Lao động tiên tiến", "Advanced Worker", "individual"),
                    ("Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter", "individual"),
                    ("Giấy khen của Giám đốc Sở", "Director's Certificate of Merit", "individual"),
                    (
                        "Bằng khen của Chủ tịch UBND thành phố",
                        "City Certificate of Commendation",
                        "individual",
                    ),
                    ("Tập thể lao động tiên tiến", "Advanced Collective", "collective"),
                    ("Tập thể lao động xuất sắc", "Excellent Collective", "collective"),
                ]
            )
        ]
        session.add_all([campaign, *awards])
        session.flush()
        session.add_all(
            [
                Target(
                    campaign_id=campaign.id,
                    code=code,
                    title_vi=vi,
                    title_en=vi,
                    kind=kind,
                    comparison=comparison,
                    threshold=threshold,
                    position=i,
                )
                for i, (code, vi, kind, comparison, threshold) in enumerate(
                    [
                        (
                            "T1",
                            "Cơ sở triển khai kế hoạch thi đua",
                            "percent",
                            "at_least",
                            Decimal(100),
                        ),
                        ("T2", "Mô hình mới, cách làm hay", "count", "at_least", Decimal(1)),
                        ("T3", "Giáo viên đạt chuẩn trở lên", "percent", "above_baseline", None),
                        ("T4", "Quản lý trên nền tảng số", "yes_no", "at_least", None),
                    ]
                )
            ]
        )
        session.commit()
        return Bench(campaign.id, today, plan_due, report_due), [a.id for a in awards]


class Writer:
    """Bulk inserts with explicit ids, in chunks, on one connection."""

    def __init__(self, conn) -> None:
        self.conn, self.rows = conn, 0

    def next_id(self, model) -> int:
        return (self.conn.scalar(select(func.max(model.__table__.c.id))) or 0) + 1

    def insert(self, model, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            self.conn.execute(model.__table__.insert(), rows[start : start + CHUNK])
        self.rows += len(rows)


def _units_and_heads(
    w: Writer, rng: random.Random, n_units: int, now: dt.datetime
) -> tuple[list[int], dict[int, int]]:
    uid = w.next_id(Unit)
    units = [
        {
            "id": uid,
            "code": "SGDDT",
            "name": "Sở Giáo dục và Đào tạo Hải Phòng",
            "kind": "department",
            "active": True,
        },
        {"id": uid + 1, "code": "VP-SO", "name": "Văn phòng Sở", "kind": "office", "active": True},
    ]
    for i in range(n_units + 20):
        kind, prefix = SCHOOLS[i % len(SCHOOLS)]
        units.append(
            {
                "id": uid + 2 + i,
                "code": f"U{i:05d}",
                "name": f"{prefix} {rng.choice(GIVEN)} số {i}",
                "kind": kind,
                "active": i < n_units,
            }
        )  # the last 20 are closed
    w.insert(
        Unit,
        [
            {"locality": "phường Lê Chân", "email": f"u{u['id']}@example.vn", "phone": None, **u}
            for u in units
        ],
    )
    school_ids = [u["id"] for u in units[2 : 2 + n_units]]
    user_id, grant_id = w.next_id(User), w.next_id(RoleGrant)
    users, grants, authors = [], [], {}
    for unit_id in school_ids:
        for _ in range(rng.choices([0, 1, 2], weights=[3, 95, 2])[0]):
            users.append(
                {
                    "id": user_id,
                    "username": f"head{user_id}",
                    "full_name": _name(rng),
                    "email": f"head{user_id}@example.vn",
                    "phone": f"0225 3{user_id % 1000:03d} {unit_id % 1000:03d}",
                    "position": "Hiệu trưởng",
                    "password_hash": "!bench",
                    "active": True,
                    "locale": "vi",
                    "session_token": secrets.token_hex(16),
                    "created_at": now,
                }
            )
            grants.append(
                {"id": grant_id, "user_id": user_id, "role": "unit_head", "unit_id": unit_id}
            )
            authors.setdefault(unit_id, user_id)
            user_id, grant_id = user_id + 1, grant_id + 1
    w.insert(User, users)
    w.insert(RoleGrant, grants)
    fallback = next(iter(authors.values()))
    return school_ids, {u: authors.get(u, fallback) for u in school_ids}


def _dossier(
    did: int,
    kind: str,
    state: str,
    unit_id: int,
    author: int,
    campaign_id: int,
    sent_at,
    now: dt.datetime,
) -> dict[str, Any]:
    published = state == PUBLISHED.name
    return {
        "id": did,
        "kind": kind,
        "state": state,
        "version": 3,
        "unit_id": unit_id,
        "campaign_id": campaign_id,
        "title": f"Hồ sơ {did}",
        "author_id": author,
        "created_at": now,
        "updated_at": now,
        "sent_at": sent_at,
        "return_reason": "Bổ sung minh chứng" if state == RETURNED.name else None,
        "decision_number": f"{did}/QĐ-SGDĐT" if published else None,
        "decision_date": now.date() if published else None,
        "decision_signer": "Nguyễn Văn Giám" if published else None,
        "published_at": now if published else None,
    }


def populate(
    engine: Engine, n_units: int, n_nominations: int, seed: int = 2026
) -> tuple[Bench, float]:
    """Write the benchmark's year; returns it and the seconds it took."""
    rng, start, now = random.Random(seed), time.perf_counter(), dt.datetime.now(UTC)
    bench, award_ids = _cast(engine, today_local())
    with engine.begin() as conn:
        w = Writer(conn)
        units, authors = _units_and_heads(w, rng, n_units, now)
        target_ids = list(
            conn.scalars(
                select(Target.id)
                .where(Target.campaign_id == bench.campaign_id)
                .order_by(Target.position)
            )
        )
        did = w.next_id(Dossier)
        dossiers, noms, plans, reports, figures = [], [], [], [], []
        weights = [1 / (rank + 5) for rank in range(len(units))]  # a few units nominate a lot
        opens = bench.plan_due - dt.timedelta(days=30)
        for _ in range(n_nominations):
            unit_id = rng.choices(units, weights=weights)[0]
            state, sent = _pick(rng, NOMINATION_STATES)
            sent_at = (
                min(_moment(rng, opens, (bench.today - opens).days / 2, 60), now) if sent else None
            )
            dossiers.append(
                _dossier(
                    did,
                    "nomination",
                    state,
                    unit_id,
                    authors[unit_id],
                    bench.campaign_id,
                    sent_at,
                    now,
                )
            )
            individual = rng.random() < 0.88
            noms.append(
                {
                    "id": did,
                    "nominee_kind": "individual" if individual else "collective",
                    "nominee_name": _name(rng) if individual else f"Tổ chuyên môn {did}",
                    "position": "Giáo viên",
                    "award_type_id": rng.choice(award_ids[:4] if individual else award_ids[4:]),
                    "achievements": "",
                    "ad_hoc": rng.random() < 0.04,
                    "direct_worker": individual and rng.random() < 0.55,
                    "search_key": "",
                }
            )
            did += 1
        for unit_id in units:
            for kind, table, due, rows in (
                ("plan", PLAN_STATES, bench.plan_due, plans),
                ("report", REPORT_STATES, bench.report_due, reports),
            ):
                state, sent = _pick(rng, table)
                dossiers.append(
                    _dossier(
                        did,
                        kind,
                        state,
                        unit_id,
                        authors[unit_id],
                        bench.campaign_id,
                        min(_moment(rng, due, -5, 6), now) if sent else None,
                        now,
                    )
                )
                extra = (
                    {
                        "classification": rng.choice(list(CLASSIFICATIONS))
                        if state in (CLASSIFIED.name, PUBLISHED.name)
                        else None
                    }
                    if kind == "report"
                    else {}
                )
                rows.append({"id": did, "document_number": f"{did}/KH", "summary": "", **extra})
                if kind == "report":
                    figures += _figures(rng, did, target_ids, now)
                did += 1
        w.insert(Dossier, dossiers)
        w.insert(Nomination, noms)
        w.insert(Plan, plans)
        w.insert(Report, reports)
        w.insert(ReportFigure, figures)
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("unit", "user_account", "role_grant", "dossier", "report_figure"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    bench.rows = w.rows
    return bench, time.perf_counter() - start


def _figures(
    rng: random.Random, report_id: int, target_ids: list[int], now: dt.datetime
) -> list[dict]:
    values = [
        Decimal(rng.choice([100] * 7 + [80, 90, 95])),
        Decimal(rng.randint(0, 4)),
        Decimal(rng.randint(60, 100)),
        Decimal(int(rng.random() < 0.85)),
    ]
    rows = []
    for target_id, value, code in zip(target_ids, values, ("T1", "T2", "T3", "T4")):
        if rng.random() < 0.05:
            continue  # a report still missing a figure
        baseline = Decimal(rng.randint(60, 100)) if code == "T3" and rng.random() < 0.9 else None
        rows.append(
            {
                "report_id": report_id,
                "target_id": target_id,
                "value": value,
                "baseline": baseline,
                "evidence": "",
                "corrected_by": None,
                "correction_reason": None,
                "updated_at": now,
            }
        )
    return rows


# The states the statement names, bound as parameters (the lifecycles name them).
STATE_PARAMS = {
    "published_state": PUBLISHED.name,
    "rejected_state": REJECTED.name,
    "withdrawn_state": WITHDRAWN.name,
}
# One statement for every figure of the dashboard: (figure, key, count) rows.
SQL = """
WITH part AS (
  SELECT id FROM unit WHERE active = :yes AND kind NOT IN ('department', 'office')
),
sub AS (
  SELECT d.kind, d.unit_id, MIN(d.sent_at) AS first_sent FROM dossier d
  WHERE d.campaign_id = :c AND d.kind IN ('plan', 'report') AND d.sent_at IS NOT NULL
    AND d.state <> :withdrawn_state
  GROUP BY d.kind, d.unit_id
),
status AS (
  SELECT k.kind, p.id AS unit_id, CASE
    WHEN s.first_sent IS NULL THEN
      CASE WHEN (CASE k.kind WHEN 'plan' THEN :plan_past ELSE :report_past END) = 1
           THEN 'missing' ELSE 'pending' END
    WHEN s.first_sent < (CASE k.kind WHEN 'plan' THEN :plan_cutoff ELSE :report_cutoff END)
      THEN 'on_time' ELSE 'late' END AS status
  FROM part p CROSS JOIN (SELECT 'plan' AS kind UNION ALL SELECT 'report') k
  LEFT JOIN sub s ON s.unit_id = p.id AND s.kind = k.kind
),
latest AS (
  SELECT d.unit_id, MAX(d.id) AS report_id FROM dossier d JOIN part p ON p.id = d.unit_id
  WHERE d.campaign_id = :c AND d.kind = 'report' AND d.sent_at IS NOT NULL
    AND d.state <> :withdrawn_state
  GROUP BY d.unit_id
),
judged AS (
  SELECT t.id AS target_id, CASE
    WHEN f.value IS NULL THEN NULL
    WHEN t.kind = 'yes_no' THEN CASE WHEN f.value >= 1 THEN 1 ELSE 0 END
    WHEN t.comparison = 'above_baseline' THEN
      CASE WHEN f.baseline IS NULL THEN NULL WHEN f.value > f.baseline THEN 1 ELSE 0 END
    WHEN t.threshold IS NULL THEN NULL
    WHEN t.comparison = 'at_most' THEN CASE WHEN f.value <= t.threshold THEN 1 ELSE 0 END
    ELSE CASE WHEN f.value >= t.threshold THEN 1 ELSE 0 END END AS met
  FROM latest l JOIN report_figure f ON f.report_id = l.report_id
  JOIN target t ON t.id = f.target_id AND t.campaign_id = :c
),
noms AS (
  SELECT d.state, d.unit_id, n.award_type_id, n.ad_hoc, n.nominee_kind, n.direct_worker
  FROM dossier d JOIN nomination n ON n.id = d.id
  WHERE d.campaign_id = :c AND d.sent_at IS NOT NULL
)
SELECT 'submission', kind || ':' || status, COUNT(*) FROM status GROUP BY kind, status
UNION ALL SELECT 'overdue', '', COUNT(DISTINCT unit_id) FROM status WHERE status = 'missing'
UNION ALL SELECT 'target', CAST(target_id AS VARCHAR) || ':' || CAST(met AS VARCHAR), COUNT(*)
  FROM judged WHERE met IS NOT NULL GROUP BY target_id, met
UNION ALL SELECT 'state', state, COUNT(*) FROM noms GROUP BY state
UNION ALL SELECT 'award', CAST(award_type_id AS VARCHAR), COUNT(*) FROM noms GROUP BY award_type_id
UNION ALL SELECT 'unit', CAST(unit_id AS VARCHAR), COUNT(*) FROM noms GROUP BY unit_id
UNION ALL SELECT 'published_individuals', '', COUNT(*) FROM noms
  WHERE state = :published_state AND nominee_kind = 'individual'
UNION ALL SELECT 'published_direct', '', COUNT(*) FROM noms
  WHERE state = :published_state AND nominee_kind = 'individual' AND direct_worker = :yes
UNION ALL SELECT 'ad_hoc_published', '', COUNT(*) FROM noms
  WHERE state = :published_state AND ad_hoc = :yes
UNION ALL SELECT 'ad_hoc_in_progress', '', COUNT(*) FROM noms
  WHERE ad_hoc = :yes AND state NOT IN (:published_state, :rejected_state, :withdrawn_state)
"""
