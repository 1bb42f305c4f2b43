"""The one clock the application reads.

Every "now" and "today" in the application comes from :func:`utcnow`, so that the tests can
say what day it is: they live on a fixed day of the 2026 round whatever the calendar says.
Set, the clock moves at the real pace from the moment it was set; only its starting point is
chosen. The application itself never sets it: the audit trail's times must be the real ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

_shift = dt.timedelta()


def utcnow() -> dt.datetime:
    """The current time, UTC-aware, as the application's clock reads it."""
    return dt.datetime.now(dt.UTC) + _shift


def set_now(moment: dt.datetime | None) -> None:
    """Make the clock read ``moment`` now and run on from there; ``None`` restores real time."""
    global _shift
    if moment is not None and moment.tzinfo is None:
        raise ValueError("naive datetime given; use UTC-aware datetimes")
    _shift = dt.timedelta() if moment is None else moment - dt.datetime.now(dt.UTC)


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Run the block with the clock set to ``moment``, then put the clock back as it was."""
    global _shift
    saved = _shift
    set_now(moment)
    try:
        yield
    finally:
        _shift = saved


# Việt Nam keeps one offset all year (no daylight saving), so a fixed zone is exact.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day in Việt Nam of a UTC moment: due dates and deadlines are local days."""
    return moment.astimezone(VIETNAM).date()


def today() -> dt.date:
    """Today in Việt Nam, by the application's clock."""
    return local_day(utcnow())
