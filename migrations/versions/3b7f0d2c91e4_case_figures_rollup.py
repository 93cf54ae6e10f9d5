"""The published figures' rollup (case_figures), filled from the cases already there

Issue 13 item 11 and issue 12: /stats and /api/v1/stats read these counts instead of the cases
(casework.models.rollup keeps them in step on every flush; casework.cases.rollup reads them).

Revision ID: 3b7f0d2c91e4
Revises: 67d606a695a9
Create Date: 2026-12-01 17:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7f0d2c91e4'
down_revision = '67d606a695a9'
branch_labels = None
depends_on = None


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
    # The counts of the cases already there, computed as every flush computes them.
    from casework.models import Case
    from casework.models.rollup import KEY, TRACKED, contributions

    bind = op.get_bind()
    cases = sa.table('cases', *(sa.column(name, Case.__table__.c[name].type) for name in TRACKED))
    total = {}
    for row in bind.execute(sa.select(*(cases.c[name] for name in TRACKED))):
        for key in contributions(dict(zip(TRACKED, row))):
            total[key] = total.get(key, 0) + 1
    rows = [dict(zip(KEY, key), n=n) for key, n in sorted(total.items())]
    figures = sa.table('case_figures', *(sa.column(name) for name in (*KEY, 'n')))
    for start in range(0, len(rows), 5000):
        bind.execute(figures.insert(), rows[start:start + 5000])


def downgrade():
    op.drop_table('case_figures')
