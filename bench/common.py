"""Shared parts of the benchmarks: fresh databases, a small cast, nominations ready to move.

Nothing here is timed. Databases are created fresh and migrated with the project's own
Alembic revisions, so the bench measures the schema, indexes and triggers the app runs on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

# Bench accounts never sign in: cheap hashing (read when models.passwords is imported).
os.environ.setdefault("VINHDANH_PASSWORD_PROFILE", "cheapest")

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import migrations
from models import (
    AwardType,
    Campaign,
    CouncilAttendance,
    CouncilSession,
    Unit,
    make_engine,
    make_sessionmaker,
)
from models.clock import local_day, utcnow
from models.decisions import Decision, DecisionItem
from models.people import Person
from models.text import fold
from workflow import Actor
from workflow.accounts.service import create_user
from workflow.dossiers import content as dossiers
from workflow.dossiers import evidence
from workflow.publication.decisions import DEFAULT_BASES

# The project's clock when the bench starts, and the cast's campaign open around it (TODAY
# in the middle of its window), so that nominations are accepted whatever the year, also
# through pages that read the clock themselves.
NOW = utcnow().replace(second=0, microsecond=0)
TODAY = local_day(NOW)
OPEN_DAYS_BEFORE, OPEN_DAYS_AFTER = 150, 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "bench-only-password"
# A path no page has. Signed in, it costs what every signed-in page costs before its own work
# (the sign-in check, the header's unread count, the layout drawn): their floor.
NOT_FOUND = "/trang-khong-co"
MEMBERS = 7
UNITS = 10


class Progress:
    """A one-line counter on stderr, redrawn at most ten times a second."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.last, self.start = label, total, 0.0, time.perf_counter()
        self.tty, self.shown = sys.stderr.isatty(), -1

    def step(self, done: int) -> None:
        now = time.perf_counter()
        if done == self.shown:
            return
        if done == self.total or now - self.last >= (0.1 if self.tty else 5.0):
            self.last, self.shown = now, done
            end = "\r" if self.tty and done < self.total else "\n"
            sys.stderr.write(f"  {self.label}: {done}/{self.total} ({now - self.start:.1f} s){end}")
            sys.stderr.flush()


@contextmanager
def fresh_database(backend: str, pg_url: str | None = None) -> Iterator[str]:
    """A new, migrated database of ``backend``; removed afterwards."""
    if backend == "sqlite":
        workdir = Path(tempfile.mkdtemp(prefix="vinhdanh-bench-"))
        url = f"sqlite:///{workdir / 'bench.db'}"
        try:
            migrations.upgrade(url)
            yield url
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    assert pg_url, "a PostgreSQL URL is needed"
    name = f"vd_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Cast:
    """The actors of the bench, the council session and the nominations' ids per set."""

    staff: dict[int, Actor]
    head: dict[int, Actor]
    reviewer: Actor
    secretary: Actor
    council_id: int
    present: int
    award_id: int
    campaign_id: int
    sets: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # name → [(dossier, unit)]


def build_cast(session: Session, upload_dir: Path) -> Cast:
    """Ten schools with a staff member and a head each, a reviewer, a secretary, a Council."""
    units = [
        Unit(
            code=f"BENCH-{i:02d}",
            name=f"Trường thử nghiệm số {i}",
            kind="primary",
            locality="phường Lê Chân",
        )
        for i in range(UNITS)
    ]
    session.add_all(units)
    session.flush()
    staff, head = {}, {}
    for unit in units:
        staff[unit.id] = _actor(
            create_user(
                session, f"staff{unit.id}", "Nguyễn Văn An", PASSWORD, [("unit_staff", unit.id)]
            ),
            session,
        )
        head[unit.id] = _actor(
            create_user(
                session, f"head{unit.id}", "Trần Thị Bình", PASSWORD, [("unit_head", unit.id)]
            ),
            session,
        )
    reviewer = _actor(
        create_user(session, "reviewer", "Đặng Thu Hà", PASSWORD, [("office_reviewer", None)]),
        session,
    )
    secretary_user = create_user(
        session, "secretary", "Hoàng Lan Anh", PASSWORD, [("council_secretary", None)]
    )
    members = [
        create_user(session, f"member{i}", "Bùi Văn Long", PASSWORD, [("council_member", None)])
        for i in range(MEMBERS)
    ]
    campaign = Campaign(
        code=f"TD-{TODAY.year}",
        name=f"Phong trào thi đua năm {TODAY.year}",
        kind="annual",
        year=TODAY.year,
        opens_on=TODAY - dt.timedelta(days=OPEN_DAYS_BEFORE),
        closes_on=TODAY + dt.timedelta(days=OPEN_DAYS_AFTER),
    )
    award = AwardType(
        code="LDTT",
        name_vi="Lao động tiên tiến",
        name_en="Advanced Worker",
        nominee_kind="individual",
        conferring_authority="department_director",
        vote_threshold="1/2",
        threshold_base="present",
    )
    session.add_all([campaign, award])
    session.flush()
    council = CouncilSession(
        title="Phiên họp thử nghiệm",
        held_on=NOW.date(),
        place="Phòng họp Sở",
        opened_by=secretary_user.id,
        opened_at=NOW,
    )
    council.attendance = [CouncilAttendance(user_id=m.id, present=True) for m in members]
    session.add(council)
    session.flush()
    return Cast(
        staff,
        head,
        reviewer,
        _actor(secretary_user, session),
        council.id,
        MEMBERS,
        award.id,
        campaign.id,
    )


def _actor(user, session: Session) -> Actor:
    session.flush()
    return Actor.from_user(user)


def create_nominations(
    engine: Engine, cast: Cast, name: str, count: int, upload_dir: Path, batch: int = 500
) -> None:
    """``count`` complete drafts with one evidence file each, through the real workflow
    functions."""
    units = sorted(cast.staff)
    made: list[tuple[int, int]] = []
    progress = Progress(f"setup {name}", count)
    factory = make_sessionmaker(engine)
    while len(made) < count:
        with factory() as session:
            for _ in range(min(batch, count - len(made))):
                unit_id = units[len(made) % len(units)]
                teacher = f"Giáo viên số {len(made)}"
                person = Person(
                    full_name=teacher, name_key=fold(teacher), unit_id=unit_id, position="Giáo viên"
                )
                session.add(person)
                session.flush()
                dossier = dossiers.create(
                    session,
                    cast.staff[unit_id],
                    "nomination",
                    unit_id,
                    {
                        "title": "Đề nghị công nhận Lao động tiên tiến",
                        "campaign_id": cast.campaign_id,
                        "nominee_kind": "individual",
                        "person_id": person.id,
                        "award_type_id": cast.award_id,
                        "achievements": "Hoàn thành tốt nhiệm vụ năm học 2025–2026.",
                    },
                    now=NOW,
                )
                evidence.attach(
                    session,
                    dossier.id,
                    cast.staff[unit_id],
                    "Báo cáo thành tích.pdf",
                    PDF,
                    upload_dir,
                    now=NOW,
                )
                made.append((dossier.id, unit_id))
            session.commit()
        progress.step(len(made))
    cast.sets[name] = made


def setup(
    url: str, n: int, upload_dir: Path, sets: Iterable[str] = ("engine", "floor")
) -> tuple[Engine, Cast]:
    """The cast and a set of ``n`` drafts for each name in ``sets``."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        cast = build_cast(session, upload_dir)
        session.commit()
    for name in sets:
        create_nominations(engine, cast, name, n, upload_dir)
    return engine, cast


Result = TypeVar("Result")


def backend_parser(description: str) -> argparse.ArgumentParser:
    """A bench's command line with the two backends' options (--pg, --sqlite-only)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--pg",
        default=os.environ.get("VINHDANH_TEST_DATABASE_URL"),
        help="PostgreSQL server URL (default: VINHDANH_TEST_DATABASE_URL)",
    )
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    return parser


def on_backends(
    args: argparse.Namespace, run: Callable[[str, str | None], Result]
) -> dict[str, Result]:
    """``run(backend, pg_url)`` on SQLite, then on PostgreSQL unless there is none or it is
    skipped; each backend's figures by its name."""
    results = {"sqlite": run("sqlite", None)}
    if args.pg and not args.sqlite_only:
        results["postgresql"] = run("postgresql", args.pg)
    else:
        print("\n(PostgreSQL skipped: set VINHDANH_TEST_DATABASE_URL or --pg)")
    return results


DECISION_DAY = TODAY


def bench_decision(session: Session, cast: Cast, label: str, **fields) -> Decision:
    """A decision of ``DECISION_DAY`` listing every nomination of ``cast.sets[label]``, added and
    flushed; ``fields`` set more columns (``status``, ``issued_at``)."""
    decision = Decision(
        number="05/QĐ-SGDĐT",
        decided_on=DECISION_DAY,
        signer="Nguyễn Văn Giám",
        title="Về việc khen thưởng năm học 2025 - 2026",
        legal_bases="\n".join(DEFAULT_BASES),
        created_by=cast.secretary.user_id,
        created_at=NOW,
        **fields,
    )
    decision.items = [DecisionItem(dossier_id=i) for i, _ in cast.sets[label]]
    session.add(decision)
    session.flush()
    return decision
