"""The public outcome list: published outcomes, their search and the public audit feed.

Only what the public may see leaves this module: award, nominee name, position, unit,
campaign, year, decision number and date, and, for a revoked award, the revoking decision's
number, date and reason (the row stays on the list, marked revoked). A published nomination is
a commendation; a published report is the Council's classification (xếp loại) of a unit, which
is just as public (its ``publish`` event is a public audit event), so it is listed too, with the
unit as the "nominee" and the classification as the "award".

Search folds the query with ``models.text.fold`` and matches each word (all must match)
against ``Nomination.search_key`` (nominee, position, unit, award, already folded). Sorting
happens in SQL over the whole filtered list, never per page: by decision date, or in
Vietnamese order by name (given name first) or unit, with ICU's ``vi`` collation on
PostgreSQL and a Python collation registered on the SQLite connection.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, text
from sqlalchemy.orm import Session

from models import AuditEvent, AwardType, Campaign, Dossier, Nomination, Report, Revocation, Unit
from models.text import fold, person_sort_key, vi_sort_key, whole_number
from workflow.core.audit import current_head, format_time
from workflow.core.inputs import CLASSIFICATIONS
from workflow.core.registry import derived, states_where


@derived
def _public_kinds() -> dict[str, tuple[str, ...]]:
    """The states whose dossiers the public may see, by kind, from the definitions (``public``)."""
    return {kind: names for kind, names in states_where(lambda s: s.public).items() if names}


@derived
def _all_public() -> list[str]:
    return sorted({state for states in _public_kinds().values() for state in states})


SORTS = ("date", "name", "unit")
DEFAULT_SORT = "-date"
EVENTS_MAX = 1000

_D, _N, _R = Dossier.__table__, Nomination.__table__, Report.__table__
_U, _C, _A = Unit.__table__, Campaign.__table__, AwardType.__table__
_V = Revocation.__table__
_PG_COLLATION = "vi-x-icu"


@dataclass(frozen=True)
class OutcomeFilter:
    """What a visitor asked for. ``award`` is an award type id or a classification code."""

    q: str = ""
    year: int | None = None
    campaign_id: int | None = None
    award: str | None = None
    unit_id: int | None = None

    @property
    def words(self) -> list[str]:
        return fold(self.q).split()


@dataclass(frozen=True)
class Outcome:
    """One published outcome, with nothing but the public fields."""

    id: int
    kind: str
    award_vi: str
    award_en: str
    name: str
    position: str | None
    unit_name: str
    campaign_name: str
    year: int
    decision_number: str | None
    decision_date: dt.date | None
    # The revoking decision, when the award was revoked (the row stays on the list, marked).
    revoked_number: str | None = None
    revoked_date: dt.date | None = None
    revoked_reason: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_number is not None

    def award(self, locale: str = "vi") -> str:
        """The award (or classification) in ``locale``."""
        return self.award_en if locale.startswith("en") else self.award_vi


@dataclass(frozen=True)
class Facets:
    """The choices of the filters: only values that some published outcome has."""

    years: list[int]
    campaigns: list[tuple[int, str]]
    awards: list[tuple[int, str, str]]
    classifications: list[tuple[str, str, str]]
    units: list[tuple[int, str]]


def _is_public() -> ColumnElement[bool]:
    by_kind = or_(
        *(
            and_(_D.c.kind == kind, _D.c.state.in_(states))
            for kind, states in _public_kinds().items()
        )
    )
    # The redundant test on state alone lets an index on (state, …) serve the whole list.
    return and_(_D.c.state.in_(_all_public()), by_kind)


def _search(session: Session, words: list[str], joins: set[str]) -> list[ColumnElement[bool]]:
    """One condition per word. A nomination matches on its search key; a report (which has
    none) on its unit's name or its classification."""
    units = {uid: fold(name) for uid, name in session.execute(select(_U.c.id, _U.c.name))}
    sqlite = session.get_bind().dialect.name == "sqlite"
    terms = []
    joins.add("nomination")
    for word in words:
        # instr() is SQLite's fastest substring test; elsewhere LIKE, which a trigram index serves.
        term = (
            func.instr(_N.c.search_key, word) > 0
            if sqlite
            else _N.c.search_key.contains(word, autoescape=True)
        )
        unit_ids = [uid for uid, name in units.items() if word in name]
        codes = [code for code, (vi, _) in CLASSIFICATIONS.items() if word in fold(vi)]
        if unit_ids or codes:
            joins.add("report")
            term = or_(
                term,
                and_(
                    _R.c.id.is_not(None),
                    or_(
                        _D.c.unit_id.in_(unit_ids) if unit_ids else false(),
                        _R.c.classification.in_(codes) if codes else false(),
                    ),
                ),
            )
        terms.append(term)
    return terms


def outcome_ids(
    session: Session, filters: OutcomeFilter = OutcomeFilter(), sort: str = DEFAULT_SORT
) -> Select:
    """The ids of the filtered list, sorted: a narrow SELECT, so counting and paging stay
    cheap; :func:`load_outcomes` then fetches the fields of one page.

    ``sort`` is one of ``SORTS``, with a leading "-" for descending order.
    """
    joins: set[str] = set()
    where = [_is_public()]
    if filters.year is not None:
        joins.add("campaign")
        where.append(_C.c.year == filters.year)
    if filters.campaign_id is not None:
        where.append(_D.c.campaign_id == filters.campaign_id)
    if filters.unit_id is not None:
        where.append(_D.c.unit_id == filters.unit_id)
    if filters.award and whole_number(filters.award) is not None:
        joins.add("nomination")
        where.append(_N.c.award_type_id == whole_number(filters.award))
    elif filters.award:
        joins.add("report")
        where.append(_R.c.classification == filters.award)
    if filters.words:
        where += _search(session, filters.words, joins)
    order = _order(session, sort, joins)
    source = _D
    for name, table, on in (
        ("nomination", _N, _N.c.id == _D.c.id),
        ("report", _R, _R.c.id == _D.c.id),
        ("unit", _U, _U.c.id == _D.c.unit_id),
        ("campaign", _C, _C.c.id == _D.c.campaign_id),
    ):
        if name in joins:
            source = source.outerjoin(table, on)
    return select(_D.c.id).select_from(source).where(*where).order_by(*order, _D.c.id.desc())


def _order(session: Session, sort: str, joins: set[str]) -> list[ColumnElement]:
    descending, key = sort.startswith("-"), sort.lstrip("-")
    if key not in SORTS:
        descending, key = True, "date"
    if key == "date":
        terms = [_D.c.decision_date]
    elif key == "unit":
        joins.add("unit")
        terms = [_collated(session, _U.c.name, "vi")]
    else:
        joins |= {"nomination", "unit"}
        terms = _person_order(session, func.coalesce(_N.c.nominee_name, _U.c.name))
    return [t.desc() if descending else t.asc() for t in terms]


def _person_order(session: Session, name: ColumnElement) -> list[ColumnElement]:
    """Given name (the last word) first, then the whole name, in Vietnamese order."""
    if session.get_bind().dialect.name == "postgresql":
        given = func.regexp_replace(name, r"^.*\s", "")
        return [_collated(session, given, "vi"), _collated(session, name, "vi")]
    return [_collated(session, name, "vi_person")]


def _collated(session: Session, column: ColumnElement, name: str) -> ColumnElement:
    """``column`` in Vietnamese order: ICU on PostgreSQL, a Python collation on SQLite."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        if "vi_collation" not in connection.info:  # kept per DBAPI connection
            connection.info["vi_collation"] = (
                connection.execute(
                    text("SELECT 1 FROM pg_collation WHERE collname = :name"),
                    {"name": _PG_COLLATION},
                ).first()
                is not None
            )
        return column.collate(_PG_COLLATION) if connection.info["vi_collation"] else column
    if connection.dialect.name == "sqlite":
        _register_sqlite_collations(connection)
        return column.collate(name)
    return column


@functools.lru_cache(maxsize=65536)
def _vi_key(value: str) -> tuple:
    return vi_sort_key(value)


@functools.lru_cache(maxsize=65536)
def _person_key(value: str) -> tuple:
    return person_sort_key(value)


def _comparer(key):
    def compare(a: str | None, b: str | None) -> int:
        ka, kb = key(a or ""), key(b or "")
        return (ka > kb) - (ka < kb)

    return compare


def _register_sqlite_collations(connection) -> None:
    if connection.info.get("vi_collations"):
        return
    raw = connection.connection.driver_connection
    raw.create_collation("vi", _comparer(_vi_key))
    raw.create_collation("vi_person", _comparer(_person_key))
    connection.info["vi_collations"] = True


def to_outcome(row: Any) -> Outcome:
    """An :class:`Outcome` from a row of :func:`load_outcomes`."""
    if row.kind == "report":
        code = row.classification or ""
        award_vi, award_en = CLASSIFICATIONS.get(code, (code, code))
    else:
        award_vi, award_en = row.award_vi, row.award_en
    return Outcome(
        row.id,
        row.kind,
        award_vi,
        award_en,
        row.name,
        row.position,
        row.unit_name,
        row.campaign_name,
        row.year,
        row.decision_number,
        row.decision_date,
        getattr(row, "revoked_number", None),
        getattr(row, "revoked_date", None),
        getattr(row, "revoked_reason", None),
    )


def load_outcomes(session: Session, ids: Sequence[int]) -> list[Outcome]:
    """The public fields of the outcomes ``ids`` (published ones only), in the same order."""
    if not ids:
        return []
    stmt = (
        select(
            _D.c.id,
            _D.c.kind,
            _A.c.name_vi.label("award_vi"),
            _A.c.name_en.label("award_en"),
            _R.c.classification,
            func.coalesce(_N.c.nominee_name, _U.c.name).label("name"),
            _N.c.position,
            _U.c.name.label("unit_name"),
            _C.c.name.label("campaign_name"),
            _C.c.year,
            _D.c.decision_number,
            _D.c.decision_date,
            _V.c.number.label("revoked_number"),
            _V.c.decided_on.label("revoked_date"),
            _V.c.reason.label("revoked_reason"),
        )
        .select_from(
            _D.join(_U, _U.c.id == _D.c.unit_id)
            .join(_C, _C.c.id == _D.c.campaign_id)
            .outerjoin(_N, _N.c.id == _D.c.id)
            .outerjoin(_A, _A.c.id == _N.c.award_type_id)
            .outerjoin(_R, _R.c.id == _D.c.id)
            .outerjoin(_V, _V.c.dossier_id == _D.c.id)
        )
        .where(_is_public(), _D.c.id.in_(list(ids)))
    )
    found = {row.id: to_outcome(row) for row in session.execute(stmt)}
    return [found[i] for i in ids if i in found]


def get_outcome(session: Session, dossier_id: int) -> Outcome | None:
    """The published outcome ``dossier_id``, or None when it is not (or not yet) public."""
    found = load_outcomes(session, [dossier_id])
    return found[0] if found else None


def iter_outcomes(
    session: Session,
    filters: OutcomeFilter = OutcomeFilter(),
    sort: str = DEFAULT_SORT,
    batch: int = 500,
) -> Iterator[Outcome]:
    """Every outcome of the filtered list, in batches (for the CSV export)."""
    ids = session.scalars(outcome_ids(session, filters, sort)).all()
    for start in range(0, len(ids), batch):
        yield from load_outcomes(session, ids[start : start + batch])


def facets(session: Session) -> Facets:
    """The choices of the filters. Units: those with a published outcome (read from the
    dossier index alone); campaigns, years and awards: the small catalogue tables."""
    unit_ids: set[int] = set()
    for kind, states in _public_kinds().items():
        unit_ids.update(
            session.scalars(
                select(_D.c.unit_id).distinct().where(_D.c.kind == kind, _D.c.state.in_(states))
            )
        )
    units = (
        session.execute(select(_U.c.id, _U.c.name).where(_U.c.id.in_(unit_ids))).all()
        if unit_ids
        else []
    )
    campaigns = session.execute(select(_C.c.id, _C.c.name, _C.c.year)).all()
    awards = session.execute(select(_A.c.id, _A.c.name_vi, _A.c.name_en)).all()
    return Facets(
        years=sorted({year for _, _, year in campaigns}, reverse=True),
        campaigns=[
            (i, name) for i, name, _ in sorted(campaigns, key=lambda r: (-r[2], vi_sort_key(r[1])))
        ],
        awards=sorted(((i, vi, en) for i, vi, en in awards), key=lambda r: vi_sort_key(r[1])),
        classifications=[(code, vi, en) for code, (vi, en) in CLASSIFICATIONS.items()],
        units=sorted(((i, name) for i, name in units), key=lambda r: vi_sort_key(r[1])),
    )


def publication_event(session: Session, dossier_id: int) -> AuditEvent | None:
    """The public audit event that published ``dossier_id`` (the latest, if several)."""
    # A later public event on the dossier (its revocation) names no state: it is not this one.
    return session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == "dossier",
            AuditEvent.entity_id == dossier_id,
            AuditEvent.visibility == "public",
            AuditEvent.to_state.in_(_all_public()),
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Head:
    """The audit chain's head as the public sees it."""

    seq: int
    hash: str
    occurred_at: dt.datetime | None


def audit_head(session: Session) -> Head:
    """The head (sequence, hash) and the time of its event."""
    seq, digest = current_head(session)
    at = (
        session.scalar(select(AuditEvent.occurred_at).where(AuditEvent.seq == seq)) if seq else None
    )
    return Head(seq, digest, at)


def public_events(
    session: Session, after: int = 0, limit: int = EVENTS_MAX
) -> list[dict[str, Any]]:
    """Events after ``after`` (at most ``limit``, capped at ``EVENTS_MAX``), as published.

    Every event gives its place in the chain (seq, time, leaf hash, previous hash, hash);
    only public events give their content (``canonical``), so nothing internal leaks while
    anyone can still check every link of the chain.
    """
    limit = max(1, min(limit, EVENTS_MAX))
    e = AuditEvent
    rows = session.execute(
        select(
            e.seq,
            e.occurred_at,
            e.leaf_hash,
            e.prev_hash,
            e.hash,
            e.visibility,
            # The database never even hands over the content of an internal event.
            case((e.visibility == "public", e.canonical), else_=None).label("canonical"),
        )
        .where(e.seq > after)
        .order_by(e.seq)
        .limit(limit)
    )
    return [_record(row) for row in rows]


def _record(row: Any) -> dict[str, Any]:
    record = {
        "seq": row.seq,
        "occurred_at": format_time(row.occurred_at),
        "leaf_hash": row.leaf_hash,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
        "visibility": row.visibility,
    }
    if row.canonical is not None:
        record["canonical"] = row.canonical
    return record
