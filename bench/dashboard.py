"""The Office dashboard's server time against one hand-written SQL query, in the same run.

    .venv/bin/python bench/dashboard.py [--units 2000] [--nominations 20000] [--repeat 9]
        [--analyze] [--pg URL]

Data (not timed): UNITS schools with a head each, NOMINATIONS nominations and one plan and
one report per unit (2·UNITS plans and reports), four targets with the reports' figures.
They are written with SQLAlchemy Core bulk INSERTs (executemany), not through the workflow
engine: no guards, no audit events. States are spread as in a real year, and sending dates
around the due dates (some late). "Today" is the real today; the plan was due about eight
months ago and the report two weeks ago, so every status occurs. The bench's server runs
without autovacuum: without ``--analyze`` the planner has no statistics and no visibility
map (index-only scans read the heap too); with it both are made after writing, as
autovacuum would on a live server.

Timed, alternating, REPEAT times each (median and best printed):
* dashboard: ``workflow.reporting.dashboard.campaign_dashboard`` in a new ORM session;
* page: ``GET /dashboard/?campaign=…`` through the Flask test client, signed in as the
  Office reviewer (the figures, the charts drawn in Python and the template);
* sql: one hand-written SQL statement computing the same figures (CTEs and UNION ALL).
The dashboard's figures and the query's are checked equal before anything is timed.
SQLite always runs on a fresh migrated file; PostgreSQL when ``--pg`` or
``VINHDANH_TEST_DATABASE_URL`` names a server (a fresh database is created and dropped).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import Engine, bindparam, text  # noqa: E402

from bench.common import PASSWORD, backend_parser, fresh_database, on_backends  # noqa: E402
from bench.dashboard_data import SQL, STATE_PARAMS, Bench, cutoff, populate  # noqa: E402
from bench.dashboard_plans import analyze  # noqa: E402
from models import Campaign, make_engine, make_read_sessionmaker  # noqa: E402
from models.base import UTCDateTime  # noqa: E402
from workflow.reporting import dashboard  # noqa: E402

TARGET_MS = 300.0


def dashboard_figures(board: dashboard.Dashboard) -> dict[tuple[str, str], int]:
    """The dashboard's figures in the query's shape: (figure, key) → count; the units apart
    (see :func:`units_differ`)."""
    out: dict[tuple[str, str], int] = {}
    for counts in (board.plans, board.reports):
        for status, n in counts.counts.items():
            if n:
                out[("submission", f"{counts.kind}:{status}")] = n
    out[("overdue", "")] = board.overdue_units
    for row in board.targets:
        for result, flag in (("met", 1), ("not_met", 0)):
            if row.counts[result]:
                out[("target", f"{row.target.id}:{flag}")] = row.counts[result]
    n = board.nominations
    out.update({("state", c.key): c.count for c in n.by_state})
    out.update({("award", str(c.key)): c.count for c in n.by_award})
    for name in (
        "published_individuals",
        "published_direct",
        "ad_hoc_published",
        "ad_hoc_in_progress",
    ):
        out[(name, "")] = getattr(n, name)
    return {k: v for k, v in out.items() if v}


def units_differ(figures: dashboard.NominationFigures, units: dict[str, int]) -> str | None:
    """What is wrong with the dashboard's units against the query's count per unit: the
    dashboard shows the first ``TOP_UNITS`` of them, most first, and how many there are."""
    top = [(str(c.key), c.count) for c in figures.by_unit]
    if figures.units != len(units):
        return f"{figures.units} units counted, the query {len(units)}"
    if len(top) != min(dashboard.TOP_UNITS, len(units)):
        return f"{len(top)} units shown of {len(units)}"
    if any(units.get(key) != n for key, n in top):
        return f"counts {[(key, n, units.get(key)) for key, n in top if units.get(key) != n]}"
    counts = [n for _, n in top]
    if counts != sorted(counts, reverse=True):
        return f"not most first: {counts}"
    left_out = max((n for key, n in units.items() if key not in dict(top)), default=0)
    if top and left_out > counts[-1]:
        return f"a unit left out has {left_out}, more than the last shown ({counts[-1]})"
    return None


class Sides:
    """The three things timed, on one database."""

    def __init__(self, engine: Engine, bench: Bench) -> None:
        self.engine, self.bench = engine, bench
        self.sessions = make_read_sessionmaker(engine)
        typed = (
            bindparam("plan_cutoff", type_=UTCDateTime()),
            bindparam("report_cutoff", type_=UTCDateTime()),
        )
        self.statement = text(SQL).bindparams(*typed)
        self.params = {
            "c": bench.campaign_id,
            "plan_cutoff": cutoff(bench.plan_due),
            "report_cutoff": cutoff(bench.report_due),
            "plan_past": int(bench.today > bench.plan_due),
            "report_past": int(bench.today > bench.report_due),
            "yes": True,
            **STATE_PARAMS,
        }
        self.client = self._signed_in_client(engine.url.render_as_string(hide_password=False))

    def _signed_in_client(self, url: str):
        from web import create_app

        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "UPLOAD_DIR": "/nonexistent",
            }
        )
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        client.post(
            "/auth/login", data={"username": "reviewer", "password": PASSWORD, "csrf_token": token}
        )
        self.page_url = f"/dashboard/?campaign={self.bench.campaign_id}"
        return client

    def dashboard(self) -> dashboard.Dashboard:
        with self.sessions() as session:
            campaign = session.get(Campaign, self.bench.campaign_id)
            return dashboard.campaign_dashboard(session, campaign, self.bench.today)

    def page(self) -> str:
        response = self.client.get(self.page_url)
        if response.status_code != 200:
            raise SystemExit(f"page: HTTP {response.status_code}")
        return response.get_data(as_text=True)

    def sql(self) -> dict[tuple[str, str], int]:
        with self.engine.connect() as conn:
            return {
                (figure, key): n
                for figure, key, n in conn.execute(self.statement, self.params)
                if n
            }


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - start) * 1000


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def server_pids(engine: Engine) -> list[int]:
    """The PostgreSQL backends of the bench's database (the bench's and the app's pools), when
    the server runs on this machine; none for SQLite."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        pids = conn.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).all()
    return [pid for pid in pids if Path(f"/proc/{pid}/stat").exists()]


def server_ms(pids: list[int]) -> float:
    """CPU time the backends ``pids`` used so far (user and system, from /proc)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks * TICK_MS


def measure(sides: Sides, repeat: int) -> dict[str, list[float]]:
    """Each side ``repeat`` times, in turn, so that all see the same machine load; besides
    the time, the CPU time of this process (``<side>_cpu``: all the work on SQLite, the
    client's on PostgreSQL) and of PostgreSQL's backends (``<side>_server``), which move less
    with the others' load on a shared machine."""
    names = ("dashboard", "page", "sql")
    keys = [f"{name}{part}" for name in names for part in ("", "_cpu", "_server")]
    runs: dict[str, list[float]] = {key: [] for key in keys}
    pids = server_pids(sides.engine)
    for i in range(repeat):
        for name in names if i % 2 == 0 else names[::-1]:
            cpu, server = time.process_time(), server_ms(pids)
            runs[name].append(_timed(getattr(sides, name))[1])
            runs[f"{name}_cpu"].append((time.process_time() - cpu) * 1000)
            runs[f"{name}_server"].append(server_ms(pids) - server)
    return runs


def check(sides: Sides) -> dict[str, float]:
    """The first run of each side (cold caches), checking that they agree; returns its times."""
    (board, t_board), (theirs, t_sql) = _timed(sides.dashboard), _timed(sides.sql)
    page, t_page = _timed(sides.page)
    ours = dashboard_figures(board)
    units = {key: n for (figure, key), n in theirs.items() if figure == "unit"}
    others = {k: n for k, n in theirs.items() if k[0] != "unit"}
    if ours != others:
        diff = {
            k: (ours.get(k), others.get(k))
            for k in set(ours) | set(others)
            if ours.get(k) != others.get(k)
        }
        raise SystemExit(f"figures differ (dashboard, sql): {dict(sorted(diff.items())[:20])}")
    if problem := units_differ(board.nominations, units):
        raise SystemExit(f"units differ (dashboard, sql): {problem}")
    total = sum(n for (figure, _), n in theirs.items() if figure == "state")
    if f"{total}</span>" not in page:
        raise SystemExit("the page does not show the nominations' total")
    print(
        f"  check: the dashboard's {len(ours)} figures, its {len(board.nominations.by_unit)} "
        f"units with the most nominations of {len(units)} equal the query's; the page shows them"
    )
    return {"dashboard": t_board, "page": t_page, "sql": t_sql}


def bench(backend: str, args: argparse.Namespace, pg_url: str | None) -> dict[str, float]:
    print(
        f"\n== {backend}: {args.units} units, {args.nominations} nominations, "
        f"{2 * args.units} plans and reports =="
    )
    with fresh_database(backend, pg_url) as url:
        engine = make_engine(url)
        try:
            data, seconds = populate(engine, args.units, args.nominations)
            print(
                f"  setup: {data.rows} rows inserted in {seconds:.1f} s with SQLAlchemy Core bulk "
                "INSERTs (executemany), not through the "
                "workflow engine (no guards, no audit events)"
            )
            if args.analyze:
                analyze(engine)
                print("  statistics: VACUUM ANALYZE (PostgreSQL) / ANALYZE (SQLite), committed")
            sides = Sides(engine, data)
            first = check(sides)
            load = os.getloadavg()[0]
            runs = {"first": first, **measure(sides, args.repeat)}
        finally:
            engine.dispose()
    med = {name: statistics.median(runs[name]) for name in ("dashboard", "page", "sql")}
    best = {name: min(runs[name]) for name in med}
    print(f"  load average before timing: {load:.2f} on {os.cpu_count()} CPUs")
    cpu = {name: statistics.median(runs[f"{name}_cpu"]) for name in med}
    # Mean, not median: /proc counts in clock ticks (10 ms), coarser than one run.
    server = {name: statistics.mean(runs[f"{name}_server"]) for name in med}
    local_server = backend == "postgresql" and any(server.values())
    shown_server = {k: f"{v:.1f} ms" if local_server else "—" for k, v in server.items()}
    print(
        f"  {'':30}{'median':>10}{'best':>10}{'first (cold)':>15}{'CPU median':>13}"
        f"{'server CPU mean':>17}"
    )
    labels = {
        "dashboard": "workflow.reporting.dashboard function",
        "page": "full page (Flask test client)",
        "sql": "one hand-written SQL query",
    }
    for name, label in labels.items():
        print(
            f"  {label:30}{med[name]:8.1f} ms{best[name]:8.1f} ms"
            f"{runs['first'][name]:12.1f} ms{cpu[name]:10.1f} ms{shown_server[name]:>17}"
        )
    print(
        f"  ratio dashboard/sql: {med['dashboard'] / med['sql']:.2f} "
        f"(best {best['dashboard'] / best['sql']:.2f}); "
        f"page/sql: {med['page'] / med['sql']:.2f}"
    )
    return {**{f"{k}_ms": v for k, v in med.items()}, "ratio": med["dashboard"] / med["sql"]}


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--nominations", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per side (default 9)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="gather the planner's statistics after writing, as autovacuum would on a live "
        "server (without: no statistics, no visibility map)",
    )
    args = parser.parse_args(argv)
    results = on_backends(args, lambda backend, url: bench(backend, args, url))
    sqlite = results["sqlite"]
    verdict = (
        "met" if sqlite["dashboard_ms"] < TARGET_MS and sqlite["page_ms"] < TARGET_MS else "NOT met"
    )
    print(
        f"\nTarget on SQLite (dashboard under {TARGET_MS:.0f} ms, function and page): {verdict} "
        f"(function {sqlite['dashboard_ms']:.0f} ms, page {sqlite['page_ms']:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
