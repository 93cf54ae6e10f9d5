"""Reopening a completed complaint, follow-up cases, officers' "after" photos

Issue 10, items 2 and 3.

- ``organizations.reopen_window_days``: for how many days after completion "not fixed" on the
  tracking page reopens a complaint (default 30).
- ``cases.reopen_count`` / ``reopened_at``: how often the complainant said "not fixed", and when
  last; ``cases.follows_id``: the completed case a new case follows up (after the window).
- ``attachments.event_id`` / ``public``: an officer's photo belongs to a public update or the
  result, and may be shown to the complainant.

On SQLite the two tables that gain a foreign key are rebuilt, keeping AUTOINCREMENT (the
general channel's ids stay positive next to a tip's random negative ones).

Revision ID: 9f4f5dfe9922
Revises: a7e5c0f3b912
Create Date: 2026-12-01 17:14:08.444029

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9f4f5dfe9922'
down_revision = 'a7e5c0f3b912'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
SHARED = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('attachments', table_kwargs=SHARED) as batch_op:
        batch_op.add_column(sa.Column('event_id', BIG_ID, nullable=True))
        batch_op.add_column(sa.Column('public', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_attachments_event_id_case_events'), 'case_events', ['event_id'], ['id'])

    with op.batch_alter_table('cases', table_kwargs=SHARED) as batch_op:
        batch_op.add_column(sa.Column('reopen_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reopened_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('follows_id', BIG_ID, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cases_follows_id_cases'), 'cases', ['follows_id'], ['id'])

    with op.batch_alter_table('organizations') as batch_op:
        batch_op.add_column(sa.Column('reopen_window_days', sa.Integer(), server_default='30', nullable=False))


def downgrade():
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.drop_column('reopen_window_days')

    with op.batch_alter_table('cases', table_kwargs=SHARED) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_follows_id_cases'), type_='foreignkey')
        batch_op.drop_column('follows_id')
        batch_op.drop_column('reopened_at')
        batch_op.drop_column('reopen_count')

    with op.batch_alter_table('attachments', table_kwargs=SHARED) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachments_event_id_case_events'), type_='foreignkey')
        batch_op.drop_column('public')
        batch_op.drop_column('event_id')
