"""A tip record correction may name the offender's check it corrects
(tip_record_corrections.check_id; casework.tipline.corrections)

Revision ID: d2a6b8e4f513
Revises: c4e8a1f07b32
Create Date: 2027-01-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2a6b8e4f513'
down_revision = 'c4e8a1f07b32'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tip_record_corrections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tip_record_corrections_check_id_tip_follow_up_checks'), 'tip_follow_up_checks', ['check_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('tip_record_corrections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tip_record_corrections_check_id_tip_follow_up_checks'), type_='foreignkey')
        batch_op.drop_column('check_id')
