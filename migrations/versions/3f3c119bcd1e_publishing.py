"""publishing: the statistics' index, the manuals' office hours, the public list, Open311 keys,
summary reports, survey answers and the recurrence radius

- ``ix_cases_org_received``: /stats and its API select a period's cases by when they were
  received (grouped aggregates over this index).
- ``organizations.office_hours_th`` / ``office_hours_en``: published in the handling manuals
  beside the phone number and address (empty until an administrator sets them).
- ``organizations.publish_case_list`` / ``public_grid_m``: the public list, map and open data
  of general complaints (on), with places snapped to a grid of that many metres (500).
- ``open311_keys``: the api_keys an administrator issues to Open311 clients (hashes only).
- ``summary_reports``: the executive summary reports, drafted, approved, published.
- ``survey_answers`` and ``organizations.survey_questions``: satisfaction answers given online,
  by phone or on paper; the questions (none: the default).
- ``organizations.recurrence_radius_m``: complaints this close are at the same place (100).

Revision ID: 3f3c119bcd1e
Revises: 7c2e5a91d4b3
Create Date: 2026-12-01 15:15:52.574867

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f3c119bcd1e'
down_revision = '7c2e5a91d4b3'
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
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_open311_keys_created_by_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_open311_keys_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_open311_keys_key_hash'))
    )
    with op.batch_alter_table('open311_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open311_keys_organization_id'), ['organization_id'], unique=False)

    op.create_table('summary_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('obstacles', sa.Text(), nullable=False),
    sa.Column('solutions', sa.Text(), nullable=False),
    sa.Column('drafted_by', sa.Integer(), nullable=True),
    sa.Column('drafted_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_summary_reports_approved_by_users')),
    sa.ForeignKeyConstraint(['drafted_by'], ['users.id'], name=op.f('fk_summary_reports_drafted_by_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_summary_reports_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_reports')),
    sa.UniqueConstraint('organization_id', 'fiscal_year', 'period', name=op.f('uq_summary_reports_organization_id_fiscal_year_period'))
    )
    with op.batch_alter_table('summary_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_summary_reports_organization_id'), ['organization_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=32), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_survey_answers_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_survey_answers_organization_id_organizations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_survey_answers_recorded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_org_received', ['organization_id', 'received_at'], unique=False)

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_hours_th', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('office_hours_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('publish_case_list', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('public_grid_m', sa.Integer(), nullable=False, server_default='500'))
        batch_op.add_column(sa.Column('survey_questions', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('recurrence_radius_m', sa.Integer(), nullable=False, server_default='100'))



def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('recurrence_radius_m')
        batch_op.drop_column('survey_questions')
        batch_op.drop_column('public_grid_m')
        batch_op.drop_column('publish_case_list')
        batch_op.drop_column('office_hours_en')
        batch_op.drop_column('office_hours_th')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_org_received')

    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_organization_id'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_case_id'))

    op.drop_table('survey_answers')
    with op.batch_alter_table('summary_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_summary_reports_organization_id'))

    op.drop_table('summary_reports')
    with op.batch_alter_table('open311_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open311_keys_organization_id'))

    op.drop_table('open311_keys')
