"""key the audit chain: pin the entries written before it with one keyed entry per chain

From this revision on every audit entry carries an HMAC-SHA256 under the keyring's audit key
(casework.audit). Entries already in the database keep their plain SHA-256 hashes; this
appends one keyed ``audit.keyed`` entry to each chain that has entries, which pins them, so
that `flask --app wsgi audit verify` accepts them and refuses unkeyed entries anywhere else.
The schema does not change.

Revision ID: 5d369af9344b
Revises: f1df7c7baa92
Create Date: 2026-11-23 10:00:00.000000

"""
from alembic import context, op
from flask import current_app


# revision identifiers, used by Alembic.
revision = '5d369af9344b'
down_revision = '65bc0389d8b6'
branch_labels = None
depends_on = None


def upgrade():
    if context.is_offline_mode():
        raise RuntimeError(
            "keying the audit chain needs the keyring and the rows: run `flask db upgrade` "
            "against the database, not with --sql"
        )
    from casework import audit
    from casework.crypto import keys

    audit.pin_unkeyed(op.get_bind(), keys.keyring(current_app).audit_key)


def downgrade():
    # The keyed entries stay: they are part of the trail. (Code from before this revision
    # cannot verify them; there is no going back to an unkeyed chain.)
    pass
