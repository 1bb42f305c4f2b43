"""The public outcome list: published outcomes, their search and the public audit feed.

Only what the public may see leaves this module: award, nominee name, position, unit,
campaign, year, decision number and date, and, for a revoked award, the revoking decision's
number, date and reason (the row stays on the list, marked revoked). A published nomination is
a commendation; a published report is the Council's classification (xếp loại) of a unit, which
is just as public (its ``publish`` event is a public audit event), so it is listed too, with the
unit as the "nominee" and the classification as the "award".

Search folds the query with ``models.text.fold`` and matches each word (all must match) at
the start of a word of ``Nomination.search_key`` (nominee, position, unit, award, already
folded) so "nguy" finds "Nguyễn" and "ha" does not find "Phạm"; a report matches on the words
of its unit's name and its classification. Both read the word table ``models.search_terms``
(each word with copies of the sort keys, an index per sort): :func:`search` reads it as
``outcome_terms`` explains, :func:`outcome_ids` (the whole list, the export) tests each row's
words. Sorting happens in SQL over the whole filtered list, never per page: by decision date,
or in Vietnamese order by name (given name first) or unit, through keys stored as bytes on the
dossier (``name_sort``, ``unit_sort``: models.text.person_sort_bytes, vi_sort_bytes) under
indexes on (state, key, id), so both databases walk an index in plain byte order and stop when
the page is full.

A page counts its matches exactly up to ``COUNT_CAP`` only, and knows whether a next page
exists by fetching one row more. What changes only with an event the public can see (the
facets, the pages, each outcome's record) is kept per shown head, in this process: a dossier's
internal steps, most of a deadline day's events, leave it in place.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    AwardType,
    Campaign,
    Dossier,
    Nomination,
    Report,
    Revocation,
    Unit,
)
from models.decisions import DECISION_ISSUED, Decision, DecisionItem
from models.search import query_words
from models.search_terms import TERM_KINDS
from models.text import fold, vi_sort_key, whole_number
from workflow.core.audit import format_time, head_and_shown
from workflow.core.inputs import CLASSIFICATIONS
from workflow.core.kept import Kept
from workflow.core.registry import derived, public_states
from workflow.publication import outcome_terms
from workflow.publication.outcome_terms import Listing, Word, has_word


@derived
def _public_kinds() -> dict[str, tuple[str, ...]]:
    """The states whose dossiers the public may see, by kind, from the definitions (``public``)."""
    return {kind: names for kind, names in public_states().items() if names}


@derived
def _all_public() -> list[str]:
    return sorted({state for states in _public_kinds().values() for state in states})


SORTS = ("date", "name", "unit")
DEFAULT_SORT = "-date"
EVENTS_MAX = 1000
COUNT_CAP = 1000

_D, _N, _R = Dossier.__table__, Nomination.__table__, Report.__table__
_U, _C, _A = Unit.__table__, Campaign.__table__, AwardType.__table__
_V = Revocation.__table__


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
        """The folded words searched for, cleaned of anything but letters and digits."""
        return query_words(fold(self.q))


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


def _words(filters: OutcomeFilter) -> list[Word]:
    """The typed words as the word table matches them: a nomination by the words of its search
    key, a report by those of its unit's name and of its classification."""
    return [Word.of(word, _classifications_starting(word)) for word in filters.words]


def _classifications_starting(word: str) -> list[str]:
    return [
        code
        for code, (vi, _) in CLASSIFICATIONS.items()
        if any(w.startswith(word) for w in query_words(fold(vi), limit=1000))
    ]


# The facets, the pages and the outcomes visitors read most.
_kept = Kept(512)


def _cached(session: Session, name: Hashable, compute, head: Head | None = None):
    """``compute(session)``, kept per database and shown head (``head``'s, read when not
    given): what the public sees changes only with an event that can show outside (a public
    one, or one not about a dossier: ``audit.shows_outside``), so such an event makes a new
    key and the old entry ages out; a dossier's internal steps keep it."""
    shown = head_and_shown(session)[2:] if head is None else head.shown
    return _kept.get(session, (name, *shown), compute)


def _listing(filters: OutcomeFilter) -> Listing:
    """The public list narrowed by the filters (not by the words): joins and conditions."""
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
    source = _D
    for name, table, on in (
        ("nomination", _N, _N.c.id == _D.c.id),
        ("report", _R, _R.c.id == _D.c.id),
        ("campaign", _C, _C.c.id == _D.c.campaign_id),
    ):
        if name in joins:
            source = source.outerjoin(table, on)
    kinds = _public_kinds()
    states = kinds.get(TERM_KINDS[0])
    by_state = len(where) == 1 and all(kinds.get(kind) == states for kind in TERM_KINDS)
    return Listing(source, where, _D.c.id, _all_public(), by_state)


def outcome_ids(
    session: Session, filters: OutcomeFilter = OutcomeFilter(), sort: str = DEFAULT_SORT
) -> Select:
    """The ids of the filtered list, sorted: a narrow SELECT, so counting and paging stay
    cheap; :func:`load_outcomes` then fetches the fields of one page. :func:`search` reads a
    page faster through the word table; this is the whole list (the export, the plain list).

    ``sort`` is one of ``SORTS``, with a leading "-" for descending order.
    """
    listing = _listing(filters)
    where = list(listing.where)
    if filters.words:
        where.extend(has_word(word, _D.c.id) for word in _words(filters))
    elif fold(filters.q):  # only punctuation ("_", "*"): a search that nothing can match
        where.append(false())
    return (
        select(_D.c.id)
        .select_from(listing.source)
        .where(*where)
        .order_by(*_order(sort), _D.c.id.desc())
    )


# The sort keys of the dossier, and their copies in the word table.
_SORT_KEYS = {"date": "decision_date", "name": "name_sort", "unit": "unit_sort"}


def _sort_key(sort: str) -> tuple[str, bool]:
    """The column sorted by (on the dossier and the word table) and whether descending."""
    descending, key = sort.startswith("-"), sort.lstrip("-")
    if key not in SORTS:
        descending, key = True, "date"
    return _SORT_KEYS[key], descending


def _order(sort: str) -> list[ColumnElement]:
    # The stored keys are the Vietnamese order as bytes: plain byte order, an index's order.
    key, descending = _sort_key(sort)
    return [_D.c[key].desc() if descending else _D.c[key].asc()]


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


@derived
def _outcome_fields() -> Select:
    """The statement of :func:`load_outcomes`, built once per set of lifecycles (the public
    states are theirs): building it cost as much as running it for one outcome."""
    return (
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
            _N.c.person_id,
            _N.c.collective_id,
        )
        .select_from(
            _D.join(_U, _U.c.id == _D.c.unit_id)
            .join(_C, _C.c.id == _D.c.campaign_id)
            .outerjoin(_N, _N.c.id == _D.c.id)
            .outerjoin(_A, _A.c.id == _N.c.award_type_id)
            .outerjoin(_R, _R.c.id == _D.c.id)
            .outerjoin(_V, _V.c.dossier_id == _D.c.id)
        )
        .where(_is_public(), _D.c.id.in_(bindparam("ids", expanding=True)))
    )


def load_outcomes(session: Session, ids: Sequence[int]) -> list[Outcome]:
    """The public fields of the outcomes ``ids`` (published ones only), in the same order."""
    if not ids:
        return []
    rows = session.execute(_outcome_fields(), {"ids": list(ids)})
    found = {row.id: to_outcome(row) for row in rows}
    return [found[i] for i in ids if i in found]


def get_outcome(session: Session, dossier_id: int) -> Outcome | None:
    """The published outcome ``dossier_id``, or None when it is not (or not yet) public."""
    found = load_outcomes(session, [dossier_id])
    return found[0] if found else None


@dataclass(frozen=True)
class OutcomePage:
    """One page of the filtered list. ``total`` is exact unless ``capped``: then more than
    ``COUNT_CAP`` outcomes match and ``total`` is the cap."""

    items: list[Outcome]
    page: int
    per_page: int
    total: int
    capped: bool
    has_next: bool


def search(
    session: Session,
    filters: OutcomeFilter = OutcomeFilter(),
    sort: str = DEFAULT_SORT,
    page: int = 1,
    per_page: int = 25,
    head: Head | None = None,
) -> OutcomePage:
    """Page ``page`` of the filtered list, sorted, with a count capped at ``COUNT_CAP``;
    cached per audit head (``head``, the current one if not given; see :func:`_cached`)."""
    return _cached(
        session,
        ("search", filters, sort, page, per_page),
        lambda s: search_page(s, filters, sort, page, per_page),
        head,
    )


def search_page(
    session: Session, filters: OutcomeFilter, sort: str, page: int, per_page: int
) -> OutcomePage:
    """What :func:`search` reads when the audit head has moved (nothing is kept)."""
    if filters.words:
        return _searched(session, filters, sort, page, per_page)
    # Unordered and limited: the database stops at the first COUNT_CAP + 1 matches.
    counted = session.scalar(
        select(func.count()).select_from(
            outcome_ids(session, filters, sort).order_by(None).limit(COUNT_CAP + 1).subquery()
        )
    )
    page = _page_number(page, counted, per_page)
    found = session.scalars(
        outcome_ids(session, filters, sort).limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    return _page(session, found, page, per_page, counted)


def _searched(
    session: Session, filters: OutcomeFilter, sort: str, page: int, per_page: int
) -> OutcomePage:
    """A page of a search, through the word table (``outcome_terms``): the matches up to the
    cap, sorted by primary key when that is all of them; past the cap, the page read in order
    term by term."""
    listing = _listing(filters)
    found = outcome_terms.matches(session, listing, _words(filters), COUNT_CAP)
    counted = len(found.ids)
    page = _page_number(page, counted, per_page)
    offset = (page - 1) * per_page
    ids: list[int] | None = []
    if 0 < counted <= COUNT_CAP:
        ids = session.scalars(
            select(_D.c.id)
            .where(_D.c.id.in_(found.ids))
            .order_by(*_order(sort), _D.c.id.desc())
            .limit(per_page + 1)
            .offset(offset)
        ).all()
    elif counted:
        ids = outcome_terms.ordered_page(
            session, listing, found, _sort_key(sort), offset, per_page + 1
        )
    if ids is None:  # a word of one or two letters: matches most rows, walked in order
        ids = session.scalars(
            outcome_ids(session, filters, sort).limit(per_page + 1).offset(offset)
        ).all()
    return _page(session, ids, page, per_page, counted)


def _page_number(page: int, counted: int, per_page: int) -> int:
    page = max(1, page)
    if counted > COUNT_CAP:
        return page
    return min(page, max(1, math.ceil(counted / per_page)))


def _page(
    session: Session, found: Sequence[int], page: int, per_page: int, counted: int
) -> OutcomePage:
    # One row more than the page: whether a next page exists, past the cap too.
    return OutcomePage(
        load_outcomes(session, found[:per_page]),
        page,
        per_page,
        min(counted, COUNT_CAP),
        counted > COUNT_CAP,
        len(found) > per_page,
    )


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


def facets(session: Session, head: Head | None = None) -> Facets:
    """The choices of the filters, cached per audit head (see :func:`_cached`)."""
    return _cached(session, "facets", _facets, head)


def _facets(session: Session) -> Facets:
    """Units: those with a published outcome (read from the dossier index alone); campaigns,
    years and awards: the small catalogue tables."""
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


def _publishing(event: Any, dossier_id: Any) -> list[ColumnElement[bool]]:
    """What marks, in the audit table ``event``, the public events that published the dossier
    ``dossier_id``; the latest is the one. A later public event on the dossier (its revocation)
    names no state: it is not one of them."""
    return [
        event.c.entity_type == "dossier",
        event.c.entity_id == dossier_id,
        event.c.visibility == "public",
        event.c.to_state.in_(_all_public()),
    ]


@derived
def _publication_event() -> Select:
    e = AuditEvent.__table__
    return (
        select(AuditEvent)
        .where(*_publishing(e, bindparam("dossier_id")))
        .order_by(e.c.seq.desc())
        .limit(1)
    )


def publication_event(session: Session, dossier_id: int) -> AuditEvent | None:
    """The public audit event that published ``dossier_id`` (the latest, if several)."""
    return session.scalars(_publication_event(), {"dossier_id": dossier_id}).first()


@dataclass(frozen=True)
class Head:
    """The audit chain's head as the public sees it, and the last event that can change what
    the public pages show (its sequence and chain hash: what their data is kept by)."""

    seq: int
    hash: str
    occurred_at: dt.datetime | None
    shown: tuple[int, str]


def audit_head(session: Session) -> Head:
    """The head (sequence, hash), the time of its event (read once per head) and the shown
    head, in one read of the head row."""
    seq, digest, *shown = head_and_shown(session)
    if not seq:
        return Head(seq, digest, None, tuple(shown))
    at = _kept.get(
        session,
        ("head_time", seq, digest),
        lambda s: s.scalar(select(AuditEvent.occurred_at).where(AuditEvent.seq == seq)),
    )
    return Head(seq, digest, at, tuple(shown))


@dataclass(frozen=True)
class PublishedEvent:
    """The audit event that published an outcome, as its public page shows it."""

    seq: int
    occurred_at: dt.datetime
    hash: str
    leaf_hash: str
    prev_hash: str


@dataclass(frozen=True)
class PublicRecord:
    """What an outcome's public page shows: the outcome, the event that published it, and the
    issued decision that conferred it (id and number), if the Department issued one."""

    outcome: Outcome
    event: PublishedEvent | None
    decision_id: int | None
    decision_number: str | None
    # The register entry the outcome names, whose public page lists its other outcomes:
    # ("person", id), ("collective", id), or None.
    entry: tuple[str, int] | None = None


def public_record(
    session: Session, dossier_id: int, head: Head | None = None
) -> PublicRecord | None:
    """The public record of ``dossier_id``, or None when it is not (or not yet) public; cached
    per audit head (see :func:`_cached`)."""
    return _cached(session, ("record", dossier_id), lambda s: _public_record(s, dossier_id), head)


@derived
def _record_fields() -> Select:
    """An outcome's public page in one statement: its fields, the public event that published
    it (the latest) and the issued decision that conferred it, if any."""
    e, d, item = AuditEvent.__table__, Decision.__table__, DecisionItem.__table__
    found, issued = e.alias("found"), d.alias("issued")
    published_seq = (
        select(func.max(found.c.seq)).where(*_publishing(found, _D.c.id)).scalar_subquery()
    )
    issued_id = (
        select(func.min(issued.c.id))
        .join(item, item.c.decision_id == issued.c.id)
        .where(item.c.dossier_id == _D.c.id, issued.c.status == DECISION_ISSUED)
        .scalar_subquery()
    )
    return (
        _outcome_fields()
        .add_columns(
            e.c.seq.label("event_seq"),
            e.c.occurred_at,
            e.c.hash,
            e.c.leaf_hash,
            e.c.prev_hash,
            d.c.id.label("issued_id"),
            d.c.number.label("issued_number"),
        )
        .outerjoin(e, e.c.seq == published_seq)
        .outerjoin(d, d.c.id == issued_id)
    )


def _public_record(session: Session, dossier_id: int) -> PublicRecord | None:
    row = session.execute(_record_fields(), {"ids": [dossier_id]}).first()
    if row is None:
        return None
    event = (
        None
        if row.event_seq is None
        else PublishedEvent(row.event_seq, row.occurred_at, row.hash, row.leaf_hash, row.prev_hash)
    )
    return PublicRecord(to_outcome(row), event, row.issued_id, row.issued_number, _entry(row))


def _entry(row: Any) -> tuple[str, int] | None:
    if row.person_id is not None:
        return ("person", row.person_id)
    if row.collective_id is not None:
        return ("collective", row.collective_id)
    return None


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
