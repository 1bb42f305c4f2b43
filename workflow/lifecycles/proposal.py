"""The list proposal lifecycle (tờ trình đề nghị khen thưởng): the unit's part, moving its rows.

A proposal is drafted, submitted to the head and sent to the Department with its rows; from
then on each row is a nomination with a result of its own (accepted, returned, not accepted,
the Council's), so the list itself ends at "received".
"""

from dataclasses import replace

from workflow.campaigns import guards as gc
from workflow.core.spec import StateDef, Tone, WorkflowDef
from workflow.dossiers import guards as dg
from workflow.lifecycles.common import DRAFT, UNIT_REVIEW, WITHDRAWN, unit_stage
from workflow.proposals import guards as pg

READY = (dg.required_fields, pg.has_rows, pg.has_shared_files, pg.rows_complete)

RECEIVED = StateDef(
    "received",
    "Đã gửi Sở, xét theo từng dòng",
    "Sent to the Department; each row is reviewed on its own",
    terminal=True,
    tone=Tone.INFO,
)

# The unit's part of the shared lifecycle, each step moving the rows still with the unit.
_UNIT = {
    t.trigger: t for t in unit_stage(READY, submit_extra=(gc.campaign_accepts, gc.unit_takes_part))
}

PROPOSAL = WorkflowDef(
    kind="proposal",
    label_vi="Tờ trình đề nghị khen thưởng (danh sách)",
    label_en="List proposal",
    initial="draft",
    states=(DRAFT, UNIT_REVIEW, RECEIVED, WITHDRAWN),
    transitions=(
        replace(_UNIT["submit"], then=(pg.rows_follow("submit", "draft"),)),
        replace(
            _UNIT["unit_approve"],
            dest=RECEIVED.name,
            then=(pg.rows_follow("unit_approve", "unit_review"),),
        ),
        replace(_UNIT["unit_return"], then=(pg.rows_follow("unit_return", "unit_review"),)),
        replace(
            _UNIT["withdraw"],
            sources=(DRAFT.name, UNIT_REVIEW.name),
            label_vi="Rút tờ trình",
            then=(pg.rows_follow("withdraw", "draft", "unit_review"),),
        ),
    ),
)
