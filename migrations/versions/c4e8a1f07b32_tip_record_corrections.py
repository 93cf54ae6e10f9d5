"""Corrections of a tip stage's record (tip_record_corrections): who, which day, the stage and
fields, and the values replaced, sealed (casework.tipline.corrections)

Revision ID: c4e8a1f07b32
Revises: 3b7f0d2c91e4
Create Date: 2026-12-01 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a1f07b32'
down_revision = '3b7f0d2c91e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tip_record_corrections',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage', sa.String(length=24), nullable=False),
    sa.Column('fields', sa.String(length=300), nullable=False),
    sa.Column('corrected_by', sa.Integer(), nullable=False),
    sa.Column('corrected_on', sa.Date(), nullable=False),
    sa.Column('old_sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_tip_record_corrections_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['corrected_by'], ['users.id'], name=op.f('fk_tip_record_corrections_corrected_by_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tip_record_corrections_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tip_record_corrections'))
    )
    with op.batch_alter_table('tip_record_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tip_record_corrections_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tip_record_corrections_organization_id'), ['organization_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tip_record_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tip_record_corrections_organization_id'))
        batch_op.drop_index(batch_op.f('ix_tip_record_corrections_case_id'))

    op.drop_table('tip_record_corrections')
