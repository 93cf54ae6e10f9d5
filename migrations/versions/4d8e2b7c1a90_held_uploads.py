"""Files kept across a form error

Issue 10, item 1: ``held_uploads`` keeps a web form's attachments, encrypted, for one to two
hours when the form comes back with something to correct (casework.cases.held). Its ids are
64-bit (a tip form's rows get random ids) and, on SQLite, AUTOINCREMENT, as for the other
tables both channels share.

Revision ID: 4d8e2b7c1a90
Revises: a0cf88893c0a
Create Date: 2026-12-01 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d8e2b7c1a90'
down_revision = 'a0cf88893c0a'
branch_labels = None
depends_on = None


def upgrade():
    big = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
    op.create_table('held_uploads',
    sa.Column('id', big, nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('form_tag', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('meta_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('data_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_held_uploads_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_uploads')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('held_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_uploads_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_uploads_form_tag'), ['form_tag'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_uploads_organization_id'), ['organization_id'], unique=False)


def downgrade():
    with op.batch_alter_table('held_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_uploads_organization_id'))
        batch_op.drop_index(batch_op.f('ix_held_uploads_form_tag'))
        batch_op.drop_index(batch_op.f('ix_held_uploads_expires_at'))
    op.drop_table('held_uploads')
