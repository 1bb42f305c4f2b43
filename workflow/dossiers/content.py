"""Creating dossiers and changing their content, audited like transitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from models import (
    AwardType,
    Campaign,
    Collective,
    Dossier,
    Nomination,
    Person,
    Plan,
    Proposal,
    Report,
    Unit,
)
from models.clock import utcnow
from models.text import fold, nfc
from workflow.campaigns.guards import participation_problem
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import (
    UNIT,
    can_view,
    editing_role,
    first_role,
    may_draft,
    may_edit_dossier,
    refuse_unless,
)
from workflow.core.engine import load_for_update, workflow_of
from workflow.core.errors import EditRefused, NotFound, Violation, refuse_if_stale
from workflow.core.inputs import field_required, field_too_long
from workflow.core.messages import Messages
from workflow.core.registry import WORKFLOWS, states_where
from workflow.dossiers.fields import fields_of
from workflow.people.register import unit_collective

CONTENT_MESSAGES = Messages(
    {
        "not_editable": (
            "Hồ sơ ở trạng thái “{state}” không được chỉnh sửa.",
            "A dossier that is “{state}” cannot be edited.",
        ),
        "unknown_field": (
            "Trường “{field}” không được chỉnh sửa.",
            "The field “{field}” cannot be edited.",
        ),
        "person_elsewhere": (
            "“{name}” không phải người đang công tác tại đơn vị lập hồ sơ; "
            "chỉ đề nghị được người thuộc sổ theo dõi hiện tại của đơn vị.",
            "“{name}” does not work in the unit drafting the dossier now; only a person of "
            "the unit's current register can be nominated.",
        ),
        "person_merged": (
            "“{name}” đã được gộp vào một người khác trong sổ theo dõi; vui lòng chọn lại.",
            "“{name}” was merged into another entry of the register; please choose again.",
        ),
        "collective_elsewhere": (
            "Tập thể đã chọn không thuộc đơn vị lập hồ sơ; vui lòng chọn lại.",
            "The collective chosen is not part of the unit drafting the dossier; "
            "please choose again.",
        ),
        "one_award": (
            "“{name}” đã có hồ sơ số {other} đề nghị “{award}” năm {year}; mỗi thành tích "
            "chỉ đề nghị một hình thức khen thưởng.",
            "“{name}” already has dossier no. {other} proposing “{award}” for {year}; one "
            "achievement, one award.",
        ),
        "collective_inactive": (
            "Tập thể “{name}” không còn hoạt động; vui lòng chọn tập thể khác.",
            "The collective “{name}” is no longer active; please choose another.",
        ),
    }
)

MODELS: dict[str, type[Dossier]] = {
    "nomination": Nomination,
    "plan": Plan,
    "report": Report,
    "proposal": Proposal,
}


def _coerce(session: Session, kind: str, name: str, value: Any) -> tuple[Any, Violation | None]:
    """The value to store for field ``name`` of ``kind``, or why it cannot be stored."""
    field = fields_of(kind).get(name)
    if field is None:
        return None, CONTENT_MESSAGES.violation("unknown_field", {"field": name})
    missing = field_required(field.named)
    if field.value == "text":
        text = nfc(str(value or ""))
        limit = field.max_length
        if limit is not None and len(text) > limit:
            return None, field_too_long(field.named, limit)
        return text, None
    if field.value == "flag":
        return bool(value) and str(value).lower() not in ("0", "false", "off", ""), None
    if field.value == "choice":
        return (value, None) if value in tuple(field.choices or ()) else (None, missing)
    if value in (None, ""):
        return None, (missing if field.required else None)
    try:
        ident = int(value)
    except (TypeError, ValueError):
        return None, missing
    if field.refers_to is not None:
        row = session.get(field.refers_to, ident)
        if row is None or not row.active:
            return None, missing
    return ident, None


def _apply(session: Session, dossier: Dossier, fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Validate every field, then apply them all; returns {field: [old, new]} of what changed."""
    values, problems = _validated(session, dossier, fields)
    if problems:
        raise EditRefused(problems)
    return _set(session, dossier, values)


def _validated(
    session: Session, dossier: Dossier, fields: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Violation]]:
    """The values to store of the fields that may be stored, and the problems of the others."""
    values, problems = {}, []
    for name, raw in fields.items():
        value, problem = _coerce(session, dossier.kind, name, raw)
        if problem:
            problems.append(problem)
        else:
            values[name] = value
    if values.get("campaign_id") is not None and values["campaign_id"] != dossier.campaign_id:
        # A unit drafts only for campaigns it takes part in.
        problems += filter(
            None,
            [
                participation_problem(
                    session, session.get(Campaign, values["campaign_id"]), dossier.unit_id
                )
            ],
        )
    if isinstance(dossier, Nomination) and (dossier.id is None or _NOMINEE_KEYS & set(values)):
        problems += _link_nominee(session, dossier, values) or _one_award(session, dossier, values)
    return values, problems


def _set(session: Session, dossier: Dossier, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Store ``values`` on ``dossier``; returns {field: [old, new]} of what changed."""
    changed = {}
    for name, value in values.items():
        old = getattr(dossier, name)
        if old != value:
            changed[name] = [old, value]
            setattr(dossier, name, value)
    if isinstance(dossier, Nomination):
        refresh_search_key(session, dossier)
    return changed


# Fields whose change asks the nominee and "one achievement, one award" to be checked again.
_NOMINEE_KEYS = {"nominee_kind", "person_id", "collective_id", "award_type_id", "campaign_id"}


def _link_nominee(session: Session, nomination: Nomination, values: dict[str, Any]) -> list:
    """Check the register entry chosen and add it to ``values``, with the name and position
    of the decision copied from it (never typed); the problems found."""
    kind = values.get("nominee_kind", nomination.nominee_kind)
    if kind == "collective":
        return _link_collective(session, nomination, values)
    person_id = values.get("person_id", nomination.person_id)
    person = session.get(Person, person_id) if person_id else None
    if person is None:
        # A draft may name nobody yet; sending asks for the nominee (``missing_to_send``).
        values.update(person_id=None, collective_id=None, nominee_name="", position=None)
        return []
    named = {"name": person.full_name, "name_en": person.full_name}
    if person.merged_into_id is not None:
        return [CONTENT_MESSAGES.violation("person_merged", named)]
    if person.unit_id != nomination.unit_id:
        return [CONTENT_MESSAGES.violation("person_elsewhere", named)]
    values.update(
        person_id=person.id,
        collective_id=None,
        nominee_name=person.full_name,
        position=person.position,
    )
    return []


def _link_collective(session: Session, nomination: Nomination, values: dict[str, Any]) -> list:
    """The unit itself when no group is chosen; a group must be an active one of the unit."""
    chosen = values.get("collective_id", nomination.collective_id)
    if chosen:
        entry = session.get(Collective, chosen)
    else:  # a form's checklist may not know the unit yet
        entry = unit_collective(session, nomination.unit_id) if nomination.unit_id else None
    if entry is None or entry.unit_id != nomination.unit_id:
        return [CONTENT_MESSAGES.violation("collective_elsewhere")]
    if not entry.active:
        return [
            CONTENT_MESSAGES.violation(
                "collective_inactive", {"name": entry.name, "name_en": entry.name}
            )
        ]
    values.update(collective_id=entry.id, person_id=None, nominee_name=entry.name, position=None)
    return []


def _one_award(session: Session, nomination: Nomination, values: dict[str, Any]) -> list:
    """ "One achievement, one award" (Luật Điều 5 k2c): no second live nomination of the same
    entry for the same award and year (a withdrawn or rejected one no longer counts)."""
    award_id = values.get("award_type_id", nomination.award_type_id)
    campaign = session.get(Campaign, values.get("campaign_id", nomination.campaign_id) or -1)
    if values.get("person_id"):
        entry = Nomination.person_id == values["person_id"]
    elif values.get("collective_id"):
        entry = Nomination.collective_id == values["collective_id"]
    else:
        return []  # nobody named yet
    if award_id is None or campaign is None:
        return []
    other = session.scalar(
        select(Nomination.id)
        .join(Campaign, Campaign.id == Nomination.campaign_id)
        .where(
            entry,
            Nomination.award_type_id == award_id,
            Campaign.year == campaign.year,
            Nomination.id != (nomination.id or -1),
            Nomination.state.in_(_live_states()),
        )
        .limit(1)
    )
    if other is None:
        return []
    award = session.get_one(AwardType, award_id)
    return [
        CONTENT_MESSAGES.violation(
            "one_award",
            {
                "name": values["nominee_name"],
                "name_en": values["nominee_name"],
                "other": other,
                "award": award.name_vi,
                "award_en": award.name_en,
                "year": campaign.year,
            },
        )
    ]


def _live_states() -> tuple[str, ...]:
    """Nomination states that still stand: not ended, or ended with the award conferred."""
    return states_where(lambda s: not s.terminal or s.counts_toward_quota)["nomination"]


def _audited(kind: str, changed: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The changes the audit event records: those of fields declared audited."""
    declared = fields_of(kind)
    return {name: diff for name, diff in changed.items() if declared[name].audited}


def touch(dossier: Dossier, now: dt.datetime) -> None:
    """Mark a content change: forces an UPDATE, so the version counter moves."""
    dossier.updated_at = now
    flag_modified(dossier, "updated_at")


def refresh_search_key(session: Session, nomination: Nomination) -> None:
    """The folded text the public search matches: nominee, position, unit and award."""
    award = session.get(AwardType, nomination.award_type_id) if nomination.award_type_id else None
    unit = session.get(Unit, nomination.unit_id) if nomination.unit_id else None
    nomination.search_key = fold(
        " ".join(
            filter(
                None,
                (
                    nomination.nominee_name,
                    nomination.position,
                    unit.name if unit else "",
                    award.name_vi if award else "",
                ),
            )
        )
    )


def create(
    session: Session,
    actor: Actor,
    kind: str,
    unit_id: int,
    fields: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Dossier:
    """A new dossier in its lifecycle's initial state, drafted by a member of ``unit_id``."""
    now = now or utcnow()
    refuse_unless(may_draft(actor, unit_id))
    role = first_role(actor, UNIT, unit_id)
    dossier = MODELS[kind](
        state=WORKFLOWS[kind].initial,
        unit_id=unit_id,
        author_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    declared = fields_of(kind).values()
    for field in declared:
        if field.initial is not None:
            setattr(dossier, field.name, field.initial)
    changed = _apply(session, dossier, fields)
    for field in declared:
        # A reference the form requires is a column that cannot be empty, even in a draft.
        if field.required and field.value == "ref" and getattr(dossier, field.name) is None:
            raise EditRefused([field_required(field.named)])
    session.add(dossier)
    session.flush()
    audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action="create",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=unit_id,
        to_state=dossier.state,
        changes={k: new for k, (_, new) in _audited(kind, changed).items()},
        now=now,
    )
    return dossier


def preview(
    session: Session,
    actor: Actor,
    kind: str,
    unit_id: int | None,
    fields: Mapping[str, Any],
    dossier_id: int | None = None,
) -> tuple[Dossier, list[Violation]]:
    """The dossier as a form would save it now: the saved dossier's content (``dossier_id``) or
    a new one's, with what may be stored of ``fields`` applied, and what saving would refuse.

    Never added to the session, so nothing is written: the unit's checklist is worked out on
    it while the form is filled in. Its campaign, unit, award and nominee are attached for the
    checks to read. NotFound when the saved dossier is not the person's to see, a permission
    refusal when it is not theirs to change."""
    saved = None
    if dossier_id is not None:
        saved = session.get(Dossier, dossier_id)
        if saved is None or not can_view(actor, saved):
            raise NotFound()
        refuse_unless(may_edit_dossier(actor, saved))
        kind, unit_id = saved.kind, saved.unit_id
    else:
        refuse_unless(may_draft(actor, unit_id))
    dossier = MODELS[kind](state=WORKFLOWS[kind].initial, unit_id=unit_id)
    declared = fields_of(kind).values()
    for field in declared:
        value = getattr(saved, field.name) if saved is not None else field.initial
        setattr(dossier, field.name, value)
    if saved is not None:
        dossier.id, dossier.state, dossier.sent_at = saved.id, saved.state, saved.sent_at
    with session.no_autoflush:
        values, problems = _validated(session, dossier, fields)
        _set(session, dossier, values)
        for field in declared:
            if field.required and field.value == "ref" and getattr(dossier, field.name) is None:
                problems.append(field_required(field.named))
        _attach_references(session, dossier)
    return dossier, problems


def _attach_references(session: Session, dossier: Dossier) -> None:
    """Give a dossier that is not in the session the rows its checks read through its
    relationships (they load only for a dossier in the session)."""
    dossier.unit = session.get(Unit, dossier.unit_id) if dossier.unit_id else None
    dossier.campaign = session.get(Campaign, dossier.campaign_id) if dossier.campaign_id else None
    if isinstance(dossier, Nomination):
        award = dossier.award_type_id
        dossier.award_type = session.get(AwardType, award) if award else None
        dossier.person = session.get(Person, dossier.person_id) if dossier.person_id else None
        group = dossier.collective_id
        dossier.collective = session.get(Collective, group) if group else None


def check_editable(
    session: Session, dossier_id: int, actor: Actor, expected_version: int | None
) -> tuple[Dossier, Role]:
    """Lock a dossier that ``actor`` may change now, or raise why not."""
    dossier = load_for_update(session, dossier_id, actor)
    state = workflow_of(dossier).state(dossier.state)
    refuse_if_stale(dossier.version, expected_version, "stale_version", state.labels)
    role = editing_role(actor, dossier)
    if role is None:
        raise EditRefused([Violation("out_of_scope")])
    if not state.editable:
        raise EditRefused(
            [
                CONTENT_MESSAGES.violation(
                    "not_editable", {"state": state.label_vi, "state_en": state.label_en}
                )
            ]
        )
    return dossier, role


def edit(
    session: Session,
    dossier_id: int,
    actor: Actor,
    fields: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> audit.AppendedEvent | None:
    """Change a dossier's content (draft or returned, owning unit only); audited as "edit".

    Returns None when nothing changed. Never commits.
    """
    now = now or utcnow()
    dossier, role = check_editable(session, dossier_id, actor, expected_version)
    # The lookups in _apply would autoflush a half-applied change: two UPDATEs, and the
    # version would move twice for one edit.
    with session.no_autoflush:
        changed = _apply(session, dossier, fields)
    if not changed:
        return None
    touch(dossier, now)
    event = audit.append(
        session,
        entity_type="dossier",
        entity_id=dossier.id,
        action="edit",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=dossier.unit_id,
        from_state=dossier.state,
        to_state=dossier.state,
        changes=_audited(dossier.kind, changed),
        now=now,
    )
    session.flush()
    return event
