"""The list proposal lifecycle (tờ trình đề nghị khen thưởng): the unit's part, moving its rows.

A proposal is drafted, submitted to the head and sent to the Department with its rows; from
then on each row is a nomination with a result of its own (accepted, returned, not accepted,
the Council's), so the list itself ends at "received".
"""

from workflow.campaigns import guards as gc
from workflow.core.spec import Scope, StateDef, Tone, TransitionDef, WorkflowDef
from workflow.dossiers import guards as dg
from workflow.lifecycles.common import (
    DRAFT,
    HEAD,
    REASON,
    UNIT,
    UNIT_REVIEW,
    WITHDRAWN,
)
from workflow.proposals import guards as pg

READY = (dg.required_fields, pg.has_rows, pg.has_shared_files, pg.rows_complete)

RECEIVED = StateDef(
    "received",
    "Đã gửi Sở, xét theo từng dòng",
    "Sent to the Department; each row is reviewed on its own",
    terminal=True,
    tone=Tone.INFO,
)

PROPOSAL = WorkflowDef(
    kind="proposal",
    label_vi="Tờ trình đề nghị khen thưởng (danh sách)",
    label_en="List proposal",
    initial="draft",
    states=(DRAFT, UNIT_REVIEW, RECEIVED, WITHDRAWN),
    transitions=(
        TransitionDef(
            "submit",
            ("draft",),
            "unit_review",
            UNIT,
            "Gửi thủ trưởng duyệt",
            "Submit for approval",
            Scope.OWN_UNIT,
            guards=READY + (gc.campaign_accepts, gc.unit_takes_part),
            then=(pg.rows_follow("submit", "draft"),),
            forward=True,
        ),
        TransitionDef(
            "unit_approve",
            ("unit_review",),
            "received",
            HEAD,
            "Duyệt và gửi Sở",
            "Approve and send to the Department",
            Scope.OWN_UNIT,
            guards=READY,
            effects=(dg.mark_sent,),
            then=(pg.rows_follow("unit_approve", "unit_review"),),
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
            then=(pg.rows_follow("unit_return", "unit_review"),),
            style="secondary",
        ),
        TransitionDef(
            "withdraw",
            ("draft", "unit_review"),
            "withdrawn",
            HEAD,
            "Rút tờ trình",
            "Withdraw",
            Scope.OWN_UNIT,
            REASON,
            then=(pg.rows_follow("withdraw", "draft", "unit_review"),),
            style="danger",
        ),
    ),
)
