"""The public list's word table: each word of an outcome, with the outcome's sort keys.

A word index (``models.search``) finds the rows having a word but not in any order, so a common
word ("nguy": a third of the list) sorted by name or unit left the database two bad plans:
build every match and sort it, or walk the sort index past thousands of rows that lack the
word. Here each word of a nomination's ``search_key`` (of a report: its unit's name, and its
classification as the pseudo-word ``\\x00`` + code) is a row carrying the dossier's state,
decision date and stored sort keys, under an index per sort on (term, state, key, id): one word
sorted any way is an index range, stopped when the page is full.

Terms are UTF-8 bytes, so both databases compare them byte by byte (no collation): the words
starting with ``w`` are the range [w, w + 0xFF), as 0xFF never occurs in UTF-8. Rows are
rewritten from the database by the ORM events below inside the writing transaction;
:func:`fill_search_terms` writes those of rows written around the ORM (bulk loads, migration).

Only dossiers the public may see have terms: most writes are transitions between states the
public never sees, and they leave the table alone. Which states those are is a lifecycle fact
that models know nothing of: the workflow package gives it (:func:`set_public_states`) when it
is imported; until then every dossier has terms (the list's own state test keeps the results
right, the table is only larger).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    and_,
    delete,
    event,
    exists,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from models.base import Base
from models.dossiers import Dossier, Nomination, Report
from models.org import Unit
from models.search import query_words
from models.text import fold

# Far above any real count of words of a key; query_words' default is for typed queries.
_ALL_WORDS = 10_000
TERM_KINDS = ("nomination", "report")  # the dossiers that have terms
CODE_MARK = b"\x00"  # a classification code as a term: before every word, never typed
_CHUNK = 5000

PublicStates = Callable[[], Mapping[str, Collection[str]]]
_public_states: list[PublicStates] = []


def set_public_states(source: PublicStates) -> None:
    """Keep terms only for dossiers in a state ``source()`` lists for their kind (kind →
    states, read at each write: the lifecycles may be registered again)."""
    _public_states[:] = [source]


def _listed(kind: str, state: str) -> bool:
    return not _public_states or state in _public_states[0]().get(kind, ())


def _listed_clause(d: Any, states: Mapping[str, Collection[str]] | None = None) -> Any:
    """The dossiers of ``d`` (the dossier table) that have terms, as a WHERE clause: those in
    ``states`` (kind → states), by default the registered lifecycles' public states."""
    if states is None:
        if not _public_states:
            return d.c.kind.in_(TERM_KINDS)
        states = _public_states[0]()
    return or_(
        *(and_(d.c.kind == kind, d.c.state.in_(states.get(kind, ()))) for kind in TERM_KINDS)
    )


class OutcomeTerm(Base):
    """One word (``term``) of one nomination or report, with copies of what the list sorts by."""

    __tablename__ = "outcome_term"
    __table_args__ = (
        Index("ix_outcome_term_date", "term", "state", "decision_date", "dossier_id"),
        Index("ix_outcome_term_name", "term", "state", "name_sort", "dossier_id"),
        Index("ix_outcome_term_unit", "term", "state", "unit_sort", "dossier_id"),
        # SQLite: the table is its primary key's tree, not a second copy of it.
        {"sqlite_with_rowid": False},
    )

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[bytes] = mapped_column(LargeBinary(800), primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    name_sort: Mapped[bytes | None] = mapped_column(LargeBinary(800))
    unit_sort: Mapped[bytes | None] = mapped_column(LargeBinary(800))


def word_range(word: str) -> tuple[bytes, bytes]:
    """The terms starting with ``word``: ``lo <= term < hi``."""
    lo = word.encode()
    return lo, lo + b"\xff"


def code_term(code: str) -> bytes:
    """The term of a report's classification ``code``."""
    return CODE_MARK + code.encode()


def _terms(kind: str, search_key: str | None, unit_name: str | None, code: str | None) -> set:
    if kind == "nomination":
        return {w.encode() for w in query_words(search_key or "", _ALL_WORDS)}
    found = {w.encode() for w in query_words(fold(unit_name or ""), _ALL_WORDS)}
    return found | ({code_term(code)} if code else set())


def _source(every_dossier: bool = False) -> Any:
    d, n, r, u = Dossier.__table__, Nomination.__table__, Report.__table__, Unit.__table__
    return (
        select(
            d.c.id,
            d.c.kind,
            d.c.state,
            d.c.decision_date,
            d.c.name_sort,
            d.c.unit_sort,
            n.c.search_key,
            r.c.classification,
            u.c.name.label("unit_name"),
        )
        .select_from(
            d.join(u, u.c.id == d.c.unit_id)
            .outerjoin(n, n.c.id == d.c.id)
            .outerjoin(r, r.c.id == d.c.id)
        )
        .where(d.c.kind.in_(TERM_KINDS) if every_dossier else _listed_clause(d))
    )


def _rows(found: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "dossier_id": row.id,
            "term": term,
            "state": row.state,
            "decision_date": row.decision_date,
            "name_sort": row.name_sort,
            "unit_sort": row.unit_sort,
        }
        for row in found
        for term in _terms(row.kind, row.search_key, row.unit_name, row.classification)
    ]


def _insert(connection: Connection, found: Sequence[Any]) -> int:
    rows = _rows(found)
    for start in range(0, len(rows), _CHUNK):
        connection.execute(OutcomeTerm.__table__.insert(), rows[start : start + _CHUNK])
    return len(rows)


def refresh_search_terms(connection: Connection, dossier_ids: Sequence[int]) -> None:
    """Rewrite the terms of ``dossier_ids`` from what the database holds now."""
    table, d = OutcomeTerm.__table__, Dossier.__table__
    for start in range(0, len(dossier_ids), 500):
        ids = list(dossier_ids[start : start + 500])
        connection.execute(delete(table).where(table.c.dossier_id.in_(ids)))
        _insert(connection, connection.execute(_source().where(d.c.id.in_(ids))).all())


def fill_search_terms(
    connection: Connection, missing_only: bool = True, every_dossier: bool = False
) -> int:
    """Write the terms of the nominations and reports written without the ORM (a bulk load, a
    migration's existing rows), after their sort keys (``fill_sort_keys``); returns how many
    term rows it wrote. ``missing_only=False`` rewrites them all; ``every_dossier``: those of
    dossiers the public may not see too (the table before it kept public ones only)."""
    table, d = OutcomeTerm.__table__, Dossier.__table__
    query = _source(every_dossier).order_by(d.c.id)
    if missing_only:
        query = query.where(~exists().where(table.c.dossier_id == d.c.id))
    else:
        connection.execute(delete(table))
    written = 0
    result = connection.execute(query)
    while batch := result.fetchmany(_CHUNK):
        written += _insert(connection, batch)
    return written


def prune_search_terms(
    connection: Connection, states: Mapping[str, Collection[str]] | None = None
) -> int:
    """Delete the terms of the dossiers the public may not see (not in ``states``, kind →
    states; by default the registered lifecycles' public states); returns how many."""
    table, d = OutcomeTerm.__table__, Dossier.__table__
    listed = select(d.c.id).where(_listed_clause(d, states))
    return connection.execute(delete(table).where(table.c.dossier_id.not_in(listed))).rowcount


# What a term row is made of: a change to any of these rewrites the dossier's terms.
_WATCHED = {
    Dossier: ("state", "decision_date", "name_sort", "unit_sort", "unit_id"),
    Nomination: ("search_key",),
    Report: ("classification",),
}


def _watched(dossier: Dossier) -> set[str]:
    """The attributes of ``dossier`` its term rows are made of (none: it has no terms)."""
    return {name for cls, names in _WATCHED.items() if isinstance(dossier, cls) for name in names}


def dossier_written(connection: Connection, dossier: Dossier, keys: Iterable[str]) -> None:
    """Rewrite the terms of ``dossier`` if ``keys`` (attributes just written, their history
    not yet committed) are made into them: for a writer that bypasses the ORM flush (the
    workflow engine's Core UPDATE). A dossier the public may see neither before nor after the
    write has no terms to rewrite."""
    if not (isinstance(dossier, Nomination | Report) and _watched(dossier) & set(keys)):
        return
    if _listed(dossier.kind, dossier.state) or _was_listed(dossier):
        refresh_search_terms(connection, [dossier.id])


def _was_listed(dossier: Dossier) -> bool:
    """Whether ``dossier`` had terms before this write; True when not known (its old state was
    not loaded)."""
    history = inspect(dossier).attrs.state.history
    if history.deleted:
        return _listed(dossier.kind, history.deleted[0])
    return history.has_changes() or _listed(dossier.kind, dossier.state)


@event.listens_for(Dossier, "after_insert", propagate=True)
def _terms_on_insert(mapper: Mapper, connection: Connection, dossier: Dossier) -> None:
    if isinstance(dossier, Nomination | Report) and _listed(dossier.kind, dossier.state):
        refresh_search_terms(connection, [dossier.id])


@event.listens_for(Dossier, "after_update", propagate=True)
def _terms_on_update(mapper: Mapper, connection: Connection, dossier: Dossier) -> None:
    state = inspect(dossier)
    changed = [name for name in _watched(dossier) if state.attrs[name].history.has_changes()]
    dossier_written(connection, dossier, changed)


@event.listens_for(Dossier, "before_delete", propagate=True)
def _terms_on_delete(mapper: Mapper, connection: Connection, dossier: Dossier) -> None:
    table = OutcomeTerm.__table__
    connection.execute(delete(table).where(table.c.dossier_id == dossier.id))


# Registered after models.dossiers' own listener (imported above), which rewrites the sort keys
# of the unit's dossiers first: these rows copy them, and a report's words are its unit's name.
@event.listens_for(Unit, "after_update")
def _terms_on_rename(mapper: Mapper, connection: Connection, unit: Unit) -> None:
    if not inspect(unit).attrs.name.history.has_changes():
        return
    d = Dossier.__table__
    ids = connection.scalars(select(d.c.id).where(d.c.unit_id == unit.id, _listed_clause(d))).all()
    refresh_search_terms(connection, ids)
