"""publishing: the published figures' index, the office hours the manuals print

- ``ix_cases_org_received``: /stats and its API select a period's cases by when they were
  received (grouped aggregates over this index).
- ``organizations.office_hours_th`` / ``office_hours_en``: published in the handling manuals
  beside the phone number and address (empty until an administrator sets them).
- ``organizations.publish_case_list`` / ``public_grid_m``: the public list, map and open data
  of general complaints (on), with places snapped to a grid of that many metres (500).
- ``open311_keys``: the api_keys an administrator issues to Open311 clients (hashes only).

Revision ID: 3f3c119bcd1e
Revises: 5d369af9344b
Create Date: 2026-12-01 15:15:52.574867

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f3c119bcd1e'
down_revision = '5d369af9344b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('open311_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    with op.batch_alter_table('open311_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open311_keys_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_org_received', ['organization_id', 'received_at'], unique=False)

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_hours_th', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('office_hours_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('publish_case_list', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('public_grid_m', sa.Integer(), nullable=False, server_default='500'))


def downgrade():
    with op.batch_alter_table('open311_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open311_keys_organization_id'))
    op.drop_table('open311_keys')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('public_grid_m')
        batch_op.drop_column('publish_case_list')
        batch_op.drop_column('office_hours_en')
        batch_op.drop_column('office_hours_th')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_org_received')
