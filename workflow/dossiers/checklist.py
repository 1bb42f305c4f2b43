"""What a unit sees while it drafts: a file slot for each document its dossier needs, and the
checklist of what sending will ask (the fields still empty, the award's rules as the Office
checks them), worked out from what the form holds now, saved or not.

The documents come from the kind of dossier (a list's letter and minutes) and from the award's
"document" rules in force (``workflow.awards.catalogue.evidence_purposes``); every other file
is "Minh chứng khác" until the unit says what it is (``evidence.set_purpose``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from models import Dossier, Nomination
from models.clock import local_day
from workflow.awards import eligibility
from workflow.awards.catalogue import evidence_purposes
from workflow.awards.rules import CheckResult
from workflow.core.actors import Actor
from workflow.core.errors import Violation
from workflow.dossiers import content
from workflow.dossiers.evidence import KIND_FILES, OTHER
from workflow.dossiers.guards import DOSSIER_MESSAGES, missing_to_send


@dataclass(frozen=True)
class Slot:
    """One file input of the form: the document it takes, whether sending needs it, and how
    many files of it the dossier has (attached, waiting or chosen)."""

    purpose: str
    required: bool
    count: int = 0


@dataclass(frozen=True)
class Checklist:
    """The draft's checklist: what saving would refuse, what sending still needs, the award's
    rules as the unit sees them, the file slots, and whether the nominee is named yet (the
    rules on the nominee's history wait until then)."""

    refused: list[Violation]
    missing: list[Violation]
    checks: list[CheckResult]
    slots: list[Slot]
    named: bool


def required_purposes(session: Session, dossier: Dossier, day: dt.date) -> list[str]:
    """The documents ``dossier`` must carry: its kind's, and for a nomination its award's
    "document" rules in force on ``day``."""
    found = list(KIND_FILES.get(dossier.kind, ()))
    if isinstance(dossier, Nomination) and dossier.award_type_id is not None:
        found += evidence_purposes(session, dossier.award_type_id, day)
    return list(dict.fromkeys(found))


def slots(
    session: Session, dossier: Dossier, day: dt.date, counts: Mapping[str, int]
) -> list[Slot]:
    """The form's file inputs: one per document needed, then "Minh chứng khác"."""
    required = required_purposes(session, dossier, day)
    found = [Slot(p, True, counts.get(p, 0)) for p in required]
    if OTHER not in required:
        found.append(Slot(OTHER, False, counts.get(OTHER, 0)))
    return found


def checklist(
    session: Session,
    actor: Actor,
    kind: str,
    unit_id: int | None,
    fields: Mapping[str, Any],
    today: dt.date,
    *,
    dossier_id: int | None = None,
    waiting: Mapping[str, int] | None = None,
) -> Checklist:
    """The checklist of a form holding ``fields`` (for the saved dossier ``dossier_id``, or a
    new one of ``kind`` in ``unit_id``), its files counted with those ``waiting`` ({purpose:
    files} chosen or kept on the form, not saved yet). Reads only: nothing is written."""
    dossier, refused = content.preview(session, actor, kind, unit_id, fields, dossier_id)
    saved = eligibility.attachment_purposes(session, [dossier_id] if dossier_id else [])
    counts = dict(saved.get(dossier_id, {}))
    for purpose, count in (waiting or {}).items():
        counts[purpose] = counts.get(purpose, 0) + count
    missing = missing_to_send(dossier)
    checks: list[CheckResult] = []
    named = True
    if isinstance(dossier, Nomination) and dossier.award_type is not None:
        named = eligibility.names_nominee(dossier)
        checker = eligibility.Checker(session, today)
        found = checker.check(dossier, counts)
        checks = eligibility.for_the_unit(found)
        own_list = checker.purposes(dossier)  # a list's letter and minutes count for its rows
        if not sum(own_list.values()):
            missing.append(DOSSIER_MESSAGES.violation("evidence_missing"))
    day = local_day(dossier.sent_at) if dossier.sent_at else today
    return Checklist(refused, missing, checks, slots(session, dossier, day, counts), named)
