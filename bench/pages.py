"""Server CPU per request of the busy pages, on the demo data, against a static file.

    .venv/bin/python bench/pages.py [--requests 50] [--runs 5] [--pg URL | --sqlite-only]
    .venv/bin/python bench/pages.py --sqlite-only --profile /dossiers/ --as canbo.thpt-tran-phu
    .venv/bin/python bench/pages.py --city --pg URL [--scale 1]

The demo (``vinhdanh demo``) is loaded into a fresh migrated database (not timed). Each page is
requested through the Flask test client as the person who uses it, signed in beforehand: a
visitor (the public pages), a unit's emulation officer (home, the unit's dossiers), the
Department Office's reviewer (home, the Office queue, the dashboard, a dossier it reviews). The
public dossier page and the Office's dossier page are the first ones their lists link to. Timed:
the process's CPU time (``time.process_time``) of REQUESTS requests in a row, RUNS times,
alternating the pages; the median and the best run per request are printed with the SQL
statements one request runs, and the ratio of the median to the floor: a static file
(``/static/app.css``) served by the same app in the same run, which costs the WSGI round trip
and nothing of ours. The load average is printed before and after.

``--city`` builds instead the city of ``bench/load.py`` (2,000 units, 100,000 published outcomes,
5,000 dossiers, times ``--scale``; about 90 s at full size) and times the load's pages as its
users ask for them, the first of the ten schools' officer and head, the Office's reviewer and a
visitor, who also opens outcomes at random (most are not kept yet, as on deadline day), and a
page not found, signed in: the least any signed-in page costs. Then, apart from the timed runs,
where the dearest signed-in pages spend their CPU (``PARTS``: named functions, each timed
inclusive of what it calls).

``--profile PATH`` prints instead the top costs (cProfile, cumulative and own time) of REQUESTS
requests of PATH, as ``--as`` (a visitor without it).

Issue 17's targets are 4 ms for a public page and 6 ms signed in, on a 2-core machine; the ratio
says how far a page is from the floor whatever the machine's speed or load.
"""

from __future__ import annotations

import cProfile
import functools
import importlib
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from sqlalchemy import event  # noqa: E402

from bench.common import NOT_FOUND, backend_parser, fresh_database, on_backends  # noqa: E402
from models import make_engine, make_sessionmaker  # noqa: E402

STATIC = "/static/app.css"
# Placeholders in a path: the first dossier the given list links to, for the same person.
FIRST_LINK = {
    "{outcome}": ("/public/", re.compile(r'href="(/public/outcomes/\d+)"')),
    "{reviewed}": ("/office/", re.compile(r'href="(/dossiers/\d+)"')),
}
# (who signs in, path, what the page is); None: a visitor.
PAGES = (
    (None, STATIC, "static file (floor)"),
    (None, "/public/", "published outcomes"),
    (None, "/public/?q=nguyen", "outcomes, searched"),
    (None, "{outcome}", "public dossier page"),
    (None, "/public/audit", "audit chain page"),
    ("canbo.thpt-tran-phu", "/", "unit officer: home"),
    ("canbo.thpt-tran-phu", "/dossiers/", "unit officer: dossiers"),
    ("thutruong.thpt-tran-phu", "/", "unit head: home"),
    ("chuyenvien.vp", "/", "Office: home"),
    ("chuyenvien.vp", "/office/", "Office: review queue"),
    ("chuyenvien.vp", "/dashboard/", "Office: dashboard"),
    ("chuyenvien.vp", "{reviewed}", "Office: a dossier"),
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Where the dearest signed-in pages of the city spend their CPU: (part, "module:function"), each
# function's time counted inclusive of what it calls; a part indented is inside the one above.
PARTS = {
    "unit head: home": (
        ("the to-do list", "workflow.dossiers.queues:my_queues"),
        ("  rows' actions, rules of those shown", "workflow.dossiers.queues:_first_evaluated"),
        ("what the unit owes, returns to fix", "web.home.views:_owed_and_waiting"),
        ("drawing the page", "web.home.views:render_template"),
    ),
    "Office: review queue": (
        ("the page's dossiers and the count", "workflow.dossiers.queues:office_page"),
        ("drawing the page", "web.office.views:render_template"),
        ("  the rows' eligibility", "workflow.awards.eligibility:check_many"),
    ),
}


def _client(app, username: str | None, password: str):
    client = app.test_client()
    if username is not None:
        page = client.get("/auth/login").get_data(as_text=True)
        answer = client.post(
            "/auth/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": CSRF.search(page).group(1),
            },
        )
        assert answer.status_code in (302, 303), (username, answer.status_code)
    return client


def _statements(app, client, path: str) -> int:
    counted: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            counted.append(statement)

    engine = app.extensions["vinhdanh.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


@contextmanager
def demo_app(backend: str, pg_url: str | None) -> Iterator:
    """The app on a fresh database holding the demo."""
    from web import create_app
    from web.demo import DEMO_PASSWORD, load_demo

    with fresh_database(backend, pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            assert load_demo(
                session, DEMO_PASSWORD, upload_dir=Path(uploads), progress=lambda line: None
            )
            session.commit()
        engine.dispose()
        app = create_app(
            {
                "DATABASE_URL": url,
                "UPLOAD_DIR": uploads,
                "SECRET_KEY": "bench-only",
                "RATELIMIT_ENABLED": False,
            }
        )
        try:
            yield app
        finally:
            app.extensions["vinhdanh.engine"].dispose()


def _resolved(client, path: str) -> str:
    if path not in FIRST_LINK:
        return path
    listing, link = FIRST_LINK[path]
    found = link.search(client.get(listing).get_data(as_text=True))
    assert found, f"{listing} links to no dossier"
    return found.group(1)


def bench(backend: str, pg_url: str | None, requests: int, runs: int) -> dict[str, float]:
    """CPU milliseconds per request of each page (median of the runs), by page label."""
    from web.demo import DEMO_PASSWORD

    print(f"\n== {backend}: demo data, {runs} runs of {requests} requests per page ==")
    with demo_app(backend, pg_url) as app:
        clients = {who: _client(app, who, DEMO_PASSWORD) for who in {p[0] for p in PAGES}}
        pages = [(who, _resolved(clients[who], path), label) for who, path, label in PAGES]
        return _timed(app, clients, pages, requests, runs)


def _timed(app, clients, pages, requests: int, runs: int) -> dict[str, float]:
    """Time ``pages`` ((who, path, label); a path may be a function giving the next one) and
    print the table; the first page is the floor."""
    print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    statements = {}
    for who, path, label in pages:
        first = _next(path)
        response = clients[who].get(first)  # warms what the app keeps between requests
        expected = 404 if first == NOT_FOUND else 200
        assert response.status_code == expected, (who, first, response.status_code)
        statements[label] = _statements(app, clients[who], _next(path))
    times: dict[str, list[float]] = {label: [] for _, _, label in pages}
    for _ in range(runs):
        for who, path, label in pages:
            client = clients[who]
            paths = [_next(path) for _ in range(requests)]
            start = time.process_time()
            for one in paths:
                client.get(one)
            times[label].append((time.process_time() - start) / requests)
    medians = {label: statistics.median(values) * 1000 for label, values in times.items()}
    floor = medians[pages[0][2]]
    print(
        f"  {'page':30} {'path':22} {'median ms':>9} {'best ms':>7} {'statements':>10} {'ratio':>6}"
    )
    for _, path, label in pages:
        shown = "(each a new one)" if callable(path) else path
        print(
            f"  {label:30} {shown:22} {medians[label]:9.2f} {min(times[label]) * 1000:7.2f} "
            f"{statements[label]:10d} {medians[label] / floor:6.1f}"
        )
    print("  ratio: median CPU per request of the page / that of the static file")
    print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return medians


def _next(path) -> str:
    """The path to ask for next: ``path`` itself, or what it gives when it is a function."""
    return path() if callable(path) else path


def city(pg_url: str, scale: float, requests: int, runs: int) -> dict[str, float]:
    """The load bench's city (``bench/load.py``, not timed), its pages timed in process as its
    users ask for them; a visitor opens outcomes at random, so most are not kept yet."""
    from bench.common import PASSWORD, create_nominations, setup
    from bench.load import WORK, build_city, ready_work
    from web import create_app

    print(f"\n== postgresql: the load's city × {scale}, {runs} runs of {requests} requests ==")
    with fresh_database("postgresql", pg_url) as url, tempfile.TemporaryDirectory() as tmp:
        uploads = Path(tmp)
        engine, cast = setup(url, 0, uploads, ())
        drafts = max(30, round(WORK["nomination"] * scale))
        create_nominations(engine, cast, "load", drafts, uploads)
        _, outcomes = build_city(engine, cast, scale)
        ready_work(engine, cast)
        with engine.begin() as conn:  # committed: a rolled-back ANALYZE leaves no statistics
            conn.exec_driver_sql("ANALYZE")
        engine.dispose()
        config = {"DATABASE_URL": url, "UPLOAD_DIR": tmp, "SECRET_KEY": "bench-only"}
        app = create_app({**config, "RATELIMIT_ENABLED": False})
        try:
            unit = min(cast.staff)
            names = {None: None, "staff": f"staff{unit}", "head": f"head{unit}"}
            clients = {who: _client(app, name, PASSWORD) for who, name in names.items()}
            clients["office"] = _client(app, "reviewer", PASSWORD)
            rng = random.Random(1)
            pages = [
                (None, STATIC, "static file (floor)"),
                (None, "/public/", "published outcomes"),
                (None, "/public/?q=nguyen", "outcomes, searched"),
                (None, "/public/?page=2", "outcomes, page 2"),
                (None, _resolved(clients[None], "{outcome}"), "an outcome, the same one"),
                (None, lambda: f"/public/outcomes/{rng.choice(outcomes)}", "an outcome at random"),
                ("head", NOT_FOUND, "signed in: the shell (a 404)"),
                ("head", "/", "unit head: home"),
                ("staff", "/", "unit officer: home"),
                ("staff", "/dossiers/", "unit officer: dossiers"),
                ("office", "/office/", "Office: review queue"),
                ("office", "/dashboard/", "Office: dashboard"),
                ("office", _resolved(clients["office"], "{reviewed}"), "Office: a dossier"),
            ]
            medians = _timed(app, clients, pages, requests, runs)
            _parts(clients, pages, requests)
            return medians
        finally:
            app.extensions["vinhdanh.engine"].dispose()


def _parts(clients, pages, requests: int) -> None:
    """Print the CPU per request of the parts of the pages in PARTS, each named function
    wrapped for the while (apart from the timed runs, which it would slow a little)."""
    print("  where the dearest signed-in pages spend it (ms per request, inclusive):")
    for who, path, label in pages:
        if label not in PARTS:
            continue
        spent: dict[str, float] = {}
        with _wrapped(PARTS[label], spent):
            start = time.process_time()
            for _ in range(requests):
                clients[who].get(_next(path))
            whole = time.process_time() - start
        print(f"  {label:48} {1000 * whole / requests:6.2f}")
        for part, target in PARTS[label]:
            print(f"    {part:46} {1000 * spent.get(target, 0.0) / requests:6.2f}")


@contextmanager
def _wrapped(parts, spent: dict[str, float]) -> Iterator[None]:
    """Each "module:function" of ``parts`` replaced in its module by a wrapper adding its CPU
    time to ``spent``; the originals put back afterwards."""
    originals = []
    for _, target in parts:
        module_name, name = target.split(":")
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        originals.append((module, name, original))
        setattr(module, name, _timing(original, target, spent))
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def _timing(function, target: str, spent: dict[str, float]):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[target] = spent.get(target, 0.0) + time.process_time() - start

    return timed


def profile(backend: str, pg_url: str | None, who: str | None, path: str, requests: int) -> None:
    """Print the top costs of ``requests`` requests of ``path`` as ``who``."""
    from web.demo import DEMO_PASSWORD

    with demo_app(backend, pg_url) as app:
        client = _client(app, who, DEMO_PASSWORD)
        path = _resolved(client, path)
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
    print(f"\n== {backend}: {requests} requests of {path} as {who or 'a visitor'} ==")
    stats = pstats.Stats(profiler)
    for order in ("cumulative", "tottime"):
        stats.sort_stats(order).print_stats(30)
    print("  own time by package (share of the profiled requests):")
    areas = _own_time_by_area(stats)
    total = sum(areas.values())
    for area, seconds in sorted(areas.items(), key=lambda item: -item[1]):
        print(f"  {area:28} {100 * seconds / total:5.1f} %")


def _own_time_by_area(stats: pstats.Stats) -> dict[str, float]:
    """Own time summed per installed package, per top folder of ours, and the templates."""
    areas: dict[str, float] = {}
    root = str(_HERE.parent) + "/"
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        if "site-packages/" in filename:
            area = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif filename.startswith(root):
            parts = filename[len(root) :].split("/")
            area = "templates" if "templates" in parts else parts[0]
        elif filename == "~":
            area = f"builtin {function.split(' of ')[0].strip('{<')}"[:28]
        else:
            area = "python stdlib"
        areas[area] = areas.get(area, 0.0) + own
    return areas


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="requests per page and run")
    parser.add_argument("--runs", type=int, default=5, help="runs (the median is printed)")
    parser.add_argument("--profile", metavar="PATH", help="profile PATH instead")
    parser.add_argument("--as", dest="who", metavar="USERNAME", help="who requests --profile")
    parser.add_argument(
        "--city", action="store_true", help="the load's city on PostgreSQL instead of the demo"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="share of the city (0.05)")
    args = parser.parse_args(argv)
    if args.city:
        if not args.pg:
            print("--city needs PostgreSQL: --pg URL or VINHDANH_TEST_DATABASE_URL")
            return 2
        city(args.pg, args.scale, args.requests, args.runs)
    elif args.profile:
        on_backends(
            args, lambda backend, pg: profile(backend, pg, args.who, args.profile, args.requests)
        )
    else:
        on_backends(args, lambda backend, pg: bench(backend, pg, args.requests, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
