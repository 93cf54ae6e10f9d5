"""Reading the audit trail, called directly: one chain a page at a time, narrowed by action and
actor, with the people and case numbers it names."""

from __future__ import annotations

from casework import audit
from casework.extensions import db


def test_a_page_of_the_trail(rc, org, staff, complaint):
    officer = staff("officer", "works")
    case = complaint()
    for n in range(3):
        audit.record(org.id, "user.update", actor_id=officer.id, target=f"u{n}")
    audit.record(org.id, "case.note", actor_id=officer.id, case=case)
    audit.record(org.id, "secret", chain=audit.TIPS)
    db.session.commit()
    trail = audit.trail_page(org.id, per_page=2)
    assert [e.action for e in trail.page.items] == ["case.note", "user.update"]
    assert trail.page.total == 4  # (filing on the web writes no entry)
    assert trail.numbers == {case.id: case.case_number}
    assert trail.users[officer.id] == officer
    narrowed = audit.trail_page(org.id, action="user.", actor_id=officer.id, page=2, per_page=2)
    assert [e.target for e in narrowed.page.items] == ["u0"]
    assert audit.trail_page(org.id, actor_id=-1).page.total == 0
    tips = audit.trail_page(org.id, chain=audit.TIPS)
    assert [e.action for e in tips.page.items] == ["secret"]
