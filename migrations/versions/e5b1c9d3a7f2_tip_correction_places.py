"""A tip's corrections keep their order by a place within the tip
(tip_record_corrections.position), since their ids are random (casework.models.rowids)

Revision ID: e5b1c9d3a7f2
Revises: d2a6b8e4f513
Create Date: 2026-12-01 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b1c9d3a7f2'
down_revision = 'd2a6b8e4f513'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tip_record_corrections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), server_default='0', nullable=False))
    # The rows already there were numbered in the order they were written: that order, per tip.
    op.execute(
        "UPDATE tip_record_corrections SET position = ("
        " SELECT count(*) FROM tip_record_corrections AS o"
        " WHERE o.case_id = tip_record_corrections.case_id"
        " AND (o.corrected_on < tip_record_corrections.corrected_on"
        " OR (o.corrected_on = tip_record_corrections.corrected_on"
        " AND o.id <= tip_record_corrections.id)))"
    )


def downgrade():
    with op.batch_alter_table('tip_record_corrections', schema=None) as batch_op:
        batch_op.drop_column('position')
