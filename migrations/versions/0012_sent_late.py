"""plans and reports keep whether they were sent late

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

``dossier.sent_late``: on time or late is decided when a plan or report is sent, against the due
date in force then, and kept, so moving a campaign's due date later does not relabel what was
already sent. Rows sent before this revision are judged once, here, against today's due dates.
Written by hand.
"""
import datetime as dt
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Due dates are days in Việt Nam (UTC+7, no daylight saving).
ZONE = dt.timezone(dt.timedelta(hours=7))


def upgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_late', sa.Boolean(), nullable=True))
    bind = op.get_bind()
    meta = sa.MetaData()
    dossier = sa.Table('dossier', meta, autoload_with=bind)
    campaign = sa.Table('campaign', meta, autoload_with=bind)
    due = {'plan': campaign.c.plan_due, 'report': campaign.c.report_due}
    for kind, due_column in due.items():
        rows = bind.execute(
            sa.select(dossier.c.id, dossier.c.sent_at, due_column)
            .join(campaign, campaign.c.id == dossier.c.campaign_id)
            .where(dossier.c.kind == kind, dossier.c.sent_at.is_not(None), due_column.is_not(None))
        ).all()
        for dossier_id, sent_at, due_day in rows:
            sent_at = sent_at if sent_at.tzinfo else sent_at.replace(tzinfo=dt.UTC)
            late = sent_at.astimezone(ZONE).date() > due_day
            bind.execute(dossier.update().where(dossier.c.id == dossier_id).values(sent_late=late))


def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_column('sent_late')
