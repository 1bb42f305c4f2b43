"""The public outcome search at city scale: server time per query against a floor, per backend.

    .venv/bin/python bench/search.py [--outcomes 100000] [--repeat 30] [--pg URL] [--sqlite-only]

Data (not timed): 2,000 schools, five yearly campaigns, six award types and OUTCOMES published
outcomes: one published classification report per school and year, the rest published
nominations, plus a tenth as many nominations still under review (the public must not see
them, and the search must skip them). Written with SQLAlchemy Core bulk INSERTs, not through
the workflow (no guards, no audit events), then the sort keys filled as the migration fills
them (``models.dossiers.fill_sort_keys``) and the word table the search reads
(``models.search_terms.fill_search_terms``, its time printed, then the database's and the
word table's sizes). Family names follow their real
spread (Nguyễn about 38 %), so "nguy" matches tens of thousands of rows; one given name
("Khuê") is rare.

Timed, REPEAT times each after a warm-up, each call in a new ORM session as a request would:
* search: what the public list page asks of the workflow for one query and sort: the page
  of outcomes (``workflow.publication.outcomes.search``: filtered, sorted, the count up to
  its cap, one row more for the next-page link) and the facets of the filters;
* floor: the same page's outcomes fetched by primary key (``load_outcomes`` with the 25 ids
  found beforehand), which no search can beat.
p50 and p95 of the search's wall-clock time, p95 of this process's CPU time (on SQLite that
is all of the server's work; on PostgreSQL only the client's share), the floor's p50 and the
search's p95 over it are printed. Target: search p95 ≤ 50 ms. The wall-clock figures follow
the machine's load; the CPU column and the ratio to the floor much less. See bench/README.md.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import Engine, func, select, text  # noqa: E402

from bench.common import backend_parser, fresh_database, on_backends  # noqa: E402
from models import (  # noqa: E402
    AwardType,
    Campaign,
    Dossier,
    Nomination,
    Report,
    Unit,
    User,
    make_engine,
    make_sessionmaker,
)
from models.dossiers import fill_sort_keys  # noqa: E402
from models.search_terms import fill_search_terms  # noqa: E402
from models.text import fold  # noqa: E402
from workflow.core.inputs import CLASSIFICATIONS  # noqa: E402
from workflow.lifecycles.common import OFFICE_REVIEW, PUBLISHED  # noqa: E402
from workflow.publication import outcomes  # noqa: E402

TARGET_MS = 50.0
PER_PAGE = 25
UNITS = 2000
YEARS = (2022, 2023, 2024, 2025, 2026)
CHUNK = 5000
# (family name, weight in %): the spread of Vietnamese family names.
FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 3),
]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Quang", "Ngọc", "Thanh", "Hữu", "Xuân", "Kim"]
GIVEN = [
    "An",
    "Anh",
    "Bình",
    "Cúc",
    "Châu",
    "Dũng",
    "Duy",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hằng",
    "Hiếu",
    "Hoa",
    "Hòa",
    "Hùng",
    "Hương",
    "Huyền",
    "Khánh",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quân",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]
RARE = "Khuê"  # about one outcome in 20,000
STREETS = "Lê Lợi|Trần Phú|Hùng Vương|Lạch Tray|Ngô Quyền|Tô Hiệu|Văn Cao|Cát Bi|Đằng Hải|Kiến An"
SCHOOLS = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường THPT"]
POSITIONS = ["Giáo viên", "Tổ trưởng chuyên môn", "Hiệu trưởng", "Phó Hiệu trưởng", "Nhân viên"]
AWARDS = [
    ("Lao động tiên tiến", "Advanced Worker", "individual"),
    ("Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter", "individual"),
    ("Giấy khen của Giám đốc Sở", "Director's Certificate of Merit", "individual"),
    ("Bằng khen của Chủ tịch UBND thành phố", "City Certificate of Commendation", "individual"),
    ("Tập thể lao động tiên tiến", "Advanced Collective", "collective"),
    ("Tập thể lao động xuất sắc", "Excellent Collective", "collective"),
]
# (label, query, sort): common prefix, a whole common name, two words, a rare word, a word
# nobody has, the unfiltered list, and a page deep into a common prefix.
CASES = [
    ("all, newest first", "", "-date", 1),
    ("all, by name", "", "name", 1),
    ("all, by unit", "", "unit", 1),
    ("'nguy' (prefix), newest", "nguy", "-date", 1),
    ("'nguy' (prefix), by name", "nguy", "name", 1),
    ("'nguy' (prefix), by unit", "nguy", "unit", 1),
    ("'nguy' page 30, newest", "nguy", "-date", 30),
    ("'ha', newest", "ha", "-date", 1),
    ("'ha', by name", "ha", "name", 1),
    ("'nguyễn văn' (2 words), newest", "nguyễn văn", "-date", 1),
    ("'nguyen van' (2 words), by name", "nguyen van", "name", 1),
    ("'khuê' (rare), newest", "khuê", "-date", 1),
    ("'khue' (rare), by name", "khue", "name", 1),
    ("'zzyzx' (no match), newest", "zzyzx", "-date", 1),
    ("'zzyzx' (no match), by name", "zzyzx", "name", 1),
    ("'tran phu' (unit words), by unit", "tran phu", "unit", 1),
]


def populate(engine: Engine, n: int, seed: int = 2026) -> float:
    """Write the city's published outcomes; returns the seconds it took."""
    rng, began = random.Random(seed), time.perf_counter()
    now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    streets = STREETS.split("|")
    families = [name for name, _ in FAMILY]
    family_weights = [weight for _, weight in FAMILY]
    with engine.begin() as conn:
        units = [
            {
                "id": i + 1,
                "code": f"U{i:05d}",
                "name": f"{SCHOOLS[i % 4]} {streets[i % len(streets)]} số {i // len(streets)}",
                "kind": "primary",
                "active": True,
                "locality": "Hải Phòng",
            }
            for i in range(UNITS)
        ]
        for unit in units:
            unit["search_key"] = fold(f"{unit['name']} {unit['code']} {unit['locality']}")
        conn.execute(Unit.__table__.insert(), units)
        conn.execute(
            User.__table__.insert(),
            [
                {
                    "id": 1,
                    "username": "author",
                    "full_name": "Người nhập liệu",
                    "password_hash": "!bench",
                    "active": True,
                    "locale": "vi",
                    "session_token": "bench",
                    "created_at": now,
                }
            ],
        )
        conn.execute(
            Campaign.__table__.insert(),
            [
                {
                    "id": i + 1,
                    "code": f"TD-{year}",
                    "name": f"Phong trào thi đua năm học {year - 1}–{year}",
                    "kind": "annual",
                    "year": year,
                    "opens_on": dt.date(year, 1, 1),
                    "closes_on": dt.date(year, 12, 31),
                }
                for i, year in enumerate(YEARS)
            ],
        )
        conn.execute(
            AwardType.__table__.insert(),
            [
                {
                    "id": i + 1,
                    "code": f"AW{i}",
                    "name_vi": vi,
                    "name_en": en,
                    "nominee_kind": kind,
                    "conferring_authority": "department_director",
                }
                for i, (vi, en, kind) in enumerate(AWARDS)
            ],
        )
        dossiers: list[dict[str, Any]] = []
        nominations: list[dict[str, Any]] = []
        reports: list[dict[str, Any]] = []

        def dossier(kind: str, state: str, unit: int, campaign: int) -> int:
            did = len(dossiers) + 1
            year = YEARS[campaign - 1]
            day = dt.date(year, 5, 1) + dt.timedelta(days=rng.randrange(150))
            published = state == PUBLISHED.name
            dossiers.append(
                {
                    "id": did,
                    "kind": kind,
                    "state": state,
                    "version": 5,
                    "unit_id": unit,
                    "campaign_id": campaign,
                    "title": f"Hồ sơ {did}",
                    "author_id": 1,
                    "created_at": now,
                    "updated_at": now,
                    "sent_at": now,
                    "decision_number": f"{did}/QĐ-SGDĐT" if published else None,
                    "decision_date": day if published else None,
                    "decision_signer": "Nguyễn Văn Giám" if published else None,
                    "published_at": now if published else None,
                }
            )
            return did

        for campaign in range(1, len(YEARS) + 1):
            for unit in range(1, UNITS + 1):
                did = dossier("report", PUBLISHED.name, unit, campaign)
                reports.append(
                    {
                        "id": did,
                        "document_number": f"{did}/BC",
                        "summary": "",
                        "classification": rng.choice(list(CLASSIFICATIONS)),
                    }
                )
        published = n - len(reports)
        for i in range(published + published // 10):
            state = PUBLISHED.name if i < published else OFFICE_REVIEW.name
            unit = rng.randrange(1, UNITS + 1)
            did = dossier("nomination", state, unit, rng.randrange(1, len(YEARS) + 1))
            individual = rng.random() < 0.9
            given = RARE if rng.random() < 1 / 20000 else rng.choice(GIVEN)
            name = (
                f"{rng.choices(families, family_weights)[0]} {rng.choice(MIDDLE)} {given}"
                if individual
                else f"Tổ chuyên môn số {did}"
            )
            position = rng.choice(POSITIONS) if individual else None
            award = rng.randrange(1, 5) if individual else rng.randrange(5, 7)
            key = " ".join(
                filter(None, (name, position, units[unit - 1]["name"], AWARDS[award - 1][0]))
            )
            nominations.append(
                {
                    "id": did,
                    "nominee_kind": "individual" if individual else "collective",
                    "nominee_name": name,
                    "position": position,
                    "award_type_id": award,
                    "achievements": "",
                    "ad_hoc": False,
                    "direct_worker": False,
                    # What workflow.dossiers.content.refresh_search_key writes.
                    "search_key": fold(key),
                }
            )
        for model, rows in ((Dossier, dossiers), (Nomination, nominations), (Report, reports)):
            for start in range(0, len(rows), CHUNK):
                conn.execute(model.__table__.insert(), rows[start : start + CHUNK])
        # The sort keys the ORM events write for a dossier saved through the app.
        fill_sort_keys(conn)
        terms_began = time.perf_counter()
        fill_search_terms(conn)
        print(f"word table filled in {time.perf_counter() - terms_began:.1f} s")
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for name in ("unit", "user_account", "campaign", "award_type", "dossier"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
    with engine.begin() as conn:  # the planners' statistics, as a live database has them
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - began


_SIZES = {
    "sqlite": (
        "SELECT (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()), "
        "(SELECT sum(pgsize) FROM dbstat WHERE name = 'outcome_term'), "
        "(SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'ix_outcome_term_%'), "
        "(SELECT count(*) FROM outcome_term)"
    ),
    "postgresql": (
        "SELECT pg_database_size(current_database()), pg_table_size('outcome_term'), "
        "pg_indexes_size('outcome_term'), (SELECT count(*) FROM outcome_term)"
    ),
}


def sizes(engine: Engine) -> str:
    """The database's size and the word table's (its rows, the table, its other indexes)."""
    with engine.connect() as conn:
        whole, table, indexes, rows = conn.execute(text(_SIZES[engine.dialect.name])).one()
    mb = 1024 * 1024
    return (
        f"database {whole / mb:,.0f} MB; word table: {rows:,} rows, {table / mb:,.0f} MB "
        f"+ indexes {indexes / mb:,.0f} MB"
    )


def page_of(session, query: str, sort: str, page: int) -> tuple[list[int], int, bool]:
    """What the public list asks for one request: a page (ids, count, capped) and facets. The
    page as read when the audit head has just moved (``search`` keeps it per head)."""
    filters = outcomes.OutcomeFilter(q=query)
    found = outcomes.search_page(session, filters, sort, page, PER_PAGE)
    outcomes.facets(session)
    return [o.id for o in found.items], found.total, found.capped


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(factory, call: Callable[[Any], Any], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``repeat`` calls, each in a new session."""
    for _ in range(2):  # warm-up: statement caches, the facets' first fill
        with factory() as session:
            call(session)
    wall, cpu = [], []
    for _ in range(repeat):
        with factory() as session:
            start, start_cpu = time.perf_counter(), time.process_time()
            call(session)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def bench(backend: str, n: int, repeat: int, pg_url: str | None) -> dict[str, tuple]:
    print(f"\n== {backend}: {n:,} published outcomes ==")
    with fresh_database(backend, pg_url) as url:
        engine = make_engine(url)
        try:
            seconds = populate(engine, n)
            factory = make_sessionmaker(engine)
            with factory() as session:
                public = session.scalar(
                    select(func.count()).select_from(
                        outcomes.outcome_ids(session, outcomes.OutcomeFilter()).subquery()
                    )
                )
            print(f"setup: {public:,} published outcomes in {seconds:.1f} s (not timed)")
            print(sizes(engine))
            print(
                f"{'case':38} {'matches':>9} {'p50 ms':>8} {'p95 ms':>8} {'cpu p95':>8} "
                f"{'floor p50':>9} {'p95/floor':>9}"
            )
            results = {}
            for label, query, sort, page in CASES:
                with factory() as session:
                    ids, total, capped = page_of(session, query, sort, page)

                def searched(session, query=query, sort=sort, page=page):
                    return page_of(session, query, sort, page)

                def floor(session, ids=ids):
                    return outcomes.load_outcomes(session, ids)

                timed, cpu = _time(factory, searched, repeat)
                floors, _ = _time(factory, floor, repeat)
                p50, p95, f50 = (
                    statistics.median(timed),
                    _percentile(timed, 0.95),
                    statistics.median(floors),
                )
                matches = f">{total:,}" if capped else f"{total:,}"
                mark = "" if p95 <= TARGET_MS else "  over target"
                print(
                    f"{label:38} {matches:>9} {p50:8.1f} {p95:8.1f} {_percentile(cpu, 0.95):8.1f} "
                    f"{f50:9.1f} "
                    f"{p95 / max(f50, 0.001):8.1f}x{mark}"
                )
                results[label] = (p50, p95, f50)
            return results
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.splitlines()[0])
    parser.add_argument("--outcomes", type=int, default=100_000, help="published outcomes")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per case")
    args = parser.parse_args(argv)
    on_backends(args, lambda backend, pg: bench(backend, args.outcomes, args.repeat, pg))
    print(f"\nTarget: search p95 ≤ {TARGET_MS:.0f} ms on both databases.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
