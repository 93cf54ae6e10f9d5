"""The tip channel's audit entries sit in their own chain, verified on its own."""

from __future__ import annotations

from sqlalchemy import select, text
from tip_helpers import file

from casework import audit
from casework.extensions import db
from casework.models import AuditEntry


def test_the_tips_chain_is_checked_on_its_own(org):
    file(org)
    entry = db.session.scalar(select(AuditEntry).filter_by(chain=audit.TIPS))
    assert entry.seq == 1 and audit.verify(org.id, audit.TIPS).ok
    db.session.execute(
        text("UPDATE audit_entries SET target = 'T2570/99999' WHERE id = :id"), {"id": entry.id}
    )
    db.session.commit()
    db.session.expire_all()
    assert audit.verify(org.id, audit.MAIN).ok
    verdict = audit.verify(org.id)
    assert not verdict.ok and "tips chain" in verdict.reason
