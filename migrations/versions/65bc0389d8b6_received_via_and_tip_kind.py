"""One word per meaning: cases.intake_channel becomes received_via; tips get the kind "tip"

"Channel" now means only complaint-or-tip; how a case reached the organization (web, LINE,
phone, letter, ...) is received_via. Tips were stored with kind "complaint" (the general
channel's default); they get their own kind. Downgrading renames the column back and gives
tips the old kind again.

Revision ID: 65bc0389d8b6
Revises: f1df7c7baa92
Create Date: 2026-11-23 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '65bc0389d8b6'
down_revision = 'f1df7c7baa92'
branch_labels = None
depends_on = None

cases = sa.table(
    'cases',
    sa.column('channel', sa.String(length=16)),
    sa.column('kind', sa.String(length=16)),
)


def _rename(old, new):
    # batch_alter_table so that SQLite (which copies the table) and PostgreSQL both rename.
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column(
            old, new_column_name=new, existing_type=sa.String(length=16), existing_nullable=False
        )


def upgrade():
    _rename('intake_channel', 'received_via')
    op.execute(cases.update().where(cases.c.channel == 'tip').values(kind='tip'))


def downgrade():
    op.execute(cases.update().where(cases.c.channel == 'tip').values(kind='complaint'))
    _rename('received_via', 'intake_channel')
