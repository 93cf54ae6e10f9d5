"""The organization's seal image, shown on pages, letters and printed reports

Issue 10, item 10.

Revision ID: a7e5c0f3b912
Revises: 4d8e2b7c1a90
Create Date: 2026-12-01 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7e5c0f3b912'
down_revision = "4d8e2b7c1a90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_png', sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column('seal_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('seal_version')
        batch_op.drop_column('seal_png')
