"""Values kept in the process: under a key that names their version (per database, or every
input of the value), or for a while bounded by what computing them cost."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from sqlalchemy.orm import Session


class Aged(NamedTuple):
    """A value, when it was computed (on the keeper's clock) and for how many seconds it may
    be served."""

    value: Any
    born: float
    lasts: float

    def serves(self, now: float) -> bool:
        return now < self.born + self.lasts


class Kept:
    """Values kept in the process under a key, at most ``size`` entries (least recently used
    first out). The key must change when the value would: a version read from the database (an
    audit head, a count), or every input of the value, so an old entry is never served, only
    aged out; except through :meth:`recent`, for a value shown with the time it was read."""

    def __init__(self, size: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = size
        self.clock = clock
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, compute: Callable[[Session], Any]) -> Any:
        """``compute(session)`` kept per database and ``key``."""
        return self.value((self._database(session), key), lambda: compute(session))

    def recent(
        self,
        session: Session,
        key: Hashable,
        compute: Callable[[Session], Any],
        share: float,
        max_age: float,
    ) -> Aged:
        """``compute(session)`` kept per database and ``key`` for as long as computing it took
        divided by ``share``, at most ``max_age`` seconds: a value that is dear to compute is
        computed again at most ``share`` of the time, a cheap one is as good as fresh. For a
        page that says when its figures were read."""
        full = (self._database(session), key)
        with self._lock:
            kept = self._values.get(full)
            if kept is not None and kept.serves(self.clock()):
                self._values.move_to_end(full)
                return kept
        start = self.clock()
        value = compute(session)
        spent = self.clock() - start
        fresh = Aged(value, start + spent, min(spent / share, max_age))
        self._keep(full, fresh)
        return fresh

    def value(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` kept under ``key`` alone: a key that holds every input of the value."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        self._keep(key, value)
        return value

    @staticmethod
    def _database(session: Session) -> str:
        return session.connection().engine.url.render_as_string(hide_password=True)

    def _keep(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
