"""LINE chats, links, events and the outbox retry key

The LINE Official Account (lineoa): each user's chat (the userId sealed, found by a keyed
hash; the conversation's state and sealed draft, versioned for optimistic locking), the cases
filed from a chat, the webhook event ids already handled, and the X-Line-Retry-Key each LINE
push keeps across retries, and what a queued LINE message says, sealed.

Revision ID: b0de36f09e10
Revises: 3f3c119bcd1e
Create Date: 2026-12-01 15:10:11.674237

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b0de36f09e10'
down_revision = '3f3c119bcd1e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('line_chats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('user_tag', sa.String(length=64), nullable=False),
    sa.Column('user_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('draft_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('touched_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_line_chats_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_chats')),
    sa.UniqueConstraint('organization_id', 'user_tag', name=op.f('uq_line_chats_organization_id_user_tag'))
    )
    with op.batch_alter_table('line_chats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_chats_organization_id'), ['organization_id'], unique=False)

    op.create_table('line_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_line_events_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_events')),
    sa.UniqueConstraint('organization_id', 'event_id', name=op.f('uq_line_events_organization_id_event_id'))
    )
    with op.batch_alter_table('line_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_events_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_events_received_at'), ['received_at'], unique=False)

    op.create_table('line_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_line_links_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['chat_id'], ['line_chats.id'], name=op.f('fk_line_links_chat_id_line_chats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_line_links_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_links'))
    )
    with op.batch_alter_table('line_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_links_case_id'), ['case_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_line_links_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_links_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry_key', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('body_sealed', sa.LargeBinary(), nullable=True))



def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('body_sealed')
        batch_op.drop_column('retry_key')

    with op.batch_alter_table('line_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_links_organization_id'))
        batch_op.drop_index(batch_op.f('ix_line_links_chat_id'))
        batch_op.drop_index(batch_op.f('ix_line_links_case_id'))

    op.drop_table('line_links')
    with op.batch_alter_table('line_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_events_received_at'))
        batch_op.drop_index(batch_op.f('ix_line_events_organization_id'))

    op.drop_table('line_events')
    with op.batch_alter_table('line_chats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_chats_organization_id'))

    op.drop_table('line_chats')
