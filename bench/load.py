"""Deadline day on loopback: the production server on PostgreSQL, a generated city, users
sending back to back; latency per request kind, server CPU per request against a static file,
then the audit chain and every acknowledged action checked in the database.

    .venv/bin/python bench/load.py --pg URL [--scale 1] [--duration 60] [--users 50] [--workers 4]
    .venv/bin/python bench/load.py --scale 0.05 --duration 20 --users 10     # a small run

**The city** (not timed), in a fresh PostgreSQL database migrated by the project's revisions:
2,000 units, 20,000 people, 100,000 published outcomes and 5,000 dossiers spread over every
state of every kind, times ``--scale``, written with bulk inserts (the rows the workflow would
write, without their history); besides them ten schools with an emulation officer and a head
each and an Office reviewer (``bench.common.build_cast``), whose work is real: drafts made
through the workflow with an evidence file, a third of them moved on to the head and a third
to the Office, so that every role has something to do from the first second.

**The server**: ``vinhdanh serve`` (gunicorn) with ``--workers`` sync workers on 127.0.0.1,
sign-in limits off (every user signs in from the same address), started and stopped here.

**Timed**, after every user has signed in: first a static file (``/static/app.css``) requested by
every user back to back for a fifth of ``--duration`` (the floor), then the deadline-day mix
for ``--duration`` seconds, each user sending its next request as soon as the last is
answered (a capacity test, no think time):

* the public (2 users in 5): the outcome list, a search for a common word, a later page;
* units' emulation officers: home, the unit's dossiers, sending a draft to their head;
* units' heads: home, approving what their officer sent (it goes to the Office);
* the Office: the review queue, the dashboard, a dossier's page, accepting it.

Printed: per request kind the count, p50/p95/p99 in milliseconds and the errors (a status other
than the one expected, or no answer); the throughput; the server's CPU per request (the
workers' user + system time from ``/proc``, divided by the requests answered) for the floor and
for the mix, and their ratio; each worker's memory after the run. Then the checks: the audit
chain verifies (``workflow.core.audit.verify``), and every action the server acknowledged (a
redirect after the POST) has its audit event in the database.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from bench.common import (  # noqa: E402
    NOW,
    PASSWORD,
    Cast,
    Progress,
    backend_parser,
    create_nominations,
    fresh_database,
    setup,
)
from models import AuditEvent, Dossier, Unit, make_sessionmaker  # noqa: E402
from models.dossiers import Nomination, Plan, Report, fill_sort_keys  # noqa: E402
from models.people import Person  # noqa: E402
from models.search_terms import fill_search_terms  # noqa: E402
from models.text import fold  # noqa: E402
from workflow import fire  # noqa: E402
from workflow.core.audit import verify  # noqa: E402
from workflow.core.registry import WORKFLOWS, states_where  # noqa: E402

CITY = {"units": 2000, "people": 20000, "outcomes": 100000, "dossiers": 5000}
STATIC = "/static/app.css"
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


def build_city(engine, cast: Cast, scale: float) -> dict[str, int]:
    """Units, people, published outcomes and dossiers in every state, by bulk inserts."""
    sizes = {name: max(1, round(n * scale)) for name, n in CITY.items()}
    dossier, nomination = Dossier.__table__, Nomination.__table__
    kinds_tables = {"nomination": nomination, "plan": Plan.__table__, "report": Report.__table__}
    published = states_where(lambda s: s.public)
    author = cast.reviewer.user_id
    with engine.begin() as conn:
        first_unit = (conn.scalar(select(func.max(Unit.id))) or 0) + 1
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
        first_person = (conn.scalar(select(func.max(Person.id))) or 0) + 1
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
        next_id = (conn.scalar(select(func.max(Dossier.id))) or 0) + 1
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
        # Written without the ORM: the public list's sort keys and word table are filled
        # here, as the migrations fill them.
        fill_sort_keys(conn)
        fill_search_terms(conn)
        # The ids were given: the sequences must go on after them.
        for table in ("unit", "person", "dossier"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    return sizes


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


def ready_work(engine, cast: Cast) -> dict[str, dict[int, deque]]:
    """The cast's drafts: a third left to the officers, a third sent to the heads, a third
    on to the Office (through the workflow), by role and unit."""
    work: dict[str, dict[int, deque]] = {r: defaultdict(deque) for r in ("staff", "head", "office")}
    factory = make_sessionmaker(engine)
    made = cast.sets["load"]
    progress = Progress("work for every role", len(made))
    for done, (dossier_id, unit_id) in enumerate(made, 1):
        share = done % 3
        with factory() as session:
            if share >= 1:
                fire(session, dossier_id, "submit", cast.staff[unit_id], now=NOW)
            if share == 2:
                fire(session, dossier_id, "unit_approve", cast.head[unit_id], now=NOW)
            session.commit()
        role = ("staff", "head", "office")[share]
        work[role][unit_id if role != "office" else 0].append(dossier_id)
        progress.step(done)
    return work


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int, instance: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {
        **os.environ,
        "VINHDANH_DATABASE_URL": url,
        "VINHDANH_INSTANCE_DIR": str(instance),
        "VINHDANH_SECRET_KEY": "bench-only-secret",
        "VINHDANH_RATELIMIT": "0",
        "PYTHONPATH": str(_HERE.parent),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.cli",
            "serve",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-access-log",
        ],
        cwd=_HERE.parent,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", STATIC)
            if conn.getresponse().status == 200 and len(worker_pids(server.pid)) == workers:
                return server, port
        except OSError:
            pass
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU time of ``pids`` so far (``/proc/<pid>/stat``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- the users -----------------------------------------------------------------------------


@dataclass
class Browser:
    """One person's connection and cookies (keep-alive, like a browser)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
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
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acknowledged: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

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
        elapsed = time.perf_counter() - start
        with self.lock:
            self.times[kind].append(elapsed)
            if status not in expect:
                self.errors[kind] += 1
        return status


def _take(queue: deque) -> int | None:
    try:
        return queue.popleft()
    except IndexError:
        return None


def user_loop(role, browser, unit_id, work, tally: Tally, stop: threading.Event) -> None:
    """One person's deadline day: their pages and actions, back to back, until ``stop``."""
    rng = random.Random(hash((role, unit_id, id(browser))))
    step = 0
    while not stop.is_set():
        step += 1
        if role == "public":
            if step % 3 == 1:
                query = urlencode({"q": rng.choice(SEARCHED)})
                tally.timed("public: search", browser, "GET", f"/public/?{query}")
            elif step % 3 == 2:
                tally.timed("public: list", browser, "GET", "/public/")
            else:
                tally.timed("public: page", browser, "GET", f"/public/?page={rng.randint(2, 20)}")
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
        trigger, mine, then = {
            "staff": ("submit", work["staff"][unit_id], work["head"][unit_id]),
            "head": ("unit_approve", work["head"][unit_id], work["office"][0]),
            "office": ("office_approve", work["office"][0], None),
        }[role]
        dossier_id = _take(mine)
        if dossier_id is None:
            tally.timed(f"{role}: home", browser, "GET", "/")
            continue
        if role == "office":
            tally.timed("office: dossier", browser, "GET", f"/dossiers/{dossier_id}")
        status = tally.timed(
            f"action: {trigger}",
            browser,
            "POST",
            f"/dossiers/{dossier_id}/actions/{trigger}",
            {"csrf_token": browser.csrf},
            expect=(302, 303),
        )
        if status in (302, 303):
            with tally.lock:
                tally.acknowledged.append((dossier_id, trigger))
            if then is not None:
                then.append(dossier_id)


def static_loop(browser: Browser, tally: Tally, stop: threading.Event) -> None:
    while not stop.is_set():
        tally.timed("static file", browser, "GET", STATIC)


def run_phase(threads_of: list[Callable[[threading.Event], None]], seconds: float) -> float:
    stop = threading.Event()
    threads = [threading.Thread(target=fn, args=(stop,), daemon=True) for fn in threads_of]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(120)
    return time.perf_counter() - start


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(title: str, tally: Tally, elapsed: float, cpu: float) -> float:
    total = sum(len(v) for v in tally.times.values())
    print(f"\n  {title}: {total} requests in {elapsed:.1f} s, {total / elapsed:.0f} req/s")
    print(f"  {'kind':22} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in sorted(tally.times):
        values = tally.times[kind]
        print(
            f"  {kind:22} {len(values):7d} {statistics.median(values) * 1000:8.1f} "
            f"{_pct(values, 0.95):8.1f} {_pct(values, 0.99):8.1f} {tally.errors[kind]:7d}"
        )
    per_request = cpu / total * 1000 if total else 0.0
    print(f"  server CPU: {cpu:.1f} s, {per_request:.2f} ms per request")
    return per_request


def bench(args) -> int:
    if not args.pg:
        print("bench/load.py needs PostgreSQL: --pg URL or VINHDANH_TEST_DATABASE_URL")
        return 2
    with fresh_database("postgresql", args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        uploads = instance / "uploads"
        drafts = max(30, round(600 * args.scale))
        engine, cast = setup(url, 0, uploads, ())
        create_nominations(engine, cast, "load", drafts, uploads)
        sizes = build_city(engine, cast, args.scale)
        work = ready_work(engine, cast)
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
        print(
            f"\n== PostgreSQL, gunicorn with {args.workers} workers, {args.users} users: "
            f"{sizes['units']:,} units, {sizes['people']:,} people, "
            f"{sizes['outcomes']:,} published outcomes, {sizes['dossiers']:,} dossiers in every "
            f"state, {drafts} drafts at work =="
        )
        server, port = start_server(url, args.workers, instance)
        try:
            return _drive(args, engine, cast, work, server, port)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            engine.dispose()


def _drive(args, engine, cast: Cast, work, server, port: int) -> int:
    units = sorted(cast.staff)
    roles = ["public", "staff", "head", "office", "public"]
    people = []
    for i in range(args.users):
        role = roles[i % len(roles)]
        unit_id = units[(i // len(roles)) % len(units)]
        username = {
            "staff": f"staff{unit_id}",
            "head": f"head{unit_id}",
            "office": "reviewer",
        }.get(role)
        browser = Browser(port)
        if username:
            browser.sign_in(username)
        people.append((role, browser, unit_id))
    workers = worker_pids(server.pid)
    # Not timed: every page once per worker or so, so that templates are compiled and caches
    # filled before the figures start (a server that has run a while).
    for _ in range(2 * args.workers):
        for role, browser, _unit in people:
            for path in WARM_UP[role]:
                browser.request("GET", path)

    floor = Tally()
    before = cpu_seconds(workers)
    elapsed = run_phase(
        [lambda stop, b=b: static_loop(b, floor, stop) for _, b, _ in people], args.duration / 5
    )
    floor_cpu = report("floor: a static file", floor, elapsed, cpu_seconds(workers) - before)

    mix = Tally()
    before = cpu_seconds(workers)
    elapsed = run_phase(
        [lambda stop, r=r, b=b, u=u: user_loop(r, b, u, work, mix, stop) for r, b, u in people],
        args.duration,
    )
    mix_cpu = report("deadline-day mix", mix, elapsed, cpu_seconds(workers) - before)
    if floor_cpu:
        print(f"  ratio of CPU per request, mix / static file: {mix_cpu / floor_cpu:.1f}")
    print("  memory after the run: " + ", ".join(f"{rss_mb(p):.0f} MB" for p in workers))

    with make_sessionmaker(engine)() as session:
        chain = verify(session)
        found = set(
            session.execute(
                select(AuditEvent.entity_id, AuditEvent.action).where(
                    AuditEvent.entity_type == "dossier",
                    AuditEvent.action.in_({t for _, t in mix.acknowledged}),
                )
            ).all()
        )
    lost = [a for a in mix.acknowledged if tuple(a) not in found]
    errors = sum(mix.errors.values()) + sum(floor.errors.values())
    print(
        f"\n  audit chain: {'verifies' if chain.ok else 'BROKEN: ' + str(chain.problem)} "
        f"({chain.count} events); acknowledged actions: {len(mix.acknowledged)}, "
        f"lost: {len(lost)}; errors: {errors}"
    )
    return 0 if chain.ok and not lost else 1


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the city (0.05)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the mix")
    parser.add_argument("--users", type=int, default=50, help="users sending back to back")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    return bench(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
