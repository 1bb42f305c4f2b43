"""Importing a city-wide staff list of N rows from XLSX into the register, against the floor.

    .venv/bin/python bench/people.py [--n 20000] [--pg URL] [--sqlite-only]

Not timed: an XLSX of N staff rows across 50 schools (with the unit-code column, as a city-wide
file), written once with openpyxl; the schools. Timed, each on a fresh migrated database:
* import: what ``vinhdanh import people FILE`` does — ``read_table`` (every cell, formulas and
  merged cells refused), ``import_table`` (every row checked against the register, people,
  memberships and groups written, one audit event), COMMIT;
* floor: openpyxl reading the same file in read-only mode (every value) plus one bulk INSERT of
  the same rows into the person table, COMMIT.
Peak RSS is the process's (``resource.getrusage``), read after the import, before the floor.
SQLite always runs; PostgreSQL when ``--pg`` or ``VINHDANH_TEST_DATABASE_URL`` names a server.
Targets: import ≤ 3× the floor, ≤ 20 s on SQLite; peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from openpyxl import Workbook, load_workbook  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bench.common import fresh_database  # noqa: E402
from models import Person, Unit, make_engine, make_sessionmaker  # noqa: E402
from models.text import fold  # noqa: E402
from workflow.people.columns import COLUMNS  # noqa: E402
from workflow.people.imports import digest, import_table  # noqa: E402
from workflow.people.spreadsheets import read_table  # noqa: E402

UNITS = 50
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Thanh", "Quang", "Ngọc"]
GIVEN = ["Hương", "Lan", "Minh", "Tuấn", "Hà", "Dũng", "Mai", "Hùng", "Yến", "Phúc", "Thảo"]
GROUPS = ["Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên", "Tổ Văn phòng"]


def write_file(path: Path, n: int) -> None:
    """N staff rows, ten columns, across UNITS schools; every person with a distinct ID."""
    rng = random.Random(11)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append([c.vi for c in COLUMNS["people"]])
    for i in range(n):
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(13000))
        sheet.append(
            [
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                rng.choice(["Nam", "Nữ"]),
                born.strftime("%d/%m/%Y"),
                f"031{i:09d}",
                "Giáo viên",
                rng.choice(GROUPS),
                f"BENCH-{i % UNITS:02d}",
                f"09{i:08d}",
                f"gv{i}@example.vn",
            ]
        )
    book.save(path)


def _units(url: str) -> None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        session.add_all(
            Unit(code=f"BENCH-{i:02d}", name=f"Trường THCS số {i}", kind="lower_secondary")
            for i in range(UNITS)
        )
        session.commit()
    engine.dispose()


def run_import(url: str, path: Path) -> float:
    engine = make_engine(url)
    start = time.perf_counter()
    with make_sessionmaker(engine)() as session:
        data = path.read_bytes()
        table = read_table(data, path.name)
        done = import_table(
            session, None, "people", table, unit_id=None, sha256=digest(data), file_name=path.name
        )
        session.commit()
    elapsed = time.perf_counter() - start
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == len(table.rows)
    assert done.count("create") == len(table.rows)
    engine.dispose()
    return elapsed


def run_floor(url: str, path: Path) -> float:
    engine = make_engine(url)
    with engine.connect() as conn:
        units = dict(conn.execute(select(Unit.code, Unit.id)).all())
    start = time.perf_counter()
    book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    book.close()
    with engine.begin() as conn:
        conn.execute(
            insert(Person.__table__),
            [
                {
                    "full_name": r[0],
                    "name_key": fold(r[0]),
                    "gender": r[1],
                    "date_of_birth": dt.datetime.strptime(r[2], "%d/%m/%Y").date(),
                    "identity_number": r[3],
                    "position": r[4],
                    "unit_id": units[r[6]],
                    "phone": r[7],
                    "email": r[8],
                    "version": 1,
                    "created_at": dt.datetime.now(dt.UTC),
                }
                for r in rows
            ],
        )
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench(backend: str, n: int, path: Path, pg_url: str | None) -> None:
    print(f"\n== {backend} (N = {n} staff rows, XLSX {path.stat().st_size / 1e6:.1f} MB) ==")
    with fresh_database(backend, pg_url) as url:
        _units(url)
        imported = run_import(url, path)
    rss = peak_rss_mb()
    with fresh_database(backend, pg_url) as url:
        _units(url)
        floor = run_floor(url, path)
    ratio = imported / floor
    print(f"  import (read_table + import_table + commit): {imported:6.2f} s")
    print(f"  floor (openpyxl read-only + one bulk INSERT): {floor:6.2f} s")
    print(f"  ratio to floor: {ratio:.2f}× (target ≤ 3×)")
    if backend == "sqlite":
        print(f"  absolute: {'within' if imported <= 20 else 'OVER'} the 20 s target")
    print(f"  peak RSS after the import: {rss:.0f} MB (target < 300 MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--pg", default=os.environ.get("VINHDANH_TEST_DATABASE_URL"))
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "danh-sach.xlsx"
        write_file(path, args.n)
        bench("sqlite", args.n, path, None)
        if args.pg and not args.sqlite_only:
            bench("postgresql", args.n, path, args.pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
