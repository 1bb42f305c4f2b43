"""Reads shared by the dossiers a page judges together (its to-do rows): while the page judges
them, a guard that reads something per dossier reads it for every row at once.

Only for pages that read: what is kept is never read again until the judging ends, so nothing
may be written to what it holds meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")
# session.info key: the dossiers being judged together and what was read for them.
_JUDGED = "vinhdanh_judged_together"


@dataclass
class _Judged:
    ids: list[int]
    # Per kind of read: the dossiers it was read for, and what it found (by dossier).
    read: dict[str, tuple[set[int], dict[int, Any]]] = field(default_factory=dict)
    # Reads made once for all the rows (by kind of read and key: a campaign's targets).
    once: dict[tuple[str, Hashable], Any] = field(default_factory=dict)


@contextmanager
def together(session: Session, dossier_ids: Iterable[int]) -> Iterator[None]:
    """Judge ``dossier_ids`` together in ``session`` (a page drawn: nothing written). Inside
    another such block, its dossiers join the outer one's."""
    judged: _Judged | None = session.info.get(_JUDGED)
    if judged is not None:
        judged.ids += list(dossier_ids)
        yield
        return
    session.info[_JUDGED] = _Judged(list(dossier_ids))
    try:
        yield
    finally:
        session.info.pop(_JUDGED, None)


def per_dossier(
    session: Session, name: str, dossier_id: int, read: Callable[[list[int]], dict[int, T]]
) -> T | None:
    """What ``read(ids)`` finds for ``dossier_id`` (None: nothing): alone, or, while the
    session judges dossiers together, for every one of them not read yet, at the first ask."""
    judged: _Judged | None = session.info.get(_JUDGED)
    if judged is None:
        return read([dossier_id]).get(dossier_id)
    done, found = judged.read.setdefault(name, (set(), {}))
    if dossier_id not in done:
        wanted = {dossier_id, *judged.ids} - done
        found.update(read(sorted(wanted)))
        done |= wanted
    return found.get(dossier_id)


def once(session: Session, name: str, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``: once for all the dossiers the session judges together (per ``name`` and
    ``key``: a campaign's targets for every report of a to-do list), each time otherwise."""
    judged: _Judged | None = session.info.get(_JUDGED)
    if judged is None:
        return read()
    if (name, key) not in judged.once:
        judged.once[name, key] = read()
    return judged.once[name, key]
