"""States and transitions every dossier kind shares: the unit's part and the Office's return."""

from __future__ import annotations

from workflow.core.actors import Role
from workflow.core.spec import Guard, Input, QueueDef, Scope, StateDef, Tone, TransitionDef
from workflow.council import guards as cg
from workflow.dossiers import guards as dg

UNIT = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})
HEAD = frozenset({Role.UNIT_HEAD})
OFFICE = frozenset({Role.OFFICE_REVIEWER})
SECRETARY = frozenset({Role.COUNCIL_SECRETARY})
REASON = frozenset({Input.REASON})

# The lists of the home page's "Việc cần làm", in the order it shows them.
RETURNED_QUEUE = QueueDef("returned", "Bị trả lại, cần bổ sung", "Returned for correction", 1)
DRAFT_QUEUE = QueueDef(
    "draft", "Hồ sơ nháp cần hoàn thiện và gửi duyệt", "Drafts to complete and submit", 2
)
# Only heads of unit approve, so this queue speaks to them.
UNIT_REVIEW_QUEUE = QueueDef("unit_review", "Chờ bạn duyệt và gửi Sở", "Awaiting your approval", 3)
OFFICE_REVIEW_QUEUE = QueueDef("office_review", "Chờ thẩm định", "To review", 4)
COUNCIL_QUEUE = QueueDef("council_review", "Chờ Hội đồng xét", "Awaiting the Council", 5)
TO_PUBLISH_QUEUE = QueueDef(
    "to_publish", "Đã thông qua, chờ công bố", "Approved, awaiting publication", 6
)
FORWARDED_QUEUE = QueueDef(
    "forwarded",
    "Đã trình cấp trên, chờ ghi nhận kết quả",
    "Forwarded, awaiting the higher level's answer",
    7,
)

DRAFT = StateDef("draft", "Nháp", "Draft", editable=True, queue=DRAFT_QUEUE)
UNIT_REVIEW = StateDef(
    "unit_review",
    "Chờ thủ trưởng duyệt",
    "Awaiting the head's approval",
    queue=UNIT_REVIEW_QUEUE,
    tone=Tone.INFO,
)
OFFICE_REVIEW = StateDef(
    "office_review",
    "Văn phòng Sở thẩm định",
    "Under Office review",
    queue=OFFICE_REVIEW_QUEUE,
    tone=Tone.INFO,
)
RETURNED = StateDef(
    "returned",
    "Trả lại bổ sung",
    "Returned for correction",
    editable=True,
    queue=RETURNED_QUEUE,
    tone=Tone.DANGER,
)
WITHDRAWN = StateDef(
    "withdrawn", "Đã rút", "Withdrawn", terminal=True, tone=Tone.CLOSED, retracted=True
)
# Nominations and reports go to the Council; the outcome is then published.
COUNCIL_REVIEW = StateDef(
    "council_review",
    "Chờ Hội đồng xét",
    "Awaiting the Council",
    queue=COUNCIL_QUEUE,
    tone=Tone.INFO,
    agenda=True,
)
PUBLISHED = StateDef(
    "published", "Đã công bố", "Published", terminal=True, public=True, tone=Tone.DONE, decided=True
)


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
            forward=True,
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
            forward=True,
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
            requires=REASON | {Input.RETURN_POINTS},
            effects=(dg.record_return_reason, dg.record_return_points),
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
            forward=True,
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
        forward=True,
    )
