"""What the dossier page shows, worked out from the engine, the audit log and the definitions.

Templates only lay these out: every label comes from a lifecycle definition or a field
table, and every button from ``workflow.available``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload

from models import AuditEvent, CouncilItem, CouncilSession, Dossier, Nomination, Target, User
from models.clock import utcnow
from models.council import (
    OUTCOME_APPROVED,
    OUTCOME_CLASSIFIED,
    OUTCOME_DEFERRED,
    OUTCOME_REJECTED,
)
from web.awards.views import nominee_history
from web.campaigns.presenters import show_number
from web.support.i18n import date_vn, lang, pick
from workflow.awards import eligibility
from workflow.awards.rules import PURPOSES
from workflow.core.actors import ROLE_LABELS, Actor, Role
from workflow.core.audit import history
from workflow.core.authz import may_edit_dossier
from workflow.core.engine import available
from workflow.core.errors import Violation
from workflow.core.inputs import CLASSIFICATIONS, InputDef, inputs_of
from workflow.core.registry import WORKFLOWS
from workflow.core.spec import Input, TransitionDef
from workflow.dossiers import returns
from workflow.dossiers.fields import fields_of
from workflow.dossiers.guards import lateness_if_sent
from workflow.publication import revocation

RETURN_TRIGGERS = ("unit_return", "office_return")
OUTCOMES = {
    OUTCOME_APPROVED: ("Thông qua", "Approved"),
    OUTCOME_REJECTED: ("Không thông qua", "Rejected"),
    OUTCOME_DEFERRED: ("Hoãn, trả Văn phòng xem lại", "Deferred"),
    OUTCOME_CLASSIFIED: ("Đã xếp loại", "Classified"),
}


@dataclass
class Step:
    """One line of the audit timeline."""

    when: dt.datetime
    who: str
    role: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    details: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return bool(self.from_state) and self.from_state != self.to_state


@dataclass
class ActionView:
    """One transition form: its inputs, its look and why it cannot be used yet."""

    tdef: TransitionDef
    problems: list[str]
    label: str
    css: str
    confirm: str | None
    inputs: tuple[InputDef, ...]  # what the form asks for
    # Said before the person acts: a plan or report sent now is recorded late.
    warning: str | None = None


def _role_text(role: str | None) -> str:
    try:
        return pick(*ROLE_LABELS[Role(role)]) if role else ""
    except ValueError:
        return role or ""


# The actions of the history that are not transitions (translated when shown, the one asked).
OWN_ACTIONS = {
    "create": _l("Tạo hồ sơ"),
    "edit": _l("Sửa nội dung"),
    "attach": _l("Đính kèm tệp"),
    "detach": _l("Gỡ tệp"),
    "retype": _l("Đổi loại tệp"),
    "figure_correction": _l("Văn phòng Sở điều chỉnh số liệu chỉ tiêu"),
    "reply": _l("Đơn vị trả lời ý kiến trả lại"),
    revocation.REVOKE: _l("Thu hồi khen thưởng"),
    "remove_row": _l("Bỏ một dòng khỏi danh sách"),
}


def _action_text(kind: str, action: str) -> str:
    own = OWN_ACTIONS.get(action)
    if own is not None:
        return str(own)
    try:
        tdef = WORKFLOWS[kind].transition(action)
    except KeyError:
        # Never the bare code: a person reads this.
        return _("Thay đổi hồ sơ")
    return pick(tdef.label_vi, tdef.label_en)


def state_text(kind: str, state: str | None) -> str | None:
    if not state:
        return None
    try:
        sdef = WORKFLOWS[kind].state(state)
    except KeyError:
        return state
    return pick(sdef.label_vi, sdef.label_en)


def _figure_text(value: Any, kind: str) -> str:
    """A figure of the history as the report's pages show it ("92,5%", "Có"); "—" if none."""
    try:
        return show_number(None if value in (None, "") else Decimal(str(value)), kind)
    except InvalidOperation:
        return str(value)


def target_names(session: Session, dossier: Dossier) -> dict[str, tuple[str, str]]:
    """{target code: (its name in the person's language, its kind)} of a report's campaign."""
    if dossier.kind != "report" or dossier.campaign_id is None:
        return {}
    rows = session.execute(
        select(Target.code, Target.title_vi, Target.title_en, Target.kind).where(
            Target.campaign_id == dossier.campaign_id
        )
    )
    return {code: (pick(vi, en), kind) for code, vi, en, kind in rows}


def _details(
    kind: str, event: AuditEvent, targets: dict[str, tuple[str, str]] | None = None
) -> list[str]:
    changes: dict[str, Any] = json.loads(event.changes or "{}")
    targets = targets or {}
    out = []
    if event.action in ("attach", "detach") and changes.get("name"):
        out.append(_("Tệp: %(name)s", name=changes["name"]))
    if event.action == "retype" and isinstance(changes.get("purpose"), list):
        old, new = (pick(*PURPOSES.get(p, (p, p))) for p in changes["purpose"])
        out.append(
            _("Tệp “%(name)s”: %(old)s → %(new)s", name=changes.get("name", ""), old=old, new=new)
        )
    if event.action == "edit":
        labels = [pick(*f.named) for name, f in fields_of(kind).items() if name in changes]
        if labels:
            out.append(_("Đã sửa: %(fields)s", fields=", ".join(labels)))
    for code, diff in (
        changes.get("figures") or {}
    ).items():  # report figures (workflow.dossiers.figures)
        if isinstance(diff, dict) and isinstance(diff.get("value"), list):
            name, target_kind = targets.get(code, (code, "count"))
            old, new = (_figure_text(v, target_kind) for v in diff["value"])
            out.append(_("Chỉ tiêu “%(name)s”: %(old)s → %(new)s", name=name, old=old, new=new))
    if isinstance(changes.get("votes"), list) and len(changes["votes"]) == 3:
        out.append(
            _(
                "Kết quả biểu quyết: %(f)s đồng ý, %(a)s không đồng ý, %(b)s không biểu quyết",
                f=changes["votes"][0],
                a=changes["votes"][1],
                b=changes["votes"][2],
            )
        )
    if changes.get("classification") in CLASSIFICATIONS:
        out.append(_("Xếp loại: %(c)s", c=pick(*CLASSIFICATIONS[changes["classification"]])))
    if changes.get("revocation_number"):
        out.append(
            _(
                "Quyết định thu hồi số %(n)s ngày %(d)s",
                n=changes["revocation_number"],
                d=dt.date.fromisoformat(changes["revocation_date"]).strftime("%d/%m/%Y"),
            )
        )
    if changes.get("decision_number"):
        day = changes.get("decision_date", "")
        day = dt.date.fromisoformat(day).strftime("%d/%m/%Y") if day else ""
        out.append(
            _(
                "Quyết định số %(n)s ngày %(d)s, người ký: %(s)s",
                n=changes["decision_number"],
                d=day,
                s=changes.get("decision_signer", ""),
            )
        )
    return out


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    """{user id: full name} of ``ids``, in one statement (None among them is left out)."""
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return dict(session.execute(_USER_NAMES, {"ids": wanted}).all())


_USER_NAMES = select(User.id, User.full_name).where(User.id.in_(bindparam("ids", expanding=True)))


def timeline(
    session: Session, dossier: Dossier, events: list[AuditEvent], names: dict[int, str]
) -> list[Step]:
    """The dossier's audit events (``history``) as readable steps, oldest first; ``names``
    holds the name of each event's author (``user_names``)."""
    steps, targets = [], target_names(session, dossier)
    for event in events:
        steps.append(
            Step(
                event.occurred_at,
                names.get(event.actor_id, _("Hệ thống")),
                _role_text(event.actor_role),
                _action_text(dossier.kind, event.action),
                event.from_state,
                event.to_state,
                event.reason,
                _details(dossier.kind, event, targets),
            )
        )
    return steps


def _css(style: str) -> str:
    return {"secondary": "button secondary", "danger": "button danger"}.get(style, "button")


def late_warning(dossier: Dossier, tdef: TransitionDef, now: dt.datetime) -> str | None:
    """What the head is told before sending a plan or report that will be recorded late (the
    server still takes it, marked late)."""
    late = lateness_if_sent(dossier, tdef, now)
    if late is None:
        return None
    days, due = late
    if dossier.kind == "plan":
        return _(
            "Kế hoạch sẽ được ghi nhận là nộp muộn %(days)d ngày (hạn %(due)s).",
            days=days,
            due=date_vn(due),
        )
    return _(
        "Báo cáo sẽ được ghi nhận là nộp muộn %(days)d ngày (hạn %(due)s).",
        days=days,
        due=date_vn(due),
    )


def actions(
    session: Session,
    dossier: Dossier,
    who: Actor,
    offered: list[tuple[TransitionDef, list[Violation]]] | None = None,
) -> list[ActionView]:
    """A form per transition the person may fire now, with the rules not yet met
    (``offered``: what ``available`` answered, when already asked)."""
    views = []
    now = utcnow()
    if offered is None:
        offered = available(session, dossier, who, now)
    for tdef, violations in offered:
        if not tdef.by_form:
            continue  # fired by its own operation (a nomination's decision), never a form here
        label = pick(tdef.label_vi, tdef.label_en)
        terminal = WORKFLOWS[dossier.kind].state(tdef.dest).terminal
        confirm = (
            _("Xác nhận “%(action)s”? Sau thao tác này không thể hoàn tác.", action=label)
            if tdef.style == "danger" or terminal
            else None
        )
        warning = late_warning(dossier, tdef, now)
        if warning:
            confirm = " ".join(
                filter(None, (warning, confirm or _("Vẫn “%(action)s”?", action=label)))
            )
        views.append(
            ActionView(
                tdef,
                [v.message(lang()) for v in violations],
                label,
                _css(tdef.style),
                confirm,
                inputs_of(tdef.requires),
                warning,
            )
        )
    return views


def open_sessions(session: Session) -> list[CouncilSession]:
    return list(
        session.scalars(
            select(CouncilSession)
            .where(CouncilSession.status == "open")
            .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc())
        )
    )


_COUNCIL_ITEMS = (
    select(CouncilItem, CouncilSession)
    .join(CouncilSession)
    .where(CouncilItem.dossier_id == bindparam("dossier_id"))
    .order_by(CouncilSession.held_on, CouncilItem.id)
    # The page shows the session's title, day and place, not who attended.
    .options(lazyload(CouncilSession.attendance))
)


def council_items(
    session: Session, dossier: Dossier
) -> list[tuple[CouncilItem, CouncilSession, str]]:
    """The Council's recorded tallies and outcomes for this dossier."""
    rows = session.execute(_COUNCIL_ITEMS, {"dossier_id": dossier.id}).all()
    return [
        (item, council, pick(*OUTCOMES.get(item.outcome or "", ("", "")))) for item, council in rows
    ]


def last_return(session: Session, dossier: Dossier) -> AuditEvent | None:
    """The event that returned the dossier, when its return reason is what the unit must act on."""
    if not dossier.return_reason or not WORKFLOWS[dossier.kind].state(dossier.state).editable:
        return None
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "dossier", AuditEvent.entity_id == dossier.id)
        .order_by(AuditEvent.seq.desc())
        .where(AuditEvent.from_state.is_not(None), AuditEvent.from_state != AuditEvent.to_state)
        .limit(1)
    )
    return event if event is not None and event.action in RETURN_TRIGGERS else None


def next_steps(dossier: Dossier) -> list[tuple[str, str]]:
    """(action, who) of the ways forward from the current state, for the "what next" line."""
    out = []
    for tdef in WORKFLOWS[dossier.kind].transitions_from(dossier.state):
        if not tdef.forward:
            continue
        roles = ", ".join(pick(*ROLE_LABELS[r]) for r in sorted(tdef.roles, key=lambda r: r.value))
        out.append((pick(tdef.label_vi, tdef.label_en), roles))
    return out


def done_elsewhere(
    session: Session,
    dossier: Dossier,
    who: Actor,
    offered: list[tuple[TransitionDef, list[Violation]]] | None = None,
) -> list[tuple[str, str]]:
    """(action, where it is done) of what the person may do next but not from this page: a
    nomination's publication, done by issuing its award decision (``offered``: what
    ``available`` answered, with or without the rules: the same transitions)."""
    if offered is None:
        offered = available(session, dossier, who, rules=False)
    return [
        (pick(tdef.label_vi, tdef.label_en), pick(*tdef.fired_by))
        for tdef, _ in offered
        if not tdef.by_form
    ]


def share_with_checks(session: Session, dossier: Dossier, day: dt.date) -> None:
    """Give the eligibility checks of the page's batch (``eligibility.batch``) what the page
    reads anyway, so that they do not read it again: the nomination's files (counted from
    those the page lists) and its nominee's history."""
    checker = eligibility.shared_checker(session, day)
    if checker is None or not isinstance(dossier, Nomination):
        return
    counts: dict[str, int] = {}
    for attachment in dossier.attachments:
        counts[attachment.purpose] = counts.get(attachment.purpose, 0) + 1
    checker.know_files(dossier.id, counts)
    history = nominee_history(dossier)
    if history is not None:
        checker.know_history(dossier, history)


def detail_context(session: Session, dossier: Dossier, who: Actor) -> dict[str, Any]:
    """Everything the dossier page needs."""
    state = WORKFLOWS[dossier.kind].state(dossier.state)
    # Asked once, with the rules: the forms and what is done elsewhere are the same transitions.
    offered = available(session, dossier, who, utcnow())
    views = actions(session, dossier, who, offered)
    needs_vote = any(Input.COUNCIL_VOTE in v.tdef.requires for v in views)
    returned = last_return(session, dossier)
    revoked = revocation.revocation_of(session, dossier.id) if state.public else None
    events = history(session, "dossier", dossier.id)
    thread = returns.thread(session, dossier.id)
    # Whoever the page names (the steps' authors, the dossier's, the returns' and the
    # replies'), read at once.
    names = user_names(
        session,
        {e.actor_id for e in events}
        | {dossier.author_id, returned.actor_id if returned else None}
        | {r.returned_by for r in thread}
        | {p.replied_by for r in thread for p in r.points},
    )
    return {
        "dossier": dossier,
        "state": state,
        "revocation": revoked,
        "may_revoke": revocation.may_revoke(who, dossier, revoked),
        "steps": timeline(session, dossier, events, names),
        "names": names,
        "actions": views,
        "elsewhere": done_elsewhere(session, dossier, who, offered),
        "sessions": open_sessions(session) if needs_vote else [],
        "council": council_items(session, dossier),
        "editable": state.editable and may_edit_dossier(who, dossier),
        "return_event": returned,
        "next_steps": next_steps(dossier),
        "classifications": CLASSIFICATIONS,
        "returns": thread,
    }
