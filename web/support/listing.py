"""Lists: pagination and sorting shared by every table page."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from web.support.parsing import whole_number


@dataclass(frozen=True)
class Page:
    """One page of a list, with what the pager needs."""

    items: Sequence[Any]
    total: int
    page: int
    per_page: int
    # A capped count: more than ``total`` rows match, and whether a page follows this one
    # was found by fetching one row more (``more``), not from the count.
    capped: bool = False
    more: bool = False

    @property
    def pages(self) -> int:
        known = math.ceil(self.total / self.per_page)
        if self.capped:
            known = max(known, self.page + (1 if self.more else 0))
        return max(1, known)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.more if self.capped else self.page < self.pages

    @property
    def first_index(self) -> int:
        if self.capped and not self.items:  # a page past the end of a list never counted
            return 0
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        if self.capped:
            return self.first_index + len(self.items) - 1 if self.items else 0
        return min(self.page * self.per_page, self.total)


def page_number() -> int:
    """The ``page`` query argument, at least 1."""
    return max(1, whole_number(request.args.get("page"), max_digits=9) or 1)


def paginate(
    session: Session,
    stmt: Select,
    per_page: int,
    page: int | None = None,
    scalars: bool = True,
    total: int | None = None,
) -> Page:
    """Run ``stmt`` for one page and count the whole result (unless ``total``, its count, is
    known already)."""
    page = page or page_number()
    if total is None:
        total = (
            session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        )
    last = max(1, math.ceil(total / per_page))
    page = min(page, last)
    result = session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = result.scalars().unique().all() if scalars else result.all()
    return Page(items, total, page, per_page)


def sort_order(columns: Mapping[str, Any], default: str) -> tuple[str, list[Any]]:
    """``?sort=name`` or ``?sort=-name`` among ``columns``; returns (key, ORDER BY terms)."""
    key = request.args.get("sort", default)
    name = key.lstrip("-")
    if name not in columns:
        key, name = default, default.lstrip("-")
    column = columns[name]
    return key, [column.desc() if key.startswith("-") else column.asc()]


def query_args(**overrides: Any) -> dict[str, Any]:
    """The current query arguments with ``overrides`` (for pager and sort links)."""
    args = {k: v for k, v in request.args.items() if v != ""}
    args.update({k: v for k, v in overrides.items()})
    return {k: v for k, v in args.items() if v not in (None, "")}
