"""Deadline day on loopback: the production server on PostgreSQL, a generated city, users
sending back to back; latency per request kind, server CPU per request against a static file,
then the audit chain and every acknowledged action checked in the database; optionally with
one of two servers killed, or Redis stopped, in the middle of the run.

    .venv/bin/python bench/load.py --pg URL [--scale 1] [--duration 60] [--users 50] [--workers 4]
    .venv/bin/python bench/load.py --scale 0.05 --duration 20 --users 10     # a small run
    .venv/bin/python bench/load.py --scale 0.05 --duration 30 --kill-one-at 10 --stop-redis-at 15
    .venv/bin/python bench/load.py --pg URL --statements 30   # and PostgreSQL's dearest statements

**The city** (not timed), in a fresh PostgreSQL database migrated by the project's revisions:
2,000 units, 20,000 people, 100,000 published outcomes and 5,000 dossiers spread over every
state of every kind, times ``--scale``, written with bulk inserts (the rows the workflow would
write, without their history); the campaign's plans and reports are due today. Besides them
ten schools with an emulation officer and a head each and an Office reviewer
(``bench.common.build_cast``), whose work is real: nominations drafted through the workflow
with an evidence file, and plans and reports (a third as many of each) written with the city;
a third of each kind left to the officers, a third waiting for the heads and a third for the
Office, so that every role has something to do from the first second.

**The servers**: ``vinhdanh serve`` (gunicorn) with ``--workers`` sync workers on 127.0.0.1,
sign-in limits off (every user signs in from the same address); two of them, users spread
over both, with ``--kill-one-at``. With ``--mail`` or ``--stop-redis-at``: a redis-server and
an RQ worker (``vinhdanh worker``) of the bench's own, and an SMTP sink; every user has an
e-mail address, so every action queues e-mails.

**Timed**, after every user has signed in: first a static file (``/static/app.css``) requested by
every user back to back for a fifth of ``--duration`` (the floor), then a page not found
requested by the signed-in users as long (the floor of their pages: the sign-in check, the
header's unread count and the layout, before a page's own work), then the deadline-day mix
for ``--duration`` seconds, each user sending its next request as soon as the last is
answered (a capacity test, no think time):

* the public (2 users in 5): the outcome list, a search for a common word, a later page, an
  outcome's page;
* units' emulation officers: home, the unit's dossiers, sending a draft (a nomination, the
  unit's plan or its report) to their head;
* units' heads: home, approving what their officer sent (it goes to the Office);
* the Office: the review queue, the dashboard, a dossier's page, accepting it (a plan is
  accepted; a nomination or a report goes on to the Council).

**Faults** (seconds into the mix): ``--kill-one-at`` SIGKILLs the second server's whole
process group (master and workers); a user whose request gets no answer from its server sends
it once more to the other, as a proxy would, and stays there (a request with no answer from
either is an error, never an acknowledged action). ``--stop-redis-at`` stops Redis and starts it
again ``--redis-down`` seconds later (its append-only file keeps the queued jobs); meanwhile
the servers send e-mail after the response, as without Redis.

Printed: per request kind the count, p50/p95/p99 in milliseconds, the errors (a status other
than the one expected, or no answer) and the app's mean CPU for it (the servers run with
``VINHDANH_SERVER_TIMING``: each answer's ``Server-Timing`` says the CPU the app spent on it),
then that CPU per request against the workers' and the kinds that took most of it, and the
server's CPU per request of the public's requests and of the signed-in people's (the app's plus
the workers' mean outside it) against issue 17's targets, and the app's CPU per signed-in
request against that of the page not found; the throughput; the servers' CPU per request (the
workers' user + system time from ``/proc``, divided by the requests answered) for the floors and
for the mix, and the mix's ratio to the static file's, with the CPU of the PostgreSQL backends
of the bench's database beside; after a kill, what the other server answered after it; each app
process's memory after the run; with ``--statements N``, the N statements of the mix that took
most of PostgreSQL's time, planning included (``pg_stat_statements``, which the server must
load: ``shared_preload_libraries``; planning is counted with
``pg_stat_statements.track_planning``).
Then the checks: the audit chain verifies (``workflow.core.audit.verify``),
every action the server acknowledged (a redirect after the POST) has its audit event in the
database, once; with e-mail, every e-mail of the outbox went to the SMTP sink exactly once.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from pathlib import Path
from urllib.parse import urlencode

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import func, insert, select, update  # noqa: E402

from bench.common import (  # noqa: E402
    NOT_FOUND,
    NOW,
    PASSWORD,
    Cast,
    Progress,
    backend_parser,
    create_nominations,
    fresh_database,
    setup,
)
from bench.local_servers import (  # noqa: E402
    PrivateRedis,
    Server,
    SmtpServer,
    child_pids,
    server_env,
    start_smtp,
)
from models import (  # noqa: E402
    AuditEvent,
    Campaign,
    Dossier,
    OutboxEmail,
    Unit,
    User,
    make_sessionmaker,
)
from models.campaigns import ReportFigure, Target  # noqa: E402
from models.clock import local_day, utcnow  # noqa: E402
from models.dossiers import Nomination, Plan, Report, fill_sort_keys  # noqa: E402
from models.people import Person  # noqa: E402
from models.search_terms import fill_search_terms  # noqa: E402
from models.text import fold  # noqa: E402
from web.support.timing import HEADER as TIMING  # noqa: E402
from web.support.timing import cpu_ms  # noqa: E402
from workflow import fire  # noqa: E402
from workflow.core.audit import verify  # noqa: E402
from workflow.core.registry import WORKFLOWS, states_where  # noqa: E402
from workflow.notifications.mailer import SmtpSettings, compose  # noqa: E402

CITY = {"units": 2000, "people": 20000, "outcomes": 100000, "dossiers": 5000}
# The ten schools' work: nominations drafted through the workflow, and of plans and reports
# a third as many each (a unit sends one of each a year, and many nominations).
WORK = {"nomination": 600, "plan": 200, "report": 200}
STATIC = "/static/app.css"
STATIC_KIND = "static file"
SHELL_KIND = "signed in: a page not found"
FLOORS = (STATIC_KIND, SHELL_KIND)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Hải", "Quang")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương")
SEARCHED = ("nguyen", "tran thi", "giao vien", "hai", "truong so 1", "lao dong")
BATCH = 5000
WARM_UP = {
    "public": ("/public/", "/public/?q=nguyen", "/public/?page=2", STATIC),
    "staff": ("/", "/dossiers/"),
    "head": ("/",),
    "office": ("/office/", "/dashboard/"),
}
ROLES = ("staff", "head", "office")
PUBLIC_URL = "https://vinhdanh.bench.example"
SENDER = "vinhdanh@bench.example"
RSS_TARGET_MB = 250


def _steps(kind: str) -> tuple[tuple[str, str], ...]:
    """(state, trigger) of the officer's, the head's and the Office's forward step of ``kind``,
    read from its lifecycle."""
    wdef, state, steps = WORKFLOWS[kind], WORKFLOWS[kind].initial, []
    for _ in ROLES:
        tdef = next(t for t in wdef.transitions_from(state) if t.forward)
        steps.append((state, tdef.trigger))
        state = tdef.dest
    return tuple(steps)


STEPS = {kind: _steps(kind) for kind in WORK}


# --- the city ------------------------------------------------------------------------------


def _name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 11]}"


def _insert(conn, table, rows: Iterable[dict], label: str, total: int) -> None:
    progress, chunk, done = Progress(label, total), [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            conn.execute(insert(table), chunk)
            done += len(chunk)
            chunk = []
            progress.step(done)
    if chunk:
        conn.execute(insert(table), chunk)
        done += len(chunk)
    progress.step(done)


def _next_id(conn, column) -> int:
    return (conn.scalar(select(func.max(column))) or 0) + 1


def build_city(engine, cast: Cast, scale: float) -> tuple[dict[str, int], range]:
    """Units, people, published outcomes and dossiers in every state, and the ten schools'
    plans and reports, by bulk inserts; the sizes, and the ids of the published outcomes."""
    sizes = {name: max(1, round(n * scale)) for name, n in CITY.items()}
    dossier, nomination = Dossier.__table__, Nomination.__table__
    kinds_tables = {"nomination": nomination, "plan": Plan.__table__, "report": Report.__table__}
    published = states_where(lambda s: s.public)
    author = cast.reviewer.user_id
    with engine.begin() as conn:
        first_unit = _next_id(conn, Unit.id)
        _insert(
            conn,
            Unit.__table__,
            (
                {
                    "code": f"CITY-{i:05d}",
                    "name": f"Trường Tiểu học số {i}",
                    "kind": "primary",
                    "locality": f"phường số {i % 40}",
                    "active": True,
                    "search_key": fold(f"Trường Tiểu học số {i} CITY-{i:05d} phường số {i % 40}"),
                }
                for i in range(sizes["units"])
            ),
            "units",
            sizes["units"],
        )
        units = list(range(first_unit, first_unit + sizes["units"]))
        first_person = _next_id(conn, Person.id)
        _insert(
            conn,
            Person.__table__,
            (
                {
                    "full_name": _name(i),
                    "name_key": fold(_name(i)),
                    "unit_id": units[i % len(units)],
                    "position": "Giáo viên",
                    "created_at": NOW,
                    "version": 1,
                }
                for i in range(sizes["people"])
            ),
            "people",
            sizes["people"],
        )
        people = range(first_person, first_person + sizes["people"])
        # What the public reads: nominations in their published state, with a decision.
        states = [(kind, name) for kind in kinds_tables for name in WORKFLOWS[kind].state_names]
        rows = [("nomination", published["nomination"][0])] * sizes["outcomes"] + [
            states[i % len(states)] for i in range(sizes["dossiers"])
        ]
        next_id = _next_id(conn, Dossier.id)
        ids = range(next_id, next_id + len(rows))
        _insert(
            conn,
            dossier,
            (
                _dossier_row(
                    i, dossier_id, kind, state, units, cast, author, state in published[kind]
                )
                for i, (dossier_id, (kind, state)) in enumerate(zip(ids, rows, strict=True))
            ),
            "dossiers and outcomes",
            len(rows),
        )
        for kind, table in kinds_tables.items():
            own = [(i, d) for i, (d, (k, _)) in enumerate(zip(ids, rows, strict=True)) if k == kind]
            _insert(
                conn,
                table,
                (_kind_row(kind, i, d, people, units, cast) for i, d in own),
                f"{kind} rows",
                len(own),
            )
        _cast_documents(conn, cast, scale)
        # Written without the ORM: the public list's sort keys and word table are filled
        # here, as the migrations fill them.
        fill_sort_keys(conn)
        fill_search_terms(conn)
        # The ids were given: PostgreSQL's sequences must go on after them.
        for table in ("unit", "person", "dossier") if conn.dialect.name == "postgresql" else ():
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    return sizes, ids[: sizes["outcomes"]]


def _dossier_row(i, dossier_id, kind, state, units, cast, author, public) -> dict:
    sent = state != WORKFLOWS[kind].initial
    return {
        "id": dossier_id,
        "kind": kind,
        "state": state,
        "version": 1,
        "unit_id": units[i % len(units)],
        "campaign_id": cast.campaign_id,
        "title": f"Hồ sơ số {i}",
        "author_id": author,
        "created_at": NOW,
        "updated_at": NOW,
        "sent_at": NOW if sent else None,
        "sent_late": False if sent else None,
        "decision_number": f"{100 + i // 500}/QĐ-SGDĐT" if public else None,
        "decision_date": NOW.date() if public else None,
        "decision_signer": "Giám đốc Sở" if public else None,
        "published_at": NOW if public else None,
    }


def _kind_row(kind, i, dossier_id, people, units, cast) -> dict:
    if kind != "nomination":
        return {"id": dossier_id, "summary": ""}
    name = _name(i)
    unit_name = f"Trường Tiểu học số {i % len(units)}"
    return {
        "id": dossier_id,
        "nominee_kind": "individual",
        "nominee_name": name,
        "person_id": people[i % len(people)],
        "position": "Giáo viên",
        "award_type_id": cast.award_id,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        "ad_hoc": False,
        "direct_worker": False,
        "search_key": fold(f"{name} Giáo viên {unit_name} Lao động tiên tiến"),
    }


def _share(i: int) -> int:
    """Whose turn the ``i``-th piece of work (from 0) starts at: 0 the officer, 1 the head,
    2 the Office."""
    return (i + 1) % 3


def _document_share(i: int, units: int) -> int:
    """The share of the ``i``-th plan or report, the schools taking them in turn: each school
    has as many of each share."""
    return _share(i // units)


def _cast_documents(conn, cast: Cast, scale: float) -> None:
    """The ten schools' plans and reports, complete, each in the state of its share
    (``cast.sets["plan"]``, ``["report"]``); the campaign's plans and reports due today, with
    one target every report gives its figure for."""
    today = local_day(utcnow())
    conn.execute(
        update(Campaign)
        .where(Campaign.id == cast.campaign_id)
        .values(plan_due=today, report_due=today, late_allowed=True)
    )
    target_id = conn.scalar(
        insert(Target)
        .values(
            campaign_id=cast.campaign_id,
            code="KY-LUAT",
            title_vi="Không có cán bộ, giáo viên vi phạm kỷ luật",
            title_en="No staff member disciplined",
            kind="yes_no",
        )
        .returning(Target.id)
    )
    units = sorted(cast.staff)
    tables = {"plan": Plan.__table__, "report": Report.__table__}
    titles = {"plan": "Kế hoạch thi đua năm 2026", "report": "Báo cáo kết quả thi đua năm 2026"}
    for kind, table in tables.items():
        count = max(3 * len(units), round(WORK[kind] * scale))
        first = _next_id(conn, Dossier.id)
        made = [(first + i, units[i % len(units)]) for i in range(count)]
        rows = []
        for i, (dossier_id, unit_id) in enumerate(made):
            share = _document_share(i, len(units))
            rows.append(
                {
                    "id": dossier_id,
                    "kind": kind,
                    "state": STEPS[kind][share][0],
                    "version": 1,
                    "unit_id": unit_id,
                    "campaign_id": cast.campaign_id,
                    "title": f"{titles[kind]} số {i}",
                    "author_id": cast.staff[unit_id].user_id,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "sent_at": NOW if share == 2 else None,
                    "sent_late": False if share == 2 else None,
                }
            )
        conn.execute(insert(Dossier.__table__), rows)
        summary = "Đăng ký thi đua, chỉ tiêu và giải pháp thực hiện năm học 2025–2026."
        conn.execute(insert(table), [{"id": d, "summary": summary} for d, _ in made])
        if kind == "report":
            conn.execute(
                insert(ReportFigure),
                [{"report_id": d, "target_id": target_id, "value": 1} for d, _ in made],
            )
        cast.sets[kind] = made


Work = dict[str, dict[int, deque]]


def ready_work(engine, cast: Cast) -> Work:
    """Every role's work, by role and unit (the Office's under 0): the nominations moved to
    their share's state through the workflow, the plans and reports written there; each
    queue takes the kinds in turn."""
    by_role: dict[str, dict[int, dict[str, list]]] = {
        role: defaultdict(lambda: defaultdict(list)) for role in ROLES
    }
    factory = make_sessionmaker(engine)
    made = cast.sets["load"]
    progress = Progress("work for every role", len(made))
    for i, (dossier_id, unit_id) in enumerate(made):
        share = _share(i)
        with factory() as session:
            for role in ROLES[:share]:
                actor = (cast.staff if role == "staff" else cast.head)[unit_id]
                fire(session, dossier_id, STEPS["nomination"][ROLES.index(role)][1], actor, now=NOW)
            session.commit()
        by_role[ROLES[share]][unit_id if share < 2 else 0]["nomination"].append(dossier_id)
        progress.step(i + 1)
    for kind in ("plan", "report"):
        for i, (dossier_id, unit_id) in enumerate(cast.sets[kind]):
            share = _document_share(i, len(cast.staff))
            by_role[ROLES[share]][unit_id if share < 2 else 0][kind].append(dossier_id)
    work: Work = {role: defaultdict(deque) for role in ROLES}
    for role, queues in by_role.items():
        for unit_id, kinds in queues.items():
            turns = zip_longest(*([(d, k) for d in ids] for k, ids in kinds.items()))
            work[role][unit_id].extend(item for item in chain.from_iterable(turns) if item)
    return work


def give_e_mail_addresses(engine) -> int:
    """Every account an address (``username@bench.example``): each action then queues
    e-mails to those who act next."""
    with engine.begin() as conn:
        return conn.execute(update(User).values(email=User.username + "@bench.example")).rowcount


# --- the processes -------------------------------------------------------------------------


class CpuMeter:
    """User + system CPU time of processes (``/proc/<pid>/stat``); a process that is gone
    keeps its last reading, so a killed server's work up to its death still counts."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.ticks = os.sysconf("SC_CLK_TCK")

    def sample(self, pids: Iterable[int]) -> float:
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[pid] = (int(fields[11]) + int(fields[12])) / self.ticks  # utime, stime
        return sum(self.seen.values())


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine since boot, all cores (``/proc/stat``: every
    column but idle and iowait; guest time is already counted in user)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def database_backends(engine) -> list[int]:
    """The PostgreSQL server processes serving the bench's database (the servers' pools and
    the RQ worker's), the bench's own connection left out."""
    with engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).scalars()
        )


def watch_statements(engine) -> bool:
    """Start counting the database's statements afresh, if ``pg_stat_statements`` is loaded
    (``shared_preload_libraries``; planning counted only with its ``track_planning`` on)."""
    with engine.begin() as conn:
        loaded = conn.exec_driver_sql("SHOW shared_preload_libraries").scalar()
        if "pg_stat_statements" not in loaded:
            print("  --statements: pg_stat_statements is not in shared_preload_libraries")
            return False
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.exec_driver_sql("SELECT pg_stat_statements_reset()")
    return True


def print_statements(engine, limit: int, requests: int) -> None:
    """The database's statements of the mix that cost the server most, planning included."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT calls, total_exec_time + total_plan_time, total_plan_time, rows, query "
            "FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "ORDER BY 2 DESC"
        ).all()
    total = sum(row[1] for row in rows)
    print(
        f"\n  PostgreSQL's statements of the mix: {sum(r[0] for r in rows):,} calls, "
        f"{total / 1000:.1f} s in the server ({total / max(requests, 1):.2f} ms per request); "
        f"the {limit} costliest:"
    )
    print(f"  {'ms':>8} {'share':>6} {'calls':>7} {'µs/call':>8} {'plan':>5} {'rows/call':>9}")
    for calls, spent, planned, nrows, query in rows[:limit]:
        text = " ".join(query.split())
        print(
            f"  {spent:8.0f} {spent / total:6.1%} {calls:7d} {spent / calls * 1000:8.0f} "
            f"{planned / spent if spent else 0:5.0%} {nrows / calls:9.1f}  {text[:150]}"
        )


def rss_mb(pid: int) -> float | None:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


@dataclass
class Services:
    """What runs beside the bench: the app servers, and with e-mail, Redis, the RQ worker and
    the SMTP sink."""

    servers: list[Server]
    redis: PrivateRedis | None = None
    worker: subprocess.Popen | None = None
    smtp: SmtpServer | None = None
    env: dict[str, str] = field(default_factory=dict)
    worker_restarts: int = 0
    worker_last_words: str = ""
    done: threading.Event = field(default_factory=threading.Event)

    def workers(self) -> list[int]:
        return [pid for server in self.servers for pid in server.worker_pids()]

    def start_worker(self, log: Path) -> None:
        with open(log, "ab") as out:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "web.cli", "worker"],
                cwd=_HERE.parent,
                env={**os.environ, **self.env, "PYTHONPATH": str(_HERE.parent)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def supervise(self, log: Path) -> None:
        """Watch the RQ worker as its service manager would (systemd's ``Restart=``): start it
        again within a second whenever it exits, until ``done`` is set."""

        def watch() -> None:
            while not self.done.wait(1.0):
                self._revive_worker(log)

        threading.Thread(target=watch, daemon=True).start()

    def _revive_worker(self, log: Path) -> None:
        if self.worker is not None and self.worker.poll() is not None:
            self.worker_restarts += 1
            lines = log.read_text(errors="replace").strip().splitlines()
            self.worker_last_words = lines[-1] if lines else ""
            self.start_worker(log)


def start_services(stack: ExitStack, url: str, instance: Path, args) -> Services:
    """The servers (two with ``--kill-one-at``), and with e-mail Redis, the worker and the
    SMTP sink; all stopped when ``stack`` closes."""
    env = server_env(
        url,
        instance,
        VINHDANH_RATELIMIT="0",
        VINHDANH_SECRET_KEY="bench-only-secret",
        VINHDANH_SERVER_TIMING="1",
    )
    services = Services([], env=env)
    if args.mail:
        if shutil.which("redis-server") is None:
            raise SystemExit("--mail and --stop-redis-at need redis-server")
        redis_dir = instance / "redis"
        redis_dir.mkdir()
        services.redis = PrivateRedis(redis_dir).start()
        stack.callback(services.redis.stop)
        services.smtp = start_smtp()
        stack.callback(services.smtp.stop)
        env.update(
            VINHDANH_REDIS_URL=services.redis.url,
            VINHDANH_SMTP_HOST=services.smtp.host,
            VINHDANH_SMTP_PORT=str(services.smtp.port),
            VINHDANH_SMTP_SENDER=SENDER,
            VINHDANH_PUBLIC_URL=PUBLIC_URL,
        )
        services.start_worker(instance / "worker.log")
        stack.callback(lambda: _stop(services.worker))
        services.supervise(instance / "worker.log")
        stack.callback(services.done.set)  # first: no restart while stopping
    for n in range(2 if args.kill_one_at is not None else 1):
        server = Server(env, workers=args.workers, log=instance / f"server-{n + 1}.log")
        stack.callback(server.stop)
        services.servers.append(server)
    for server in services.servers:  # started together, waited for one by one
        server.wait_ready()
    return services


def _stop(process: subprocess.Popen | None) -> None:
    """Stop the RQ worker at the end: its Redis listener may take a minute to notice a
    SIGTERM, and nothing is asked of it any more."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(3)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


# --- the users -----------------------------------------------------------------------------


@dataclass
class Browser:
    """One person's connection and cookies (keep-alive, like a browser); ``other``: the
    server a proxy would send the request to when this one does not answer."""

    port: int
    other: int | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    conn: http.client.HTTPConnection | None = None
    moved: bool = False
    # The app's CPU for the last answer, from its Server-Timing header (ms; None: not said).
    last_cpu: float | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.last_cpu = None
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                if self.other is not None:  # this server is gone: the other, for good
                    self.port, self.other, self.moved = self.other, None, True
        self.last_cpu = cpu_ms(response.getheader(TIMING))
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, text

    def sign_in(self, username: str) -> None:
        status, page = self.request("GET", "/auth/login")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "POST", "/auth/login", {"username": username, "password": PASSWORD, "csrf_token": token}
        )
        assert status in (302, 303), (username, status)
        status, page = self.request("GET", "/")
        self.csrf = CSRF.search(page).group(1)


@dataclass
class Tally:
    """What the users saw, by request kind, and the actions the server acknowledged."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # The app's CPU per answer (ms, Server-Timing), by request kind.
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    acknowledged: list[tuple[int, str]] = field(default_factory=list)
    # Every request: when it ended (monotonic), the port that answered (None: no answer), ok.
    answers: list[tuple[float, int | None, bool]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        return sum(len(v) for v in self.times.values())

    def timed(
        self,
        kind: str,
        browser: Browser,
        method: str,
        path: str,
        form: dict | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> int | None:
        """``browser``'s request, timed and counted under ``kind``; its status (None: no
        answer)."""
        start = time.perf_counter()
        try:
            status, _ = browser.request(method, path, form)
        except (OSError, http.client.HTTPException):
            status = None
        end = time.perf_counter()
        with self.lock:
            self.times[kind].append(end - start)
            if browser.last_cpu is not None:
                self.cpu[kind].append(browser.last_cpu)
            if status not in expect:
                self.errors[kind][status or "no answer"] += 1
            self.answers.append((end, browser.port if status else None, status in expect))
        return status


def _take(queue: deque) -> tuple[int, str] | None:
    try:
        return queue.popleft()
    except IndexError:
        return None


def user_loop(role, browser, unit_id, work: Work, outcomes: range, tally: Tally, stop) -> None:
    """One person's deadline day: their pages and actions, back to back, until ``stop``."""
    rng = random.Random(hash((role, unit_id, id(browser))))
    step = 0
    while not stop.is_set():
        step += 1
        if role == "public":
            public_step(browser, rng, step, outcomes, tally)
            continue
        if step % 3 == 1:
            if role == "office":
                tally.timed("office: queue", browser, "GET", "/office/")
            else:
                tally.timed(f"{role}: home", browser, "GET", "/")
            continue
        if step % 3 == 2:
            if role == "staff":
                tally.timed("staff: dossiers", browser, "GET", "/dossiers/")
            elif role == "office":
                tally.timed("office: dashboard", browser, "GET", "/dashboard/")
            else:
                tally.timed("head: home", browser, "GET", "/")
            continue
        act(role, browser, unit_id, work, tally)


def public_step(browser: Browser, rng: random.Random, step: int, outcomes: range, tally) -> None:
    """The public's next page: a search, the list, a later page or an outcome, in turn."""
    turn = step % 4
    if turn == 1:
        query = urlencode({"q": rng.choice(SEARCHED)})
        tally.timed("public: search", browser, "GET", f"/public/?{query}")
    elif turn == 2:
        tally.timed("public: list", browser, "GET", "/public/")
    elif turn == 3:
        tally.timed("public: page", browser, "GET", f"/public/?page={rng.randint(2, 20)}")
    else:
        outcome = rng.choice(outcomes)
        tally.timed("public: outcome", browser, "GET", f"/public/outcomes/{outcome}")


def act(role: str, browser: Browser, unit_id: int, work: Work, tally: Tally) -> None:
    """The person's forward step on their next piece of work, through the dossier's action
    form; what is acknowledged goes on to whoever acts next."""
    index = ROLES.index(role)
    mine = work[role][unit_id if role != "office" else 0]
    item = _take(mine)
    if item is None:
        tally.timed(f"{role}: home", browser, "GET", "/")
        return
    dossier_id, kind = item
    trigger = STEPS[kind][index][1]
    if role == "office":
        tally.timed("office: dossier", browser, "GET", f"/dossiers/{dossier_id}")
    status = tally.timed(
        f"{kind}: {trigger}",
        browser,
        "POST",
        f"/dossiers/{dossier_id}/actions/{trigger}",
        {"csrf_token": browser.csrf},
        expect=(302, 303),
    )
    if status in (302, 303):
        with tally.lock:
            tally.acknowledged.append((dossier_id, trigger))
        if index + 1 < len(ROLES):
            work[ROLES[index + 1]][unit_id if index + 1 < 2 else 0].append(item)


def floor_loop(
    browser: Browser, tally: Tally, stop: threading.Event, kind: str, path: str, status: int
) -> None:
    while not stop.is_set():
        tally.timed(kind, browser, "GET", path, expect=(status,))


def run_phase(
    threads_of: list[Callable[[threading.Event], None]],
    seconds: float,
    events: Iterable[tuple[float, Callable[[], None]]] = (),
) -> tuple[float, float]:
    """Run every user's loop for ``seconds``, and each of ``events`` at its second; the phase's
    start (``perf_counter``) and its length."""
    stop = threading.Event()
    threads = [threading.Thread(target=fn, args=(stop,), daemon=True) for fn in threads_of]
    timers = [threading.Timer(at, fn) for at, fn in events]
    start = time.perf_counter()
    for thread in [*threads, *timers]:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for timer in timers:
        timer.cancel()
    for thread in [*threads, *timers]:
        thread.join(120)
    return start, time.perf_counter() - start


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _statuses(errors: Counter) -> str:
    """What the errors were: ``(409 ×2, no answer)``."""
    named = [f"{status} ×{n}" if n > 1 else str(status) for status, n in errors.items()]
    return f"({', '.join(named)})" if named else ""


def report(title: str, tally: Tally, elapsed: float, cpu: float, db_cpu: float, workers: int):
    total = tally.count()
    print(f"\n  {title}: {total} requests in {elapsed:.1f} s, {total / elapsed:.0f} req/s")
    print(
        f"  {'kind':26} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
        f" {'app CPU ms':>10}"
    )
    for kind in sorted(tally.times):
        values, spent = tally.times[kind], tally.cpu.get(kind)
        line = (
            f"  {kind:26} {len(values):7d} {statistics.median(values) * 1000:8.1f} "
            f"{_pct(values, 0.95):8.1f} {_pct(values, 0.99):8.1f} "
            f"{sum(tally.errors[kind].values()):7d} "
            f"{statistics.fmean(spent) if spent else float('nan'):10.2f} "
            f"{_statuses(tally.errors[kind])}"
        )
        print(line.rstrip())
    per_request = cpu / total * 1000 if total else 0.0
    print(
        f"  server CPU: {cpu:.1f} s, {per_request:.2f} ms per request (the workers on the CPU "
        f"{cpu / (elapsed * workers):.0%} of the time); PostgreSQL CPU (the bench database's "
        f"backends): {db_cpu:.1f} s, {db_cpu / total * 1000 if total else 0:.2f} ms per request"
    )
    report_app_cpu(tally, per_request)
    return per_request


def report_app_cpu(tally: Tally, workers_per_request: float) -> None:
    """The app's own CPU (the servers' Server-Timing) per request, against the workers' CPU
    per request (the rest: gunicorn, HTTP, closing the sessions), and the kinds of request
    that took most of it."""
    spent = {kind: sum(values) for kind, values in tally.cpu.items() if values}
    answered = sum(len(values) for values in tally.cpu.values())
    if not answered:
        return
    whole = sum(spent.values())
    shares = ", ".join(
        f"{kind} {ms / whole:.0%}" for kind, ms in sorted(spent.items(), key=lambda kv: -kv[1])[:6]
    )
    print(
        f"  the app's CPU (Server-Timing): {whole / answered:.2f} ms per request of the "
        f"workers' {workers_per_request:.2f}; most of it: {shares}"
    )
    report_audiences(tally, workers_per_request - whole / answered)


# Issue 17's targets for the server's CPU per request, by who asks (ms).
CPU_TARGETS = {"public": 4.0, "signed in": 6.0}


def audience_of(kind: str) -> str | None:
    """Whose requests those of ``kind`` are: "public" or "signed in"; None for a floor's."""
    if kind in FLOORS:
        return None
    return "public" if kind.startswith("public:") else "signed in"


def report_audiences(tally: Tally, outside: float) -> None:
    """The server's CPU per request of the public's requests and of the signed-in people's:
    the app's own (Server-Timing) plus the workers' mean outside the app (gunicorn, HTTP),
    against the targets."""
    audiences: dict[str, list[float]] = {name: [] for name in CPU_TARGETS}
    for kind, values in tally.cpu.items():
        if (audience := audience_of(kind)) is not None:
            audiences[audience] += values
    if not all(audiences.values()):
        return
    parts = []
    for name, values in audiences.items():
        server = statistics.fmean(values) + outside
        met = "met" if server <= CPU_TARGETS[name] else "not met"
        parts.append(f"{name} {server:.2f} ms (target ≤ {CPU_TARGETS[name]:g}: {met})")
    shown = ", ".join(parts)
    print(f"  the server's CPU per request, the app's plus {outside:.2f} ms outside it: {shown}")


def report_shell_ratio(mix: Tally, shell: Tally) -> None:
    """The app's CPU per request of the signed-in people's requests in the mix against that of
    a page not found, signed in, in the same run: how far their pages are from the least a
    signed-in page costs on the machine as it is during the run."""
    pages = [
        ms for kind, values in mix.cpu.items() if audience_of(kind) == "signed in" for ms in values
    ]
    floor = shell.cpu.get(SHELL_KIND)
    if not pages or not floor:
        return
    theirs, least = statistics.fmean(pages), statistics.fmean(floor)
    print(
        f"  the app's CPU per signed-in request, mix / a page not found signed in: "
        f"{theirs:.2f} / {least:.2f} ms = {theirs / least:.1f}"
    )


def report_machine(used: Sequence[float], elapsed: float, requests: int, users: int) -> None:
    """Where the machine's CPU went (``used``: workers, database, this client, the whole
    machine, in seconds) and what Little's law makes of the rate: with users sending back to
    back, the mean response time is users / throughput, whatever the server does."""
    workers, database, client, busy = used
    cores = os.cpu_count() or 1
    rest = max(busy - workers - database - client, 0.0)
    per = 1000 / requests if requests else 0.0
    print(
        f"  the machine: {cores} cores busy {busy / (elapsed * cores):.0%} of the time; CPU per "
        f"request: workers {workers * per:.2f} ms, PostgreSQL {database * per:.2f}, this "
        f"client {client * per:.2f}, the rest {rest * per:.2f}; all told {busy * per:.2f} ms"
    )
    if requests:
        print(
            f"  Little's law: {users} users at {requests / elapsed:.0f} req/s wait "
            f"{users * elapsed / requests * 1000:.0f} ms per request on average"
        )


# --- the run -------------------------------------------------------------------------------


def bench(args) -> int:
    if not args.pg:
        print("bench/load.py needs PostgreSQL: --pg URL or VINHDANH_TEST_DATABASE_URL")
        return 2
    for name in ("kill_one_at", "stop_redis_at"):
        at = getattr(args, name)
        if at is not None and not 0 < at < args.duration:
            print(f"--{name.replace('_', '-')} must fall within the mix (0 < s < --duration)")
            return 2
    args.mail = args.mail or args.stop_redis_at is not None
    with (
        fresh_database("postgresql", args.pg) as url,
        tempfile.TemporaryDirectory() as tmp,
        ExitStack() as stack,
    ):
        instance = Path(tmp)
        uploads = instance / "uploads"
        drafts = max(30, round(WORK["nomination"] * args.scale))
        started = time.perf_counter()
        engine, cast = setup(url, 0, uploads, ())
        stack.callback(engine.dispose)
        create_nominations(engine, cast, "load", drafts, uploads)
        sizes, outcomes = build_city(engine, cast, args.scale)
        work = ready_work(engine, cast)
        with engine.begin() as conn:  # committed: a rolled-back ANALYZE leaves no statistics
            conn.exec_driver_sql("ANALYZE")
        if args.mail:
            give_e_mail_addresses(engine)
        built = time.perf_counter() - started
        services = start_services(stack, url, instance, args)
        print(
            f"\n== PostgreSQL, {len(services.servers)} × gunicorn with {args.workers} workers, "
            f"{args.users} users{', e-mail through Redis and an RQ worker' if args.mail else ''}:"
            f" {sizes['units']:,} units, {sizes['people']:,} people, "
            f"{sizes['outcomes']:,} published outcomes, {sizes['dossiers']:,} dossiers in every "
            f"state; at work: {drafts} nominations, {len(cast.sets['plan'])} plans, "
            f"{len(cast.sets['report'])} reports (city built in {built:.0f} s) =="
        )
        return _drive(args, engine, cast, work, outcomes, services, instance)


def _sign_in_everyone(args, cast: Cast, services: Services) -> list[tuple[str, Browser, int]]:
    units = sorted(cast.staff)
    roles = ["public", "staff", "head", "office", "public"]
    ports = [server.port for server in services.servers]
    people = []
    for i in range(args.users):
        role = roles[i % len(roles)]
        unit_id = units[(i // len(roles)) % len(units)]
        username = {
            "staff": f"staff{unit_id}",
            "head": f"head{unit_id}",
            "office": "reviewer",
        }.get(role)
        home = ports[i % len(ports)]
        browser = Browser(home, next((p for p in ports if p != home), None))
        if username:
            browser.sign_in(username)
        people.append((role, browser, unit_id))

    # Not timed: every user's pages twice, all users at once, so that every worker has
    # compiled its templates and filled its caches before the figures start (a server that
    # has run a while).
    def warm(browser: Browser, role: str) -> None:
        for path in WARM_UP[role] * 2:
            browser.request("GET", path)

    threads = [threading.Thread(target=warm, args=(b, r)) for r, b, _ in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return people


def _drive(args, engine, cast: Cast, work, outcomes, services: Services, instance) -> int:
    people = _sign_in_everyone(args, cast, services)
    workers = services.workers()
    meter, db, client = CpuMeter(), CpuMeter(), CpuMeter()

    def cpu() -> tuple[float, float, float, float]:
        return (
            meter.sample(workers),
            db.sample(database_backends(engine)),
            client.sample([os.getpid()]),
            machine_cpu(),
        )

    def floor(title: str, kind: str, path: str, status: int, users) -> tuple[Tally, float]:
        tally, before = Tally(), cpu()
        _, elapsed = run_phase(
            [lambda stop, b=b: floor_loop(b, tally, stop, kind, path, status) for b in users],
            args.duration / 5,
        )
        used = [after - start for after, start in zip(cpu(), before)]
        per_request = report(title, tally, elapsed, *used[:2], len(workers))
        report_machine(used, elapsed, tally.count(), len(users))
        return tally, per_request

    static, floor_cpu = floor(
        "floor: a static file", STATIC_KIND, STATIC, 200, [b for _, b, _ in people]
    )
    signed_in = [b for role, b, _ in people if role != "public"]
    shell, _ = floor("floor of the signed-in pages", SHELL_KIND, NOT_FOUND, 404, signed_in)

    mix, faults = Tally(), Faults()
    statements = args.statements and watch_statements(engine)
    before, mix_start = cpu(), utcnow()
    start, elapsed = run_phase(
        [
            lambda stop, r=r, b=b, u=u: user_loop(r, b, u, work, outcomes, mix, stop)
            for r, b, u in people
        ],
        args.duration,
        faults.events(args, services, meter),
    )
    used = [after - start for after, start in zip(cpu(), before)]
    mix_cpu = report("deadline-day mix", mix, elapsed, *used[:2], len(workers))
    report_machine(used, elapsed, mix.count(), len(people))
    if floor_cpu:
        print(f"  ratio of CPU per request, mix / static file: {mix_cpu / floor_cpu:.1f}")
    report_shell_ratio(mix, shell)
    faults.report(mix, start, services, people)
    if statements:
        print_statements(engine, args.statements, mix.count())
    print_memory(services)

    ok = check_actions(engine, mix)
    if args.mail:
        ok = check_mail(engine, services, instance, mix_start) and ok
    errors = sum(sum(c.values()) for tally in (mix, static, shell) for c in tally.errors.values())
    print(f"  errors: {errors}")
    return 0 if ok else 1


@dataclass
class Faults:
    """The faults of the run and when they happened (``perf_counter``)."""

    killed_at: float | None = None
    killed: Server | None = None
    redis_stopped_at: float | None = None
    redis_back_at: float | None = None

    def events(self, args, services: Services, meter: CpuMeter):
        if args.kill_one_at is not None:
            victim = services.servers[-1]

            def kill() -> None:
                meter.sample(victim.worker_pids())  # its CPU up to the end counts
                self.killed, self.killed_at = victim, time.perf_counter()
                victim.kill()

            yield args.kill_one_at, kill
        if args.stop_redis_at is not None:

            def stop_redis() -> None:
                self.redis_stopped_at = time.perf_counter()
                services.redis.stop()

            def start_redis() -> None:
                services.redis.start()
                self.redis_back_at = time.perf_counter()

            yield args.stop_redis_at, stop_redis
            yield args.stop_redis_at + args.redis_down, start_redis

    def report(self, mix: Tally, start: float, services: Services, people) -> None:
        if self.killed_at is not None:
            after = [(port, ok) for end, port, ok in mix.answers if end > self.killed_at]
            survivor = services.servers[0].port
            served = sum(1 for port, _ in after if port == survivor)
            failed = sum(1 for port, ok in after if port == survivor and not ok)
            unanswered = sum(1 for port, _ in after if port is None)
            moved = sum(1 for _, b, _ in people if b.moved)
            print(
                f"\n  fault: server 2 (port {self.killed.port}) killed with SIGKILL, master and "
                f"workers, {self.killed_at - start:.1f} s into the mix; {moved} users moved to "
                f"server 1, which answered {served} requests after the kill ({failed} of them "
                f"not as expected); {unanswered} requests got no answer from either"
            )
        if self.redis_stopped_at is not None:
            back = self.redis_back_at
            down = (back or time.perf_counter()) - self.redis_stopped_at
            until = back or float("inf")
            during = [ok for end, _, ok in mix.answers if self.redis_stopped_at < end < until]
            restarts = services.worker_restarts
            print(
                f"\n  fault: Redis stopped {self.redis_stopped_at - start:.1f} s into the mix, "
                f"{'back' if back else 'not back'} after {down:.1f} s; {len(during)} requests "
                f"answered meanwhile, {during.count(False)} not as expected; the RQ worker "
                + (f"died and was restarted {restarts} time(s)" if restarts else "kept running")
            )
            if restarts:
                print(f"  the RQ worker's last words: {services.worker_last_words[:300]}")


def print_memory(services: Services) -> None:
    """Every app process's resident memory after the run, against the target."""
    parts, worst = [], 0.0
    for n, server in enumerate(services.servers, 1):
        if server.process.poll() is not None:
            continue
        master = rss_mb(server.process.pid) or 0.0
        workers = [rss_mb(pid) or 0.0 for pid in server.worker_pids()]
        worst = max([worst, master, *workers])
        listed = ", ".join(f"{mb:.0f}" for mb in workers)
        parts.append(f"server {n}: master {master:.0f} MB, workers {listed} MB")
    if services.worker is not None and services.worker.poll() is None:
        pids = [services.worker.pid, *child_pids(services.worker.pid)]  # with a job's fork
        rq = [mb for mb in map(rss_mb, pids) if mb is not None]
        worst = max([worst, *rq])
        parts.append("RQ worker: " + ", ".join(f"{mb:.0f}" for mb in rq) + " MB")
    verdict = "met" if worst <= RSS_TARGET_MB else "NOT met"
    print(f"\n  memory after the run: {'; '.join(parts)} (target ≤ {RSS_TARGET_MB} MB: {verdict})")


def check_actions(engine, mix: Tally) -> bool:
    """The audit chain verifies, and every acknowledged action is in it exactly once."""
    with make_sessionmaker(engine)() as session:
        chain_ = verify(session)
        found = Counter(
            session.execute(
                select(AuditEvent.entity_id, AuditEvent.action).where(
                    AuditEvent.entity_type == "dossier",
                    AuditEvent.action.in_({t for _, t in mix.acknowledged}),
                    AuditEvent.entity_id.in_({d for d, _ in mix.acknowledged}),
                )
            ).all()
        )
    lost = [a for a in mix.acknowledged if found[tuple(a)] == 0]
    twice = [a for a in mix.acknowledged if found[tuple(a)] > 1]
    print(
        f"\n  audit chain: {'verifies' if chain_.ok else 'BROKEN: ' + str(chain_.problem)} "
        f"({chain_.count} events); acknowledged actions: {len(mix.acknowledged)}, "
        f"lost: {len(lost)}, recorded twice: {len(twice)}"
    )
    return chain_.ok and not lost and not twice


def check_mail(engine, services: Services, instance: Path, mix_start, wait: float = 20.0) -> bool:
    """Every e-mail of the outbox reached the SMTP sink once. The outbox is waited on until
    nothing is left to send; what still waits then is left to ``vinhdanh mail send``, run once
    as cron runs it; then the outbox's rows and the messages received are compared."""
    rows, owed = _outbox_settled(engine, wait)
    if owed:
        for row in owed:
            print(
                f"    waiting after {wait:.0f} s: e-mail {row.id} to {row.to_address}, "
                f"{row.status}, queued {(row.created_at - mix_start).total_seconds():.1f} s "
                f"into the mix, {row.attempts} attempt(s) {row.last_error or ''}"
            )
        # Its log's own lines, without the frames of tracebacks.
        log = (instance / "worker.log").read_text(errors="replace").splitlines()
        said = [line for line in log if line and not line[0].isspace()][-10:]
        alive = services.worker is not None and services.worker.poll() is None
        print(
            f"    the RQ worker's process {'is running' if alive else 'has exited'}; its log "
            "ends:\n" + "\n".join(f"      {line[:200]}" for line in said)
        )
        subprocess.run(
            [sys.executable, "-m", "web.cli", "mail", "send"],
            cwd=_HERE.parent,
            env={**os.environ, **services.env, "PYTHONPATH": str(_HERE.parent)},
            capture_output=True,
            check=False,
        )
        rows, _ = _outbox_settled(engine, 5.0)
    settings = SmtpSettings(host="bench", sender=SENDER, base_url=PUBLIC_URL)
    expected = Counter(_mail_key(r.to_address, r.subject, compose(r, settings)) for r in rows)
    got = Counter(
        _mail_key(to, m.subject, m.message) for m in services.smtp.messages for to in m.rcpt_tos
    )
    missing, doubled = expected - got, got - expected
    statuses = Counter(r.status for r in rows)
    print(
        f"\n  e-mail: {len(rows)} in the outbox ({dict(statuses)}), {sum(got.values())} "
        f"received; left to cron's `vinhdanh mail send`: {len(owed)}; never delivered: "
        f"{sum(missing.values())}, delivered twice or unknown: {sum(doubled.values())}; the RQ "
        f"worker restarted {services.worker_restarts} time(s) in all"
    )
    return bool(rows) and not missing and not doubled


def _outbox_settled(engine, wait: float) -> tuple[list[OutboxEmail], list[OutboxEmail]]:
    """The outbox once nothing in it is queued or being sent, or after ``wait`` seconds; and
    what is still queued or being sent."""
    deadline = time.monotonic() + wait
    factory = make_sessionmaker(engine)
    while True:
        with factory() as session:
            rows = list(session.scalars(select(OutboxEmail)))
        owed = [r for r in rows if r.status in ("queued", "sending")]
        if not owed or time.monotonic() > deadline:
            return rows, owed
        time.sleep(1)


def _mail_key(to: str, subject: str, message) -> tuple[str, str, str]:
    return to, " ".join(subject.split()), message.get_content().strip()


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the city (0.05)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the mix")
    parser.add_argument("--users", type=int, default=50, help="users sending back to back")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers a server")
    parser.add_argument(
        "--kill-one-at",
        type=float,
        metavar="SECONDS",
        help="run two servers and SIGKILL the second this many seconds into the mix",
    )
    parser.add_argument(
        "--stop-redis-at",
        type=float,
        metavar="SECONDS",
        help="stop Redis this many seconds into the mix (implies --mail)",
    )
    parser.add_argument(
        "--redis-down", type=float, default=5.0, metavar="SECONDS", help="how long Redis is off"
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=0,
        metavar="N",
        help="print the N statements of the mix that cost PostgreSQL most (pg_stat_statements)",
    )
    parser.add_argument(
        "--mail",
        action="store_true",
        help="Redis, an RQ worker and an SMTP sink; every action queues e-mails",
    )
    return bench(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
