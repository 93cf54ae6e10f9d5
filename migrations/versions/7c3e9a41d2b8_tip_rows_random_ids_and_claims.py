"""A tip's rows reveal no order; a transferred complaint's receipt is claimed, never stored

Issue 8, items 3 and 6.

- Ids of the tables a tip writes into, and every reference to a case or a message, become
  64-bit on PostgreSQL (a tip's rows get random negative 63-bit ids: casework.models.rowids).
  On SQLite they stay INTEGER (the 64-bit rowid); the tables both channels share are rebuilt
  with AUTOINCREMENT, so the general channel's ids never follow a tip's negative one.
- Timeline entries and messages get their place within their case (``position``), filled from
  the order of their ids so far.
- ``tip_claims`` replaces ``tip_details.claim_hash``/``claim_sealed``: a claim waiting since
  before this revision had its receipt sealed under the server key, so that receipt is voided
  and the claim reopens, needing a custodian's confirmation (casework.tipline.claims).

Downgrading puts the columns back, but a voided receipt cannot come back: claims still open
return as unclaimable. On PostgreSQL it refuses while any id is outside 32 bits (a tip's row).

Revision ID: 7c3e9a41d2b8
Revises: c9141552cb59
Create Date: 2026-11-24 09:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a41d2b8'
down_revision = 'c9141552cb59'
branch_labels = None
depends_on = None

# Tables whose id a tip's row may take, and every column that refers to one of those ids.
IDS = (
    'cases', 'case_events', 'case_messages', 'attachments', 'audit_entries', 'tip_details',
    'tip_identities', 'tip_assignments', 'tip_exclusions', 'tip_reveal_requests',
    'tip_reveal_approvals', 'tip_closures', 'tip_referrals',
)
REFERENCES = (
    ('cases', 'merged_into_id', True),
    ('case_events', 'case_id', False),
    ('case_messages', 'case_id', False),
    ('attachments', 'case_id', False),
    ('attachments', 'message_id', True),
    ('audit_entries', 'case_id', True),
    ('reporter_identities', 'case_id', False),
    ('outbox', 'case_id', True),
    ('tip_details', 'case_id', False),
    ('tip_identities', 'case_id', False),
    ('tip_assignments', 'case_id', False),
    ('tip_exclusions', 'case_id', False),
    ('tip_reveal_requests', 'case_id', False),
    ('tip_reveal_approvals', 'case_id', False),
    ('tip_reveal_approvals', 'request_id', False),
    ('tip_closures', 'case_id', False),
    ('tip_referrals', 'case_id', False),
    ('line_links', 'case_id', False),
    ('survey_answers', 'case_id', False),
)
SHARED = ('cases', 'case_events', 'case_messages', 'attachments', 'audit_entries')
PLACED = ('case_events', 'case_messages')


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _widen(to, existing) -> None:
    for table in IDS:
        op.alter_column(table, 'id', type_=to, existing_type=existing, existing_nullable=False)
    for table, column, nullable in REFERENCES:
        op.alter_column(table, column, type_=to, existing_type=existing, existing_nullable=nullable)


def _autoincrement(on: bool) -> None:
    """SQLite: rebuild the shared tables with (or without) AUTOINCREMENT."""
    for table in SHARED:
        with op.batch_alter_table(
            table, recreate='always', table_kwargs={'sqlite_autoincrement': on}
        ):
            pass


tip_details = sa.table(
    'tip_details',
    sa.column('id', sa.BigInteger()),
    sa.column('organization_id', sa.Integer()),
    sa.column('case_id', sa.BigInteger()),
    sa.column('receipt_lookup', sa.String(64)),
    sa.column('proof_sealed', sa.LargeBinary()),
    sa.column('claim_hash', sa.String(64)),
    sa.column('claim_sealed', sa.LargeBinary()),
)


def upgrade():
    if _postgresql():
        _widen(sa.BigInteger(), sa.Integer())
    else:
        _autoincrement(True)
    for table in PLACED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('position', sa.Integer(), server_default='0', nullable=False))
        op.execute(
            f'UPDATE {table} SET position = (SELECT COUNT(*) FROM {table} AS earlier '
            f'WHERE earlier.case_id = {table}.case_id AND earlier.id <= {table}.id)'
        )

    big = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    claims = op.create_table('tip_claims',
    sa.Column('id', big, nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('case_id', big, nullable=False),
    sa.Column('code_tag', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('needs_custodian', sa.Boolean(), nullable=False),
    sa.Column('held_lookup', sa.String(length=64), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('claimed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_tip_claims_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tip_claims_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tip_claims')),
    sa.UniqueConstraint('code_tag', name=op.f('uq_tip_claims_code_tag')),
    sa.UniqueConstraint('held_lookup', name=op.f('uq_tip_claims_held_lookup'))
    )
    with op.batch_alter_table('tip_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tip_claims_case_id'), ['case_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_tip_claims_organization_id'), ['organization_id'], unique=False)

    # A claim still waiting had its receipt sealed under the server key: void it, and let the
    # code claim again, with a custodian's confirmation.
    bind = op.get_bind()
    waiting = bind.execute(
        sa.select(tip_details.c.id, tip_details.c.organization_id, tip_details.c.case_id,
                  tip_details.c.claim_hash)
        .where(tip_details.c.claim_hash.is_not(None), tip_details.c.claim_sealed.is_not(None))
    ).all()
    for row in waiting:
        bind.execute(claims.insert().values(
            id=-secrets.randbelow(2**62) - 1, organization_id=row.organization_id,
            case_id=row.case_id, code_tag=row.claim_hash, state='open', needs_custodian=True,
        ))
        bind.execute(
            tip_details.update().where(tip_details.c.id == row.id)
            .values(receipt_lookup=None, proof_sealed=None)
        )
    with op.batch_alter_table('tip_details', schema=None) as batch_op:
        batch_op.drop_constraint('uq_tip_details_claim_hash', type_='unique')
        batch_op.drop_column('claim_sealed')
        batch_op.drop_column('claim_hash')


def downgrade():
    bind = op.get_bind()
    if _postgresql():
        for table in IDS:
            outside = bind.execute(sa.text(
                f'SELECT COUNT(*) FROM {table} WHERE id NOT BETWEEN -2147483648 AND 2147483647'
            )).scalar()
            if outside:
                raise RuntimeError(
                    f'{table} holds rows of tips with 64-bit ids: they cannot go back to INTEGER'
                )
    with op.batch_alter_table('tip_details', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claim_sealed', sa.LargeBinary(), nullable=True))
        batch_op.create_unique_constraint('uq_tip_details_claim_hash', ['claim_hash'])
    claims = sa.table(
        'tip_claims', sa.column('case_id', sa.BigInteger()), sa.column('code_tag', sa.String(64)),
        sa.column('state', sa.String(16)),
    )
    for row in bind.execute(sa.select(claims).where(claims.c.state != 'claimed')).all():
        bind.execute(
            tip_details.update().where(tip_details.c.case_id == row.case_id)
            .values(claim_hash=row.code_tag, receipt_lookup=None, proof_sealed=None)
        )
    with op.batch_alter_table('tip_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tip_claims_organization_id'))
        batch_op.drop_index(batch_op.f('ix_tip_claims_case_id'))
    op.drop_table('tip_claims')
    for table in PLACED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('position')
    if _postgresql():
        _widen(sa.Integer(), sa.BigInteger())
    else:
        _autoincrement(False)
