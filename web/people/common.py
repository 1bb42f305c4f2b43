"""What the register's pages share: the units a person may keep, labels of coded values, and
how a refused form comes back."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Unit
from models.text import vi_sort_key
from web.auth.user import current_actor
from web.people import bp
from web.support.i18n import pick
from workflow.core import authz
from workflow.core.actors import Actor
from workflow.people import labels


@bp.app_template_global()
def register_label(kind: str, code: str | None) -> str:
    """The label of a coded value of the register (``kind``: gender, rating, discipline…)."""
    table = {
        "gender": labels.GENDER_LABELS,
        "identity": labels.IDENTITY_KIND_LABELS,
        "collective": labels.COLLECTIVE_KIND_LABELS,
        "issuer": labels.ISSUER_KIND_LABELS,
        "rating": labels.RATING_LABELS,
        "discipline": labels.DISCIPLINE_LABELS,
        "initiative": labels.INITIATIVE_KIND_LABELS,
        "level": labels.INITIATIVE_LEVEL_LABELS,
    }[kind]
    return pick(*table[code]) if code in table else (code or "")


def keepable_units(session: Session, who: Actor | None) -> list[Unit]:
    """The units whose register ``who`` may keep: every active unit for the Office, else the
    person's own, by Vietnamese name."""
    query = select(Unit).where(Unit.active.is_(True))
    if not authz.may_see_every_register(who):
        query = query.where(Unit.id.in_(sorted(who.unit_ids(authz.UNIT)) if who else []))
    return sorted(session.scalars(query), key=lambda u: vi_sort_key(u.name))


def typed(*names: str) -> dict[str, Any]:
    """What was posted for ``names`` (the form drawn again after a refusal keeps it)."""
    return {name: request.form.get(name, "") for name in names}


def actor() -> Actor:
    """The person signed in (every register page requires one)."""
    who = current_actor()
    assert who is not None
    return who
