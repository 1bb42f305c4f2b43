"""A decision of N rows as DOCX (with its annex: award money per row), against the floor.

    .venv/bin/python bench/decision_docx.py [--n 2000] [--repeat 3] [--no-database]

Not timed: N rows across 4 awards, individuals and collectives, with their money (the plain
data ``workflow.publication.decisions.decision_letter`` hands the document builder); and, for
the database side, a fresh migrated SQLite database with N nominations made through the real
workflow functions, a bonus rule and a draft decision of all of them.
Timed, in the same run, best of ``--repeat``:
* decision: ``workflow.documents.docx.decision_docx`` — heading, bases, articles, signature,
  the annex table (headings per award and group, rows, totals), footer, saved to bytes;
* from the database: ``workflow.publication.decisions.decision_docx`` — the decision's
  nominations read, each row's money, the audit head, then the same document;
* floor: python-docx writing a bare table of the same size (a new document, one table of
  N + 1 rows × 5 columns, ``add_row`` and ``cell.text`` per cell), saved to bytes.
Target: the decision ≤ 10 s for 2,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from docx import Document  # noqa: E402

from bench.common import (  # noqa: E402
    DECISION_DAY,
    PASSWORD,
    bench_decision,
    build_cast,
    create_nominations,
    fresh_database,
)
from models import BaseSalary, make_engine, make_sessionmaker  # noqa: E402
from models.decisions import Decision  # noqa: E402
from workflow import Actor  # noqa: E402
from workflow.accounts.service import create_user  # noqa: E402
from workflow.awards import catalogue  # noqa: E402
from workflow.documents import docx as documents  # noqa: E402
from workflow.publication import decisions, money  # noqa: E402

DAY = DECISION_DAY
AWARDS = (
    ("Lao động tiên tiến", Decimal("0.3")),
    ("Chiến sĩ thi đua cơ sở", Decimal("1.0")),
    ("Tập thể lao động tiên tiến", Decimal("0.8")),
    ("Giấy khen của Giám đốc Sở", Decimal("0.3")),
)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Thị Hương", "Văn Minh", "Thu Hà", "Đức Tuấn", "Thanh Mai", "Quang Dũng", "Ngọc Yến"]


def annex(n: int) -> money.Annex:
    """N rows, spread over the awards; one row in eight a collective."""
    base = BaseSalary(valid_from=dt.date(2024, 7, 1), amount=2_340_000, source="NĐ 73/2024")
    result = money.Annex(DAY, base)
    per_award = -(-n // len(AWARDS))
    made = 0
    for award_id, (name, multiple) in enumerate(AWARDS, start=1):
        count = min(per_award, n - made)
        groups = []
        for kind, share in (("individual", count - count // 8), ("collective", count // 8)):
            amount = money.award_money(multiple, base.amount)
            row_money = money.RowMoney(multiple, base.amount, amount)
            lines = tuple(
                money.MoneyLine(
                    number,
                    made + number,
                    award_id,
                    name,
                    name,
                    kind,
                    f"{FAMILY[number % 10]} {GIVEN[number % 7]}"
                    if kind == "individual"
                    else f"Tổ chuyên môn số {number}",
                    "Giáo viên" if kind == "individual" else "",
                    f"Trường THPT số {number % 50 + 1} Hải Phòng",
                    row_money,
                )
                for number in range(1, share + 1)
            )
            made += share
            groups.append(money.AnnexGroup(kind, lines))
        total = sum(line.amount for g in groups for line in g.lines)
        result.blocks.append(money.AwardBlock(name, name, tuple(groups), total))
    return result


def letter(n: int) -> documents.Letter:
    data = annex(n)
    return documents.Letter(
        agency_parent=documents.PARENT_AGENCY,
        agency=documents.AGENCY,
        number="05/QĐ-SGDĐT",
        day=DAY,
        kind_title="QUYẾT ĐỊNH",
        subject="Về việc khen thưởng năm học 2025 - 2026",
        authority="GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        bases=decisions.DEFAULT_BASES,
        intro=decisions.first_article(data),
        rows=[],
        articles=decisions.ARTICLES,
        signer="Nguyễn Văn Giám",
        signer_title=documents.DIRECTOR,
        recipients=decisions.RECIPIENTS,
        audit_head=(1, "0" * 64),
        draft=True,
        annex=documents.Annex(
            title="DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
            subtitle=f"(Kèm theo Quyết định số 05/QĐ-SGDĐT {documents.day_words(DAY)})",
            rows=decisions.annex_rows(data),
        ),
    )


def floor(rows: list[tuple[str, ...]]) -> bytes:
    """python-docx's bare table of the same rows: no style, no width, no heading, no total."""
    doc = Document()
    table = doc.add_table(rows=1, cols=5)
    for cell, label in zip(table.rows[0].cells, documents.ANNEX_HEAD):
        cell.text = label
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def from_database(n: int, repeat: int) -> tuple[float, int]:
    """The decision of N nominations read from a fresh SQLite database, best of ``repeat``."""
    with fresh_database("sqlite") as url, tempfile.TemporaryDirectory() as uploads:
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        with factory() as session:
            cast = build_cast(session, Path(uploads))
            admin = create_user(session, "admin", "Quản Trị Viên", PASSWORD, [("admin", None)])
            session.flush()
            catalogue.add_rule(
                session,
                Actor.from_user(admin),
                cast.award_id,
                {
                    "kind": "bonus",
                    "multiple": "0.3",
                    "nominee": "individual",
                    "source": "Nghị định 152/2025/NĐ-CP, Điều 50",
                },
            )
            session.commit()
        create_nominations(engine, cast, "decision", n, Path(uploads))
        with factory() as session:
            # A draft listing every nomination: the document reads a decision's list whatever
            # the state (issuing, which checks the states, is not what is measured).
            decision = bench_decision(session, cast, "decision")
            session.commit()
            decision_id = decision.id

        def run() -> bytes:
            with factory() as session:
                return decisions.decision_docx(session, session.get(Decision, decision_id))

        try:
            return best(run, repeat)
        finally:
            engine.dispose()


def best(run: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(run())
        times.append(time.perf_counter() - start)
    return min(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-database", action="store_true", help="only the document, not the database side"
    )
    args = parser.parse_args(argv)
    made = letter(args.n)
    rows = [r.cells for r in made.annex.rows if r.kind == "row"]
    assert len(rows) == args.n, len(rows)
    decision_time, decision_size = best(lambda: documents.decision_docx(made), args.repeat)
    floor_time, floor_size = best(lambda: floor(rows), args.repeat)
    print(f"rows: {args.n} (best of {args.repeat})")
    print(f"decision DOCX with annex: {decision_time:.2f} s ({decision_size // 1024} KiB)")
    db_time = None
    if not args.no_database:
        db_time, db_size = from_database(args.n, args.repeat)
        print(
            f"decision DOCX from the database (rows read, money, document): {db_time:.2f} s "
            f"({db_size // 1024} KiB)"
        )
    print(f"floor (bare python-docx table): {floor_time:.2f} s ({floor_size // 1024} KiB)")
    print(f"ratio to floor: {decision_time / floor_time:.2f}")
    if db_time is not None:
        print(f"ratio to floor, from the database: {db_time / floor_time:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
