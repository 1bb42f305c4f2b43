"""The unit plan lifecycle (kế hoạch thi đua): it ends at the Office's acceptance."""

from workflow.campaigns import guards as gc
from workflow.core.spec import StateDef, Tone, TransitionDef, WorkflowDef
from workflow.dossiers import guards as dg
from workflow.lifecycles.common import (
    DRAFT,
    OFFICE,
    OFFICE_REVIEW,
    RETURNED,
    UNIT_REVIEW,
    WITHDRAWN,
    unit_stage,
)

# Accepted plans are published to the whole sector.
ACCEPTED = StateDef(
    "accepted",
    "Đã tiếp nhận, công bố trong ngành",
    "Accepted and shared with the sector",
    terminal=True,
    tone=Tone.SUCCESS,
    shared_with_sector=True,
)

PLAN = WorkflowDef(
    kind="plan",
    label_vi="Kế hoạch thi đua",
    label_en="Emulation plan",
    initial="draft",
    states=(
        DRAFT,
        UNIT_REVIEW,
        OFFICE_REVIEW,
        RETURNED,
        ACCEPTED,
        WITHDRAWN,
    ),
    transitions=unit_stage(
        (dg.required_fields,),
        submit_extra=(gc.unit_takes_part, gc.due_date_kept),
        send_extra=(gc.due_date_kept,),
    )
    + (
        TransitionDef(
            "office_accept",
            ("office_review",),
            "accepted",
            OFFICE,
            "Tiếp nhận kế hoạch",
            "Accept the plan",
            guards=(dg.reviewer_independent, dg.required_fields),
            forward=True,
        ),
    ),
)
