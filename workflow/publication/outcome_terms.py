"""The public list's search through the word table (``models.search_terms``).

Each typed word becomes a :class:`Word`: the range of terms it starts, plus the pseudo-terms of
the classifications it starts a word of. The rarest word drives (a count
up to ``ESTIMATE_CAP`` on SQLite, the planner's estimate on PostgreSQL); the others are tested
row by row by primary key. A page is then found in two reads, each an index range:

1. the matches, stopped at ``cap + 1``: the rarest word's rows, which are both the capped count
   and, when there are at most ``cap``, every match, which the page then sorts by primary key
   (a thousand rows at most);
2. past the cap, the page itself: for each term the rarest word starts ("ha": ha, hai, hanh…),
   its rows in the sort's index order, stopped when the page is full; the few arms are merged.
   A word starting more than ``VOCABULARY_MAX`` terms (one or two letters) matches so much of
   the list that walking the list's own sort index and testing each row is cheaper: the
   caller's plain query (:func:`has_word`) does that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from models.search_terms import OutcomeTerm, code_term, word_range

VOCABULARY_MAX = 24
ESTIMATE_CAP = 20_000
# The window of a word's first rows in the sort's order tried before walking them all.
WINDOW_PER_ROW, WINDOW_EXTRA = 4, 500

_T = OutcomeTerm.__table__
# Made once: an alias builds its column collection on first use, which costs more than
# compiling the (cached) statement. Each use is its own SELECT, so one alias serves all.
_ROW, _OTHER, _EARLIER = (_T.alias(name) for name in ("term", "other_term", "earlier_term"))


@dataclass(frozen=True)
class Word:
    """The terms a typed word matches: ``lo <= term < hi``, or one of ``codes``."""

    lo: bytes
    hi: bytes
    codes: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, word: str, classification_codes: Sequence[str]) -> Word:
        return cls(*word_range(word), tuple(code_term(c) for c in sorted(classification_codes)))

    def matches(self, term: ColumnElement) -> ColumnElement[bool]:
        in_range = and_(term >= self.lo, term < self.hi)
        return or_(in_range, term.in_(self.codes)) if self.codes else in_range


def has_word(word: Word, dossier_id: ColumnElement) -> ColumnElement[bool]:
    """The dossier ``dossier_id`` has a term ``word`` matches (a primary-key probe)."""
    other = _OTHER
    return _probe(
        select(literal(1)).where(other.c.dossier_id == dossier_id, word.matches(other.c.term))
    )


def _first_match(word: Word, row: Any) -> ColumnElement[bool]:
    """``row`` is the first of its dossier's terms ``word`` matches: each dossier once."""
    other = _EARLIER
    earlier = select(literal(1)).where(
        other.c.dossier_id == row.c.dossier_id,
        word.matches(other.c.term),
        other.c.term < row.c.term,
    )
    return ~_probe(earlier)


def _probe(stmt: Select) -> ColumnElement[bool]:
    """EXISTS, tested row by row: ``OFFSET 0`` keeps PostgreSQL from turning it into a join
    that hashes every row of the word first (tens of thousands, for a page of 25)."""
    return stmt.offset(0).exists()


def _estimate(session: Session, word: Word) -> int:
    """About how many term rows ``word`` matches: the planner's estimate on PostgreSQL (its
    statistics of the terms are close, and counting would read them), elsewhere a count up to
    ``ESTIMATE_CAP``."""
    rows = select(literal(1)).where(word.matches(_T.c.term))
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        compiled = rows.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        plan = session.connection().exec_driver_sql(
            f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params
        )
        return int(plan.scalar()[0]["Plan"]["Plan Rows"])
    counted = select(func.count()).select_from(rows.limit(ESTIMATE_CAP).subquery())
    return session.scalar(counted) or 0


def _vocabulary(session: Session, word: Word) -> list[bytes]:
    """The distinct terms ``word`` matches, up to ``VOCABULARY_MAX + 1``: a skip scan of the
    term index, one seek per term, however many rows each has."""
    first = (
        select(_T.c.term)
        .where(_T.c.term >= word.lo, _T.c.term < word.hi)
        .order_by(_T.c.term)
        .limit(1)
        .scalar_subquery()
    )
    found = select(first.label("term")).cte("vocabulary", recursive=True)
    following = (
        select(_T.c.term)
        .where(_T.c.term > found.c.term, _T.c.term < word.hi)
        .order_by(_T.c.term)
        .limit(1)
        .scalar_subquery()
    )
    found = found.union_all(select(following).where(found.c.term.is_not(None)))
    terms = session.scalars(
        select(found.c.term).where(found.c.term.is_not(None)).limit(VOCABULARY_MAX + 1)
    ).all()
    return [*terms, *word.codes]


@dataclass(frozen=True)
class Listing:
    """What the caller lists: its joined rows (with the dossier), their conditions (public,
    filters), the dossier's id column and the public states. ``by_state``: those conditions
    say no more than "the term row's state is public" (no filter, and both kinds with terms
    are public in the same states), so the term rows are read without the dossier."""

    source: Any
    where: list[ColumnElement[bool]]
    dossier_id: ColumnElement
    states: list[str]
    by_state: bool = False

    def rows(self, term: Any, words: Sequence[Word]) -> Select:
        """Term rows ``term`` of listed dossiers having every word of ``words``."""
        stmt = select(term.c.dossier_id).where(
            term.c.state.in_(self.states), *(has_word(w, term.c.dossier_id) for w in words)
        )
        if self.by_state:
            return stmt
        joined = term.join(self.source, self.dossier_id == term.c.dossier_id)
        return stmt.select_from(joined).where(*self.where)


@dataclass(frozen=True)
class Matches:
    """The matches, up to the cap and one more; the word whose rows gave them, the terms it
    matches (more than ``VOCABULARY_MAX``: some left out) and the other words."""

    ids: list[int]
    driver: Word | None = None
    vocabulary: tuple[bytes, ...] = ()
    others: tuple[Word, ...] = ()


def matches(session: Session, listing: Listing, words: Sequence[Word], cap: int) -> Matches:
    """The listed rows matching every word, up to ``cap + 1``, read from the term rows of the
    rarest word (each dossier once)."""
    estimates = [_estimate(session, w) for w in words] if len(words) > 1 else [1]
    driver = words[estimates.index(min(estimates))]
    vocabulary = _vocabulary(session, driver)
    if not vocabulary or min(estimates) == 0:
        return Matches([])
    by_estimate = sorted(range(len(words)), key=estimates.__getitem__)
    others = tuple(words[i] for i in by_estimate if words[i] is not driver)
    row = _ROW
    stmt = listing.rows(row, others).where(driver.matches(row.c.term))
    if len(vocabulary) > 1:
        stmt = stmt.where(_first_match(driver, row))
    found = session.scalars(stmt.limit(cap + 1)).all()
    return Matches(list(found), driver, tuple(vocabulary), others)


def ordered_page(
    session: Session,
    listing: Listing,
    found: Matches,
    sort: tuple[str, bool],
    offset: int,
    limit: int,
) -> list[int] | None:
    """Ids ``offset`` to ``offset + limit`` of the matches in the order ``sort`` (a sort key
    column of the term table and whether descending; id descending last), read term by term
    of the driving word in index order. None when the word starts too many terms."""
    vocabulary = found.vocabulary
    if found.driver is None or len(vocabulary) > VOCABULARY_MAX:
        return None
    key, descending = sort
    for word in (found.driver, *found.others) if found.others else ():
        ids = _within_window(session, listing, found, word, sort, offset, limit)
        if ids is not None:
            return ids
    arms = []
    for term in vocabulary:
        row = _ROW
        stmt = (
            listing.rows(row, found.others)
            .add_columns(row.c[key].label("k"))
            .where(row.c.term == term)
            .order_by(_ordered(row.c[key], descending), row.c.dossier_id.desc())
        )
        if len(vocabulary) > 1:  # a dossier having two of the terms comes once
            stmt = stmt.where(_first_match(found.driver, row))
        arms.append(stmt)
    if len(arms) == 1:
        return list(session.scalars(arms[0].limit(limit).offset(offset)))
    # Each arm stops at the page's end; the page is the start of their merge.
    parts = [arm.limit(offset + limit).subquery() for arm in arms]
    merged = union_all(*(select(p.c.dossier_id, p.c.k) for p in parts)).subquery()
    return list(
        session.scalars(
            select(merged.c.dossier_id)
            .order_by(_ordered(merged.c.k, descending), merged.c.dossier_id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def _within_window(
    session: Session,
    listing: Listing,
    found: Matches,
    word: Word,
    sort: tuple[str, bool],
    offset: int,
    limit: int,
) -> list[int] | None:
    """Several words: the rarest is not always the one whose matches come first in the sort's
    order ("van" by name passes every report of the street Văn Cao, named "… số N", before a
    Nguyễn). So each word starting a single term is tried first on a window of its first rows
    in that order: the page, when the window holds it all; None otherwise."""
    terms = found.vocabulary if word is found.driver else _vocabulary(session, word)
    if len(terms) != 1:
        return None
    key, descending = sort
    row = _ROW
    window = (
        select(row.c.dossier_id, row.c.state, row.c[key].label("k"))
        .where(row.c.term == terms[0], row.c.state.in_(listing.states))
        .order_by(_ordered(row.c[key], descending), row.c.dossier_id.desc())
        .limit(WINDOW_PER_ROW * (offset + limit) + WINDOW_EXTRA)
        .subquery()
    )
    others = [w for w in (found.driver, *found.others) if w is not word]
    ids = session.scalars(
        listing.rows(window, others)
        .order_by(_ordered(window.c.k, descending), window.c.dossier_id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(ids) if len(ids) == limit else None


def _ordered(column: ColumnElement, descending: bool) -> ColumnElement:
    return column.desc() if descending else column.asc()
