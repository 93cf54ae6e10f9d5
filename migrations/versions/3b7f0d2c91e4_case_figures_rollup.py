"""The published figures' rollup (case_figures), filled from the cases already there

Issue 13 item 11 and issue 12: /stats and /api/v1/stats read these counts instead of the cases
(casework.models.rollup keeps them in step on every flush; casework.cases.rollup reads them).
The computation of a case's counts is copied into this file as it was at this revision.

Revision ID: 3b7f0d2c91e4
Revises: 67d606a695a9
Create Date: 2026-12-01 17:40:00.000000

"""
from datetime import date, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7f0d2c91e4'
down_revision = '67d606a695a9'
branch_labels = None
depends_on = None


# What a case contributes, as casework.models.rollup computed it at this revision.
ON_TIME, LATE, EXPLAINED = 1, 2, 4
_BANGKOK = timedelta(hours=7)
_EPOCH = date(1970, 1, 1).toordinal()
# The case's columns a contribution reads, with the value a case written without one gets.
TRACKED = {
    'organization_id': None,
    'channel': None,
    'received_at': None,
    'status': 'received',
    'category_id': None,
    'received_via': 'web',
    'department_id': None,
    'completed_at': None,
    'due_date': None,
    'original_due_date': None,
    'explained_at': None,
    'rating': None,
    'reopen_count': 0,
}
# Those columns of ``cases`` and their types at this revision.
_CASE_COLUMNS = {
    'organization_id': sa.Integer(),
    'channel': sa.String(length=16),
    'received_at': sa.DateTime(),
    'status': sa.String(length=24),
    'category_id': sa.Integer(),
    'received_via': sa.String(length=16),
    'department_id': sa.Integer(),
    'completed_at': sa.DateTime(),
    'due_date': sa.Date(),
    'original_due_date': sa.Date(),
    'explained_at': sa.DateTime(),
    'rating': sa.Integer(),
    'reopen_count': sa.Integer(),
}
KEY = (
    'organization_id',
    'month',
    'channel',
    'facet',
    'status',
    'category_id',
    'received_via',
    'department_id',
    'value',
    'detail',
)


def _local(at):
    return (at + _BANGKOK).date()


def _day(d):
    return d.toordinal() - _EPOCH


def _contributions(case):
    """The rollup keys (``KEY``'s order) one case counts one in; ``case`` maps the columns of
    ``TRACKED`` (a missing one takes its default)."""

    def get(name):
        value = case.get(name, TRACKED[name])
        return TRACKED[name] if value is None else value

    received = get('received_at')
    if received is None or get('organization_id') is None:
        return []
    local = _local(received)
    head = (get('organization_id'), local.replace(day=1), get('channel'))
    status, completed = get('status'), get('completed_at')
    keys = [
        (
            *head,
            'counts',
            status,
            get('category_id') or 0,
            get('received_via'),
            get('department_id') or 0,
            0,
            0,
        )
    ]
    done = _day(_local(completed)) if completed is not None else None
    if done is not None:
        keys.append((*head, 'days', status, 0, '', 0, done - _day(local), 0))
    first = get('original_due_date') or get('due_date')
    if first is not None:
        deadline = _day(first)
        detail = 0 if done is None else (ON_TIME if done <= deadline else LATE)
        if get('explained_at') is not None:
            detail |= EXPLAINED
        keys.append((*head, 'deadline', status, 0, '', 0, deadline, detail))
    if get('rating') is not None:
        keys.append((*head, 'rating', '', 0, '', 0, get('rating'), 0))
    if get('reopen_count') > 0:
        keys.append((*head, 'reopened', '', 0, '', 0, 0, 0))
    return keys


def upgrade():
    op.create_table(
        'case_figures',
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('facet', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('received_via', sa.String(length=16), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('detail', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organizations.id'],
            name=op.f('fk_case_figures_organization_id_organizations'),
        ),
        sa.PrimaryKeyConstraint(
            'organization_id', 'month', 'channel', 'facet', 'status', 'category_id',
            'received_via', 'department_id', 'value', 'detail', name=op.f('pk_case_figures'),
        ),
    )
    # The counts of the cases already there, computed as every flush computed them when this
    # revision was written (casework.models.rollup); copied here, as history does not change.
    bind = op.get_bind()
    cases = sa.table('cases', *(sa.column(name, type_) for name, type_ in _CASE_COLUMNS.items()))
    total = {}
    for row in bind.execute(sa.select(*(cases.c[name] for name in TRACKED))):
        for key in _contributions(dict(zip(TRACKED, row))):
            total[key] = total.get(key, 0) + 1
    rows = [dict(zip(KEY, key), n=n) for key, n in sorted(total.items())]
    figures = sa.table('case_figures', *(sa.column(name) for name in (*KEY, 'n')))
    for start in range(0, len(rows), 5000):
        bind.execute(figures.insert(), rows[start:start + 5000])

def downgrade():
    op.drop_table('case_figures')
