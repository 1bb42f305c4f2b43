"""N certificates of one decision as one PDF, against the floor.

    .venv/bin/python bench/certificates.py [--n 1000] [--repeat 3] [--no-database]
                                          [--sqlite-only] [--pg URL]

Not timed: N awardees across 4 awards (individuals and collectives, with names, positions,
units, verification codes); for the database side, a fresh migrated database per backend with
N nominations made through the real workflow functions, an issued decision of all of them (its
codes drawn as issuing draws them) and its award set to print.
Timed, in the same run, best of ``--repeat``:
* full: ``workflow.publication.certificates.render`` in the full design — frame, Quốc hiệu,
  Tiêu ngữ, authority, every field wrapped in its box, the QR code of each row's /v page;
* preprinted: the same, fields only at a blank's positions;
* from the database: ``certificates.sheet_of`` (rows, codes, money annex order read) then the
  full design;
* floor: reportlab drawing the same pages as plain text only — the same font (embedded), the
  same strings at the same points with ``drawString``, one page each: no wrapping, no
  centring, no QR, no frame, no header.
Target: the full design ≤ 30 s for 1,000 certificates on a 2-core machine.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]  # see transitions.py
sys.path.insert(0, str(_HERE.parent))

from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from bench.common import (  # noqa: E402
    DECISION_DAY,
    NOW,
    backend_parser,
    bench_decision,
    build_cast,
    create_nominations,
    fresh_database,
    on_backends,
)
from models import AwardType, make_engine, make_sessionmaker  # noqa: E402
from models.decisions import DECISION_ISSUED, Decision  # noqa: E402
from workflow.publication import certificates, verification  # noqa: E402

DAY = DECISION_DAY
AWARDS = (
    "Giấy khen của Giám đốc Sở",
    "Chiến sĩ thi đua cơ sở",
    "Giấy khen của Giám đốc Sở (tập thể)",
    "Tập thể lao động xuất sắc",
)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Thị Hương", "Văn Minh", "Thu Hà", "Đức Tuấn", "Thanh Mai", "Quang Dũng", "Ngọc Yến"]


def sheet(n: int) -> certificates.Sheet:
    rows = []
    for number in range(1, n + 1):
        award = AWARDS[number % len(AWARDS)]
        collective = "tập thể" in award.lower() or "Tập thể" in award
        rows.append(
            certificates.Awardee(
                number=number,
                name=f"Tổ chuyên môn số {number}"
                if collective
                else f"{FAMILY[number % 10]} {GIVEN[number % 7]}",
                position="" if collective else "Giáo viên Ngữ văn, Tổ trưởng chuyên môn",
                unit=f"Trường Trung học phổ thông số {number % 50 + 1} thành phố Hải Phòng",
                unit_id=number % 50 + 1,
                award_type_id=number % len(AWARDS) + 1,
                award_vi=award,
                award_code=f"A{number % len(AWARDS)}",
                nominee_kind="collective" if collective else "individual",
                achievement=certificates.achievement("Phong trào thi đua năm học 2025 - 2026"),
                code=verification.new_code(),
            )
        )
    return certificates.Sheet(
        "05/QĐ-SGDĐT", DAY, "Nguyễn Văn Giám", "GIÁM ĐỐC", "https://vinhdanh.example.vn", rows
    )


def floor(made: certificates.Sheet) -> bytes:
    """The same strings, one page per awardee, as plain ``drawString`` calls in the same
    embedded font: what reportlab costs before any design."""
    fonts = certificates.fonts()
    out = io.BytesIO()
    c = Canvas(
        out,
        pagesize=(certificates.PAGE_W * mm, certificates.PAGE_H * mm),
        pageCompression=1,
        initialFontName=fonts.names["regular"],
    )
    for awardee in made.awardees:
        texts = certificates.field_texts(made, awardee)
        for name, pos in certificates.DEFAULT_POSITIONS.items():
            c.setFont(fonts.names["regular"], pos.size)
            c.drawString(pos.x * mm, (certificates.PAGE_H - pos.y) * mm, texts[name])
        c.showPage()
    c.save()
    return out.getvalue()


def best(run: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(run())
        times.append(time.perf_counter() - start)
    return min(times), size


def from_database(backend: str, pg_url: str | None, n: int, repeat: int) -> tuple[float, int]:
    """The certificates of an issued decision of N nominations read from a fresh database."""
    with fresh_database(backend, pg_url) as url, tempfile.TemporaryDirectory() as uploads:
        engine = make_engine(url)
        factory = make_sessionmaker(engine)
        with factory() as session:
            cast = build_cast(session, Path(uploads))
            # The bench's award is Lao động tiên tiến (money only): set to print, as the
            # Office may.
            session.get(AwardType, cast.award_id).prints_certificate = True
            session.commit()
        create_nominations(engine, cast, "certificates", n, Path(uploads))
        with factory() as session:
            # Issued as the decision service leaves it (status, codes); issuing itself, which
            # fires the lifecycle on every dossier, is not what is measured.
            decision = bench_decision(
                session, cast, "certificates", status=DECISION_ISSUED, issued_at=NOW
            )
            verification.assign_codes(session, decision)
            session.commit()
            decision_id = decision.id

        def run() -> bytes:
            with factory() as session:
                made = certificates.sheet_of(
                    session, session.get(Decision, decision_id), "https://vinhdanh.example.vn"
                )
                assert len(made.awardees) == n
                return certificates.certificates_pdf(session, made)

        try:
            return best(run, repeat)
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = backend_parser(__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-database", action="store_true", help="only the documents, not the database side"
    )
    args = parser.parse_args(argv)
    made = sheet(args.n)
    print(f"certificates: {args.n} (best of {args.repeat}; fonts: {certificates.fonts().family})")
    full_time, full_size = best(lambda: certificates.render(made, "full"), args.repeat)
    pre_time, pre_size = best(lambda: certificates.render(made, "preprinted"), args.repeat)
    floor_time, floor_size = best(lambda: floor(made), args.repeat)
    print(f"full design, one PDF: {full_time:.2f} s ({full_size // 1024} KiB)")
    print(f"pre-printed blanks, one PDF: {pre_time:.2f} s ({pre_size // 1024} KiB)")
    print(
        f"floor (plain drawString, same font and strings): {floor_time:.2f} s "
        f"({floor_size // 1024} KiB)"
    )
    print(f"ratio to floor: {full_time / floor_time:.2f} (pre-printed {pre_time / floor_time:.2f})")
    if not args.no_database:
        results = on_backends(
            args, lambda backend, pg: from_database(backend, pg, args.n, args.repeat)
        )
        for backend, (seconds, size) in results.items():
            print(
                f"{backend}: from the database (rows, codes, full design): {seconds:.2f} s "
                f"({size // 1024} KiB), ratio to floor {seconds / floor_time:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
