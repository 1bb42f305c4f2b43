"""Creating dossiers and changing their content, audited like transitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from models import AuditEvent, AwardType, Campaign, Dossier, Nomination, Plan, Report, Unit
from models.awards import NOMINEE_KINDS
from models.text import fold, nfc
from workflow.campaigns.guards import participation_problem
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import UNIT, editing_role, first_role, may_draft, refuse_unless
from workflow.core.engine import load_for_update, workflow_of
from workflow.core.errors import EditRefused, Violation, refuse_if_stale
from workflow.core.registry import WORKFLOWS

MODELS: dict[str, type[Dossier]] = {"nomination": Nomination, "plan": Plan, "report": Report}

# field: (kind of value, max length, Vietnamese label, English label)
_TEXT, _BOOL, _ID, _CHOICE = "text", "bool", "id", "choice"
FIELDS: dict[str, dict[str, tuple[str, int, str, str]]] = {
    "nomination": {
        "title": (_TEXT, 400, "Tiêu đề", "Title"),
        "campaign_id": (_ID, 0, "Phong trào", "Campaign"),
        "nominee_kind": (_CHOICE, 0, "Đối tượng", "Nominee kind"),
        "nominee_name": (_TEXT, 255, "Họ tên / tên tập thể", "Nominee"),
        "nominee_user_id": (_ID, 0, "Tài khoản người được đề nghị", "Nominee's account"),
        "position": (_TEXT, 255, "Chức vụ, vị trí", "Position"),
        "award_type_id": (_ID, 0, "Danh hiệu, hình thức khen thưởng", "Award"),
        "achievements": (_TEXT, 20000, "Thành tích", "Achievements"),
        "ad_hoc": (_BOOL, 0, "Khen thưởng đột xuất", "Ad-hoc"),
        "direct_worker": (_BOOL, 0, "Người lao động trực tiếp", "Direct worker"),
    },
    "plan": {
        "title": (_TEXT, 400, "Tiêu đề", "Title"),
        "campaign_id": (_ID, 0, "Phong trào", "Campaign"),
        "document_number": (_TEXT, 60, "Số văn bản", "Document number"),
        "summary": (_TEXT, 20000, "Nội dung", "Content"),
    },
    "report": {
        "title": (_TEXT, 400, "Tiêu đề", "Title"),
        "campaign_id": (_ID, 0, "Phong trào", "Campaign"),
        "document_number": (_TEXT, 60, "Số văn bản", "Document number"),
        "summary": (_TEXT, 20000, "Nội dung", "Content"),
    },
}


def _coerce(session: Session, kind: str, name: str, value: Any) -> tuple[Any, Violation | None]:
    spec = FIELDS[kind].get(name)
    if spec is None:
        return None, Violation("unknown_field", {"field": name})
    value_kind, limit, label_vi, label_en = spec
    if value_kind == _TEXT:
        text = nfc(str(value or ""))
        if len(text) > limit:
            return None, Violation(
                "field_too_long", {"field": label_vi, "field_en": label_en, "max": limit}
            )
        return text, None
    if value_kind == _BOOL:
        return bool(value) and str(value).lower() not in ("0", "false", "off", ""), None
    if value_kind == _CHOICE:
        return (
            (value, None)
            if value in NOMINEE_KINDS
            else (None, Violation("field_required", {"field": label_vi, "field_en": label_en}))
        )
    if value in (None, ""):
        if name == "nominee_user_id":
            return None, None
        return None, Violation("field_required", {"field": label_vi, "field_en": label_en})
    model = {"campaign_id": Campaign, "award_type_id": AwardType}.get(name)
    try:
        ident = int(value)
    except (TypeError, ValueError):
        return None, Violation("field_required", {"field": label_vi, "field_en": label_en})
    if model is not None:
        row = session.get(model, ident)
        if row is None or not row.active:
            return None, Violation("field_required", {"field": label_vi, "field_en": label_en})
    return ident, None


def _apply(session: Session, dossier: Dossier, fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Validate every field, then apply them all; returns {field: [old, new]} of what changed."""
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
    if problems:
        raise EditRefused(problems)
    changed = {}
    for name, value in values.items():
        old = getattr(dossier, name)
        if old != value:
            changed[name] = [old, value]
            setattr(dossier, name, value)
    if isinstance(dossier, Nomination):
        refresh_search_key(session, dossier)
    return changed


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
    now = now or dt.datetime.now(dt.UTC)
    refuse_unless(may_draft(actor, unit_id))
    role = first_role(actor, UNIT, unit_id)
    dossier = MODELS[kind](
        state=WORKFLOWS[kind].initial,
        unit_id=unit_id,
        author_id=actor.user_id,
        created_at=now,
        updated_at=now,
        title="",
    )
    if kind == "nomination":
        dossier.nominee_kind, dossier.nominee_name, dossier.achievements = "individual", "", ""
    changed = _apply(session, dossier, fields)
    for required in ("campaign_id",) + (("award_type_id",) if kind == "nomination" else ()):
        if getattr(dossier, required) is None:
            label = FIELDS[kind][required]
            raise EditRefused(
                [Violation("field_required", {"field": label[2], "field_en": label[3]})]
            )
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
        changes={k: v[1] for k, v in changed.items()},
        now=now,
    )
    return dossier


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
            [Violation("not_editable", {"state": state.label_vi, "state_en": state.label_en})]
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
) -> AuditEvent | None:
    """Change a dossier's content (draft or returned, owning unit only); audited as "edit".

    Returns None when nothing changed. Never commits.
    """
    now = now or dt.datetime.now(dt.UTC)
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
        changes=changed,
        now=now,
    )
    session.flush()
    return event
