"""States and transitions every dossier kind shares: the unit's part and the Office's return."""

from __future__ import annotations

from workflow.core.actors import Role
from workflow.core.spec import Guard, Input, Scope, StateDef, TransitionDef
from workflow.council import guards as cg
from workflow.dossiers import guards as dg

UNIT = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
HEAD = frozenset({Role.UNIT_HEAD})
OFFICE = frozenset({Role.OFFICE_REVIEWER})
SECRETARY = frozenset({Role.COUNCIL_SECRETARY})
REASON = frozenset({Input.REASON})

DRAFT = StateDef("draft", "Nháp", "Draft", editable=True)
UNIT_REVIEW = StateDef("unit_review", "Chờ thủ trưởng duyệt", "Awaiting the head's approval")
OFFICE_REVIEW = StateDef("office_review", "Văn phòng Sở thẩm định", "Under Office review")
RETURNED = StateDef("returned", "Trả lại bổ sung", "Returned for correction", editable=True)
WITHDRAWN = StateDef("withdrawn", "Đã rút", "Withdrawn", terminal=True)


def unit_stage(
    ready: tuple[Guard, ...],
    *,
    submit_extra: tuple[Guard, ...] = (),
    send_extra: tuple[Guard, ...] = (),
) -> tuple[TransitionDef, ...]:
    """submit, unit_approve, unit_return, office_return, resubmit and withdraw.

    ``ready`` are the guards that say the content is complete; ``submit_extra`` apply on
    first submission only (the campaign window); ``send_extra`` also apply when the head
    sends it to the Department (a due date).
    """
    return (
        TransitionDef(
            "submit",
            ("draft",),
            "unit_review",
            UNIT,
            "Gửi thủ trưởng duyệt",
            "Submit for approval",
            Scope.OWN_UNIT,
            guards=ready + submit_extra,
        ),
        TransitionDef(
            "unit_approve",
            ("unit_review",),
            "office_review",
            HEAD,
            "Duyệt và gửi Sở",
            "Approve and send to the Department",
            Scope.OWN_UNIT,
            guards=ready + send_extra,
            effects=(dg.mark_sent,),
        ),
        TransitionDef(
            "unit_return",
            ("unit_review",),
            "draft",
            HEAD,
            "Trả lại để sửa",
            "Return to draft",
            Scope.OWN_UNIT,
            REASON,
            effects=(dg.record_return_reason,),
            style="secondary",
        ),
        TransitionDef(
            "office_return",
            ("office_review",),
            "returned",
            OFFICE,
            "Trả lại bổ sung",
            "Return for correction",
            requires=REASON,
            effects=(dg.record_return_reason,),
            style="secondary",
        ),
        TransitionDef(
            "resubmit",
            ("returned",),
            "unit_review",
            UNIT,
            "Gửi lại",
            "Resubmit",
            Scope.OWN_UNIT,
            guards=ready,
        ),
        TransitionDef(
            "withdraw",
            ("draft", "unit_review", "office_review", "returned"),
            "withdrawn",
            HEAD,
            "Rút hồ sơ",
            "Withdraw",
            Scope.OWN_UNIT,
            REASON,
            style="danger",
        ),
    )


def council_defer() -> TransitionDef:
    """The Council sends a dossier back to the Office for another look."""
    return TransitionDef(
        "council_defer",
        ("council_review",),
        "office_review",
        SECRETARY,
        "Hoãn, trả Văn phòng xem lại",
        "Defer to the Office",
        requires=REASON,
        guards=(cg.council_session_if_given, cg.council_tally_possible),
        effects=(cg.council_outcome("deferred"),),
        style="secondary",
    )


def publish(source: str) -> TransitionDef:
    """Publication with a decision number, date and signer."""
    return TransitionDef(
        "publish",
        (source,),
        "published",
        SECRETARY,
        "Công bố",
        "Publish",
        requires=frozenset({Input.DECISION}),
        effects=(dg.record_decision,),
        public=True,
    )
