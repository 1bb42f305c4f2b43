"""How the home page words due dates and waiting times."""

from __future__ import annotations

import datetime as dt

from models.clock import local_day
from models.clock import today as clock_today
from web.support.i18n import gettext as _


def today() -> dt.date:
    """Today in Việt Nam (due dates are local days)."""
    return clock_today()


def due_text(days_left: int) -> str:
    """The words of a due date: "còn N ngày", "hôm nay là hạn cuối" or "quá hạn N ngày"."""
    if days_left < 0:
        return _("quá hạn %(n)d ngày", n=-days_left)
    if days_left == 0:
        return _("hôm nay là hạn cuối")
    return _("còn %(n)d ngày", n=days_left)


def fix_by_text(days_left: int) -> str:
    """The words of a return's fix-by day: "Hạn bổ sung còn N ngày" or "quá hạn N ngày"."""
    if days_left < 0:
        return _("Hạn bổ sung quá hạn %(n)d ngày", n=-days_left)
    if days_left == 0:
        return _("Hôm nay là hạn bổ sung")
    return _("Hạn bổ sung còn %(n)d ngày", n=days_left)


def days_since(moment: dt.datetime | None) -> int:
    """Whole days, in Việt Nam, from ``moment`` to today."""
    if moment is None:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # SQLite gives back naive UTC
    return max(0, (today() - local_day(moment)).days)
